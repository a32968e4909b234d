"""Alembic environment: async engine, models' metadata, one transaction per migration run."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mediahub.migrations.metadata import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


def _url_from_environment() -> str:
    """For the alembic CLI: DATABASE_URL normalised like the app does it."""
    from mediahub.config import normalize_database_url

    return normalize_database_url(os.environ["DATABASE_URL"])


def run_migrations_online() -> None:
    """Apply migrations with the URL that `mediahub.db_migrations` put into the config."""
    url = config.get_main_option("sqlalchemy.url") or _url_from_environment()
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
    else:
        asyncio.run(_run_async(url))


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
