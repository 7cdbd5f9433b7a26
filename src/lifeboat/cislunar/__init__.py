"""Cislunar: Earth–Moon CR3BP kernels, halo/NRHO families and Gateway access.

Public API: :func:`solve_nrho`, :func:`halo_family`, :class:`PeriodicOrbit` (``halo``);
:func:`gateway_state`, :func:`gateway_access`, :func:`gateway_access_all`, :class:`GatewayAccess`
(``gateway``); lunar orbits, returns and transfers in ``orbits``, ``returns``, ``transfers`` and
``service``; the lunar surface (ascent, ascent windows, abort tree) in ``surface``; the pure
kernels live in :mod:`lifeboat.cislunar.physics`. Importing this package
does not load the ephemeris or compile anything.
"""

from lifeboat.cislunar.gateway import (
    GatewayAccess,
    gateway_access,
    gateway_access_all,
    gateway_state,
)
from lifeboat.cislunar.halo import PeriodicOrbit, halo_family, solve_nrho

__all__ = [
    "GatewayAccess",
    "PeriodicOrbit",
    "gateway_access",
    "gateway_access_all",
    "gateway_state",
    "halo_family",
    "solve_nrho",
]
