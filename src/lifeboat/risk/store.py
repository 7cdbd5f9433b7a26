"""DuckDB store of sweep points: one row per point, keyed by a hash of everything that fixes it.

The key covers the resolved architecture (after the point's overrides), the number of trials,
the seed and the engine version, so a stored row is reused only when rerunning would give the
same numbers. Rows are written as points finish, which is what lets a killed sweep resume.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from pathlib import Path

import duckdb

from lifeboat.errors import InputError
from lifeboat.risk.engine import RiskResult

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sweep_points (
    key VARCHAR PRIMARY KEY,
    sweep VARCHAR,
    point_index INTEGER,
    parameters VARCHAR,
    architecture VARCHAR,
    trials BIGINT,
    seed BIGINT,
    engine_version VARCHAR,
    p_loc DOUBLE,
    p_loc_lo DOUBLE,
    p_loc_hi DOUBLE,
    decrewed_days_mean DOUBLE,
    p_any_decrew DOUBLE,
    seatless_crew_days_mean DOUBLE,
    launches_mean DOUBLE,
    cost_musd_mean DOUBLE,
    result_json VARCHAR,
    stored_at TIMESTAMP DEFAULT current_timestamp
)
"""


def result_to_json(result: RiskResult) -> str:
    """JSON text of a result (NaN as null)."""
    return json.dumps(_nan_to_none(dataclasses.asdict(result)))


def _nan_to_none(value):
    if isinstance(value, dict):
        return {k: _nan_to_none(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nan_to_none(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    return value


def result_from_json(text: str) -> RiskResult:
    return RiskResult(**json.loads(text))


class _DuckDBFile:
    """An embedded DuckDB file with its tables created (``_schema``)."""

    _schema = ""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = duckdb.connect(str(self.path))
        except (duckdb.Error, OSError) as exc:
            raise InputError(f"cannot open the DuckDB store ({exc})", source=str(self.path)) from None
        self._db.execute(self._schema)

    def close(self) -> None:
        self._db.close()


class SweepStore(_DuckDBFile):
    """An embedded DuckDB file holding finished sweep points."""

    _schema = _SCHEMA

    def __enter__(self) -> SweepStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def results(self, keys: Iterable[str]) -> dict[str, RiskResult]:
        """Stored results for those of ``keys`` that are present."""
        wanted = list(keys)
        if not wanted:
            return {}
        rows = self._db.execute(
            "SELECT key, result_json FROM sweep_points WHERE key IN (SELECT unnest(?))", [wanted]
        ).fetchall()
        return {key: result_from_json(text) for key, text in rows}

    def put(self, *, key: str, sweep: str, index: int, parameters: dict, result: RiskResult) -> None:
        """Store one finished point (replacing a row with the same key)."""
        self._db.execute(
            "INSERT OR REPLACE INTO sweep_points (key, sweep, point_index, parameters, architecture,"
            " trials, seed, engine_version, p_loc, p_loc_lo, p_loc_hi, decrewed_days_mean,"
            " p_any_decrew, seatless_crew_days_mean, launches_mean, cost_musd_mean, result_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                key, sweep, index, json.dumps(parameters, sort_keys=True), result.architecture,
                result.trials, result.seed, result.engine_version, result.p_loc,
                result.p_loc_ci95[0], result.p_loc_ci95[1], result.decrewed_days_mean,
                result.p_any_decrew, result.seatless_crew_days_mean, result.launches_mean,
                result.cost_musd_mean, result_to_json(result),
            ],
        )

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM sweep_points").fetchone()[0]


_UQ_SCHEMA = """
CREATE TABLE IF NOT EXISTS uq_inputs (
    run_key VARCHAR, draw INTEGER, input VARCHAR, value DOUBLE,
    PRIMARY KEY (run_key, draw, input)
);
CREATE TABLE IF NOT EXISTS uq_metrics (
    run_key VARCHAR, draw INTEGER, architecture VARCHAR, grp VARCHAR, provider VARCHAR,
    metric VARCHAR, value DOUBLE,
    PRIMARY KEY (run_key, draw, architecture, grp, provider, metric)
);
"""


class UncertaintyStore(_DuckDBFile):
    """Per-draw results of two-level runs, one row per (draw, architecture, metric) and per
    (draw, input); a run (``run_key``: architectures, trials, seed, engine version) rerun with
    the same store computes only its missing draws."""

    _schema = _UQ_SCHEMA

    def put(self, run_key: str, draw: int, inputs: dict, archs, keys, values) -> None:
        """Store one finished draw (its input values and every architecture's metrics)."""
        names = list(inputs)
        self._db.execute(
            "INSERT OR REPLACE INTO uq_inputs SELECT ?, ?, unnest(?), unnest(?)",
            [run_key, draw, names, [float(inputs[n]) for n in names]])
        cols: list[list] = [[], [], [], [], []]
        for arch, ks, row in zip(archs, keys, values, strict=True):
            for (group, provider, name, _, _), value in zip(ks, row, strict=True):
                for col, item in zip(cols, (arch.id, group, provider or "", name,
                                            None if value != value else float(value)), strict=True):
                    col.append(item)
        # One statement per draw (executemany is one statement per row, far slower).
        self._db.execute(
            "INSERT OR REPLACE INTO uq_metrics SELECT ?, ?, unnest(?), unnest(?), unnest(?), "
            "unnest(?), unnest(?::DOUBLE[])", [run_key, draw, *cols])

    def draws(self, run_key: str, archs, keys) -> dict:
        """Stored draws of ``run_key``, in the shape :func:`run_draw` returns."""
        import numpy as np

        inputs: dict[int, dict] = {}
        for draw, name, value in self._db.execute(
                "SELECT draw, input, value FROM uq_inputs WHERE run_key = ?", [run_key]).fetchall():
            inputs.setdefault(draw, {})[name] = value
        stored: dict[tuple, float] = {}
        for draw, arch, group, provider, name, value in self._db.execute(
                "SELECT draw, architecture, grp, provider, metric, value FROM uq_metrics WHERE run_key = ?",
                [run_key]).fetchall():
            stored[(draw, arch, group, provider, name)] = np.nan if value is None else value
        out = {}
        for draw, values in inputs.items():
            try:
                rows = [np.array([stored[(draw, a.id, g, p or "", n)] for g, p, n, _, _ in ks])
                        for a, ks in zip(archs, keys, strict=True)]
            except KeyError:
                continue  # a draw cut short while being written: compute it again
            out[draw] = (values, rows)
        return out
