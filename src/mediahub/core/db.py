"""Database engine and the per-request session: one transaction, committed at the boundary."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util import await_only

from mediahub.config import Settings

#: Connections beyond the configured pool size a process may open under load.
POOL_OVERFLOW = 5
#: Pooled connections idle longer than this are pinged before use (see create_engine).
PING_AFTER_IDLE_S = 2.0
_CHECKED_IN_AT = "mediahub.checked_in_at"

log = logging.getLogger(__name__)
_AFTER_COMMIT = "mediahub.after_commit"
_ON_ROLLBACK = "mediahub.on_rollback"
Hook = Callable[[], Awaitable[object]]


def fits_bigint(value: int) -> bool:
    """True if `value` fits a PostgreSQL bigint (no larger id exists; asyncpg refuses one)."""
    return -(2**63) <= value < 2**63


def after_commit(session: AsyncSession, hook: Hook) -> None:
    """Run `hook` once the request's transaction has committed (e.g. publish an event)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(hook)


def on_rollback(session: AsyncSession, hook: Hook) -> None:
    """Run `hook` if the transaction rolls back (e.g. delete a file stored for it)."""
    session.info.setdefault(_ON_ROLLBACK, []).append(hook)


async def _run_hooks(session: AsyncSession, key: str) -> None:
    hooks: list[Hook] = session.info.pop(key, [])
    session.info.pop(_ON_ROLLBACK if key == _AFTER_COMMIT else _AFTER_COMMIT, None)
    for hook in hooks:
        try:
            await hook()
        except Exception:  # a failed side effect must not turn a committed request into a 500
            log.exception("%s hook failed", key)


def create_engine(settings: Settings, *, pool_size: int | None = None) -> AsyncEngine:
    """An asyncpg engine with a bounded pool and liveness checks (survives DB restarts).

    At most `pool_size` + POOL_OVERFLOW connections, as before, but all of them are kept:
    SQLAlchemy closes an "overflow" connection as soon as it is returned, so under load each
    request past `pool_size` paid a new connection (TCP, authentication, type introspection,
    statement preparation): ~8 % of a feed page's CPU at 32 concurrent requests (issue 20).
    """
    engine = create_async_engine(
        settings.database_url,
        pool_size=(pool_size or settings.database_pool_size) + POOL_OVERFLOW,
        max_overflow=0,
        pool_recycle=1800,
        connect_args={"timeout": 5, "command_timeout": 60},
    )
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: AsyncEngine) -> None:
    """Check a pooled connection before use if it sat idle; replace it if the server is gone.

    SQLAlchemy's `pool_pre_ping` pings on every checkout, and its asyncpg ping is three round
    trips (BEGIN, `;`, ROLLBACK): 7-14 % of the API's CPU under load (bench/load.py). A
    connection returned moments ago is as good as its last query, so only idle ones are
    pinged, with one round trip. A connection that dies while busy fails its request (503)
    and SQLAlchemy then invalidates the whole pool, so the next requests reconnect.
    """
    pool_events = engine.sync_engine.pool

    @event.listens_for(pool_events, "checkin")
    def _remember_checkin(_dbapi: object, record: ConnectionPoolEntry) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(pool_events, "checkout")
    def _ping_if_idle(_dbapi: object, record: ConnectionPoolEntry, _proxy: object) -> None:
        since = record.info.get(_CHECKED_IN_AT)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return  # new, or in use moments ago
        try:
            await_only(record.driver_connection.execute(";"))
        except Exception as exc:  # noqa: BLE001 - any failure means "replace this connection"
            # The pool retries the checkout with a fresh connection.
            raise DisconnectionError(f"idle connection is dead: {exc!r}") from exc


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def create_read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose statements each run on their own, no BEGIN/COMMIT: for read-only
    requests, and for the worker's writes of one statement (ADR 0029).

    A read-only request gains nothing from a transaction and paid two round trips for it
    (BEGIN, COMMIT): ~20 % of a feed page's API CPU in a py-spy profile (ADR 0018).
    """
    return create_session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))


async def read_only(request: Request) -> None:
    """Route dependency: this request only reads, so its session runs without a transaction.

    Put it in the route's `dependencies`: those are resolved before the parameters, so
    `get_session` sees the mark. A write in such a request would commit at once, so only
    routes that never write may carry it. Async on purpose: FastAPI runs a plain `def`
    dependency in a worker thread (~7 % of a feed page's CPU).
    """
    request.state.read_only = True


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Yield the request's session; commit once at the end, then flush jobs queued in it.

    A failing request rolls back and its jobs are discarded, so a rolled-back request never
    enqueues work. Scope "function" makes this run before the response is sent, so a failed
    commit is reported to the client instead of being lost after a 200.
    """
    from mediahub.core import queue

    state = request.app.state
    factory: async_sessionmaker[AsyncSession] = (
        state.read_session_factory if getattr(request.state, "read_only", False)
        else state.session_factory)
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            queue.discard_pending(session)
            await _run_hooks(session, _ON_ROLLBACK)
            raise
        await queue.flush_pending(session, request.app.state.job_queue)
        await _run_hooks(session, _AFTER_COMMIT)


async def commit_now(session: AsyncSession, request: Request) -> None:
    """Commit mid-request, when the writes must be visible before the response (a request
    that waits for its own job); jobs are enqueued and hooks run as at the boundary."""
    from mediahub.core import queue

    await session.commit()
    await queue.flush_pending(session, request.app.state.job_queue)
    await _run_hooks(session, _AFTER_COMMIT)


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadOnly = Depends(read_only)


async def advisory_xact_lock(session: AsyncSession, key: str) -> None:
    """Serialise transactions that take the same `key`, until this one ends.

    For check-then-insert races a row lock cannot cover (the row does not exist yet).
    """
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"),
                          {"k": key})
