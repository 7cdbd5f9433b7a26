"""Results as JSON types: the one conversion the CLI's ``--json``, the web app and the API share.

Times become ISO 8601 with a ``Z``; a NaN or an infinity becomes ``null`` (JSON has neither).
"""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date, datetime
from enum import Enum
from pathlib import PurePath
from typing import Any

from lifeboat.timeutil import iso_z


def to_jsonable(value: Any) -> Any:
    """Turn results (dataclasses, pydantic models, numpy values, datetimes) into JSON types."""
    if hasattr(value, "model_dump") and not isinstance(value, type):
        return to_jsonable(value.model_dump(mode="python"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return iso_z(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PurePath):
        return str(value)
    if hasattr(value, "tolist") and hasattr(value, "dtype"):  # numpy arrays and scalars
        return to_jsonable(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(value: Any, *, indent: int | None = 2) -> str:
    """JSON text for any result object (never a NaN or an Infinity)."""
    return json.dumps(to_jsonable(value), indent=indent, ensure_ascii=False, allow_nan=False)
