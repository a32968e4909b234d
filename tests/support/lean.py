"""Lean routes (core/lean.py, ADR 0028) against their FastAPI routes: the same request sent
to the app as served and with every lean route taken out must answer the same bytes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from mediahub.core.lean import LeanRoute


@contextmanager
def fastapi_only(app) -> Iterator[None]:  # noqa: ANN001
    """The app with its lean routes taken out (FastAPI's routes alone, as before them)."""
    saved = list(app.router.routes)
    app.router.routes[:] = [route for route in saved if not isinstance(route, LeanRoute)]
    try:
        yield
    finally:
        app.router.routes[:] = saved


async def same(app, client: httpx.AsyncClient, url: str,  # noqa: ANN001
               headers: dict[str, str] | None = None, method: str = "GET") -> httpx.Response:
    """Send `url` as served and FastAPI-only; assert the same status, headers and body."""
    lean = await client.request(method, url, headers=headers or {})
    with fastapi_only(app):
        plain = await client.request(method, url, headers=headers or {})
    assert (lean.status_code, lean.content) == (plain.status_code, plain.content), url
    assert lean.headers.multi_items() == plain.headers.multi_items(), url
    return lean


@pytest.fixture
def lean_calls(app) -> Iterator[list[str]]:  # noqa: ANN001
    """The paths (with their queries) the lean routes answered, to prove which route a
    request took."""
    routes = [r for r in app.router.routes if isinstance(r, LeanRoute)]
    saved, calls = [r.endpoint for r in routes], []

    def counting(endpoint):  # noqa: ANN001, ANN202
        async def endpoint_counted(request, params):  # noqa: ANN001, ANN202
            query = request.url.query
            calls.append(request.url.path + (f"?{query}" if query else ""))
            return await endpoint(request, params)
        return endpoint_counted

    for route, endpoint in zip(routes, saved, strict=True):
        route.endpoint = counting(endpoint)
    yield calls
    for route, endpoint in zip(routes, saved, strict=True):
        route.endpoint = endpoint
