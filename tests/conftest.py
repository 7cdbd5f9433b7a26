"""Shared test fixtures."""

from __future__ import annotations

from collections import Counter

import pytest
from typer.testing import CliRunner

from lifeboat.cli.app import app


@pytest.fixture
def cli():
    """Run the ``lifeboat`` CLI in-process; returns (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    return run


# The robustness harness (tests/robustness) records what happened to each input as a user
# property; the counts are printed here, in the root conftest, so they add up across xdist workers.
def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts: Counter[str] = Counter()
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) not in ("call", "setup"):
                continue
            for key, value in getattr(report, "user_properties", ()):
                if key == "robustness":
                    counts[value] += 1
    if not counts:
        return
    tried = sum(v for k, v in counts.items() if k != "not run")
    terminalreporter.section("robustness harness")
    terminalreporter.write_line(
        f"inputs tried {tried}: clear refusals {counts['refused']}, accepted {counts['accepted']}, "
        f"tracebacks {counts['traceback']}, hangs {counts['hang']}, non-finite outputs "
        f"{counts['non-finite']}, unclear refusals {counts['unclear']}, wrongly accepted "
        f"{counts['wrongly accepted']}, known failures of other parts (xfail) "
        f"{counts['known']}; known hangs of other parts, not run: {counts['not run']}")
