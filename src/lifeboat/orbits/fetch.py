"""The one network access Lifeboat makes, and only when asked: current element sets from the
CelesTrak GP API (https://celestrak.org/NORAD/documentation/gp-data-formats.php) into a local
file, which every other command then reads offline.

The download is checked before anything is written: it must parse as element sets
(:func:`lifeboat.orbits.elements.parse_element_sets`, every field checked), and the file is
replaced atomically, so a failed or garbled download never leaves a half-written or empty file.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lifeboat.errors import InputError
from lifeboat.fileio import write_atomic
from lifeboat.orbits.elements import parse_element_sets

CELESTRAK_GP_URL = "https://celestrak.org/NORAD/elements/gp.php"
FORMATS = ("tle", "json", "xml", "csv")
_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FetchResult:
    """What was downloaded and written."""

    path: Path
    url: str
    format: str
    fetched_utc: datetime
    count: int  # element sets in the file
    satellites: list[str]  # "NAME (catalog number)", the first 20


def fetch_elements(
    out: str | Path,
    *,
    group: str | None = None,
    catnr: int | None = None,
    name: str | None = None,
    fmt: str = "tle",
    base_url: str = CELESTRAK_GP_URL,
    timeout_s: float = 30.0,
) -> FetchResult:
    """Download element sets (one of ``group``, ``catnr`` or ``name``, as the GP API's GROUP,
    CATNR and NAME queries) in ``fmt`` (tle, json, xml, csv; errors name it ``format``, the CLI option) and write them to ``out``."""
    queries = {"GROUP": group, "CATNR": catnr, "NAME": name}
    given = {k: v for k, v in queries.items() if v not in (None, "")}
    if len(given) != 1:
        raise InputError("give exactly one of group, catnr and name", param="group")
    if fmt not in FORMATS:
        raise InputError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}", param="format")
    if not timeout_s > 0:
        raise InputError(f"timeout must be positive, got {timeout_s:g}", param="timeout_s")
    if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
        raise InputError(f"base URL must be http or https, got {base_url!r}", param="base_url")
    url = f"{base_url}?{urllib.parse.urlencode({**given, 'FORMAT': fmt})}"
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            body = response.read(_MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(f"the server answered {exc.code} {exc.reason}", source=url) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"download failed ({reason})", source=url) from None
    if len(body) > _MAX_BYTES:
        raise InputError(f"the answer is larger than {_MAX_BYTES // 2**20} MiB; ask for less", source=url)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the answer is not UTF-8 text", source=url) from None
    try:
        sets = parse_element_sets(text, url)
    except InputError as exc:
        first = text.strip().splitlines()[0][:80] if text.strip() else "(empty)"
        raise InputError(f"the answer is not usable element sets ({exc.message}); it begins {first!r}",
                         source=url) from None
    path = write_atomic(out, text if text.endswith("\n") else text + "\n")
    return FetchResult(
        path=path, url=url, format=fmt, fetched_utc=datetime.now(UTC), count=len(sets),
        satellites=[f"{s.name} ({s.catalog_number})" for s in sets[:20]],
    )
