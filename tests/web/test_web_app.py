"""The web API answers with the same numbers as the CLI's --json, resolves ids only to built-in or
uploaded items, limits work per request, queues long work off the event loop, and has one error
format."""

from __future__ import annotations

import json
import threading
import time
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from lifeboat.web.app import create_app
from lifeboat.web.items import Items, parse_toml, to_toml

ERROR_KEYS = {"error", "status", "code", "source", "where", "param"}
BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def app():
    return create_app(workers=1, max_active=4)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app, base_url=BASE) as c:
        yield c


@pytest.fixture(scope="module")
def iss_toml() -> str:
    return resources.files("lifeboat.scenarios").joinpath("iss-2018-12.toml").read_text("utf-8")


def _without_timing(assessment: dict) -> dict:
    """The assessment JSON less what differs between two runs of the same inputs: the report's
    location and the measured speed of the risk engine."""
    out = {k: v for k, v in assessment.items() if k != "report_path"}
    out["risk"] = [{k: v for k, v in r.items() if k not in ("trials_per_s", "workers")}
                   for r in assessment["risk"]]
    return out


def test_post_assess_returns_the_cli_json(client, cli, iss_toml, tmp_path):
    params = {"trials": 20_000, "seed": 7}
    web = client.post("/api/assess", params=params, content=iss_toml.encode(),
                      headers={"content-type": "application/toml"})
    assert web.status_code == 200, web.text
    code, out, _ = cli("assess", "iss-2018-12", "--trials", "20000", "--seed", "7", "--json",
                       "--report", tmp_path / "r.html")
    assert code == 0
    assert _without_timing(web.json()) == _without_timing(json.loads(out))
    assert web.json()["report_path"].startswith("/report/upload-")
    # The same file as a multipart upload is the same item and the same cached job.
    multipart = client.post("/api/assess", params=params, files={"scenario": ("iss.toml", iss_toml)})
    assert multipart.content == web.content


def test_bad_scenario_is_a_422_naming_file_and_field(client, iss_toml):
    bad = iss_toml.replace('seat = "soyuz-ms-09:3"', 'seat = "soyuz-ms-09:4"')
    r = client.post("/api/assess", files={"scenario": ("mine.toml", bad)})
    assert r.status_code == 422
    body = r.json()
    assert set(body) == ERROR_KEYS
    assert (body["source"], body["where"]) == ("mine.toml", "crew[2].seat")
    assert body["error"].startswith("mine.toml: crew[2].seat: ") and "3 seat" in body["error"]
    syntax = client.post("/api/scenarios/validate", content=b'id = "x"\ntitle = \n',
                         headers={"content-type": "text/plain"})
    assert syntax.status_code == 200 and not syntax.json()["valid"]
    assert set(syntax.json()["error"]) == ERROR_KEYS and syntax.json()["error"]["where"] == "line 2"


def test_ids_from_urls_never_read_files(client, tmp_path, monkeypatch):
    """A TOML file in the server's working folder is not reachable by any id."""
    secret = tmp_path / "evil.toml"
    secret.write_text('title = "SECRET-CONTENT"\n')
    (tmp_path / "evil").write_text('title = "SECRET-CONTENT"\n')
    monkeypatch.chdir(tmp_path)
    for url in ("/api/risk/evil.toml", "/api/risk/evil", "/api/assess/evil.toml", "/report/evil",
                "/api/scenarios/evil.toml", "/api/architectures/evil", f"/api/risk/{secret}",
                "/api/risk/..%2Fevil.toml", "/api/history/evil.toml"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "SECRET" not in r.text and set(r.json()) == ERROR_KEYS
    # Nor through a scenario that names it as an architecture.
    scenario = client.get("/api/scenarios/iss-2018-12").json()["scenario"]
    scenario["architectures"] = ["evil.toml"]
    r = client.post("/api/assess", json=scenario)
    assert r.status_code == 422 and r.json()["where"] == "architectures[0]"
    # Nor as the station's element-set file: not read, and not even looked for.
    scenario["architectures"] = []
    for name in ("evil", str(secret), "no-such-file"):
        scenario["station"]["elements_file"] = name
        for url in ("/api/assess", "/api/scenarios/validate", "/api/scenarios"):
            r = client.post(url, json=scenario)
            body = r.json() if r.status_code == 422 else r.json()["error"]
            assert body["where"] == "station.elements_file" and "SECRET" not in r.text, (url, r.text)
            assert "never reads files on the server" in body["error"]


@pytest.mark.parametrize("url,param", [
    ("/api/risk/textbook?trials=1000001", "trials"),
    ("/api/risk/textbook?trials=0", "trials"),
    ("/api/compare?architecture=iss-mixed&architecture=iss-us-only&architecture=iss-soyuz-only&trials=1000000",
     "trials"),
    ("/api/assess/iss-2018-12?trials=2000000", "trials"),
    ("/api/windows?site=baikonur&station=iss&time=2018-12-01T00:00:00Z&days=31", "days"),
    ("/api/landings?vehicle=soyuz-ms&station=iss&time=2018-12-01T00:00:00Z&days=0", "days"),
    ("/api/leak?station=iss&hole_mm=-1", "hole_mm"),
    ("/api/risk/textbook?trials=ten", "trials"),
])
def test_work_limits_are_a_clear_422(client, url, param):
    r = client.get(url)
    assert r.status_code == 422, r.text
    body = r.json()
    assert set(body) == ERROR_KEYS and body["param"] == param and param in body["error"]


def test_sweep_limit_and_unknown_parameter(client):
    many = {"kind": "sweep", "architecture": "textbook", "parameter": "station.crew_size",
            "values": list(range(1, 15)), "trials": 1000, "seed": 1}
    r = client.post("/api/jobs", json=many)
    assert r.status_code == 422 and r.json()["param"] == "values"
    wrong = {**many, "values": [1, 2], "parameter": "station.no_such_field"}
    r = client.post("/api/jobs", json=wrong)
    assert r.status_code == 422 and "no_such_field" in r.json()["error"]


def _wait(client, job: dict, limit_s: float = 120.0) -> dict:
    deadline = time.monotonic() + limit_s
    while job["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
        job = client.get(f"/api/jobs/{job['id']}").json()
    return job


def test_compare_job_reports_progress_and_matches_the_engine(client):
    request = {"kind": "compare", "architectures": ["iss-soyuz-only", "iss-mixed"], "trials": 70_000,
               "seed": 3}
    started = client.post("/api/jobs", json=request)
    assert started.status_code == 202
    job = _wait(client, started.json())
    # Both architectures run their trials together (common random numbers): progress counts trials.
    assert job["status"] == "done" and job["done"] == job["total"] == 70_000
    result = client.get(job["result_url"]).json()
    # The same request to /api/compare would be answered from the job cache, so the reference is
    # the engine itself, called directly (first architecture as the baseline, as the app does).
    from lifeboat.jsonable import to_jsonable
    from lifeboat.risk.engine import compare_paired

    direct = to_jsonable(compare_paired(["iss-soyuz-only", "iss-mixed"], baseline="iss-soyuz-only",
                                        trials=70_000, seed=3))
    assert [r["metrics"] for r in result["results"]] == [r["metrics"] for r in direct["results"]]
    assert result["differences"] == direct["differences"]
    assert result["baseline"] == "iss-soyuz-only" and set(result["differences"]) == {"iss-mixed"}


def test_sweep_at_the_base_value_reproduces_the_base_run(client):
    base = client.get("/api/architectures/textbook").json()
    paths = {p["path"]: p["value"] for p in base["parameters"]}
    value = paths["providers.main.ascent_failure"] if "providers.main.ascent_failure" in paths \
        else next(v for k, v in paths.items() if k.endswith("ascent_failure"))
    parameter = next(k for k, v in paths.items() if k.endswith("ascent_failure"))
    job = client.post("/api/jobs", json={"kind": "sweep", "architecture": "textbook",
                                         "parameter": parameter, "values": [value, value * 4],
                                         "trials": 30_000, "seed": 11}).json()
    job = _wait(client, job)
    points = client.get(job["result_url"]).json()["points"]
    alone = client.get("/api/risk/textbook", params={"trials": 30_000, "seed": 11}).json()
    assert points[0]["result"]["metrics"] == alone["metrics"]
    # Common random numbers: four times the ascent failure probability cannot lower P(LOC).
    p_loc = [p["result"]["metrics"]["p_loc"]["mean"] for p in points]
    assert p_loc[1] > p_loc[0]


def test_leak_endpoint_matches_the_cli(client, cli):
    web = client.get("/api/leak", params={"station": "iss", "hole_mm": 2.0, "cd": 0.6}).json()
    code, out, _ = cli("leak", "--station", "iss", "--hole-mm", "2", "--cd", "0.6", "--json")
    assert code == 0
    assert web == json.loads(out)


def test_windows_endpoint_matches_the_cli(client, cli):
    params = {"site": "baikonur", "station": "iss", "time": "2018-12-01T00:00:00Z", "days": 2}
    web = client.get("/api/windows", params=params).json()
    code, out, _ = cli("windows", "--site", "baikonur", "--station", "iss",
                       "--start", "2018-12-01T00:00:00Z", "--days", "2", "--json")
    assert code == 0
    assert web["opportunities"] == json.loads(out)["opportunities"]
    assert web["opportunities"], "Baikonur sees the ISS plane about twice a day"


def test_history_replay_matches_the_cli(client, cli):
    incidents = client.get("/api/history").json()
    first = incidents[0]["id"]
    code, out, _ = cli("history", "replay", first, "--json")
    assert code == 0
    assert client.get(f"/api/history/{first}").json() == json.loads(out)


def test_uploaded_architecture_runs_by_its_id(client):
    text = client.get("/api/architectures/textbook").json()["toml"]
    text = text.replace('title = "', 'title = "My copy of ', 1)
    up = client.post("/api/architectures", content=text, headers={"content-type": "application/toml"})
    assert up.status_code == 201, up.text
    upload_id = up.json()["id"]
    assert upload_id.startswith("upload-")
    mine = client.get(f"/api/risk/{upload_id}", params={"trials": 20_000, "seed": 2}).json()
    builtin = client.get("/api/risk/textbook", params={"trials": 20_000, "seed": 2}).json()
    assert mine["title"].startswith("My copy of ")
    assert mine["metrics"] == builtin["metrics"]
    assert upload_id in {a["id"] for a in client.get("/api/architectures").json()}


def test_report_is_cached_and_downloadable(app, client):
    url = "/report/iss-2018-12?trials=20000&seed=7"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["content-type"].startswith("text/html")
    again = client.get(url + "&download=true")
    assert again.content == first.content
    assert "attachment" in again.headers["content-disposition"]
    assert "default-src 'none'" in first.headers["content-security-policy"]
    runner = app.state.runner
    assessments = [j for j in runner._jobs.values() if j.kind == "assess" and j.inputs["trials"] == 20_000
                   and j.inputs["scenario"] == "iss-2018-12"]
    assert len(assessments) == 1 and "report" in assessments[0].extras


def test_full_queue_is_a_503_and_cheap_requests_still_answer():
    app = create_app(workers=1, max_active=1)
    release = threading.Event()
    with TestClient(app, base_url=BASE) as client:
        app.state.runner.submit("block", {"n": 1}, lambda _p: release.wait(60))
        try:
            busy = client.get("/api/risk/textbook", params={"trials": 1000})
            assert busy.status_code == 503
            assert set(busy.json()) == ERROR_KEYS and int(busy.headers["retry-after"]) > 0
            assert client.get("/api/catalog/sites").status_code == 200
            assert client.get("/api/status").json()["active"] == 1
        finally:
            release.set()
        deadline = time.monotonic() + 30
        while client.get("/api/status").json()["active"]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert client.get("/api/risk/textbook", params={"trials": 1000}).status_code == 200


def test_security_headers_everywhere(client):
    for url in ("/", "/api/status", "/docs", "/static/app.js", "/api/nope"):
        headers = client.get(url).headers
        assert headers["x-content-type-options"] == "nosniff", url
        assert "content-security-policy" in headers and headers["x-frame-options"] == "DENY", url
        assert headers["referrer-policy"] == "no-referrer"


def test_host_and_origin_checks_when_bound_beyond_loopback():
    app = create_app(host="0.0.0.0", allowed_hosts=("lifeboat.example",), workers=1)
    with TestClient(app, base_url="http://lifeboat.example:8000") as client:
        assert client.get("/api/status").status_code == 200
        assert client.get("/api/status", headers={"host": "attacker.example"}).status_code == 403
        ok = client.post("/api/scenarios/validate", content=b"x = 1",
                         headers={"origin": "http://lifeboat.example:8000"})
        assert ok.status_code == 200 and not ok.json()["valid"]  # checked: the body is no scenario
        refused = client.post("/api/scenarios/validate", content=b"x = 1",
                              headers={"origin": "http://attacker.example"})
        assert refused.status_code == 403 and set(refused.json()) == ERROR_KEYS


def test_api_docs_work_offline(client):
    page = client.get("/docs").text
    assert "<script" not in page and "cdn" not in page.lower()
    spec = client.get("/openapi.json").json()
    for path in spec["paths"]:
        assert f"{path}</code>" in page
    for wanted in ("/api/assess", "/api/catalog/{kind}", "/api/windows", "/api/landings", "/api/leak",
                   "/api/risk/{architecture}", "/api/compare", "/api/history", "/api/nrho",
                   "/api/gateway", "/api/jobs"):
        assert wanted in spec["paths"], wanted


@pytest.mark.parametrize("kind", ["scenario", "architecture"])
def test_toml_writer_round_trips_every_builtin(kind):
    """The form edits JSON and the server writes TOML: every built-in file survives the trip."""
    items = Items()
    for item_id in items.builtin_ids(kind):
        original = items.get(kind, item_id, param="id")
        jsonish = json.loads(json.dumps(original.data, default=str).replace("+00:00", "Z"))
        again = items.parse(kind, to_toml(jsonish), source="round trip")
        assert again.value == original.value, item_id
        assert parse_toml(to_toml(original.data), source="x") == original.data


def test_catalog_endpoint_lists_sources(client):
    vehicles = client.get("/api/catalog/vehicles").json()
    assert {"soyuz-ms", "crew-dragon"} <= {v["id"] for v in vehicles}
    assert all(v["sources"] for v in vehicles)


def test_lunar_endpoints_match_the_cli(client, cli):
    web = client.get("/api/gateway", params={"time": "2027-03-01T00:00:00Z", "vehicle": "all"}).json()
    code, out, _ = cli("gateway-access", "--vehicle", "all", "--time", "2027-03-01T00:00:00Z", "--json")
    assert code == 0 and web == json.loads(out)
    params = {"time": "2027-03-01T00:00:00Z", "vehicle": "orion", "readiness_days": 2,
              "perilune_epoch": "2027-01-03T00:00:00Z"}
    web = client.get("/api/gateway", params=params).json()
    code, out, _ = cli("gateway-access", "--vehicle", "orion", "--time", "2027-03-01T00:00:00Z",
                       "--readiness-days", "2", "--perilune-epoch", "2027-01-03T00:00:00Z", "--json")
    assert code == 0 and web == json.loads(out)
    assert web["reference_perilune_utc"] == "2027-01-03T00:00:00Z"
    web = client.get("/api/nrho", params={"resonance": "9:2"}).json()
    code, out, _ = cli("nrho", "--resonance", "9:2", "--json")
    assert code == 0 and web == json.loads(out)


def test_uploaded_source_links_cannot_run_script(client, iss_toml):
    text = iss_toml + '\n[[sources]]\ntitle = "Evil link"\nurl = "javascript:alert(1)"\n'
    stored = client.post("/api/scenarios", content=text, headers={"content-type": "application/toml"})
    assert stored.status_code == 201
    html = client.get(f"/report/{stored.json()['id']}", params={"trials": 2000, "seed": 1}).text
    assert "Evil link" in html and 'href="javascript:' not in html


def test_summary_of_an_assessment_job_names_crew_sizes(client):
    job = client.post("/api/jobs", json={"kind": "assess", "scenario": "iss-2018-12", "trials": 20_000,
                                         "seed": 7}).json()
    job = _wait(client, job)
    summary = client.get(f"/api/jobs/{job['id']}/summary").json()
    assert summary["recommendation"] and summary["partner"]
    assert summary["crew_sizes"] == {"iss-6-soyuz": 6, "iss-6-soyuz-dragon": 6}


@pytest.mark.parametrize("url,param,hint", [
    ("/api/catalog/rockets", "kind", "vehicles"),
    ("/api/catalog/vehicles/soyuz", "record_id", "soyuz-ms"),
    ("/api/history/no-such-incident", "incident", "ms-22-coolant"),
])
def test_unknown_ids_are_a_404_with_the_choices(client, url, param, hint):
    r = client.get(url)
    assert r.status_code == 404 and set(r.json()) == ERROR_KEYS
    assert r.json()["param"] == param and hint in r.json()["error"]
