"""Skyfield's built-in timescale and the DE421 ephemeris shipped by ``skyfield-data``.

Nothing is downloaded: the timescale uses skyfield's bundled UT1/leap-second tables and DE421
comes from the ``skyfield-data`` package folder. Both are loaded once per process.
"""

from __future__ import annotations

import warnings
from functools import cache


@cache
def timescale():
    """Skyfield's built-in timescale (bundled UT1−UTC and leap seconds; no download)."""
    from skyfield.api import load

    return load.timescale(builtin=True)


@cache
def de421():
    """The DE421 planetary ephemeris from ``skyfield-data`` (memory-mapped lazily)."""
    from skyfield.api import Loader
    from skyfield_data import get_skyfield_data_path

    with warnings.catch_warnings():
        # skyfield-data warns that its bundled IERS finals file has expired; Lifeboat never reads
        # that file (UT1 comes from skyfield's built-in timescale), so the warning does not apply.
        warnings.simplefilter("ignore", RuntimeWarning)
        path = get_skyfield_data_path()
    return Loader(path, verbose=False)("de421.bsp")
