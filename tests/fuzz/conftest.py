"""A live API for the fuzzing tests: one server per module, a fresh user per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from tests.support.live_api import LiveApi, live_api_in, register


@pytest.fixture(scope="module")
def live_api(database_url: str, redis_url: str,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    """`mediahub api` over the session's PostgreSQL and Redis and a local object store."""
    with live_api_in(tmp_path_factory.mktemp("fuzz-api"), database_url, redis_url) as api:
        yield api
    log = api.log.read_text(errors="replace")
    assert "Traceback" not in log, log[-5000:]


@pytest.fixture
def auth(live_api: LiveApi, database_url: str, redis_url: str) -> dict[str, str]:
    """A real registered user's bearer header (tables are truncated after every test)."""
    return register(live_api.base_url, f"fuzz_{uuid.uuid4().hex[:12]}")
