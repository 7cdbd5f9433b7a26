"""Rescue planning: who can bring the crew home and when, real-incident replays, the assessment."""
