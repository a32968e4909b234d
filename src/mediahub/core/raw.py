"""Hot read statements run straight on the request's asyncpg connection (ADR 0028, issue 20).

A statement built once per process (the feed's keyset page, the favorite flags of a page) is
compiled once by SQLAlchemy's asyncpg dialect, so its SQL, casts and visibility rule are the
ones the ORM path would send, and then run with `asyncpg.Connection.fetch`, which prepares it
once per connection (asyncpg's statement cache). This skips SQLAlchemy's execution layer
(execution context, result processing, the greenlet hop), ~0.4 ms of a feed page's CPU.

Rows are asyncpg `Record`s: UUIDs are asyncpg's own UUID type (a `uuid.UUID` subclass; use
`str()` before JSON, pydantic's serializer is slow on it), and nothing else differs for the
column types used here (text, int, bool, timestamptz, text[]).
"""

from __future__ import annotations

import contextlib
from enum import Enum
from typing import Any

import asyncpg
from sqlalchemy import Select, TextClause
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

_DIALECT = asyncpg_dialect()
#: Errors after which the connection cannot be trusted: SQLAlchemy is told to drop it.
_BROKEN = (asyncpg.exceptions.ConnectionDoesNotExistError, asyncpg.exceptions.InterfaceError,
           ConnectionError, OSError)


class RawStatement:
    """A Core statement compiled once; `fetch` runs it on the session's asyncpg connection."""

    def __init__(self, statement: Select | TextClause) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        self.sql = str(compiled)
        self._names = tuple(compiled.positiontup or ())
        # Values bound in the statement itself (e.g. status = 'ready'); plain values for asyncpg.
        self._fixed = {name: _plain(value) for name, value in compiled.params.items()
                       if value is not None}

    def arguments(self, params: dict[str, Any]) -> list[Any]:
        """The positional arguments for `params` (names as in the statement's bindparams)."""
        fixed = self._fixed
        return [params[name] if name in params else fixed[name] for name in self._names]

    async def fetch(self, session: AsyncSession | AsyncConnection,
                    params: dict[str, Any]) -> list[asyncpg.Record]:
        """All rows, on the request's pooled connection (inside its transaction, if any).

        A lean route (core/lean.py) passes a connection checked out without a session.
        """
        connection = (await session.connection() if isinstance(session, AsyncSession)
                      else session)
        driver = (await connection.get_raw_connection()).driver_connection
        try:
            return await driver.fetch(self.sql, *self.arguments(params))
        except _BROKEN as exc:
            # Not through SQLAlchemy, so it did not see the failure: drop the connection from
            # the pool, and report it as SQLAlchemy would (an outage: 503, not 500).
            with contextlib.suppress(Exception):
                await connection.invalidate()
            raise DBAPIError(self.sql, None, exc, connection_invalidated=True) from exc


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
