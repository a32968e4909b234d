"""The SAQ side of a job: claim the row, heartbeat, run the handler, record the final state.

PostgreSQL's `job_runs` row is the truth: a duplicate delivery finds it final and does
nothing, and a cancel that got there first wins over the runner's own update.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from mediahub.core.errors import without_paths
from mediahub.core.jobs.context import JobContext, WorkerResources, publish_job_event
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.jobs.registry import FINAL_HOOKS, HANDLERS
from mediahub.core.queue import JobName, PermanentJobError

log = logging.getLogger(__name__)
FINAL_STATUSES = tuple(status for status in JobStatus if status.is_final)


async def _failed_for_good(resources: WorkerResources, run: JobRun, message: str) -> None:
    await publish_job_event(resources, run, "job.failed", error=message)
    hook = FINAL_HOOKS.get(JobName(run.name))
    if hook is not None:
        try:
            await hook(resources, run, JobStatus.FAILED, message)
        except Exception:  # noqa: BLE001 - a notification must not turn into a retry
            log.exception("final-failure hook of %s failed", run.name)


async def _claim(resources: WorkerResources, run_id: uuid.UUID) -> JobRun | None:
    """Mark the row running for this attempt; None if it is already final (duplicate delivery).

    One statement, no transaction around it: the UPDATE locks the row and re-checks the
    status after the lock, so a cancel that got there first still wins.
    """
    claim = (
        update(JobRun)
        .where(JobRun.id == run_id, JobRun.status.not_in(FINAL_STATUSES))
        .values(status=JobStatus.RUNNING, attempts=JobRun.attempts + 1,
                started_at=datetime.now(UTC), error=None)
        .returning(JobRun)
    )
    async with resources.single_statements() as session:
        return await session.scalar(select(JobRun).from_statement(claim))


async def _finish(
    resources: WorkerResources, run: JobRun, status: JobStatus, **values: Any
) -> bool:
    """Move a running row to its next state; False if someone else (cancel) got there first."""
    if status.is_final:
        values["finished_at"] = datetime.now(UTC)
    async with resources.single_statements() as session:  # one UPDATE: no BEGIN/COMMIT
        result = await session.execute(
            update(JobRun)
            .where(JobRun.id == run.id, JobRun.status == JobStatus.RUNNING)
            .values(status=status, **values)
        )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _user_facing(run: JobRun, message: str) -> str:
    """A job's error as its owner sees it (row, events): no server paths; the full text
    goes to the log."""
    public = without_paths(message)
    if public != message:
        log.warning("job %s (%s) failed: %s", run.id, run.name, message[:4000])
    return public[:2000]


async def _heartbeat(saq_job: Any, every_s: float) -> None:
    """Keep the job's `touched` time fresh so the sweeper knows this worker is alive."""
    while True:
        await asyncio.sleep(every_s)
        await saq_job.update()


def runner(name: JobName):  # noqa: ANN202 - returns a SAQ job function
    """Wrap a handler with claim, heartbeat, progress, retry bookkeeping and final state."""
    handler = HANDLERS[name]

    async def run_job(ctx: dict[str, Any], *, job_run_id: str) -> dict[str, Any] | None:
        resources: WorkerResources = ctx["mediahub"]
        saq_job = ctx["job"]
        run = await _claim(resources, uuid.UUID(job_run_id))
        if run is None:
            return None
        job_ctx = JobContext(run, resources)
        started = time.monotonic()
        beat = asyncio.create_task(_heartbeat(saq_job, max(1.0, saq_job.heartbeat / 3)))
        await publish_job_event(resources, run, "job.started", attempt=run.attempts)
        try:
            result = await handler(job_ctx, **run.kwargs)
        except asyncio.CancelledError:
            job_ctx.cancelled.set()
            # A cancelled row was already marked by request_cancel (so _finish is a no-op).
            # A timeout on the last attempt is final; otherwise (earlier timeout, worker
            # shutdown) SAQ puts the job back on the queue, and so do we.
            timed_out = time.monotonic() - started >= saq_job.timeout - 0.5
            if timed_out and saq_job.attempts >= saq_job.retries:
                message = f"timed out after {saq_job.timeout}s"
                if await _finish(resources, run, JobStatus.FAILED, error=message):
                    await _failed_for_good(resources, run, message)
            else:
                await _finish(resources, run, JobStatus.QUEUED, error="interrupted; will retry")
            raise
        except PermanentJobError as exc:
            # Retrying cannot help (unreadable file, missing model): fail now, tell the user
            # why, and let SAQ consider the job complete so it is not retried.
            message = _user_facing(run, str(exc))
            coded = {"result": {"code": exc.code}} if exc.code else {}
            if await _finish(resources, run, JobStatus.FAILED, error=message, **coded):
                await _failed_for_good(resources, run, message)
            return {"error": message}
        except Exception as exc:
            final = saq_job.attempts >= saq_job.retries
            status = JobStatus.FAILED if final else JobStatus.QUEUED
            message = _user_facing(run, f"{type(exc).__name__}: {exc}")
            await _finish(resources, run, status, error=message)
            if final:
                await _failed_for_good(resources, run, message)
            else:
                await publish_job_event(resources, run, "job.retrying", error=message)
            raise
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await beat
        if job_ctx.completed or await _finish(resources, run, JobStatus.DONE, result=result,
                                              percent=100.0):
            await publish_job_event(resources, run, "job.done", result=result)
        return result

    run_job.__qualname__ = run_job.__name__ = name.value
    return run_job
