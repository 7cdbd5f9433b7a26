"""Times at the edges: timezone-aware UTC ``datetime`` outside, Julian dates and seconds inside."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lifeboat.errors import InputError

JD_UNIX_EPOCH = 2440587.5
SECONDS_PER_DAY = 86400.0


# Times Lifeboat reasons about: the space age, with room for long-range plans.
EARLIEST_UTC = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_UTC = datetime(2200, 1, 1, tzinfo=UTC)


def parse_utc(text: str | datetime, *, source: str | None = None,
              where: str | None = None) -> datetime:
    """Parse an ISO 8601 time or ``now``; naive times are taken as UTC. Returns an aware UTC
    datetime between 1900 and 2200 (anything else is an :class:`InputError`)."""
    try:
        if isinstance(text, datetime):
            value = as_utc(text)
        elif isinstance(text, str) and text.strip().lower() == "now":
            value = datetime.now(UTC)
        else:
            value = as_utc(datetime.fromisoformat(str(text).strip().replace("Z", "+00:00")))
    except (ValueError, OverflowError, TypeError):
        raise InputError(
            f"expected an ISO 8601 time such as 2018-12-02T12:00:00Z (or 'now'), got {text!r}",
            source=source,
            where=where,
        ) from None
    if not EARLIEST_UTC <= value < LATEST_UTC:
        raise InputError(f"expected a time between {EARLIEST_UTC.year} and {LATEST_UTC.year}, "
                         f"got {text!r}", source=source, where=where)
    return value


def as_utc(value: datetime) -> datetime:
    """Return ``value`` as an aware UTC datetime (naive values are taken as UTC).

    A time whose UTC equivalent falls outside the years 1-9999 raises ``ValueError``.
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"time {value.isoformat()} is out of range in UTC") from None


def iso_z(value: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC with a ``Z`` suffix, to the second."""
    value = as_utc(value)
    if value.microsecond >= 500_000:
        value = value + timedelta(microseconds=1_000_000 - value.microsecond)
    return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def datetime_to_jd(value: datetime) -> float:
    """UTC datetime to Julian date (UTC scale, days)."""
    return as_utc(value).timestamp() / SECONDS_PER_DAY + JD_UNIX_EPOCH


def jd_to_datetime(jd: float) -> datetime:
    """Julian date (UTC scale, days) to an aware UTC datetime."""
    return datetime.fromtimestamp((jd - JD_UNIX_EPOCH) * SECONDS_PER_DAY, tz=UTC)


def days_between(start: datetime, end: datetime) -> float:
    """Elapsed time from ``start`` to ``end`` in days."""
    return (as_utc(end) - as_utc(start)).total_seconds() / SECONDS_PER_DAY
