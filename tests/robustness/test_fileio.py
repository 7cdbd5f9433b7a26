"""Reading never hangs or reads without bound; writing leaves nothing behind, even after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lifeboat.errors import InputError
from lifeboat.fileio import read_text, read_toml, write_atomic


def test_kill_9_during_a_write_leaves_a_temporary_that_the_next_write_sweeps(tmp_path):
    target = tmp_path / "report.html"
    code = (
        "import os, time, sys\n"
        "from lifeboat import fileio\n"
        "def stall(a, b):\n"
        "    print('writing', flush=True); time.sleep(60)\n"
        "fileio.os.replace = stall\n"
        f"fileio.write_atomic({str(target)!r}, 'x' * 1000)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    stale = [p.name for p in tmp_path.iterdir()]
    assert len(stale) == 1 and stale[0].endswith(".tmp") and f".{child.pid}." in stale[0]
    write_atomic(target, "done")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert target.read_text() == "done"


def test_a_live_writers_temporary_is_left_alone(tmp_path):
    live = tmp_path / f".out.txt.{os.getppid()}.abcd.tmp"
    live.write_text("still being written")
    write_atomic(tmp_path / "out.txt", "x")
    assert live.exists()


def test_writing_to_a_directory_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError, match="directory"):
        write_atomic(tmp_path, "x")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory", "loop", "huge"])
def test_special_files_are_refused_at_once(tmp_path, kind):
    path = tmp_path / "f"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path = Path("/dev/zero")
    elif kind == "directory":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(tmp_path / "g")
        (tmp_path / "g").symlink_to(path)
    else:
        with path.open("wb") as handle:
            handle.truncate(10**9)
    start = time.monotonic()
    with pytest.raises(InputError) as info:
        read_text(path, max_bytes=10**6)
    assert time.monotonic() - start < 5 and str(path) in str(info.value)


def test_byte_order_mark_and_utf16(tmp_path):
    path = tmp_path / "a.toml"
    path.write_bytes(b"\xef\xbb\xbfx = 1\n")
    assert read_toml(path) == {"x": 1}
    path.write_bytes("x = 1\n".encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        read_toml(path)


def test_deep_nesting_is_refused(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 100 + "]" * 100 + "\n")
    with pytest.raises(InputError, match="nested too deeply"):
        read_toml(path)


def test_a_missing_extra_is_one_line_naming_it(cli, monkeypatch, tmp_path):
    sweep = Path(__file__).resolve().parents[2] / "examples" / "sweep-iss-mixed-tornado.toml"
    for name in ("dask", "distributed", "dask.distributed"):
        monkeypatch.setitem(sys.modules, name, None)
    code, out, err = cli("sweep", str(sweep), "--store", str(tmp_path / "s.duckdb"))
    assert code == 2 and "Traceback" not in err
    assert "pip install 'lifeboat[distributed]'" in " ".join(err.split())
