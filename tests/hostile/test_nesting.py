"""Deeply nested JSON against a real `mediahub api`: a 400 with a code, and a bounded log.

Found by an attack: `[`×350 + `]`×350 (700 bytes, no account) was a 500 and ~216 KB of
traceback in the log per request.
"""

from __future__ import annotations

import httpx
import pytest

from tests.support.live_api import LiveApi

pytestmark = pytest.mark.slow

LOG_BYTES_PER_REQUEST = 2048  # a request may add at most an access-log line or two


@pytest.mark.parametrize("depth", [350, 100_000])
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deep_json_is_400_and_the_log_stays_small(live_api: LiveApi, depth: int,
                                                  opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    body = (opener * depth + "1" + closer * depth).encode()
    log = live_api.process.log
    before = log.stat().st_size
    for _ in range(5):
        response = httpx.post(f"{live_api.base_url}/api/auth/login", content=body,
                              headers={"Content-Type": "application/json"}, timeout=30)
        assert response.status_code == 400, response.text[:300]
        assert response.json()["code"] == "json_too_deep"
    grown = log.stat().st_size - before
    assert grown <= 5 * LOG_BYTES_PER_REQUEST, f"log grew by {grown} bytes for 5 requests"
    assert httpx.get(f"{live_api.base_url}/api/health", timeout=5).status_code == 200


def test_ordinary_nesting_still_reaches_the_route(live_api: LiveApi) -> None:
    """A body nested a few levels is validated by the route as before (422, not 400)."""
    response = httpx.post(f"{live_api.base_url}/api/auth/login",
                          json={"username": [[[{"a": [1]}]]], "password": "x"}, timeout=30)
    assert response.status_code == 422, response.text
