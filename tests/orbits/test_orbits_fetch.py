"""``lifeboat elements fetch`` against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lifeboat.errors import InputError
from lifeboat.orbits.fetch import fetch_elements

ROOT = Path(__file__).resolve().parents[2]
TLE = ("ISS (ZARYA)\n"
       "1 25544U 98067A   18336.32716814  .00001474  00000-0  29615-4 0  9996\n"
       "2 25544  51.6401 260.8120 0005200 105.4624 347.8845 15.54045418144664\n")
OMM_JSON = (ROOT / "examples" / "iss-2018-12-02.omm.json").read_text()


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self.server.requests.append(query)
        fmt = query.get("FORMAT", ["tle"])[0]
        if query.get("GROUP") == ["missing"]:
            status, body = 404, b"not found"
        elif query.get("GROUP") == ["empty"]:
            status, body = 200, b"No GP data found"
        else:
            status, body = 200, (OMM_JSON if fmt == "json" else TLE).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}/NORAD/elements/gp.php"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_fetch_writes_checked_element_sets(server, tmp_path):
    httpd, url = server
    out = tmp_path / "stations.tle"
    result = fetch_elements(out, group="stations", base_url=url, timeout_s=5)
    assert out.read_text() == TLE
    assert result.count == 1 and result.satellites == ["ISS (ZARYA) (25544)"]
    assert httpd.requests[-1] == {"GROUP": ["stations"], "FORMAT": ["tle"]}
    result = fetch_elements(tmp_path / "iss.json", catnr=25544, fmt="json", base_url=url, timeout_s=5)
    assert json.loads((tmp_path / "iss.json").read_text())[0]["NORAD_CAT_ID"] == 25544
    assert httpd.requests[-1] == {"CATNR": ["25544"], "FORMAT": ["json"]}


@pytest.mark.parametrize(("group", "needle"), [("missing", "404"), ("empty", "not usable element sets")])
def test_a_failed_download_leaves_the_old_file(server, tmp_path, group, needle):
    _, url = server
    out = tmp_path / "stations.tle"
    out.write_text(TLE)
    with pytest.raises(InputError, match=needle):
        fetch_elements(out, group=group, base_url=url, timeout_s=5)
    assert out.read_text() == TLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stations.tle"]


def test_unreachable_server_is_one_clear_error(tmp_path):
    # A port on the loopback address with nothing listening: refused at once, no hang.
    with pytest.raises(InputError, match="download failed"):
        fetch_elements(tmp_path / "x.tle", group="stations", base_url="http://127.0.0.1:9/gp.php", timeout_s=2)


def test_bad_arguments(tmp_path):
    with pytest.raises(InputError, match="exactly one"):
        fetch_elements(tmp_path / "x", group="stations", catnr=25544)
    with pytest.raises(InputError, match="format"):
        fetch_elements(tmp_path / "x", group="stations", fmt="kvn")
    with pytest.raises(InputError, match="http"):
        fetch_elements(tmp_path / "x", group="stations", base_url="file:///etc/passwd")


def test_cli_fetch_json_and_error(server, cli, tmp_path):
    _, url = server
    out = tmp_path / "s.tle"
    code, stdout, _ = cli("elements", "fetch", "--group", "stations", "--out", out, "--base-url", url, "--json")
    assert code == 0
    data = json.loads(stdout)
    assert data["count"] == 1 and data["path"] == str(out) and data["fetched_utc"].endswith("Z")
    code, stdout, err = cli("elements", "fetch", "--group", "missing", "--out", out, "--base-url", url)
    assert code == 2 and err.strip().startswith("error:") and "404" in err
