"""FastAPI application: JSON endpoints over the services, and the HTML assessment report.

Every endpoint returns what the matching CLI command prints with ``--json`` (both go through
``cli.common.to_jsonable``). Bad input gives HTTP 422 with ``{"error": message}``, the same one
line the CLI prints.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI, Query
from fastapi.responses import HTMLResponse, JSONResponse

from lifeboat import __version__
from lifeboat.cli.common import to_jsonable
from lifeboat.errors import InputError
from lifeboat.timeutil import parse_utc

MAX_WEB_TRIALS = 2_000_000  # keeps one request under a few seconds on a small server

INDEX_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lifeboat</title>
<style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;line-height:1.5}}
code{{background:#f3f3f3;padding:0 .2rem}}</style></head>
<body><h1>Lifeboat {version}</h1>
<p>Who can bring a station crew home, how soon, and what a second crew transport buys in safety.</p>
<h2>Reports</h2><ul>{reports}</ul>
<h2>JSON API</h2><ul>
<li><a href="/api/catalog/vehicles">/api/catalog/{{kind}}</a> and <code>/api/catalog/{{kind}}/{{id}}</code></li>
<li><a href="/api/windows?site=baikonur&amp;station=iss&amp;start=2018-12-01T00:00:00Z&amp;days=3">/api/windows</a>
  ?site=&amp;station=&amp;start=&amp;days=&amp;vehicle=</li>
<li><a href="/api/leak?station=iss&amp;hole_mm=2&amp;cd=0.6">/api/leak</a>?station=&amp;hole_mm=&amp;cd=&amp;module=</li>
<li><a href="/api/risk/textbook?trials=200000&amp;seed=1">/api/risk/{{architecture}}</a>?trials=&amp;seed=</li>
<li><a href="/api/history">/api/history</a> and <code>/api/history/{{id}}</code></li>
<li><a href="/api/assess/iss-2018-12">/api/assess/{{scenario}}</a></li>
<li><a href="/docs">OpenAPI documentation</a></li>
</ul></body></html>"""


def create_app() -> FastAPI:
    """Build the application (one per process; the services cache what they load)."""
    app = FastAPI(title="Lifeboat", version=__version__,
                  description="Crew rescue and lifeboat analysis for crewed space stations.")

    @app.exception_handler(InputError)
    async def _input_error(_request, exc: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"error": str(exc)})

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        from lifeboat.model.scenario import builtin_scenarios

        links = "".join(f'<li><a href="/report/{s}">{s}</a></li>' for s in builtin_scenarios())
        return INDEX_HTML.format(version=__version__, reports=links)

    @app.get("/api/catalog/{kind}")
    def catalog_kind(kind: str):
        from lifeboat.catalog import load_catalog
        from lifeboat.cli.catalog import resolve_kind

        table = getattr(load_catalog(), resolve_kind(kind, option="kind"))
        return to_jsonable(list(table.values()))

    @app.get("/api/catalog/{kind}/{record_id}")
    def catalog_record(kind: str, record_id: str):
        from lifeboat.catalog import load_catalog
        from lifeboat.cli.catalog import resolve_kind

        return to_jsonable(load_catalog().get(resolve_kind(kind, option="kind"), record_id))

    @app.get("/api/windows")
    def windows(site: str, station: str, start: str, days: float = Query(3.0, gt=0, le=60),
                vehicle: str | None = None):
        from lifeboat.orbits.station import StationOrbit
        from lifeboat.orbits.windows import launch_opportunities

        start_utc: datetime = parse_utc(start, source="start")
        orbit = StationOrbit.from_catalog(station, reference_utc=start_utc)
        return to_jsonable(launch_opportunities(site, orbit, start_utc, days, vehicle_id=vehicle))

    @app.get("/api/leak")
    def leak(station: str, hole_mm: float = Query(..., gt=0, le=1000),
             cd: float = Query(0.6, gt=0, le=1), module: str | None = None,
             limit_mmhg: float = Query(490.0, gt=0, lt=760)):
        from lifeboat.cabin.leak import analyse_leak
        from lifeboat.cabin.network import station_network

        network = station_network(station)
        return to_jsonable(analyse_leak(network, hole_diameter_mm=hole_mm, cd=cd, module=module,
                                        limit_mmhg=limit_mmhg))

    @app.get("/api/risk/{architecture}")
    def risk(architecture: str, trials: int = Query(200_000, ge=1, le=MAX_WEB_TRIALS),
             seed: int = Query(1, ge=0)):
        from lifeboat.risk.engine import run_risk

        return to_jsonable(run_risk(architecture, trials=trials, seed=seed))

    @app.get("/api/history")
    def history_list():
        from lifeboat.rescue.history import list_incidents

        return to_jsonable(list_incidents())

    @app.get("/api/history/{incident_id}")
    def history_replay(incident_id: str):
        from lifeboat.rescue.history import replay

        return to_jsonable(replay(incident_id))

    @app.get("/api/assess/{scenario}")
    def assess_json(scenario: str):
        from lifeboat.rescue.assess import assess

        return to_jsonable(assess(scenario))

    @app.get("/report/{scenario}", response_class=HTMLResponse)
    def report(scenario: str) -> str:
        from lifeboat.report.html import render_assessment
        from lifeboat.rescue.assess import assess

        return render_assessment(assess(scenario))

    return app
