"""Keyset pagination, newest first, with opaque cursors (no OFFSET: page 1000 costs page 1)."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core.errors import BadRequest


def encode_cursor(at: datetime, ident: uuid.UUID) -> str:
    """An opaque cursor for the row after which the next page starts."""
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{ident}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    """Parse a cursor; BadRequest if it was not made by encode_cursor.

    Only an aware instant that exists in UTC passes: a forged `0001-01-01T00:00:00+14:00`
    parses, but is before year 1 in UTC, and asyncpg fails encoding it (was a 500).
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, ident = raw.split("|")
        instant = datetime.fromisoformat(at)
        if instant.tzinfo is None:
            raise ValueError("naive instant")
        return instant.astimezone(UTC), uuid.UUID(ident)
    except (ValueError, OverflowError, UnicodeDecodeError):
        raise BadRequest("invalid cursor") from None


async def keyset_page(
    session: AsyncSession, query: Select, order_at: Any, order_id: Any, cursor: str | None,
    limit: int,
) -> tuple[list[tuple[Any, ...]], str | None]:
    """One page of `query`'s rows ordered by (order_at, order_id) descending, and the cursor
    of the next page (None on the last)."""
    if cursor:
        at, ident = decode_cursor(cursor)
        query = query.where(tuple_(order_at, order_id) < tuple_(at, ident))
    query = (query.add_columns(order_at, order_id)
             .order_by(order_at.desc(), order_id.desc()).limit(limit + 1))
    rows = (await session.execute(query)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1][-2], rows[-1][-1]) if more else None
    return [tuple(row[:-2]) for row in rows], next_cursor
