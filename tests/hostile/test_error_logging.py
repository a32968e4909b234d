"""A failure no handler expected: a 500 ErrorBody and a bounded log, however often it repeats.

Before, every such request wrote the full traceback twice (our handler, then the server's
"Exception in ASGI application" after Starlette re-raised it): repeating one cheap request
grew the log without bound.
"""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

ONE_LINE_BYTES = 1024


def _failing_routes(app: FastAPI) -> None:
    """Two routes that fail where no handler expects it (stand-ins for a future bug)."""

    def deep(n: int) -> None:
        if n:
            deep(n - 1)
        raise ValueError("x" * 50_000 + "\nforged log line")

    async def boom() -> None:
        deep(300)  # a long traceback, like the nested-JSON RecursionError was

    async def other() -> None:
        raise KeyError("another place")

    # first, ahead of the web app's catch-all mount at /
    app.router.routes[:0] = [APIRoute("/api/test-boom", boom), APIRoute("/api/test-other", other)]


async def test_repeated_failures_log_one_traceback_then_one_line_each(
        app: FastAPI, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture) -> None:
    _failing_routes(app)
    caplog.set_level(logging.ERROR)
    for _ in range(20):
        response = await client.get("/api/test-boom")
        assert response.status_code == 500
        assert response.json() == {"detail": "internal error", "code": "internal_error",
                                   "params": {}}
    records = [r for r in caplog.records if "test-boom" in r.getMessage()]
    assert len(records) == 20
    full = [r for r in records if "Traceback" in r.getMessage()]
    assert len(full) == 1  # the rest within the minute are one line each
    assert len(full[0].getMessage()) <= 20 * 1024  # even the one traceback is bounded
    for record in records:
        if record is not full[0]:
            message = record.getMessage()
            assert "\n" not in message and len(message) <= ONE_LINE_BYTES, message[:300]
    # another failure, elsewhere, still gets its own traceback
    assert (await client.get("/api/test-other")).status_code == 500
    other = [r for r in caplog.records if "test-other" in r.getMessage()]
    assert len(other) == 1 and "Traceback" in other[0].getMessage()
