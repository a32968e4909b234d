"""The models and the migrations describe the same schema (autogenerate finds nothing to add)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from mediahub.db_migrations import head_revision
from mediahub.migrations.metadata import Base


def _diff(connection: Connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


async def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(_diff)
            version = await connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar() == head_revision()
    finally:
        await engine.dispose()
    assert diff == []


def test_metadata_holds_every_table() -> None:
    assert set(Base.metadata.tables) == {
        "users", "refresh_tokens", "job_runs", "photos", "art_objects", "ownership_history",
        "favorites", "trades", "trade_items", "transfers", "profile_requests",
        "profile_request_photos", "imports", "transcriptions", "transcript_segments",
        "transcript_speakers", "voice_profiles", "voice_samples",
    }
