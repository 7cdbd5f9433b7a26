"""Counts of the robustness harness, printed at the end of the test run.

Each harness test records what happened to its input as a user property (so the counts survive
pytest-xdist); the summary adds them up: inputs tried, clear refusals, accepted, tracebacks,
hangs, non-finite outputs, known failures of other parts (xfail) and cases not run.
"""

from __future__ import annotations

from collections import Counter


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
