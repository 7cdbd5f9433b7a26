"""Every command of the README's five-minute tour runs as written and succeeds (exit code 0)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOT_RUN = ("lifeboat serve",)  # long-running; the web tests start it on a free port


def tour_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tour = readme.split("## A five-minute tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", tour, re.S).group(1)
    commands = []
    for line in block.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith(NOT_RUN):
            commands.append(line.split("|", 1)[0].strip())
    return commands


def test_the_tour_has_the_main_job():
    assert tour_commands()[0] == "lifeboat assess"


@pytest.mark.slow
@pytest.mark.parametrize("command", tour_commands())
def test_tour_command_runs(command, cli, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "src" / "lifeboat" / "scenarios", tmp_path / "src" / "lifeboat" / "scenarios")
    monkeypatch.chdir(tmp_path)
    # Commands run one per test, so each starts from what the tour's earlier steps leave behind.
    shutil.copy("src/lifeboat/scenarios/iss-2018-12.toml", "my-scenario.toml")
    args = shlex.split(command)
    if args[0] == "cp":
        shutil.copy(args[1], args[2])
        return
    if args[0] == "python":
        done = subprocess.run([sys.executable, *args[1:]], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (command, done.stdout[-2000:], done.stderr[-2000:])
        return
    assert args[0] == "lifeboat", command
    code, out, err = cli(*args[1:])
    assert code == 0, (command, out[-2000:], err[-2000:])
