"""A live API (real uvicorn) with short body timeouts and a small photo limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.live_api import LiveApi, live_api_in

IDLE_TIMEOUT_S = 1.0
TOTAL_TIMEOUT_S = 4.0
MAX_PHOTO_BYTES = 256 * 1024
WS_IDLE_TIMEOUT_S = 2.0
WS_MAX_PER_ADDRESS = 8


@pytest.fixture(scope="module")
def live_api(database_url: str, redis_url: str,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    extra = {"BODY_READ_IDLE_TIMEOUT_SECONDS": str(IDLE_TIMEOUT_S),
             "BODY_READ_TIMEOUT_SECONDS": str(TOTAL_TIMEOUT_S),
             "MAX_PHOTO_BYTES": str(MAX_PHOTO_BYTES),
             "HEADER_READ_TIMEOUT_SECONDS": "2",
             "WS_IDLE_TIMEOUT_SECONDS": str(WS_IDLE_TIMEOUT_S),
             "WS_MAX_PER_ADDRESS": str(WS_MAX_PER_ADDRESS)}
    with live_api_in(tmp_path_factory.mktemp("hostile-api"), database_url, redis_url,
                     extra) as api:
        yield api
