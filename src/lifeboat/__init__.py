"""Lifeboat: crew rescue and lifeboat analysis for crewed space stations."""

__version__ = "0.1.0"
