"""Element sets as users have them, and the one satellite a command needs.

Formats (detected from the content, not the file name):

* TLE text: two-line sets, each optionally after a name line (``0 NAME`` or ``NAME``), one or many
  satellites in a file (CelesTrak's ``FORMAT=tle``). Each set is checked field by field
  (:func:`lifeboat.orbits.station.StationOrbit.from_tle`), so a typo that keeps the checksum
  valid is refused.
* CCSDS OMM as CelesTrak serves it (``FORMAT=json``, ``xml``, ``csv``): the keyword/value fields
  of the Orbit Mean-Elements Message (CCSDS 502.0-B-3), initialised with ``sgp4.omm``. Every field
  is parsed and range-checked here first: ``sgp4.omm`` itself would turn a bad number into NaN.

:func:`parse_element_sets` reads the text, :func:`select_element_set` picks one satellite by
name or catalog number, :func:`orbit_from_file` does both and builds the
:class:`~lifeboat.orbits.station.StationOrbit` (its element-age limit applied).
:func:`station_or_file_orbit` is what every command and ``lifeboat.api`` function with a
``station``/``tle_file`` choice calls, so they read files alike and refuse alike.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from sgp4 import omm
from sgp4.api import Satrec

from lifeboat.errors import InputError
from lifeboat.fileio import read_text
from lifeboat.orbits.station import DEFAULT_MAX_TLE_AGE_DAYS, StationOrbit

# OMM keyword -> (lowest, highest) accepted value; None: no bound on that side.
_OMM_NUMBERS = {
    "MEAN_MOTION": (1e-3, 20.0),  # rev/day
    "ECCENTRICITY": (0.0, 0.999999),
    "INCLINATION": (0.0, 180.0),
    "RA_OF_ASC_NODE": (0.0, 360.0),
    "ARG_OF_PERICENTER": (0.0, 360.0),
    "MEAN_ANOMALY": (0.0, 360.0),
    "BSTAR": (-1.0, 1.0),
    "MEAN_MOTION_DOT": (-1.0, 1.0),
    "MEAN_MOTION_DDOT": (-1.0, 1.0),
}
# Whole-number keywords -> highest value sgp4 takes (NORAD_CAT_ID: Alpha-5 "Z9999").
_OMM_WHOLE = {"NORAD_CAT_ID": 339_999, "EPHEMERIS_TYPE": 9, "ELEMENT_SET_NO": 9999, "REV_AT_EPOCH": 10**9}
_OMM_DEFAULTS = {"CLASSIFICATION_TYPE": "U", "OBJECT_ID": "", "EPHEMERIS_TYPE": "0", "ELEMENT_SET_NO": "999",
                 "REV_AT_EPOCH": "0"}


@dataclass(frozen=True)
class ElementSet:
    """One satellite's element set from a file: a TLE (two lines) or OMM fields (strings)."""

    name: str
    catalog_number: int
    source: str  # file and position, for messages
    tle: tuple[str, str] | None = None
    omm: dict[str, str] | None = None

    def orbit(self, *, reference_utc: datetime | None = None,
              max_age_days: float = DEFAULT_MAX_TLE_AGE_DAYS) -> StationOrbit:
        """The station orbit (SGP4) of this element set, refused if older than ``max_age_days``
        at ``reference_utc``."""
        if self.tle is not None:
            try:
                return StationOrbit.from_tle(*self.tle, name=self.name, max_age_days=max_age_days,
                                             reference_utc=reference_utc)
            except InputError as exc:
                raise InputError(exc.message, source=self.source, where=exc.where) from None
        satrec = Satrec()
        omm.initialize(satrec, self.omm)
        return StationOrbit.from_satrec(satrec, name=self.name, label=self.source, max_age_days=max_age_days,
                                        reference_utc=reference_utc)


def _omm_fields(raw: dict, source: str) -> dict[str, str]:
    """OMM keywords as the strings ``sgp4.omm.initialize`` expects, every one checked."""
    if not isinstance(raw, dict):
        raise InputError(f"expected an OMM record (keyword: value), got {type(raw).__name__}", source=source)
    fields = {k: ("" if v is None else str(v).strip()) for k, v in raw.items()}
    for key, value in _OMM_DEFAULTS.items():
        if not fields.get(key):
            fields[key] = value
    missing = [k for k in ("NORAD_CAT_ID", "EPOCH", *_OMM_NUMBERS) if not fields.get(k)]
    if missing:
        raise InputError(f"OMM record lacks {', '.join(missing)}", source=source)
    for key, (low, high) in _OMM_NUMBERS.items():
        try:
            value = float(fields[key])
        except ValueError:
            raise InputError(f"{key} is {fields[key]!r}, not a number", source=source, where=key) from None
        if not math.isfinite(value) or not low <= value <= high:
            raise InputError(f"{key} {fields[key]} is outside [{low:g}, {high:g}]", source=source, where=key)
    for key, high in _OMM_WHOLE.items():
        if not (fields[key].isascii() and fields[key].isdigit()):
            raise InputError(f"{key} is {fields[key]!r}, not a whole number", source=source, where=key)
        if int(fields[key]) > high:
            raise InputError(f"{key} {fields[key]} is above {high}", source=source, where=key)
    if fields["CLASSIFICATION_TYPE"] not in ("U", "C", "S"):
        raise InputError(f"CLASSIFICATION_TYPE is {fields['CLASSIFICATION_TYPE']!r}; expected U, C or S",
                         source=source, where="CLASSIFICATION_TYPE")
    epoch = fields["EPOCH"].removesuffix("Z")
    try:
        parsed = datetime.fromisoformat(epoch)
    except ValueError:
        raise InputError(f"EPOCH is {fields['EPOCH']!r}, not an ISO 8601 time", source=source,
                         where="EPOCH") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    if not 1957 <= parsed.year <= 2100:
        raise InputError(f"EPOCH {fields['EPOCH']} is outside 1957-2100", source=source, where="EPOCH")
    fields["EPOCH"] = parsed.strftime("%Y-%m-%dT%H:%M:%S.%f")
    return fields


def _from_omm(records, source: str) -> list[ElementSet]:
    sets = []
    for k, raw in enumerate(records, start=1):
        where = f"{source} (record {k})"
        fields = _omm_fields(raw, where)
        sets.append(ElementSet(name=fields.get("OBJECT_NAME") or fields["NORAD_CAT_ID"],
                               catalog_number=int(fields["NORAD_CAT_ID"]), source=where, omm=fields))
    return sets


def _from_tle_text(lines: list[str], source: str) -> list[ElementSet]:
    sets, name, k = [], None, 0
    while k < len(lines):
        line = lines[k]
        if line.startswith("1 ") and k + 1 < len(lines) and lines[k + 1].startswith("2 "):
            number = line[2:7].strip()
            label = name or f"TLE {number}"
            sets.append(ElementSet(
                name=label, catalog_number=int(number) if number.isdigit() else -1,
                source=f"{source} (line {k + 1})", tle=(line, lines[k + 1]),
            ))
            name, k = None, k + 2
        elif name is None and not line.startswith(("1 ", "2 ")):
            name, k = line.removeprefix("0 ").strip(), k + 1
        else:
            raise InputError(
                f"line {k + 1} ({line[:24]!r}...) is not where a TLE line or a name line can be",
                source=source,
            )
    if name is not None:
        shown = f"{name[:40]!r}..." if len(name) > 40 else repr(name)
        raise InputError(f"name line {shown} is not followed by two TLE lines", source=source)
    return sets


def parse_element_sets(text: str, source: str = "elements") -> list[ElementSet]:
    """All element sets in a text: TLE (2/3-line, several), or OMM JSON, XML or CSV."""
    body = text.lstrip("\ufeff").strip()
    if not body:
        raise InputError("the file holds no element set", source=source)
    if body[0] in "[{":
        try:
            data = json.loads(body)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON ({exc.msg} at line {exc.lineno})", source=source) from None
        except RecursionError:
            raise InputError("not an OMM file: JSON nested too deeply", source=source) from None
        sets = _from_omm(data if isinstance(data, list) else [data], source)
    elif body.startswith("<"):
        try:
            records = list(omm.parse_xml(io.StringIO(body)))
        except ET.ParseError as exc:
            raise InputError(f"not a CCSDS OMM XML file ({exc})", source=source) from None
        except (AttributeError, TypeError):  # sgp4's reader meets a missing block
            raise InputError("not a CCSDS OMM XML file: a segment lacks its metadata, data, meanElements "
                             "or tleParameters", source=source) from None
        sets = _from_omm(records, source)
    elif "NORAD_CAT_ID" in body.splitlines()[0]:
        sets = _from_omm(list(csv.DictReader(io.StringIO(body))), source)
    else:
        sets = _from_tle_text([ln.rstrip() for ln in body.splitlines() if ln.strip()], source)
    if not sets:
        raise InputError("the file holds no element set", source=source)
    return sets


def select_element_set(sets: list[ElementSet], satellite: str | None = None, *, source: str = "elements") -> ElementSet:
    """The one element set a command needs: the only one, or the one whose catalog number is
    ``satellite`` (digits), or whose name is ``satellite`` (case-insensitive; a unique substring
    also matches)."""
    if satellite is None:
        if len(sets) == 1:
            return sets[0]
        listed = ", ".join(f"{s.name} ({s.catalog_number})" for s in sets[:5])
        more = f" and {len(sets) - 5} more" if len(sets) > 5 else ""
        raise InputError(f"the file holds {len(sets)} element sets ({listed}{more}); choose one by name or "
                         "catalog number", source=source, param="satellite")
    wanted = satellite.strip()
    if wanted.isdigit():
        found = [s for s in sets if s.catalog_number == int(wanted)]
    else:
        found = [s for s in sets if s.name.casefold() == wanted.casefold()]
        if not found:
            found = [s for s in sets if wanted.casefold() in s.name.casefold()]
    if len(found) == 1:
        return found[0]
    if not found:
        raise InputError(f"no element set named or numbered {wanted!r} among {len(sets)}", source=source,
                         param="satellite")
    raise InputError(f"{wanted!r} matches {len(found)} element sets ({', '.join(s.name for s in found[:5])}); "
                     "give the catalog number", source=source, param="satellite")


def orbit_from_file(path: str | os.PathLike[str], *, satellite: str | None = None, reference_utc: datetime | None = None,
                    max_age_days: float = DEFAULT_MAX_TLE_AGE_DAYS) -> StationOrbit:
    """The station orbit from an elements file (TLE or OMM), choosing ``satellite`` if it holds
    several satellites; refused if older than ``max_age_days`` at ``reference_utc``."""
    source = str(path)
    text = read_text(path, what="TLE or OMM elements")
    chosen = select_element_set(parse_element_sets(text, source), satellite, source=source)
    return chosen.orbit(reference_utc=reference_utc, max_age_days=max_age_days)




def _satellite(value: object) -> str | None:
    """A satellite name or catalog number as :func:`select_element_set` takes it."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    raise InputError(f"expected a satellite name or catalog number, got {value!r}", param="satellite")


def station_or_file_orbit(station: str | None = None, tle_file: str | os.PathLike[str] | None = None, *,
                          satellite: str | int | None = None, reference_utc: datetime | None = None,
                          max_age_days: float = DEFAULT_MAX_TLE_AGE_DAYS) -> StationOrbit:
    """The orbit of catalog ``station`` or from the elements file ``tle_file`` (exactly one),
    ``satellite`` choosing among the file's sets; refused if older than ``max_age_days`` at
    ``reference_utc``."""
    if (station is None) == (tle_file is None):
        raise InputError("give exactly one of `station` (a catalog id) and `tle_file` (an elements file)",
                         param="station")
    chosen = _satellite(satellite)
    if tle_file is None:
        if chosen is not None:
            raise InputError("`satellite` chooses among the element sets of `tle_file`", param="satellite")
        return StationOrbit.from_catalog(station, reference_utc=reference_utc, max_age_days=max_age_days)
    if not isinstance(tle_file, str | os.PathLike):
        raise InputError(f"expected a file path, got {tle_file!r}", param="tle_file")
    return orbit_from_file(tle_file, satellite=chosen, reference_utc=reference_utc, max_age_days=max_age_days)
