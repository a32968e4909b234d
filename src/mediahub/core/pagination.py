"""Keyset pagination, newest first, with opaque cursors (no OFFSET: page 1000 costs page 1)."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, Select, bindparam, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core.errors import BadRequest
from mediahub.core.raw import RawStatement


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
        raise BadRequest("invalid cursor", code="cursor.invalid") from None


async def keyset_page(
    session: AsyncSession, query: Select, order_at: Any, order_id: Any, cursor: str | None,
    limit: int, *, columns_only: bool = False,
) -> tuple[list[tuple[Any, ...]], str | None]:
    """One page of `query`'s rows ordered by (order_at, order_id) descending, and the cursor
    of the next page (None on the last).

    `columns_only`: the query selects columns, not entities, so it runs on the session's
    connection and skips the ORM's row loading (~6 % of a feed page's CPU).
    """
    statement = keyset_statement(query, order_at, order_id, after=bool(cursor))
    return await keyset_rows(session, statement, cursor, limit, columns_only=columns_only)


def keyset_statement(query: Select, order_at: Any, order_id: Any, *, after: bool) -> Select:
    """`query` as a keyset page, its cursor and size bound at run time (`keyset_rows`).

    Without literal values the statement can be built once per process for a hot page.
    """
    if after:
        query = query.where(tuple_(order_at, order_id) < tuple_(
            bindparam("after_at", type_=order_at.type), bindparam("after_id", type_=order_id.type)))
    return (query.add_columns(order_at, order_id)
            .order_by(order_at.desc(), order_id.desc())
            .limit(bindparam("page_size", type_=Integer)))


async def keyset_rows(
    session: AsyncSession, statement: Select | RawStatement, cursor: str | None, limit: int, *,
    columns_only: bool = False, values: dict[str, Any] | None = None,
) -> tuple[list[tuple[Any, ...]], str | None]:
    """Run a `keyset_statement` for the page after `cursor`; its rows and the next cursor.

    A `RawStatement` (a hot page's statement, compiled once) runs straight on asyncpg;
    `values` are its other parameters (e.g. the viewer).
    """
    params: dict[str, Any] = {**(values or {}), "page_size": limit + 1}
    if cursor:
        params["after_at"], params["after_id"] = decode_cursor(cursor)
    if isinstance(statement, RawStatement):
        rows: Any = await statement.fetch(session, params)
    else:
        runner = await session.connection() if columns_only else session
        rows = (await runner.execute(statement, params)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(rows[-1][-2], rows[-1][-1]) if more else None
    return [tuple(row[:-2]) for row in rows], next_cursor
