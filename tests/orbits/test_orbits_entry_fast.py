"""The compiled batch entry kernel against the adaptive reference integration (simulate_entry)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from lifeboat.catalog import load_catalog
from lifeboat.orbits.abort import capsule_model
from lifeboat.orbits.entry import simulate_entry
from lifeboat.orbits.entry_fast import touchdowns
from lifeboat.orbits.landings import _burn_state
from lifeboat.orbits.station import StationOrbit
from lifeboat.timeutil import datetime_to_jd

ISS = ("1 25544U 98067A   19174.96066161 -.00001641  00000-0 -19667-4 0  9994",
       "2 25544  51.6426 327.6827 0008340  79.1947  72.7878 15.51216338176304")


@pytest.mark.parametrize(("vehicle", "guided"), [("soyuz-ms", True), ("soyuz-ms", False), ("crew-dragon", True)])
def test_batch_touchdowns_match_the_reference(vehicle, guided):
    orbit = StationOrbit.from_tle(*ISS)
    profile = load_catalog().vehicle(vehicle).deorbit
    model = capsule_model(vehicle)
    capsule = model.guided() if guided else model.ballistic()
    jd0 = datetime_to_jd(datetime(2019, 6, 25, 1, 0, tzinfo=UTC))
    burns = [_burn_state(orbit, jd0 + k * orbit.period_s / 4 / 86400.0, profile) for k in range(4)]
    r0, v0 = np.array([b[1] for b in burns]), np.array([b[2] for b in burns])
    pos, times = touchdowns(r0, v0, capsule)
    for k in range(4):
        ref = simulate_entry(r0[k], v0[k], capsule, earth="wgs84", rtol=1e-9, atol=1e-6)
        assert np.linalg.norm(pos[k] - ref.touchdown_r_ecef_m) < 500.0  # m
        assert abs(times[k] - ref.touchdown_t_s) < 10.0  # s, of ~3,000 s


def test_a_state_that_stays_in_orbit_gets_no_touchdown():
    orbit = StationOrbit.from_tle(*ISS)
    from lifeboat.orbits.frames import jd_ut1_from_utc, teme_to_ecef_state

    jd = orbit.epoch_jd_utc
    r, v = orbit.state_teme(jd)
    re, ve = teme_to_ecef_state(r.reshape(3), v.reshape(3), jd_ut1_from_utc(jd))
    _, times = touchdowns(np.asarray(re).reshape(1, 3) * 1e3, np.asarray(ve).reshape(1, 3) * 1e3,
                          capsule_model("soyuz-ms").guided(), max_time_s=3_000.0)
    assert np.isnan(times[0])
