"""Waiting on transcriptions run by a real worker, through the API; finishing one without."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.jobs.models import JobRun
from mediahub.transcription import service
from mediahub.transcription.models import Transcription
from mediahub.transcription.transcript import Transcript


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


async def finish_transcription(settings: Any, tid: str, transcript: Transcript) -> None:
    """Store `transcript` as the result of submitted transcription `tid` and mark its job done,
    as the worker would (for tests that need a done transcript without running the engine)."""
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        row = await session.get(Transcription, uuid.UUID(tid))
        await service.save_transcript(session, row, transcript)
        run = await session.get(JobRun, row.job_run_id)
        run.status, run.percent = "done", 100.0
        await session.commit()
    await engine.dispose()
