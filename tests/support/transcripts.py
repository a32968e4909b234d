"""Waiting on transcriptions run by a real worker, through the API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx


async def wait_for_transcription(client: httpx.AsyncClient, auth: dict, tid: str,
                                 until: Callable[[dict], bool], what: str,
                                 timeout: float = 300, interval: float = 0.3) -> dict:
    """The transcription's body once `until(body)` holds; fails naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        body = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
        if until(body):
            return body
        await asyncio.sleep(interval)
    raise AssertionError(
        f"{what}: not reached in {timeout}s; last {body.get('status')} "
        f"{body.get('progress')} {body.get('error')}"
    )
