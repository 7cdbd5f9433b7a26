"""The disk cache of an orbit's transfer requirements: the same solver on the same orbit reads
its earlier result; a different key or a damaged file computes afresh."""

import json

from lifeboat.cislunar import service


def test_requirements_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv(service.CACHE_ENV, str(tmp_path))
    orbit, _ = service.station_orbit("gateway")
    key = (orbit.label, orbit.period_tu, tuple(orbit.state_perilune), 4, False)
    monkeypatch.setattr(service, "_REQUIREMENTS", {})
    fresh = service.requirements(orbit, n=4, flyby=False)
    path = service._cache_file(key)
    assert path.is_file() and path.parent.parent == tmp_path
    assert json.loads(path.read_text())["return_dv_km_s"] == fresh.return_dv_km_s

    # Read back (the in-process cache emptied): the file's values are used.
    marked = dict(json.loads(path.read_text()), return_dv_km_s=9.99)
    path.write_text(json.dumps(marked))
    monkeypatch.setattr(service, "_REQUIREMENTS", {})
    assert service.requirements(orbit, n=4, flyby=False).return_dv_km_s == 9.99

    # A damaged file is recomputed and rewritten.
    path.write_text("{not json")
    monkeypatch.setattr(service, "_REQUIREMENTS", {})
    assert service.requirements(orbit, n=4, flyby=False) == fresh

    # "off" writes nothing.
    monkeypatch.setenv(service.CACHE_ENV, "off")
    assert service._cache_file(key) is None
