"""A live API for the fuzzing tests: one server per module, a fresh user per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.live_api import LiveApi, live_env, register, run_live_api


@pytest.fixture(scope="module")
def live_api(database_url: str, redis_url: str,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """`mediahub api` over the session's PostgreSQL and Redis and a local object store."""
    root = tmp_path_factory.mktemp("fuzz-api")
    storage = root / "objects"
    storage.mkdir()
    with run_live_api(live_env(database_url, redis_url, storage), root / "api.log") as api:
        yield api
    log = Path(root / "api.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-5000:]


@pytest.fixture
def auth(live_api: LiveApi, database_url: str, redis_url: str) -> dict[str, str]:
    """A real registered user's bearer header (tables are truncated after every test)."""
    return register(live_api.base_url, f"fuzz_{uuid.uuid4().hex[:12]}")
