"""Several hundred odd and malformed inputs over every command and file type (see cases.py).

Every case runs in-process with a 20 s alarm. It must end with exit code 0 or a clear refusal
(exit 2, a short message naming the file, field or option), never a traceback or a hang, and
print no NaN or Infinity. Cases that fail today in code other parts own are listed in
``cases.KNOWN_FAILURES`` (xfail, not strict) and ``cases.KNOWN_HANGS`` (not run).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
import cases as table  # noqa: E402

from lifeboat.cli.app import app  # noqa: E402

CASE_TIMEOUT_S = 20
NON_FINITE = re.compile(r"(?<![\w.])-?(nan|inf|infinity)(?![\w])", re.I)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def _params():
    for case in table.all_cases():
        marks = []
        if case.id in table.KNOWN_FAILURES:
            marks.append(pytest.mark.xfail(reason=table.KNOWN_FAILURES[case.id], strict=False))
        if case.needs_non_root and hasattr(os, "geteuid") and os.geteuid() == 0:
            marks.append(pytest.mark.skip(reason="root reads any file: cannot make one unreadable"))
        yield pytest.param(case, id=case.id, marks=marks)


def _json_is_finite(text: str) -> bool:
    def refuse(constant):
        raise ValueError(constant)
    try:
        json.loads(text, parse_constant=refuse)
    except ValueError as exc:
        return str(exc) not in ("NaN", "Infinity", "-Infinity")
    return True


def classify(case: table.Case, result) -> str:
    """What happened: refused, accepted, traceback, non-finite or unclear."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "traceback"
    out = result.stdout
    if out.lstrip().startswith(("{", "[")) and not _json_is_finite(out):
        return "non-finite"
    if NON_FINITE.search(out):
        return "non-finite"
    if result.exit_code == 0:
        return "accepted"
    if result.exit_code != 2:
        return "unclear"
    if "Traceback" in result.stderr or len(result.stderr.strip().splitlines()) > 12:
        return "unclear"
    return "refused"


@pytest.mark.parametrize("case", list(_params()))
def test_input(case: table.Case, tmp_path: Path, monkeypatch, record_property):
    if case.id in table.KNOWN_HANGS:
        record_property("robustness", "not run")
        pytest.skip(f"known hang in another part (not run): {table.KNOWN_HANGS[case.id]}")
    monkeypatch.chdir(tmp_path)
    path = case.make(tmp_path) if case.make else ""
    args = [a.replace("{file}", path) for a in case.args]
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CASE_TIMEOUT_S)
    try:
        result = CliRunner().invoke(app, args, env={"COLUMNS": "200", "LIFEBOAT_CATALOG": ""})
        outcome = classify(case, result)
    except Hang:
        outcome, result = "hang", None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if result is not None and isinstance(result.exception, Hang):
        outcome = "hang"
    try:
        check(case, outcome, result, path)
    except AssertionError:
        record_property("robustness", "known" if case.id in table.KNOWN_FAILURES else
                        "wrongly accepted" if outcome == "accepted" else outcome)
        raise
    record_property("robustness", outcome)


def check(case: table.Case, outcome: str, result, path: str) -> None:
    detail = "" if result is None else (result.stderr.strip()[-300:] or repr(result.exception))
    assert outcome in ("refused", "accepted"), f"{outcome}: {detail}"
    if case.expect == "refuse":
        assert outcome == "refused", f"accepted input that should be refused: {result.stdout[:300]}"
        message = " ".join(result.stderr.split())
        for word in case.must_name:
            assert word in message, f"the refusal should name {word!r}: {message}"
        if ":" in case.id and path:
            assert Path(path).name in message, f"the refusal should name the file: {message}"
