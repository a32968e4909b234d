"""Operational surface: health, readiness, live events, self-test job."""
