"""Pydantic types shared by the services: the scenario (a situation at an epoch)."""
