"""Operational surface: health, readiness, live events, file downloads, self-test job."""
