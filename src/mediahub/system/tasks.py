"""The self-test job: exercises worker → storage → database → events end to end."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from mediahub.core.jobs.context import JobContext
from mediahub.core.jobs.registry import handles
from mediahub.core.queue import JobName


async def _chunks(payload: bytes):  # noqa: ANN202 - async generator
    yield payload


@handles(JobName.SELFTEST)
async def selftest(ctx: JobContext, *, steps: int = 3, step_seconds: float = 0.2) -> dict[str, Any]:
    """Write a probe object, read it back, and report progress over `steps` paced steps.

    Operators run it (`mediahub selftest`) to prove a deployment's worker can reach every
    backing service; the pacing makes it a realistic long-running job for recovery tests.
    """
    store = ctx.resources.store
    key = f"system/selftest/{ctx.job_id}.txt"
    payload = f"mediahub selftest {ctx.job_id}".encode()
    for step in range(steps):
        await ctx.progress("working", 100 * step / max(steps, 1), step=step)
        await asyncio.sleep(step_seconds)
    stored = await store.put_stream(key, _chunks(payload), content_type="text/plain")
    stream = await store.open_stream(key)
    read_back = b"".join([chunk async for chunk in stream])
    if read_back != payload:
        raise RuntimeError("storage returned different bytes than were written")
    await store.delete(key)
    return {
        "steps": steps,
        "attempt": ctx.run.attempts,
        "sha256": hashlib.sha256(payload).hexdigest(),
        "stored_size": stored.size,
    }
