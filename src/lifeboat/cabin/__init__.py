"""Cabin atmosphere: module networks, leaks, reserve time, hole size from telemetry, isolation."""
