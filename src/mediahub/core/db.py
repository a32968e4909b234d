"""Database engine and the per-request session: one transaction, committed at the boundary."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from mediahub.config import Settings


def create_engine(settings: Settings, *, pool_size: int | None = None) -> AsyncEngine:
    """An asyncpg engine with a bounded pool and liveness checks (survives DB restarts)."""
    return create_async_engine(
        settings.database_url,
        pool_size=pool_size or settings.database_pool_size,
        max_overflow=5,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"timeout": 5, "command_timeout": 60},
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Yield the request's session; commit once at the end, then flush jobs queued in it.

    A failing request rolls back and its jobs are discarded, so a rolled-back request never
    enqueues work. Scope "function" makes this run before the response is sent, so a failed
    commit is reported to the client instead of being lost after a 200.
    """
    from mediahub.core import queue

    factory: async_sessionmaker[AsyncSession] = request.app.state.session_factory
    async with factory() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            queue.discard_pending(session)
            raise
        await queue.flush_pending(session, request.app.state.job_queue)


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
