"""Scenarios and architectures the web app may compute on: the built-in ones and uploads.

An id taken from a URL is looked up among the built-in items and the uploads kept in memory; it
is never opened as a path. Uploaded files are validated like the CLI validates a file (schema,
then every catalog reference) and kept under ``upload-<hash of the text>``, so the same upload
gets the same id and a shareable URL within the server's life.
"""

from __future__ import annotations

import hashlib
import re
import threading
import tomllib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any

from pydantic import ValidationError

from lifeboat.errors import InputError, from_validation_error

MAX_UPLOAD_BYTES = 256 * 1024  # a scenario is a few kB; this bounds memory per upload
MAX_UPLOADS = 200  # kept per kind, least recently used first out


@dataclass(frozen=True)
class Item:
    id: str
    kind: str  # "scenario" or "architecture"
    builtin: bool
    toml: str
    data: dict[str, Any]  # the TOML as parsed (datetimes as datetime)
    value: Any  # the validated Scenario or Architecture


def upload_id(text: str) -> str:
    return "upload-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_toml(text: str, *, source: str) -> dict[str, Any]:
    """TOML text to a dict; a syntax error names its line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        where = f"line {match.group(1)}" if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or "invalid TOML"
        raise InputError(f"not valid TOML: {message}", source=source, where=where) from None


def validate_scenario(data: dict[str, Any], *, source: str):
    """A :class:`~lifeboat.model.scenario.Scenario` from parsed data, checked like the CLI checks
    a file, with every architecture a built-in one and no element-set file (an id or a name in
    an upload is never read as a path on the server)."""
    from lifeboat.model.scenario import Scenario, validate_references
    from lifeboat.risk.model import list_architectures

    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source=source) from None
    if scenario.station.elements_file is not None:  # checked before anything looks for the file
        raise InputError("the web app never reads files on the server: give the station's element set "
                         "in the scenario (station.tle), or run the scenario with the CLI or lifeboat.api",
                         source=source, where="station.elements_file")
    validate_references(scenario, source=source)
    known = list_architectures()
    for i, arch in enumerate(scenario.architectures):
        if arch not in known:
            raise InputError(f"unknown architecture {arch!r}; expected one of {', '.join(known)}",
                             source=source, where=f"architectures[{i}]")
    return scenario


def validate_architecture(data: dict[str, Any], *, source: str):
    from lifeboat.risk.model import architecture_from_dict

    return architecture_from_dict(data, source=source)


def decode_upload(raw: bytes, *, source: str) -> str:
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InputError(f"the file is {len(raw):,} bytes; expected at most {MAX_UPLOAD_BYTES:,}",
                         source=source)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("expected a UTF-8 text (TOML) file", source=source) from None


class Items:
    """Built-in and uploaded scenarios and architectures, looked up by id only."""

    def __init__(self, max_uploads: int = MAX_UPLOADS):
        self.max_uploads = max_uploads
        self._uploads: dict[str, OrderedDict[str, Item]] = {"scenario": OrderedDict(),
                                                            "architecture": OrderedDict()}
        self._builtin: dict[tuple[str, str], Item] = {}
        self._lock = threading.Lock()

    # -- built-ins -------------------------------------------------------------------------

    @staticmethod
    def builtin_ids(kind: str) -> list[str]:
        if kind == "scenario":
            from lifeboat.model.scenario import builtin_scenarios

            return builtin_scenarios()
        from lifeboat.risk.model import list_architectures

        return list_architectures()

    def _load_builtin(self, kind: str, item_id: str) -> Item:
        key = (kind, item_id)
        if key not in self._builtin:
            if kind == "scenario":
                text = resources.files("lifeboat.scenarios").joinpath(f"{item_id}.toml").read_text("utf-8")
            else:
                text = resources.files("lifeboat.risk").joinpath("architectures", f"{item_id}.toml").read_text("utf-8")
            source = f"built-in {kind} {item_id}"
            data = parse_toml(text, source=source)
            if kind == "architecture":
                data.setdefault("id", item_id)
            value = validate_scenario(data, source=source) if kind == "scenario" \
                else validate_architecture(data, source=source)
            self._builtin[key] = Item(item_id, kind, True, text, data, value)
        return self._builtin[key]

    # -- lookups ---------------------------------------------------------------------------

    def get(self, kind: str, item_id: str, *, param: str) -> Item:
        """The item with this id, or :class:`InputError` naming ``param``."""
        if item_id in self.builtin_ids(kind):
            return self._load_builtin(kind, item_id)
        with self._lock:
            item = self._uploads[kind].get(item_id)
            if item is not None:
                self._uploads[kind].move_to_end(item_id)
                return item
        raise InputError(f"no built-in or uploaded {kind} {item_id!r}; built-ins: "
                         f"{', '.join(self.builtin_ids(kind))}", param=param)

    def listing(self, kind: str) -> list[dict[str, Any]]:
        rows = []
        for item_id in self.builtin_ids(kind):
            item = self._load_builtin(kind, item_id)
            rows.append({"id": item_id, "title": item.value.title, "builtin": True})
        with self._lock:
            uploads = list(self._uploads[kind].values())
        rows += [{"id": i.id, "title": i.value.title, "builtin": False} for i in uploads]
        return rows

    # -- uploads ---------------------------------------------------------------------------

    def parse(self, kind: str, text: str, *, source: str) -> Item:
        """Validate ``text`` as a ``kind`` file (does not keep it)."""
        data = parse_toml(text, source=source)
        if kind == "scenario":
            value = validate_scenario(data, source=source)
        else:
            data.setdefault("id", upload_id(text))  # as the CLI names a file without an id
            value = validate_architecture(data, source=source)
        return Item(upload_id(text), kind, False, text, data, value)

    def add(self, kind: str, text: str, *, source: str) -> Item:
        """Validate and keep an uploaded file; returns the stored item."""
        item = self.parse(kind, text, source=source)
        with self._lock:
            uploads = self._uploads[kind]
            uploads[item.id] = item
            uploads.move_to_end(item.id)
            while len(uploads) > self.max_uploads:
                uploads.popitem(last=False)
        return item


# -- writing TOML (the form edits JSON; the editor shows TOML) -------------------------------

_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(name: str) -> str:
    return name if _BARE_KEY.match(name) else _string(name)


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _value(value: Any, key: str = "") -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InputError("expected a finite number", where=key or None)
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        # Times stay TOML datetimes: the form sends them back as ISO strings with a zone.
        if _DATETIME.match(value):
            return value
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v, key) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(v, k)}" for k, v in value.items()
                               if v is not None) + "}"
    raise InputError(f"cannot write a {type(value).__name__} to TOML", where=key or None)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def to_toml(data: dict[str, Any]) -> str:
    """TOML text for a scenario- or architecture-shaped dict (``None`` values are left out)."""
    lines: list[str] = []

    def table(prefix: str, body: dict[str, Any]) -> None:
        for k, v in body.items():
            if v is None or isinstance(v, dict) or _is_table_array(v):
                continue
            lines.append(f"{_key(k)} = {_value(v, k)}")
        for k, v in body.items():
            name = f"{prefix}.{_key(k)}" if prefix else _key(k)
            if isinstance(v, dict):
                lines.extend(["", f"[{name}]"])
                table(name, v)
            elif _is_table_array(v):
                for element in v:
                    lines.extend(["", f"[[{name}]]"])
                    for ek, ev in element.items():
                        if ev is not None:
                            lines.append(f"{_key(ek)} = {_value(ev, ek)}")

    table("", data)
    return "\n".join(lines).strip() + "\n"
