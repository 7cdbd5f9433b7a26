"""The API documentation page, rendered on the server from the OpenAPI document.

Swagger UI and ReDoc load their scripts from a CDN, so they are blank offline. This page is plain
HTML built from ``app.openapi()`` (every path, its parameters with types and limits, the request
bodies and responses); the machine-readable document stays at ``/openapi.json``.
"""

from __future__ import annotations

from html import escape
from typing import Any


def _schema_text(schema: dict[str, Any], components: dict[str, Any]) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_schema_text(s, components) for s in schema["anyOf"])
    kind = schema.get("type", "")
    if kind == "array":
        kind = f"array of {_schema_text(schema.get('items', {}), components) or 'values'}"
    limits = []
    for key, label in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"),
                       ("exclusiveMaximum", "<"), ("maxLength", "length ≤")):
        if key in schema:
            limits.append(f"{label} {schema[key]}")
    if "enum" in schema:
        limits.append("one of " + ", ".join(map(str, schema["enum"])))
    if "default" in schema and schema["default"] is not None:
        limits.append(f"default {schema['default']}")
    return kind + (f" ({'; '.join(limits)})" if limits else "")


def render_docs(openapi: dict[str, Any]) -> str:
    components = openapi.get("components", {}).get("schemas", {})
    info = openapi.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(info.get('title', 'API'))} API</title>",
        "<link rel='stylesheet' href='/static/app.css'></head><body class='docs'>",
        f"<h1>{escape(info.get('title', ''))} {escape(info.get('version', ''))}: HTTP API</h1>",
        f"<p>{escape(info.get('description', ''))}</p>",
        "<p>Machine-readable: <a href='/openapi.json'>/openapi.json</a> (OpenAPI "
        f"{escape(openapi.get('openapi', ''))}). Errors always have the body "
        "<code>{\"error\": message, \"status\": code, \"code\": kind, \"source\", \"where\", "
        "\"param\"}</code>; 422 is bad input, 404 an unknown id, 503 a full queue "
        "(retry after the <code>Retry-After</code> seconds).</p>",
        "<nav><ul>",
    ]
    paths = openapi.get("paths", {})
    for path, methods in paths.items():
        for method in methods:
            anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
            parts.append(f"<li><a href='#{escape(anchor)}'><code>{method.upper()} "
                         f"{escape(path)}</code></a></li>")
    parts.append("</ul></nav>")
    for path, methods in paths.items():
        for method, op in methods.items():
            anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
            parts.append(f"<section class='op' id='{escape(anchor)}'>")
            parts.append(f"<h2><code>{method.upper()} {escape(path)}</code></h2>")
            if op.get("summary"):
                parts.append(f"<p><b>{escape(op['summary'])}</b></p>")
            if op.get("description"):
                for para in op["description"].split("\n\n"):
                    parts.append(f"<p>{escape(para)}</p>")
            params = op.get("parameters", [])
            if params:
                parts.append("<table><tr><th>parameter</th><th>in</th><th>required</th>"
                             "<th>type and limits</th><th>description</th></tr>")
                for p in params:
                    parts.append(
                        f"<tr><td><code>{escape(p['name'])}</code></td><td>{escape(p.get('in', ''))}</td>"
                        f"<td>{'yes' if p.get('required') else 'no'}</td>"
                        f"<td>{escape(_schema_text(p.get('schema', {}), components))}</td>"
                        f"<td>{escape(p.get('description', '') or p.get('schema', {}).get('description', ''))}</td></tr>")
                parts.append("</table>")
            body = op.get("requestBody")
            if body:
                types = ", ".join(body.get("content", {}))
                parts.append(f"<p>Request body: <code>{escape(types)}</code>"
                             f"{' (required)' if body.get('required') else ''}</p>")
            responses = op.get("responses", {})
            if responses:
                parts.append("<p>Responses: " + ", ".join(
                    f"<b>{escape(code)}</b> {escape(r.get('description', ''))}"
                    for code, r in responses.items()) + "</p>")
            parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)
