"""In-process HTTP clients for the app (no server, real lifespan set up by the caller)."""

from __future__ import annotations

import httpx


def asgi_client(app: object, base_url: str = "http://testserver") -> httpx.AsyncClient:
    """An HTTP client talking to `app` in-process (https:// base URLs look like TLS to it)."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url=base_url)
