"""The tutorial in docs/api.md runs as written, block after block, from the repository root."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_tutorial_runs(monkeypatch, capsys):
    pytest_blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(), re.S)
    assert len(pytest_blocks) >= 8
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    try:
        for number, block in enumerate(pytest_blocks, start=1):
            exec(compile(block, f"docs/api.md block {number}", "exec"), namespace)
    finally:
        from lifeboat import api

        api.use_catalog()
    assert "CatalogRecord(kind='stations', id='haven-1')" in capsys.readouterr().out
