"""Run the self-test job from outside a worker (the `mediahub selftest` command)."""

from __future__ import annotations

import asyncio
import time

from mediahub.config import Settings
from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.queue import JobName, commit_and_enqueue, create_job_queue, new_job_run


async def run_selftest(settings: Settings, *, wait_s: float = 60) -> tuple[bool, str]:
    """Enqueue a self-test job and wait for a worker to finish it."""
    engine = create_engine(settings, pool_size=1)
    queue = create_job_queue(settings)
    sessions = create_session_factory(engine)
    try:
        async with sessions() as session:
            run = new_job_run(session, JobName.SELFTEST, steps=2, step_seconds=0.1)
            await commit_and_enqueue(session, queue)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            async with sessions() as session:
                row = await session.get(JobRun, run.id)
                assert row is not None
                if JobStatus(row.status).is_final:
                    ok = row.status == JobStatus.DONE
                    detail = f"result {row.result}" if ok else f"error: {row.error}"
                    return ok, f"selftest job {row.id} {row.status} ({detail})"
            await asyncio.sleep(0.2)
        return False, (
            f"selftest job {run.id} did not finish within {wait_s:.0f}s (is a worker running?)"
        )
    finally:
        await queue.disconnect()
        await engine.dispose()
