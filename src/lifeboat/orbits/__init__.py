"""Orbital access: station orbits, launch opportunities and rendezvous, reachability, landings
and ascent aborts. Pure kernels live in :mod:`lifeboat.orbits.physics`."""
