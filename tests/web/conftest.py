"""A real ``lifeboat serve`` on a free loopback port, for the load and browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import pytest


def screenshot_folder(rootdir) -> Path:
    """Where the browser test writes its screenshots (gitignored ``reports/``), or
    ``LIFEBOAT_SCREENSHOTS``."""
    return Path(os.environ.get("LIFEBOAT_SCREENSHOTS") or Path(rootdir) / "reports" / "browser-screenshots")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, timeout: float = 120.0):
    """(status, body, headers) of a GET, for error statuses too."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read(), r.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers


@pytest.fixture(scope="module")
def shots(pytestconfig) -> Path:
    folder = screenshot_folder(pytestconfig.rootpath)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def tell():
    """Report a figure or a folder to whoever runs the tests. A warning, because pytest shows
    warnings in its summary also when the tests ran on pytest-xdist workers, whose printed output
    is not shown; a plain UserWarning, because xdist rebuilds the class on the controller."""
    return lambda text: warnings.warn(UserWarning(f"[reported, not a problem] {text}"), stacklevel=2)


@pytest.fixture
def get():
    return http_get


@pytest.fixture(scope="module")
def server():
    """The base URL of a server with one worker and a queue of 4."""
    port = _free_port()
    command = [sys.executable, "-c", "from lifeboat.cli.app import main; main()", "serve",
               "--port", str(port), "--workers", "1", "--queue", "4"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                http_get(base + "/api/status", timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
