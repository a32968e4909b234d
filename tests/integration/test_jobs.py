"""Real worker processes running real jobs: progress, cancellation, failure, kill -9 recovery."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest

from mediahub.config import Settings
from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.events import job_channel
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.queue import (
    JobName,
    JobQueue,
    commit_and_enqueue,
    create_job_queue,
    new_job_run,
    request_cancel,
)
from mediahub.local.processes import free_port
from tests.support.events import ChannelEvents

pytestmark = pytest.mark.slow


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator:
    """A session factory on the test database."""
    engine = create_engine(settings, pool_size=2)
    yield create_session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def job_queue(settings: Settings) -> AsyncIterator[JobQueue]:
    """A queue client like the API's."""
    queue = create_job_queue(settings)
    yield queue
    await queue.disconnect()


async def _submit(db, job_queue: JobQueue, **kwargs) -> JobRun:
    async with db() as session:
        run = new_job_run(session, JobName.SELFTEST, **kwargs)
        await commit_and_enqueue(session, job_queue)
    return run


async def _wait_row(db, run_id: uuid.UUID, predicate, timeout: float, what: str) -> JobRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with db() as session:
            row = await session.get(JobRun, run_id)
            if row is not None and predicate(row):
                return row
            if row is not None and JobStatus(row.status).is_final:
                break  # it will not change any more: fail now, with the row
        await asyncio.sleep(0.1)
    async with db() as session:
        row = await session.get(JobRun, run_id)
    raise AssertionError(f"timed out waiting for {what}; row: {row and row.__dict__}")


async def test_job_runs_to_completion_with_progress_events(
    start_worker, db, job_queue: JobQueue, redis_url: str
) -> None:
    worker = start_worker()
    run = await _submit(db, job_queue, steps=4, step_seconds=0.6)
    async with ChannelEvents(redis_url, job_channel(run.id)) as log:
        row = await _wait_row(db, run.id, lambda r: r.status == JobStatus.DONE, 60, "done")
        await asyncio.sleep(0.3)
    assert row.result["steps"] == 4
    assert row.percent == 100.0
    assert row.attempts == 1
    assert row.finished_at is not None
    percents = [e["percent"] for e in log.of_type("job.progress")]
    assert percents == sorted(percents) and len(percents) >= 3, log.events
    assert len(log.of_type("job.done")) == 1
    assert worker.proc.poll() is None


async def test_cancel_stops_a_running_job_within_seconds(start_worker, db, job_queue) -> None:
    start_worker()
    run = await _submit(db, job_queue, steps=100, step_seconds=0.5)
    await _wait_row(db, run.id, lambda r: r.status == JobStatus.RUNNING and r.percent > 0, 30,
                    "running")
    async with db() as session:
        row = await session.get(JobRun, run.id)
        assert await request_cancel(session, row)
        await commit_and_enqueue(session, job_queue)
    started = time.monotonic()

    async def aborted() -> bool:
        message = await job_queue.job(run.key)
        return message is not None and message.status == "aborted"

    while not await aborted():
        assert time.monotonic() - started < 5, "worker did not stop the job within 5s"
        await asyncio.sleep(0.1)
    async with db() as session:
        final = await session.get(JobRun, run.id)
    assert final.status == JobStatus.CANCELLED
    assert final.percent < 50
    # The worker is free again: a new job completes.
    follow_up = await _submit(db, job_queue, steps=1, step_seconds=0)
    await _wait_row(db, follow_up.id, lambda r: r.status == JobStatus.DONE, 30, "follow-up")


async def test_failing_job_retries_then_fails_with_a_readable_reason(
    start_worker, db, job_queue
) -> None:
    # The worker's object store is an S3 endpoint where nothing listens: every attempt fails.
    start_worker(STORAGE_URL="s3://nowhere", S3_ENDPOINT_URL=f"http://127.0.0.1:{free_port()}",
                 S3_ACCESS_KEY_ID="k", S3_SECRET_ACCESS_KEY="s")
    run = await _submit(db, job_queue, steps=1, step_seconds=0)
    row = await _wait_row(db, run.id, lambda r: r.status == JobStatus.FAILED, 90, "failed")
    assert row.attempts == 3  # JOB_SPECS[SELFTEST].retries
    assert row.error and "Error" in row.error
    assert row.finished_at is not None


async def test_killed_worker_job_finishes_once_on_restarted_worker(
    start_worker, db, job_queue, redis_url: str
) -> None:
    first = start_worker()
    run = await _submit(db, job_queue, steps=12, step_seconds=0.5)
    async with ChannelEvents(redis_url, job_channel(run.id)) as log:
        await _wait_row(db, run.id, lambda r: r.status == JobStatus.RUNNING and r.percent >= 15,
                        30, "job running on the first worker")
        first.kill9()
        start_worker()  # the replacement, as `mediahub up` or an orchestrator would start it
        row = await _wait_row(db, run.id, lambda r: r.status == JobStatus.DONE, 90,
                              "job done on the restarted worker")
        await asyncio.sleep(1.0)  # let any duplicate completion surface before counting
    assert row.attempts == 2
    assert row.result["attempt"] == 2
    assert len(log.of_type("job.done")) == 1, log.events
    assert len(log.of_type("job.started")) == 2
