"""Shared test fixtures."""

from __future__ import annotations

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
