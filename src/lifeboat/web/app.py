"""The web application: one page (``static/``), a JSON API over the services, HTML reports.

Every JSON answer is what the matching CLI command prints with ``--json`` (both go through
``cli.common.to_jsonable``). Every error has one body format (:func:`error_body`). Computations
run on :class:`~lifeboat.web.jobs.JobRunner` threads, never on the event loop, through a bounded
queue (HTTP 503 when full), and are cached by a hash of their inputs. Ids in URLs name built-in
or uploaded items only (:mod:`lifeboat.web.items`), never files.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from lifeboat import __version__
from lifeboat.errors import InputError
from lifeboat.jsonable import to_jsonable
from lifeboat.web.docs import render_docs
from lifeboat.web.items import MAX_UPLOAD_BYTES, Items, decode_upload, to_toml
from lifeboat.web.jobs import Job, JobRunner, QueueFull

log = logging.getLogger("lifeboat.web")

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
RETRY_AFTER_S = 5


@dataclass(frozen=True)
class Limits:
    """Work one request may ask for; more is refused with a 422 naming the parameter."""

    max_trials: int = 1_000_000  # Monte Carlo trials per architecture (about 15 s on one core)
    max_total_trials: int = 2_000_000  # trials x architectures (or sweep points) per request
    max_days: float = 30.0  # search spans for windows and landings
    max_sweep_points: int = 12


class NotFound(InputError):
    """An id from the URL that names no built-in or uploaded item (HTTP 404)."""


def error_body(status: int, code: str, message: str, *, source: str | None = None,
               where: str | None = None, param: str | None = None) -> dict[str, Any]:
    """The one error format: ``error`` is the same one line the CLI prints."""
    return {"error": message, "status": status, "code": code, "source": source, "where": where,
            "param": param}


def _error_response(status: int, code: str, message: str, headers=None, **where) -> JSONResponse:
    return JSONResponse(error_body(status, code, message, **where), status_code=status, headers=headers)


def json_bytes(value: Any) -> bytes:
    return json.dumps(to_jsonable(value), separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _json(content: bytes, status: int = 200, headers=None) -> Response:
    return Response(content, status_code=status, media_type="application/json", headers=headers)


# -- security: headers, Host and Origin -----------------------------------------------------

APP_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
           "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
# The report is one self-contained file with inline scripts; it may not talk to anything.
REPORT_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
              "img-src data: blob:; font-src data:; base-uri 'none'; frame-ancestors 'self'; "
              "form-action 'none'")
COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(value: str) -> str:
    """``example.org:8000`` or ``[::1]:8000`` -> the host name, lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class SecurityMiddleware:
    """Security headers on every answer; a Host check (DNS rebinding) on every request and an
    Origin check on every request that changes state."""

    def __init__(self, app, allowed_hosts: set[str]):
        self.app = app
        self.allowed_hosts = allowed_hosts

    def _allowed(self, host: str) -> bool:
        return _host_name(host) in self.allowed_hosts or _is_loopback(_host_name(host))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = None
        if not self._allowed(headers.get("host", "")):
            problem = f"host {headers.get('host', '')!r} is not served here (start the server with --allow-host)"
        elif scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin is not None and (origin == "null" or not self._allowed(urlsplit(origin).netloc)):
                problem = f"cross-origin request from {origin!r} refused"
            elif headers.get("sec-fetch-site") == "cross-site":
                problem = "cross-site request refused"
        if problem is not None:
            response = _error_response(403, "forbidden", problem)
            return await response(scope, receive, self._wrap(send, scope["path"]))
        return await self.app(scope, receive, self._wrap(send, scope["path"]))

    @staticmethod
    def _wrap(send, path: str):
        csp = REPORT_CSP if path.startswith("/report/") else APP_CSP
        api = path.startswith("/api/")

        async def wrapped(message):
            if message["type"] == "http.response.start":
                extra = list(COMMON_HEADERS) + [(b"content-security-policy", csp.encode())]
                if not path.startswith("/report/"):
                    extra.append((b"x-frame-options", b"DENY"))
                if api:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        return wrapped


# -- reading a scenario or architecture from a request --------------------------------------

async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise InputError(f"the request body is {int(declared):,} bytes; expected at most {limit:,}",
                         source="request body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InputError(f"the request body exceeds {limit:,} bytes", source="request body")
        chunks.append(chunk)
    return b"".join(chunks)


def _multipart_field(raw: bytes, content_type: str, field: str) -> tuple[bytes, str]:
    """The bytes and file name of one field of a multipart/form-data body."""
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw)
    if not message.is_multipart():
        raise InputError("expected a multipart/form-data body", source="request body")
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == field:
            return part.get_payload(decode=True) or b"", part.get_filename() or field
    raise InputError(f"expected a file field named {field!r}", source="request body", where=field)


async def read_upload(request: Request, field: str) -> tuple[str, str]:
    """(TOML text, source name) from a TOML body, a JSON body (the form) or a multipart field."""
    content_type = request.headers.get("content-type", "")
    kind = content_type.split(";")[0].strip().lower()
    raw = await _read_body(request, MAX_UPLOAD_BYTES * 2)
    if kind == "multipart/form-data":
        data, name = _multipart_field(raw, content_type, field)
        return decode_upload(data, source=name), name
    if kind == "application/json":
        try:
            obj = json.loads(raw or b"null")
        except ValueError as exc:
            raise InputError(f"not valid JSON: {exc}", source="request body") from None
        if not isinstance(obj, dict):
            raise InputError(f"expected a JSON object ({field})", source="request body")
        return to_toml(obj), "form"
    return decode_upload(raw, source="request body"), "request body"


# -- the application ----------------------------------------------------------------------------

def create_app(*, host: str = "127.0.0.1", allowed_hosts: tuple[str, ...] = (), workers: int = 2,
               max_active: int = 8, cache_size: int = 32, limits: Limits | None = None,
               warm_up: bool = False) -> FastAPI:
    """Build the application. ``host`` is the address it is bound to; requests must name it,
    a loopback name or one of ``allowed_hosts`` in their Host header. With ``warm_up`` the
    server imports the services, loads the catalog and the compiled risk kernel before it
    accepts requests, so the first user does not wait for them."""
    limits = limits or Limits()
    runner = JobRunner(workers=workers, max_active=max_active, cache_size=cache_size)
    items = Items()

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        if warm_up:
            await asyncio.to_thread(_warm_up, items)
        yield
        runner.shutdown()

    app = FastAPI(title="Lifeboat", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Who can bring a station crew home, how soon, and what a second crew "
                              "transport buys in safety: the same services as the lifeboat CLI.")
    app.state.runner, app.state.items, app.state.limits = runner, items, limits
    hosts = {h.lower() for h in allowed_hosts} | ({host.lower()} if host not in ("0.0.0.0", "::") else set())
    app.add_middleware(SecurityMiddleware, allowed_hosts=hosts)
    _install_error_handlers(app)
    _install_pages(app)
    app.include_router(_api(runner, items, limits))
    return app


def _warm_up(items: Items) -> None:
    from lifeboat.catalog import load_catalog
    from lifeboat.ephemeris import de421, timescale
    from lifeboat.report.html import catalog_digest, plotly_js
    from lifeboat.rescue.assess import assess  # noqa: F401  (imports every service)
    from lifeboat.risk.engine import run_risk

    load_catalog()
    timescale()
    de421()
    items.listing("scenario")
    items.listing("architecture")
    plotly_js()
    catalog_digest()
    run_risk(items.get("architecture", items.builtin_ids("architecture")[0], param="architecture").value,
             trials=1000, seed=0)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def _not_found(_request, exc: NotFound):
        return _error_response(404, "not_found", str(exc), source=exc.source, where=exc.where,
                               param=exc.param)

    @app.exception_handler(InputError)
    async def _input_error(_request, exc: InputError):
        return _error_response(422, "invalid_input", str(exc), source=exc.source, where=exc.where,
                               param=exc.param)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request, exc: RequestValidationError):
        first = exc.errors()[0]
        loc = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body")]
        param = loc[0] if loc else None
        given = first.get("input")
        message = first.get("msg", "invalid value")
        if given is not None and not isinstance(given, dict | list):
            message += f" (got {given!r})"
        return _error_response(422, "invalid_input", f"{param}: {message}" if param else message,
                               param=param)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(QueueFull)
    async def _busy(_request, exc: QueueFull):
        return _error_response(503, "busy", f"the server is busy: {exc}; retry in {RETRY_AFTER_S} s",
                               headers={"Retry-After": str(RETRY_AFTER_S)})

    @app.exception_handler(Exception)
    async def _internal(_request, exc: Exception):
        log.exception("internal error", exc_info=exc)
        return _error_response(500, "internal", f"internal error ({type(exc).__name__}); see the server log")


def _install_pages(app: FastAPI) -> None:
    static = resources.files("lifeboat.web").joinpath("static")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(static.joinpath("index.html").read_text("utf-8"))

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_script() -> Response:
        from lifeboat.report.html import plotly_js

        return Response(plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(render_docs(app.openapi()))

    app.mount("/static", StaticFiles(directory=str(static)), name="static")


async def _finished(job: Job) -> Job:
    if job.finished_s is None:
        await asyncio.wrap_future(job.future)
    if job.error is not None:
        raise job.error
    return job


def _job_status(runner: JobRunner, job: Job) -> dict[str, Any]:
    import time

    end = job.finished_s or time.monotonic()
    status = {
        "id": job.id, "kind": job.kind, "status": job.status, "inputs": job.inputs,
        "done": job.done, "total": job.total, "queued_ahead": runner.queued_ahead(job),
        "elapsed_s": round(end - (job.started_s or end), 3),
        "result_url": f"/api/jobs/{job.id}/result",
    }
    if job.kind == "assess":
        status["report_url"] = _report_url(job.inputs)
    if job.error is not None:
        e = job.error
        status["error"] = error_body(422, "invalid_input", str(e), source=e.source, where=e.where,
                                     param=e.param)
    return status


def _report_url(inputs: dict[str, Any]) -> str:
    return f"/report/{inputs['scenario']}?trials={inputs['trials']}&seed={inputs['seed']}"


def _api(runner: JobRunner, items: Items, limits: Limits) -> APIRouter:
    api = APIRouter()

    def check_trials(trials: int, runs: int = 1, param: str = "trials") -> None:
        if not 1 <= trials <= limits.max_trials:
            raise InputError(f"expected 1 to {limits.max_trials:,} trials per request on this server, "
                             f"got {trials:,}", param=param)
        if trials * runs > limits.max_total_trials:
            raise InputError(f"{trials:,} trials x {runs} runs exceeds this server's limit of "
                             f"{limits.max_total_trials:,} trials per request", param=param)

    def check_days(days: float) -> None:
        if not 0 < days <= limits.max_days:
            raise InputError(f"expected more than 0 and at most {limits.max_days:g} days, got {days:g}",
                             param="days")

    def item(kind: str, item_id: str, param: str):
        try:
            return items.get(kind, item_id, param=param)
        except InputError as exc:
            raise NotFound(exc.message, param=param) from None

    def assess_job(scenario_id: str, trials: int, seed: int) -> Job:
        from lifeboat.rescue.assess import assess

        scenario = item("scenario", scenario_id, "scenario").value
        check_trials(trials, max(1, len(scenario.architectures)))
        inputs = {"scenario": scenario_id, "trials": trials, "seed": seed, "version": __version__}
        return runner.submit("assess", inputs,
                             lambda _p: assess(scenario, risk_trials=trials, risk_seed=seed))

    def assess_json(job: Job) -> bytes:
        def make() -> bytes:
            import dataclasses

            a = job.value
            fields = {f.name: getattr(a, f.name) for f in dataclasses.fields(a)}
            return json_bytes({"report_path": _report_url(job.inputs), **fields})

        return job.derived("json", make)

    async def result_json(kind: str, inputs: dict, work) -> Response:
        job = await _finished(runner.submit(kind, {**inputs, "version": __version__}, work))
        return _json(job.derived("json", lambda: json_bytes(job.value)))

    # -- status and catalog ------------------------------------------------------------------

    @api.get("/api/status", summary="Server version, limits and queue")
    def status() -> dict:
        return {"version": __version__, "workers": runner.workers, "max_active": runner.max_active,
                "active": runner.active(), "limits": asdict(limits)}

    def catalog_kind_name(kind: str) -> str:
        from lifeboat.catalog import resolve_kind

        try:
            return resolve_kind(kind)
        except InputError as exc:
            raise NotFound(exc.message, param="kind") from None

    @api.get("/api/catalog/{kind}", summary="Every record of one catalog kind, with sources")
    def catalog_kind(kind: str):
        from lifeboat.catalog import load_catalog

        return to_jsonable(list(getattr(load_catalog(), catalog_kind_name(kind)).values()))

    @api.get("/api/catalog/{kind}/{record_id}", summary="One catalog record")
    def catalog_record(kind: str, record_id: str):
        from lifeboat.catalog import load_catalog

        name = catalog_kind_name(kind)
        try:
            return to_jsonable(load_catalog().get(name, record_id))
        except InputError as exc:
            raise NotFound(exc.message, param="record_id") from None

    # -- scenarios and architectures: built-in and uploaded ----------------------------------

    @api.get("/api/schema/scenario", summary="JSON Schema of a scenario file")
    def scenario_schema() -> dict:
        from lifeboat.model.scenario import scenario_json_schema

        return scenario_json_schema()

    for kind, plural in (("scenario", "scenarios"), ("architecture", "architectures")):
        _item_routes(api, items, kind, plural, item)

    # -- assessment --------------------------------------------------------------------------

    @api.post("/api/assess", summary="Assess an uploaded scenario (same JSON as `lifeboat assess --json`)",
              description="The body is the scenario: TOML (any text content type), a multipart/form-data "
                          "file field `scenario`, or the scenario as a JSON object. The scenario is kept "
                          "as an upload; `report_path` is the URL of its HTML report.",
              responses={422: {"description": "bad scenario: the file and field, and what was expected"}})
    async def assess_upload(request: Request, trials: int = 200_000, seed: int = 2018) -> Response:
        text, source = await read_upload(request, "scenario")
        stored = items.add("scenario", text, source=source)
        job = await _finished(assess_job(stored.id, trials, seed))
        return _json(assess_json(job))

    @api.get("/api/assess/{scenario}", summary="Assess a built-in or uploaded scenario")
    async def assess_by_id(scenario: str, trials: int = 200_000, seed: int = 2018) -> Response:
        job = await _finished(assess_job(scenario, trials, seed))
        return _json(assess_json(job))

    @api.get("/report/{scenario}", response_class=HTMLResponse,
             summary="The HTML report of a built-in or uploaded scenario (cached)")
    async def report(scenario: str, trials: int = 200_000, seed: int = 2018,
                     download: bool = False) -> Response:
        from lifeboat.report.html import render_assessment

        job = await _finished(assess_job(scenario, trials, seed))
        html = await asyncio.to_thread(job.derived, "report", lambda: render_assessment(
            job.value, scenario_sha256=_scenario_digest(items, scenario)).encode("utf-8"))
        headers = {"Content-Disposition": f'attachment; filename="lifeboat-{scenario}.html"'} if download else None
        return Response(html, media_type="text/html; charset=utf-8", headers=headers)

    # -- jobs: the app starts long work here and polls its progress --------------------------

    @api.post("/api/jobs", status_code=202, summary="Start an assessment, a comparison or a sweep",
              description='JSON body: {"kind": "assess", "scenario": ID, "trials": N, "seed": S}, '
                          '{"kind": "compare", "architectures": [ID, ...], "baseline": ID, "trials": N, '
                          '"seed": S} (baseline: default the first architecture) or '
                          '{"kind": "sweep", "architecture": ID, "parameter": "dotted.path", '
                          '"values": [..], "trials": N, "seed": S}. Answers at once with the job; poll '
                          'GET /api/jobs/{id} for progress.')
    async def start_job(request: Request) -> JSONResponse:
        try:
            body = json.loads(await _read_body(request, 64 * 1024) or b"{}")
        except ValueError as exc:
            raise InputError(f"not valid JSON: {exc}", source="request body") from None
        if not isinstance(body, dict):
            raise InputError("expected a JSON object", source="request body")
        kind = body.get("kind")
        trials, seed = _int(body, "trials", 200_000), _int(body, "seed", 2018)
        if kind == "assess":
            job = assess_job(str(body.get("scenario", "")), trials, seed)
        elif kind == "compare":
            ids = _str_list(body, "architectures")
            baseline = body.get("baseline")
            job = compare_job(ids, trials, seed, None if baseline is None else str(baseline))
        elif kind == "sweep":
            job = sweep_job(str(body.get("architecture", "")), str(body.get("parameter", "")),
                            body.get("values"), trials, seed)
        else:
            raise InputError(f"unknown job kind {kind!r}; expected assess, compare or sweep",
                             source="request body", where="kind")
        return JSONResponse(_job_status(runner, job), status_code=202)

    @api.get("/api/jobs/{job_id}", summary="Progress of a job")
    def job_status(job_id: str) -> dict:
        job = runner.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r} (finished jobs are kept for a while, then dropped)",
                           param="job_id")
        return _job_status(runner, job)

    @api.get("/api/jobs/{job_id}/result", summary="Result of a finished job (the CLI's --json)")
    async def job_result(job_id: str) -> Response:
        job = runner.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}", param="job_id")
        job = await _finished(job)
        if job.kind == "assess":
            return _json(assess_json(job))
        return _json(job.derived("json", lambda: json_bytes(job.value)))

    @api.get("/api/jobs/{job_id}/figures", summary="The figures of a finished assessment (plotly JSON)")
    async def job_figures(job_id: str) -> Response:
        from lifeboat.report.html import assessment_figures

        job = runner.get(job_id)
        if job is None or job.kind != "assess":
            raise NotFound(f"no assessment job {job_id!r}", param="job_id")
        job = await _finished(job)
        return _json(job.derived("figures", lambda: json_bytes(assessment_figures(job.value))))

    @api.get("/api/jobs/{job_id}/summary", summary="The executive summary of a finished assessment")
    async def job_summary(job_id: str) -> dict:
        from lifeboat.report.html import crew_size, executive_summary

        job = runner.get(job_id)
        if job is None or job.kind != "assess":
            raise NotFound(f"no assessment job {job_id!r}", param="job_id")
        job = await _finished(job)
        return job.derived("summary", lambda: {
            **executive_summary(job.value),
            "crew_sizes": {r.architecture: crew_size(r) for r in job.value.risk}})

    # -- risk ----------------------------------------------------------------------------------

    def compare_job(architecture_ids: list[str], trials: int, seed: int,
                    baseline: str | None = None) -> Job:
        """Architectures on common random numbers, with every other one's paired differences
        from ``baseline`` (an id among them; default the first), as ``lifeboat compare
        --baseline`` gives them."""
        from lifeboat.risk.engine import compare_paired

        if not architecture_ids:
            raise InputError("expected at least one architecture", param="architecture")
        archs = [item("architecture", a, "architecture").value for a in architecture_ids]
        check_trials(trials, len(archs))
        ids = [a.id for a in archs]
        if baseline is None:
            baseline = ids[0]
        elif baseline in architecture_ids:
            baseline = ids[architecture_ids.index(baseline)]
        else:
            raise InputError(f"the baseline {baseline!r} is not among the architectures "
                             f"({', '.join(architecture_ids)})", param="baseline")
        inputs = {"architectures": architecture_ids, "baseline": baseline, "trials": trials,
                  "seed": seed, "version": __version__}
        return runner.submit("compare", inputs, lambda progress: compare_paired(
            archs, baseline=baseline, trials=trials, seed=seed, progress=progress))

    def sweep_job(architecture_id: str, parameter: str, values, trials: int, seed: int) -> Job:
        from lifeboat.web.sweep import check_sweep, run_small_sweep

        base = item("architecture", architecture_id, "architecture").value
        if not isinstance(values, list) or not values:
            raise InputError("expected a list of values", param="values")
        if len(values) > limits.max_sweep_points:
            raise InputError(f"expected at most {limits.max_sweep_points} values, got {len(values)}",
                             param="values")
        check_trials(trials, len(values))
        check_sweep(base, parameter, values)
        inputs = {"architecture": architecture_id, "parameter": parameter, "values": values,
                  "trials": trials, "seed": seed, "version": __version__}
        return runner.submit("sweep", inputs, lambda progress: run_small_sweep(
            base, parameter, values, trials=trials, seed=seed, progress=progress))

    @api.get("/api/risk/{architecture}", summary="Monte Carlo risk of one architecture")
    async def risk(architecture: str, trials: int = 200_000, seed: int = 1) -> Response:
        from lifeboat.risk.engine import run_risk

        arch = item("architecture", architecture, "architecture").value
        check_trials(trials)
        return await result_json("risk", {"architecture": architecture, "trials": trials, "seed": seed},
                                 lambda p: run_risk(arch, trials=trials, seed=seed, progress=p))

    @api.get("/api/compare", summary="Several architectures with the same trials and seed")
    async def compare_endpoint(architecture: Annotated[list[str], Query(description="repeat for each")],
                               trials: int = 200_000, seed: int = 1,
                               baseline: str | None = None) -> Response:
        job = await _finished(compare_job(architecture, trials, seed, baseline))
        return _json(job.derived("json", lambda: json_bytes(job.value)))

    # -- orbits, cabin, history, lunar ---------------------------------------------------------

    @api.get("/api/windows", summary="Launch opportunities from a site into a station's plane")
    async def windows(site: str, station: str, time: str,
                      days: float = 3.0, vehicle: str | None = None) -> Response:
        from lifeboat.catalog import load_catalog
        from lifeboat.orbits.station import StationOrbit
        from lifeboat.orbits.windows import launch_opportunities
        from lifeboat.timeutil import parse_utc

        start = parse_utc(time, source="time")
        check_days(days)
        load_catalog().get("sites", site, source="site")

        def work(_p):
            orbit = StationOrbit.from_catalog(station, reference_utc=start)
            return launch_opportunities(site, orbit, start, days, vehicle_id=vehicle)

        return await result_json("windows", {"site": site, "station": station, "time": start.isoformat(),
                                             "days": days, "vehicle": vehicle}, work)

    @api.get("/api/landings", summary="Deorbit opportunities into a vehicle's recovery zones")
    async def landings(vehicle: str, station: str, time: str, days: float = 2.0,
                       daylight: bool = False,
                       zone: Annotated[list[str] | None, Query()] = None) -> Response:
        from lifeboat.catalog import load_catalog
        from lifeboat.orbits.landings import landing_opportunities
        from lifeboat.orbits.station import StationOrbit
        from lifeboat.timeutil import parse_utc

        load_catalog().get("vehicles", vehicle, source="vehicle")
        start = parse_utc(time, source="time")
        check_days(days)

        def work(_p):
            orbit = StationOrbit.from_catalog(station, reference_utc=start)
            return landing_opportunities(vehicle, orbit, start, days=days, daylight_only=daylight,
                                         zone_ids=zone or None, station_id=station)

        return await result_json("landings", {"vehicle": vehicle, "station": station, "days": days,
                                              "time": start.isoformat(), "daylight": daylight,
                                              "zone": zone}, work)

    @api.get("/api/leak", summary="Leak rate and reserve time for a hole in a station module")
    async def leak(station: str, hole_mm: float, cd: float = 0.6, module: str | None = None,
                   limit_mmhg: float = 490.0) -> Response:
        from lifeboat.cabin.leak import analyse_leak
        from lifeboat.cabin.network import station_network

        for name, value, lo, hi in (("hole_mm", hole_mm, 0, 1000), ("cd", cd, 0, 1),
                                    ("limit_mmhg", limit_mmhg, 0, 760)):
            if not lo < value <= hi:
                raise InputError(f"expected more than {lo:g} and at most {hi:g}, got {value:g}", param=name)

        def work(_p):
            return analyse_leak(station_network(station), hole_diameter_mm=hole_mm, cd=cd, module=module,
                                limit_mmhg=limit_mmhg)

        return await result_json("leak", {"station": station, "hole_mm": hole_mm, "cd": cd,
                                          "module": module, "limit_mmhg": limit_mmhg}, work)

    @api.get("/api/history", summary="The shipped incidents")
    def history_list():
        from lifeboat.rescue.history import list_incidents

        return to_jsonable(list_incidents())

    @api.get("/api/history/{incident}", summary="Replay one incident and compare with the record")
    async def history_replay(incident: str) -> Response:
        from lifeboat.rescue.history import incident_ids, replay

        if incident not in incident_ids():
            raise NotFound(f"unknown incident {incident!r}; expected one of {', '.join(incident_ids())}",
                           param="incident")
        return await result_json("replay", {"incident": incident}, lambda _p: replay(incident))

    @api.get("/api/nrho", summary="A halo / near-rectilinear halo orbit of the Earth-Moon CR3BP")
    async def nrho(family: str = "l2-south", period_days: float | None = None,
                   resonance: str | None = None, perilune_km: float | None = None) -> Response:
        from lifeboat.cislunar.halo import solve_nrho

        for name, value in (("period_days", period_days), ("perilune_km", perilune_km)):
            if value is not None and not value > 0:
                raise InputError(f"expected a positive number, got {value:g}", param=name)
        return await result_json(
            "nrho", {"family": family, "period_days": period_days, "resonance": resonance,
                     "perilune_km": perilune_km},
            lambda _p: solve_nrho(family, period_days=period_days, resonance=resonance,
                                  perilune_radius_km=perilune_km))

    @api.get("/api/gateway", summary="Earliest arrival at the Gateway (9:2 NRHO) and return to Earth")
    async def gateway(time: str, vehicle: str = "all", readiness_days: float | None = None,
                      perilune_epoch: str | None = None) -> Response:
        from lifeboat.cislunar import gateway as gw
        from lifeboat.timeutil import iso_z, parse_utc

        decision = parse_utc(time, source="time")
        if readiness_days is not None and not 0 <= readiness_days <= 365:
            raise InputError(f"expected 0 to 365 days, got {readiness_days:g}", param="readiness_days")
        perilune = gw.DEFAULT_REFERENCE_PERILUNE_UTC if perilune_epoch is None \
            else iso_z(parse_utc(perilune_epoch, source="perilune_epoch"))
        options = {"readiness_days": readiness_days or 0.0, "reference_perilune_utc": perilune}

        def work(_p):
            if vehicle == "all":
                return gw.gateway_access_all(iso_z(decision), **options)
            return gw.gateway_access(vehicle, iso_z(decision), **options)

        return await result_json("gateway", {"vehicle": vehicle, "time": decision.isoformat(),
                                             "readiness_days": readiness_days,
                                             "perilune_epoch": perilune}, work)

    return api


def _scenario_digest(items: Items, scenario_id: str) -> str:
    import hashlib

    text = items.get("scenario", scenario_id, param="scenario").toml
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _int(body: dict, key: str, default: int) -> int:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"expected an integer, got {value!r}", source="request body", where=key)
    return value


def _str_list(body: dict, key: str) -> list[str]:
    value = body.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("expected a list of ids", source="request body", where=key)
    return value


def _item_routes(api: APIRouter, items: Items, kind: str, plural: str, lookup) -> None:
    def view(it) -> dict:
        out = {"id": it.id, "builtin": it.builtin, "title": it.value.title, "toml": it.toml,
               kind: to_jsonable(it.data)}
        if kind == "architecture":
            from lifeboat.web.sweep import sweep_parameters

            out["parameters"] = sweep_parameters(it.value)
        return out

    async def upload(request: Request) -> JSONResponse:
        text, source = await read_upload(request, kind)
        return JSONResponse(view(items.add(kind, text, source=source)), status_code=201)

    async def validate(request: Request) -> dict:
        # The answer is the verdict: 200 with valid false and the error, so that an editor
        # checking as the user types does not log failed requests.
        text, source = await read_upload(request, kind)
        try:
            return {"valid": True, **view(items.parse(kind, text, source=source))}
        except InputError as exc:
            return {"valid": False, "error": error_body(422, "invalid_input", str(exc), source=exc.source,
                                                        where=exc.where, param=exc.param)}

    def listing() -> list:
        return items.listing(kind)

    def one(item_id: str) -> dict:
        return view(lookup(kind, item_id, kind))

    api.add_api_route(f"/api/{plural}", listing, methods=["GET"], summary=f"Built-in and uploaded {plural}")
    api.add_api_route(f"/api/{plural}", upload, methods=["POST"], status_code=201,
                      summary=f"Upload a {kind} (TOML body, multipart field `{kind}`, or JSON)",
                      responses={422: {"description": "the file and field, and what was expected"}})
    api.add_api_route(f"/api/{plural}/validate", validate, methods=["POST"],
                      summary=f"Check a {kind} without keeping it",
                      description='Answers {"valid": true, ...the item} or {"valid": false, "error": '
                                  '{...the error body}} (a body that cannot be read is still a 422).')
    api.add_api_route(f"/api/{plural}/{{item_id}}", one, methods=["GET"],
                      summary=f"One {kind}: its TOML and its data")
