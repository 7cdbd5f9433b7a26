"""The web app answers with the same numbers as the CLI's --json, and reports bad input as 422."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient

from lifeboat.web.app import create_app


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def test_index_links_the_builtin_report(client):
    page = client.get("/")
    assert page.status_code == 200 and "/report/iss-2018-12" in page.text


def test_leak_endpoint_matches_the_cli(client, cli):
    web = client.get("/api/leak", params={"station": "iss", "hole_mm": 2.0, "cd": 0.6}).json()
    code, out, _ = cli("leak", "--station", "iss", "--hole-mm", "2", "--cd", "0.6", "--json")
    assert code == 0
    assert web == json.loads(out)


def test_windows_endpoint_matches_the_cli(client, cli):
    params = {"site": "baikonur", "station": "iss", "start": "2018-12-01T00:00:00Z", "days": 2}
    web = client.get("/api/windows", params=params).json()
    code, out, _ = cli("windows", "--site", "baikonur", "--station", "iss",
                       "--start", "2018-12-01T00:00:00Z", "--days", "2", "--json")
    assert code == 0
    assert web["opportunities"] == json.loads(out)["opportunities"]
    assert web["opportunities"], "Baikonur sees the ISS plane about twice a day"


def test_risk_endpoint_is_reproducible(client):
    a = client.get("/api/risk/textbook", params={"trials": 70_000, "seed": 5}).json()
    b = client.get("/api/risk/textbook", params={"trials": 70_000, "seed": 5}).json()
    assert a["p_loc"] == b["p_loc"] and a["trials"] == 70_000


@pytest.mark.parametrize("url,word", [
    ("/api/catalog/vehicles/soyuz", "soyuz-ms"),
    ("/api/catalog/rockets", "kind"),
    ("/api/windows?site=baikonur&station=iss&start=yesterday&days=1", "yesterday"),
    ("/api/risk/no-such-architecture", "no-such-architecture"),
])
def test_bad_input_is_a_422_with_one_message(client, url, word):
    response = client.get(url)
    assert response.status_code == 422
    assert word in response.json()["error"]


def test_catalog_endpoint_lists_sources(client):
    vehicles = client.get("/api/catalog/vehicles").json()
    assert {"soyuz-ms", "crew-dragon"} <= {v["id"] for v in vehicles}
    assert all(v["sources"] for v in vehicles)


@pytest.mark.slow
def test_serve_command_answers_on_loopback(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-c", "from lifeboat.cli.app import main; main()",
               "serve", "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/catalog/sites", timeout=5) as r:
                    sites = json.load(r)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        assert any(s["id"] == "baikonur" for s in sites)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
