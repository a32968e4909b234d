"""Background jobs on SAQ (Redis): names, per-job semantics, enqueue-after-commit, cancellation.

PostgreSQL's `job_runs` row is the durable record of a job; the Redis message only carries
its id. So a lost Redis message can be re-enqueued from PostgreSQL (see `reconcile`), and a
duplicate delivery is a no-op because the runner checks the row first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from saq import Job, Status
from saq.queue.redis import RedisQueue
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.config import Settings
from mediahub.core.jobs.models import JobRun, JobStatus

logger = logging.getLogger(__name__)

QUEUE_NAME = "mediahub"
DEQUEUE_GRACE_S = 2.0
_PENDING_KEY = "mediahub.pending_jobs"
_PENDING_ABORTS_KEY = "mediahub.pending_aborts"


class JobName(StrEnum):
    """Every job the system knows. A worker refuses to start unless each has a handler."""

    SELFTEST = "system.selftest"
    PHOTO_RENDITIONS = "gallery.photo_renditions"
    TRANSCRIBE = "transcription.transcribe"


@dataclass(frozen=True)
class JobSpec:
    """Explicit semantics of one job kind; nothing is left to the library's defaults."""

    timeout_s: int
    retries: int
    retry_delay_s: float
    retry_backoff_max_s: float
    result_ttl_s: int = 24 * 3600


JOB_SPECS: dict[JobName, JobSpec] = {
    JobName.SELFTEST: JobSpec(timeout_s=300, retries=3, retry_delay_s=1.0, retry_backoff_max_s=30),
    # Bad images end as `failed` inside the job; retries are for outages (storage, database).
    JobName.PHOTO_RENDITIONS: JobSpec(timeout_s=300, retries=4, retry_delay_s=2.0,
                                      retry_backoff_max_s=60),
    # Hours of audio on a CPU take long; a dead worker is noticed by its heartbeat, not by
    # this timeout. Unreadable media fail at once (PermanentJobError), without retries.
    JobName.TRANSCRIBE: JobSpec(timeout_s=8 * 3600, retries=3, retry_delay_s=5.0,
                                retry_backoff_max_s=120),
}


class PermanentJobError(Exception):
    """Raised by a handler when retrying cannot help; the message is shown to the user.

    `code` (optional) is recorded as the failed job's `result.code`, for callers that answer
    differently per cause (the synchronous transcription endpoint's 413).
    """

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class JobQueue(RedisQueue):
    """SAQ's Redis queue with a sweep interval we control (stuck-job recovery speed)."""

    def __init__(self, *args: Any, sweep_lock_s: int = 10, heartbeat_s: int = 15, **kw: Any):
        super().__init__(*args, **kw)
        self.sweep_lock_s = sweep_lock_s
        self.heartbeat_s = heartbeat_s

    async def sweep(self, lock: int | None = None, abort: float = 5.0) -> list[str]:
        """Recover jobs whose worker died: stale heartbeat, or never marked active.

        Replaces SAQ's sweep, which also aborts a job that a worker has just moved to the
        active list but not yet marked ACTIVE (a race we observed in tests). Here such a
        job is recovered only if it is unchanged when read again after a grace period.
        Relies on SAQ internals (pinned to 0.26.x).
        """
        lock_s = lock or self.sweep_lock_s
        if not await self.redis.set(self._sweep, 1, ex=lock_s, nx=True):
            return []  # another worker swept moments ago
        swept: list[str] = []
        for raw_id in await self.redis.lrange(self._active, 0, -1):
            job_id = raw_id.decode()
            job = self.deserialize(await self.redis.get(job_id))
            if job is None:
                await self.redis.lrem(self._active, 0, job_id)
                await self.redis.zrem(self._incomplete, job_id)
                swept.append(job_id)
            elif job.stuck or await self._lost_in_dequeue(job_id, job):
                await self._recover(job, abort)
                swept.append(job_id)
        return swept

    async def _lost_in_dequeue(self, job_id: str, job: Job) -> bool:
        """A job taken off the queue whose worker never marked it active.

        Seeing this is normal for a few milliseconds after every dequeue, so look again
        after a pause: a live worker has marked it active (or finished it) by then.
        """
        if job.status in (Status.ACTIVE, Status.ABORTING):
            return False
        await asyncio.sleep(DEQUEUE_GRACE_S)
        again = self.deserialize(await self.redis.get(job_id))
        if again is None or again.status != job.status or again.attempts != job.attempts:
            return False
        return job_id.encode() in await self.redis.lrange(self._active, 0, -1)

    async def _recover(self, job: Job, abort: float) -> None:
        logger.warning("recovering job %s (worker lost)", job.key)
        await self.abort(job, error=self.swept_error_message)
        with contextlib.suppress(TimeoutError):
            await job.refresh(abort)
        if job.retryable:
            await self.retry(job, error=self.swept_error_message)
        else:
            await self.finish(job, Status.ABORTED, error=self.swept_error_message)

    async def enqueue_run(self, run: JobRun) -> None:
        """Put the Redis message for a committed job row on the queue (idempotent by key)."""
        spec = JOB_SPECS[JobName(run.name)]
        await self.enqueue(
            Job(
                function=run.name,
                key=run.key,
                kwargs={"job_run_id": str(run.id)},
                timeout=spec.timeout_s,
                heartbeat=self.heartbeat_s,
                retries=spec.retries,
                retry_delay=spec.retry_delay_s,
                retry_backoff=spec.retry_backoff_max_s,
                ttl=spec.result_ttl_s,
            )
        )

    async def abort_run(self, run: JobRun, reason: str = "cancelled") -> None:
        """Ask whichever worker holds the job to stop it (the worker polls aborts every second)."""
        job = await self.job(run.key)
        if job is not None:
            await self.abort(job, error=reason)


def create_job_queue(settings: Settings) -> JobQueue:
    """A queue client for the API (enqueue, abort) or the worker (dequeue), from settings."""
    from mediahub.core.redis import create_redis

    redis = create_redis(settings.redis_url, max_connections=settings.redis_max_connections)
    return JobQueue(
        redis,
        name=QUEUE_NAME,
        sweep_lock_s=settings.job_sweep_seconds,
        heartbeat_s=settings.job_heartbeat_seconds,
    )


def new_job_run(
    session: AsyncSession,
    name: JobName,
    *,
    owner_id: uuid.UUID | None = None,
    **kwargs: Any,
) -> JobRun:
    """Record a job in the session; it is enqueued only after that session commits."""
    run_id = uuid.uuid4()
    run = JobRun(
        id=run_id,
        name=name.value,
        key=f"{name.value}:{run_id}",
        owner_id=owner_id,
        kwargs=kwargs,
        status=JobStatus.QUEUED,
        percent=0.0,
        attempts=0,
    )
    session.add(run)
    session.info.setdefault(_PENDING_KEY, []).append(run)
    return run


def discard_pending(session: AsyncSession) -> None:
    """Forget jobs (and cancellations) recorded in a session that rolled back."""
    session.info.pop(_PENDING_KEY, None)
    session.info.pop(_PENDING_ABORTS_KEY, None)


async def flush_pending(session: AsyncSession, queue: JobQueue) -> None:
    """Enqueue the jobs, and stop the cancelled ones, of a session that has committed.

    If Redis is down here the rows stay `queued` in PostgreSQL and the worker's reconciler
    enqueues them later, so the request still succeeds and nothing is lost. A cancelled
    row is final either way: a worker still running it cannot record a result.
    """
    import redis.exceptions

    unreachable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
    pending: list[JobRun] = session.info.pop(_PENDING_KEY, [])
    aborts: list[JobRun] = session.info.pop(_PENDING_ABORTS_KEY, [])
    with contextlib.suppress(*unreachable):
        for run in pending:
            await queue.enqueue_run(run)
    with contextlib.suppress(*unreachable):
        for run in aborts:
            await queue.abort_run(run)


async def commit_and_enqueue(session: AsyncSession, queue: JobQueue) -> None:
    """Commit outside a request (CLI, tests, other jobs) with the same after-commit rule."""
    await session.commit()
    await flush_pending(session, queue)


async def request_cancel(session: AsyncSession, run: JobRun) -> bool:
    """Mark a job cancelled in the session; False when it had already finished.

    The caller commits (the request boundary, or commit_and_enqueue); only then is the
    worker told to stop it, so a rolled-back request cancels nothing.
    """
    result = await session.execute(
        update(JobRun)
        .where(JobRun.id == run.id, JobRun.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
        .values(status=JobStatus.CANCELLED, finished_at=datetime.now(UTC), error="cancelled")
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        return False
    session.info.setdefault(_PENDING_ABORTS_KEY, []).append(run)
    return True


async def reconcile(
    session: AsyncSession, queue: JobQueue, *, older_than: timedelta = timedelta(seconds=30)
) -> int:
    """Re-enqueue unfinished jobs that Redis no longer knows (lost message, Redis restart)."""
    cutoff = datetime.now(UTC) - older_than
    rows = await session.scalars(
        select(JobRun)
        .where(JobRun.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
        .where(JobRun.updated_at < cutoff)
        .limit(500)
    )
    requeued = 0
    for run in rows:
        message = await queue.job(run.key)
        if message is None:
            await queue.enqueue_run(run)
            requeued += 1
        elif message.status in (Status.COMPLETE, Status.FAILED, Status.ABORTED):
            # The queue finished it but the row never heard (DB outage at that moment).
            run.status = JobStatus.FAILED
            run.error = (f"the job ended in the queue ({message.status}) without recording a "
                         "result; usually its worker stopped (crash or out of memory) on every "
                         "attempt")
            run.finished_at = datetime.now(UTC)
    await session.commit()
    return requeued

