"""Orbital access: station orbits, launch opportunities and rendezvous, reachability, landings
and ascent aborts. Pure kernels live in :mod:`lifeboat.orbits.physics`."""

from lifeboat.errors import InputError


def lookup(cat, kind: str, record_id: str, param: str):
    """A catalog record, or the catalog's unknown-id error against the Python parameter ``param``."""
    try:
        return cat.get(kind, record_id)
    except InputError as exc:
        raise InputError(exc.message, param=param) from None
