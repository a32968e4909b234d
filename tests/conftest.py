"""Shared fixtures: real PostgreSQL and Redis for the whole session, clean state per test.

Set TEST_DATABASE_URL / TEST_REDIS_URL to use existing servers; otherwise embedded ones are
started in a temporary directory. Isolation: every table is truncated and Redis flushed
after each test that used them (tests also start real worker processes, so a per-test
rolled-back transaction would not be visible to them).
"""

from __future__ import annotations

import os
import secrets
import warnings
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import text

from mediahub.config import Settings
from mediahub.core.db import create_engine
from mediahub.db_migrations import upgrade_to_head
from mediahub.migrations.metadata import Base
from tests.support.asgi import asgi_client
from tests.support.processes import ManagedProcess, infra_env

# The container stack's smoke suite needs a running stack: `scripts/stack smoke` runs it.
collect_ignore = [] if os.environ.get("MEDIAHUB_STACK_URL") else ["stack"]

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

# Object-store fixtures (local disk and moto's S3 server) and `lean_calls` for every test.
pytest_plugins = ["tests.integration.storage_fixtures", "tests.support.lean"]


@pytest.fixture(scope="session")
def infra_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory for the session's embedded servers."""
    return tmp_path_factory.mktemp("infra")


@pytest.fixture(scope="session")
def database_url(infra_dir: Path) -> Iterator[str]:
    """A migrated PostgreSQL database for the session."""
    url = os.environ.get("TEST_DATABASE_URL")
    server = None
    if not url:
        from mediahub.local.servers import EmbeddedPostgres

        server = EmbeddedPostgres(infra_dir / "postgres", secrets.token_urlsafe(16))
        server.start()
        url = server.url
    upgrade_to_head(_asyncpg(url))
    yield _asyncpg(url)
    if server:
        server.stop()


def _asyncpg(url: str) -> str:
    from mediahub.config import normalize_database_url

    return normalize_database_url(url)


@pytest.fixture(scope="session")
def redis_url(infra_dir: Path) -> Iterator[str]:
    """A Redis server for the session."""
    url = os.environ.get("TEST_REDIS_URL")
    server = None
    if not url:
        from mediahub.local.servers import EmbeddedRedis

        server = EmbeddedRedis(infra_dir / "redis", secrets.token_urlsafe(16))
        server.start()
        url = server.url
    yield url
    if server:
        server.stop()


@pytest.fixture
def storage_dir(tmp_path: Path) -> Path:
    """A fresh local object store per test."""
    path = tmp_path / "objects"
    path.mkdir()
    return path


@pytest.fixture
def settings_env(database_url: str, redis_url: str, storage_dir: Path) -> dict[str, str]:
    """Environment variables describing the test infrastructure (for child processes too)."""
    return {
        **infra_env(database_url, redis_url, storage_dir),
        "JOB_HEARTBEAT_SECONDS": "2",
        "JOB_SWEEP_SECONDS": "1",
        "WORKER_CONCURRENCY": "2",
        "ASR_PRELOAD": "false",  # tests that want a warm worker ask for it
    }


@pytest.fixture
def settings(settings_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for in-process code, read from the test environment."""
    for key, value in settings_env.items():
        monkeypatch.setenv(key, value)
    return Settings()  # type: ignore[call-arg]


@pytest.fixture(autouse=True)
async def _clean_state(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Truncate tables and flush Redis after tests that touched the infrastructure."""
    yield
    names = set(request.fixturenames)
    if "database_url" in names:
        engine = create_engine(_settings_for_cleanup(request), pool_size=1)
        tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} CASCADE"))
        await engine.dispose()
    if "redis_url" in names:
        client = Redis.from_url(request.getfixturevalue("redis_url"))
        await client.flushdb()
        await client.aclose()


def _settings_for_cleanup(request: pytest.FixtureRequest) -> Settings:
    return Settings.model_construct(
        database_url=request.getfixturevalue("database_url"), database_pool_size=1
    )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[object]:
    """The real application with its lifespan running (connections open)."""
    from mediahub.main import create_app

    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process."""
    async with asgi_client(app) as http:
        yield http


@pytest.fixture
def start_worker(settings_env: dict[str, str], tmp_path: Path) -> Iterator:
    """Start real `mediahub worker` processes; all are stopped at the end of the test."""
    started: list[ManagedProcess] = []

    def start(**overrides: str) -> ManagedProcess:
        log = tmp_path / f"worker-{len(started)}.log"
        proc = ManagedProcess(["worker"], {**settings_env, **overrides}, log)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        proc.stop()
