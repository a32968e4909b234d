"""Waiting on photos processed by a real worker, through the API."""

from __future__ import annotations

import asyncio
import time

import httpx


async def wait_until_processed(client: httpx.AsyncClient, auth: dict, photo_id: str,
                               timeout: float = 60) -> dict:
    """The photo's body once it is no longer `processing` (ready or failed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = (await client.get(f"/api/photos/{photo_id}", headers=auth)).json()
        if body["status"] != "processing":
            return body
        await asyncio.sleep(0.2)
    raise AssertionError(f"photo {photo_id} still processing after {timeout}s")
