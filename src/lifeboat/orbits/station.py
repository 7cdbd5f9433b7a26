"""A station's orbit: state vectors at any times, from a TLE (SGP4) or from mean elements (J2).

:class:`StationOrbit` is the one object the orbital services take. Two sources:

* a two-line element set, propagated with ``sgp4`` (``Satrec.sgp4_array``, vectorised). Elements
  older (or newer) than ``max_age_days`` relative to ``reference_utc`` are refused, as are bad
  checksums; SGP4 error codes (decay, eccentricity out of range...) become :class:`InputError`
  with the code's meaning, never NaNs;
* mean Keplerian elements at an epoch, propagated analytically with the first-order J2 secular
  drift of RAAN, argument of perigee and mean anomaly (no short-periodic terms, no drag).

Times at this API are Julian dates on the UTC scale (numpy arrays) or aware UTC datetimes.
State vectors are in TEME (SGP4's frame; mean elements are taken to be referred to it too).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sgp4.api import SGP4_ERRORS, Satrec

from lifeboat.errors import InputError
from lifeboat.orbits import frames
from lifeboat.orbits.physics import (
    R_EARTH_EQ_KM,
    SECONDS_PER_DAY,
    TWO_PI,
    elements_to_state,
    j2_secular_rates_rad_s,
)
from lifeboat.timeutil import as_utc, datetime_to_jd, iso_z, jd_to_datetime

DEFAULT_MAX_TLE_AGE_DAYS = 14.0
_MIN_PERIGEE_ALTITUDE_KM = 100.0


def tle_checksum(line: str) -> int:
    """Modulo-10 checksum of a TLE line's first 68 characters (digits count, '-' counts 1)."""
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


def _check_tle_format(line1: str, line2: str, label: str) -> None:
    for number, line in ((1, line1), (2, line2)):
        if len(line) != 69 or not line.startswith(f"{number} "):
            raise InputError(
                f"line {number} must be 69 characters starting with '{number} ' "
                f"(got {len(line)} characters: {line[:20]!r}...)",
                source=label,
                where=f"line {number}",
            )
        if not line[68].isdigit() or tle_checksum(line) != int(line[68]):
            raise InputError(
                f"bad checksum: last digit is {line[68]!r}, the line sums to {tle_checksum(line)}",
                source=label,
                where=f"line {number}",
            )
    if line1[2:7] != line2[2:7]:
        raise InputError(
            f"catalog numbers differ between the lines ({line1[2:7]!r} vs {line2[2:7]!r})",
            source=label,
        )
    for number, line, fields in ((1, line1, _TLE_LINE1_FIELDS), (2, line2, _TLE_LINE2_FIELDS)):
        for name, start, stop, pattern in fields:
            text = line[start:stop]
            if not re.fullmatch(pattern, text):
                raise InputError(
                    f"{name} (columns {start + 1}-{stop}) is {text!r}, not a valid TLE field "
                    "(a typo can keep the checksum valid: letters count as 0)",
                    source=label,
                    where=f"line {number}",
                )
    for name, value, low, high in (
        ("inclination (deg)", float(line2[8:16]), 0.0, 180.0),
        ("right ascension of the node (deg)", float(line2[17:25]), 0.0, 360.0),
        ("argument of perigee (deg)", float(line2[34:42]), 0.0, 360.0),
        ("mean anomaly (deg)", float(line2[43:51]), 0.0, 360.0),
        ("mean motion (rev/day)", float(line2[52:63]), 1e-3, 20.0),
    ):
        if not low <= value <= high:
            raise InputError(f"{name} {value:g} is outside [{low:g}, {high:g}]", source=label, where="line 2")


# TLE columns (0-based start, stop) and the text each may hold (CelesTrak's and Space-Track's
# format; '+' is accepted where some distributors write it for a positive sign).
_EXP = r"[ +-]\d{5}[+-]\d"
_TLE_LINE1_FIELDS = (
    ("catalog number", 2, 7, r"[0-9A-Z][0-9]{4}| {0,4}[0-9]{1,5}"),
    ("classification", 7, 8, r"[UCS ]"),
    ("epoch", 18, 32, r"[0-9]{2}[0-9 ]{3}\.[0-9]{8}"),
    ("first derivative of mean motion", 33, 43, r"[ +-]\.[0-9]{8}"),
    ("second derivative of mean motion", 44, 52, _EXP),
    ("BSTAR drag term", 53, 61, _EXP),
    ("ephemeris type", 62, 63, r"[0-9 ]"),
    ("element set number", 64, 68, r" {0,3}[0-9]{1,4}"),
)
_ANGLE = r"[ 0-9]{3}\.[0-9]{4}"
_TLE_LINE2_FIELDS = (
    ("inclination", 8, 16, _ANGLE),
    ("right ascension of the node", 17, 25, _ANGLE),
    ("eccentricity", 26, 33, r"[0-9]{7}"),
    ("argument of perigee", 34, 42, _ANGLE),
    ("mean anomaly", 43, 51, _ANGLE),
    ("mean motion", 52, 63, r"[ 0-9]{2}\.[0-9]{8}"),
    ("revolution number", 63, 68, r"[ 0-9]{5}"),
)


@dataclass(frozen=True)
class _MeanElements:
    """Mean elements at an epoch and their J2 secular rates (rad, rad/s, km)."""

    epoch_jd: float
    a_km: float
    e: float
    i_rad: float
    raan_rad: float
    argp_rad: float
    mean_anomaly_rad: float
    raan_dot: float
    argp_dot: float
    m_dot: float

    def state(self, jd_utc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dt = (jd_utc - self.epoch_jd) * SECONDS_PER_DAY
        return elements_to_state(
            np.full(dt.shape, self.a_km),
            self.e,
            self.i_rad,
            self.raan_rad + self.raan_dot * dt,
            self.argp_rad + self.argp_dot * dt,
            self.mean_anomaly_rad + self.m_dot * dt,
        )


class StationOrbit:
    """A station's orbit. Build it with :meth:`from_tle`, :meth:`from_elements`,
    :meth:`from_catalog`, :meth:`hypothetical` or :meth:`for_scenario`."""

    def __init__(self, *, name: str, source: str, satrec: Satrec | None, mean: _MeanElements,
                 label: str = ""):
        self.name = name
        self.source = source  # "tle" or "elements"
        self.label = label or name  # how error messages name this orbit's input
        self._satrec = satrec
        self._mean = mean

    # --- constructors --------------------------------------------------------------------------

    @classmethod
    def from_tle(
        cls,
        line1: str,
        line2: str,
        *,
        name: str = "",
        max_age_days: float = DEFAULT_MAX_TLE_AGE_DAYS,
        reference_utc: datetime | None = None,
    ) -> StationOrbit:
        """Orbit from a two-line element set (SGP4). The age check needs ``reference_utc``."""
        line1, line2 = line1.rstrip(), line2.rstrip()
        label = f"TLE {name!r}" if name else "TLE"
        _check_tle_format(line1, line2, label)
        satrec = Satrec.twoline2rv(line1, line2)
        return cls.from_satrec(
            satrec, name=name or f"TLE {line1[2:7].strip()}", label=label,
            max_age_days=max_age_days, reference_utc=reference_utc,
        )

    @classmethod
    def from_satrec(
        cls,
        satrec: Satrec,
        *,
        name: str,
        label: str,
        max_age_days: float = DEFAULT_MAX_TLE_AGE_DAYS,
        reference_utc: datetime | None = None,
    ) -> StationOrbit:
        """Orbit from an initialised ``sgp4`` satellite record (a TLE's or an OMM's), whose fields
        the caller has validated. The age check needs ``reference_utc``."""
        if satrec.error:
            raise InputError(f"SGP4 error {satrec.error}: {SGP4_ERRORS[satrec.error]}", source=label)
        epoch_jd = satrec.jdsatepoch + satrec.jdsatepochF
        # SGP4's own secular rates (rad/min) define the mean motion of node and argument of latitude.
        mean = _MeanElements(
            epoch_jd=epoch_jd,
            a_km=satrec.a * satrec.radiusearthkm,
            e=satrec.ecco,
            i_rad=satrec.inclo,
            raan_rad=satrec.nodeo,
            argp_rad=satrec.argpo,
            mean_anomaly_rad=satrec.mo,
            raan_dot=satrec.nodedot / 60.0,
            argp_dot=satrec.argpdot / 60.0,
            m_dot=satrec.mdot / 60.0,
        )
        orbit = cls(name=name, source="tle", satrec=satrec, mean=mean, label=label)
        if reference_utc is not None:
            orbit.check_age(reference_utc, max_age_days)
        orbit.state_teme(np.array([epoch_jd]))  # surfaces SGP4 errors at the epoch now
        return orbit

    @classmethod
    def from_elements(
        cls,
        epoch_utc: datetime,
        *,
        altitude_km: float | None = None,
        semi_major_axis_km: float | None = None,
        eccentricity: float = 0.0,
        inclination_deg: float,
        raan_deg: float = 0.0,
        arg_perigee_deg: float = 0.0,
        mean_anomaly_deg: float = 0.0,
        name: str = "",
    ) -> StationOrbit:
        """Orbit from mean elements at ``epoch_utc`` with J2 secular drift.

        Give exactly one of ``altitude_km`` (above the WGS-84 equatorial radius, so a = Re + h)
        and ``semi_major_axis_km``.
        """
        if (altitude_km is None) == (semi_major_axis_km is None):
            raise InputError("give exactly one of altitude_km and semi_major_axis_km", source="elements")
        a_km = semi_major_axis_km if semi_major_axis_km is not None else R_EARTH_EQ_KM + altitude_km
        if not 0.0 <= eccentricity < 1.0:
            raise InputError(f"eccentricity must be in [0, 1), got {eccentricity}", source="elements")
        if not 0.0 <= inclination_deg <= 180.0:
            raise InputError(f"inclination_deg must be in [0, 180], got {inclination_deg}", source="elements")
        perigee_alt = a_km * (1.0 - eccentricity) - R_EARTH_EQ_KM
        if perigee_alt < _MIN_PERIGEE_ALTITUDE_KM:
            raise InputError(
                f"perigee altitude {perigee_alt:.0f} km is below {_MIN_PERIGEE_ALTITUDE_KM:.0f} km "
                "(the orbit would decay at once)",
                source="elements",
            )
        i_rad = math.radians(inclination_deg)
        raan_dot, argp_dot, m_dot = j2_secular_rates_rad_s(a_km, eccentricity, i_rad)
        mean = _MeanElements(
            epoch_jd=datetime_to_jd(epoch_utc),
            a_km=a_km,
            e=eccentricity,
            i_rad=i_rad,
            raan_rad=math.radians(raan_deg),
            argp_rad=math.radians(arg_perigee_deg),
            mean_anomaly_rad=math.radians(mean_anomaly_deg),
            raan_dot=float(raan_dot),
            argp_dot=float(argp_dot),
            m_dot=float(m_dot),
        )
        label = name or f"elements i={inclination_deg:g}° a={a_km:.0f} km"
        return cls(name=label, source="elements", satrec=None, mean=mean)

    @classmethod
    def hypothetical(cls, inclination_deg: float, altitude_km: float, epoch_utc: datetime) -> StationOrbit:
        """A circular orbit known only by inclination and altitude (RAAN and phase set to zero)."""
        return cls.from_elements(
            epoch_utc,
            altitude_km=altitude_km,
            inclination_deg=inclination_deg,
            name=f"hypothetical {inclination_deg:g}° × {altitude_km:g} km",
        )

    @classmethod
    def from_catalog(
        cls,
        station_id: str,
        *,
        reference_utc: datetime | None = None,
        max_age_days: float = DEFAULT_MAX_TLE_AGE_DAYS,
    ) -> StationOrbit:
        """The catalog station's orbit: its TLE, or else a circular orbit from its inclination and
        altitude (epoch ``reference_utc``, or now)."""
        from lifeboat.catalog import load_catalog

        station = load_catalog().station(station_id)
        if station.regime != "leo":
            raise InputError(
                f"station {station_id!r} is in a {station.regime} orbit; launch windows and "
                "reachability here cover low Earth orbit only",
                param="station",
            )
        if station.tle is not None:
            return cls.from_tle(
                *station.tle, name=station.name, max_age_days=max_age_days, reference_utc=reference_utc
            )
        if station.inclination_deg is None or station.altitude_km is None:
            raise InputError(f"station {station_id!r} has no TLE and no inclination/altitude", source="catalog")
        epoch = reference_utc if reference_utc is not None else datetime.now(UTC)
        orbit = cls.hypothetical(station.inclination_deg, station.altitude_km, epoch)
        orbit.name = f"{station.name} (circular {station.inclination_deg:g}° × {station.altitude_km:g} km)"
        return orbit

    @classmethod
    def for_scenario(cls, scenario, *, reference_utc: datetime | None = None) -> StationOrbit:
        """The orbit a scenario gives (its TLE, element-set file or mean elements), else its
        catalog station's."""
        st = scenario.station
        max_age_days = st.max_element_age_days or DEFAULT_MAX_TLE_AGE_DAYS
        if st.elements_file is not None:
            from lifeboat.orbits.elements import orbit_from_file

            return orbit_from_file(scenario.elements_path(), satellite=st.satellite,
                                   reference_utc=reference_utc, max_age_days=max_age_days)
        if st.tle is not None:
            return cls.from_tle(*st.tle, name=st.id, reference_utc=reference_utc,
                                max_age_days=max_age_days)
        if st.elements is not None:
            return cls.from_elements(**st.elements.model_dump(), name=st.id)
        return cls.from_catalog(st.id, reference_utc=reference_utc)

    # --- checks --------------------------------------------------------------------------------

    def check_age(self, reference_utc: datetime, max_age_days: float = DEFAULT_MAX_TLE_AGE_DAYS) -> None:
        """Refuse TLE elements whose epoch is more than ``max_age_days`` from ``reference_utc``."""
        if self._satrec is None:
            return
        age_days = (datetime_to_jd(reference_utc) - self._mean.epoch_jd)
        if abs(age_days) > max_age_days:
            when = "old" if age_days > 0 else "in the future"
            raise InputError(
                f"elements are stale: epoch {iso_z(self.epoch_utc)} is {abs(age_days):.1f} days {when} "
                f"at {iso_z(as_utc(reference_utc))} (limit {max_age_days:g} days); use a TLE nearer the date",
                source=self.label,
            )

    # --- states --------------------------------------------------------------------------------

    def state_teme(self, jd_utc) -> tuple[np.ndarray, np.ndarray]:
        """Position (km) and velocity (km/s), shape (N, 3), in TEME at Julian dates (UTC)."""
        jd = np.atleast_1d(np.asarray(jd_utc, float))
        if self._satrec is None:
            return self._mean.state(jd)
        whole = np.floor(jd)
        errors, r, v = self._satrec.sgp4_array(whole, jd - whole)
        if np.any(errors):
            k = int(np.flatnonzero(errors)[0])
            code = int(errors[k])
            raise InputError(
                f"SGP4 error {code} at {iso_z(jd_to_datetime(jd[k]))}: {SGP4_ERRORS.get(code, 'unknown')}",
                source=self.label,
            )
        return r, v

    def state_ecef(self, jd_utc) -> tuple[np.ndarray, np.ndarray]:
        """Earth-fixed position (km) and Earth-relative velocity (km/s), shape (N, 3)."""
        jd = np.atleast_1d(np.asarray(jd_utc, float))
        r, v = self.state_teme(jd)
        return frames.teme_to_ecef_state(r, v, frames.jd_ut1_from_utc(jd))

    def subpoint(self, jd_utc) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Geodetic (WGS-84) latitude and longitude (deg) and altitude (km) under the station."""
        r, _ = self.state_ecef(jd_utc)
        return frames.ecef_to_geodetic(r)

    def subpoints(self, times_utc: Sequence[datetime]) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude (deg) under the station at a list of UTC datetimes."""
        lat, lon, _ = self.subpoint(np.array([datetime_to_jd(t) for t in times_utc]))
        return lat, lon

    # --- mean orbit (for predictions) --------------------------------------------------------

    def mean_raan_rad(self, jd_utc) -> np.ndarray:
        """Mean right ascension of the ascending node (rad, TEME) with its secular drift."""
        m = self._mean
        return m.raan_rad + m.raan_dot * (np.asarray(jd_utc, float) - m.epoch_jd) * SECONDS_PER_DAY

    @property
    def raan_rate_rad_s(self) -> float:
        return self._mean.raan_dot

    @property
    def epoch_utc(self) -> datetime:
        return jd_to_datetime(self._mean.epoch_jd)

    @property
    def epoch_jd_utc(self) -> float:
        return self._mean.epoch_jd

    @property
    def inclination_deg(self) -> float:
        return math.degrees(self._mean.i_rad)

    @property
    def semi_major_axis_km(self) -> float:
        return self._mean.a_km

    @property
    def eccentricity(self) -> float:
        return self._mean.e

    @property
    def period_s(self) -> float:
        """Draconic (node-to-node) period in s: 2π over the secular rate of the argument of latitude."""
        return TWO_PI / (self._mean.argp_dot + self._mean.m_dot)

    @property
    def mean_altitude_km(self) -> float:
        """Mean semi-major axis minus the WGS-84 equatorial radius (km)."""
        return self._mean.a_km - R_EARTH_EQ_KM

    @property
    def raan_rate_deg_per_day(self) -> float:
        return math.degrees(self._mean.raan_dot) * SECONDS_PER_DAY

    def __repr__(self) -> str:
        return (
            f"StationOrbit({self.name!r}, {self.source}, epoch {iso_z(self.epoch_utc)}, "
            f"i={self.inclination_deg:.3f}°, h={self.mean_altitude_km:.0f} km)"
        )
