"""The application's clock: one timezone-aware UTC `now()` for every rule that compares times."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time in UTC (aware, so it compares with `timestamptz` columns)."""
    return datetime.now(UTC)
