"""The worker process: runs registered jobs from the Redis queue, records them in PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from saq import Worker
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from mediahub.config import Settings
from mediahub.core import events
from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.errors import without_paths
from mediahub.core.queue import (
    HANDLERS,
    JobName,
    JobQueue,
    PermanentJobError,
    create_job_queue,
    missing_handlers,
)
from mediahub.core.queue import reconcile as reconcile_jobs
from mediahub.core.redis import create_redis
from mediahub.core.storage import ObjectStore, build_object_store
from mediahub.exchange.housekeeping import expire_stale
from mediahub.gallery.service import purge_deleted_files
from mediahub.models.jobs import JobRun, JobStatus

log = logging.getLogger(__name__)
STAGING_SWEEP_EVERY_S = 3600

# Modules whose import registers job handlers. Heavy ones (WhisperX) import torch lazily inside
# their handlers, so the registry check stays fast and the API never needs them.
HANDLER_MODULES = ("mediahub.system.jobs", "mediahub.gallery.tasks", "mediahub.transcription.tasks")
PROGRESS_MIN_INTERVAL_S = 0.5


@dataclass
class WorkerResources:
    """Connections a worker opens once and shares between its jobs."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    store: ObjectStore
    redis: Redis
    queue: JobQueue


class JobContext:
    """What a handler gets: its job row, shared resources, progress reporting, cancellation."""

    def __init__(self, run: JobRun, resources: WorkerResources, saq_job: Any) -> None:
        self.run = run
        self.resources = resources
        self._saq_job = saq_job
        self._last_progress = 0.0
        self._stage: str | None = None
        self.cancelled = asyncio.Event()
        self.completed = False

    async def complete_in(self, session: AsyncSession, result: dict[str, Any]) -> bool:
        """Mark the job done inside the caller's transaction, so results and status commit
        together. False if the job is no longer running (cancelled meanwhile): roll back."""
        outcome = await session.execute(
            update(JobRun)
            .where(JobRun.id == self.run.id, JobRun.status == JobStatus.RUNNING)
            .values(status=JobStatus.DONE, percent=100.0, result=result, error=None,
                    finished_at=datetime.now(UTC))
        )
        self.completed = bool(outcome.rowcount)  # type: ignore[attr-defined]
        return self.completed

    @property
    def job_id(self) -> uuid.UUID:
        """The job row's id."""
        return self.run.id

    async def progress(self, stage: str, percent: float, **extra: Any) -> None:
        """Record and broadcast progress; throttled unless the stage changes."""
        percent = max(0.0, min(100.0, percent))
        now = time.monotonic()
        if stage == self._stage and now - self._last_progress < PROGRESS_MIN_INTERVAL_S:
            return
        self._stage, self._last_progress = stage, now
        async with self.resources.sessions() as session:
            await session.execute(
                update(JobRun)
                .where(JobRun.id == self.run.id, JobRun.status == JobStatus.RUNNING)
                .values(stage=stage, percent=percent)
            )
            await session.commit()
        await self._saq_job.update(progress=percent / 100, meta={"stage": stage})
        await _publish_job_event(
            self.resources, self.run, "job.progress", stage=stage, percent=percent, **extra
        )


StartupHook = Callable[[WorkerResources], Awaitable[None]]
STARTUP_HOOKS: list[StartupHook] = []


def on_startup(fn: StartupHook) -> StartupHook:
    """Register a background task started with the worker (e.g. warming a model)."""
    STARTUP_HOOKS.append(fn)
    return fn


async def _run_startup_hook(hook: StartupHook, resources: WorkerResources) -> None:
    try:
        await hook(resources)
    except Exception:  # noqa: BLE001 - a failed warm-up must not stop the worker
        log.exception("startup task %s failed", hook.__qualname__)


FinalHook = Callable[[WorkerResources, JobRun, JobStatus, str | None], Awaitable[None]]
FINAL_HOOKS: dict[JobName, FinalHook] = {}


def on_final_failure(name: JobName) -> Callable[[FinalHook], FinalHook]:
    """Register a callback run after a job of `name` ends as failed (any cause)."""

    def register(fn: FinalHook) -> FinalHook:
        FINAL_HOOKS[name] = fn
        return fn

    return register


async def _failed_for_good(resources: WorkerResources, run: JobRun, message: str) -> None:
    await _publish_job_event(resources, run, "job.failed", error=message)
    hook = FINAL_HOOKS.get(JobName(run.name))
    if hook is not None:
        try:
            await hook(resources, run, JobStatus.FAILED, message)
        except Exception:  # noqa: BLE001 - a notification must not turn into a retry
            log.exception("final-failure hook of %s failed", run.name)


async def _publish_job_event(
    resources: WorkerResources, run: JobRun, kind: str, **fields: Any
) -> None:
    event = {"type": kind, "job_id": str(run.id), "name": run.name, **fields}
    await events.publish(resources.redis, events.job_channel(run.id), event)
    if run.owner_id is not None:
        await events.publish(resources.redis, events.user_channel(run.owner_id), event)


async def _claim(resources: WorkerResources, run_id: uuid.UUID) -> JobRun | None:
    """Mark the row running for this attempt; None if it is already final (duplicate delivery)."""
    async with resources.sessions() as session:
        run = await session.get(JobRun, run_id, with_for_update=True)
        if run is None or JobStatus(run.status).is_final:
            return None
        run.status = JobStatus.RUNNING
        run.attempts += 1
        run.started_at = datetime.now(UTC)
        run.error = None
        await session.commit()
        return run


async def _finish(
    resources: WorkerResources, run: JobRun, status: JobStatus, **values: Any
) -> bool:
    """Move a running row to its next state; False if someone else (cancel) got there first."""
    if status.is_final:
        values["finished_at"] = datetime.now(UTC)
    async with resources.sessions() as session:
        result = await session.execute(
            update(JobRun)
            .where(JobRun.id == run.id, JobRun.status == JobStatus.RUNNING)
            .values(status=status, **values)
        )
        await session.commit()
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


def _runner(name: JobName):  # noqa: ANN202 - returns a SAQ job function
    """Wrap a handler with claim, heartbeat, progress, retry bookkeeping and final state."""
    handler = HANDLERS[name]

    async def run_job(ctx: dict[str, Any], *, job_run_id: str) -> dict[str, Any] | None:
        resources: WorkerResources = ctx["mediahub"]
        saq_job = ctx["job"]
        run = await _claim(resources, uuid.UUID(job_run_id))
        if run is None:
            return None
        job_ctx = JobContext(run, resources, saq_job)
        started = time.monotonic()
        beat = asyncio.create_task(_heartbeat(saq_job, max(1.0, saq_job.heartbeat / 3)))
        await _publish_job_event(resources, run, "job.started", attempt=run.attempts)
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
                await _publish_job_event(resources, run, "job.retrying", error=message)
            raise
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await beat
        if job_ctx.completed or await _finish(resources, run, JobStatus.DONE, result=result,
                                              percent=100.0):
            await _publish_job_event(resources, run, "job.done", result=result)
        return result

    run_job.__qualname__ = run_job.__name__ = name.value
    return run_job


def load_handlers() -> None:
    """Import handler modules and refuse to continue if any job name has no handler."""
    for module in HANDLER_MODULES:
        importlib.import_module(module)
    missing = missing_handlers()
    if missing:
        raise RuntimeError(f"no handler registered for job(s): {', '.join(missing)}")


async def _reconcile_forever(resources: WorkerResources, every_s: float) -> None:
    """Periodically re-enqueue jobs PostgreSQL knows but Redis lost."""
    while True:
        await asyncio.sleep(every_s)
        try:
            async with resources.sessions() as session:
                count = await reconcile_jobs(
                    session, resources.queue, older_than=timedelta(seconds=every_s * 3)
                )
            if count:
                log.warning("re-enqueued %d job(s) missing from Redis", count)
        except Exception as exc:  # noqa: BLE001 - a transient outage must not kill the worker
            log.warning("job reconcile skipped: %s", exc)


async def _housekeeping_forever(resources: WorkerResources, every_s: float) -> None:
    """Periodically expire open trades and pending transfers and remove deleted photos' files
    past their retention; hourly, remove partial uploads abandoned by killed processes."""
    next_sweep = time.monotonic()
    while True:
        await asyncio.sleep(every_s)
        try:
            async with resources.sessions() as session:
                counts = await expire_stale(session)
            if any(counts.values()):
                log.info("expired %d trade(s), %d transfer(s)",
                         counts["trades"], counts["transfers"])
        except Exception as exc:  # noqa: BLE001 - a transient outage must not kill the worker
            log.warning("exchange housekeeping skipped: %s", exc)
        await _purge_deleted_files(resources)
        if time.monotonic() >= next_sweep:
            next_sweep = time.monotonic() + STAGING_SWEEP_EVERY_S
            await _sweep_abandoned_uploads(resources)


async def _purge_deleted_files(resources: WorkerResources) -> None:
    try:
        async with resources.sessions() as session:
            purged = await purge_deleted_files(
                session, resources.store,
                older_than_s=resources.settings.deleted_files_retention_seconds)
    except Exception as exc:  # noqa: BLE001 - a transient outage must not kill the worker
        log.warning("purge of deleted photos' files skipped: %s", exc)
        return
    if purged:
        log.info("removed the files of %d deleted photo(s)", purged)


async def _sweep_abandoned_uploads(resources: WorkerResources) -> None:
    # Older than the longest an upload may take: nobody is still writing it.
    grace = timedelta(seconds=resources.settings.body_read_timeout_seconds + 600)
    try:
        removed = await resources.store.sweep_abandoned_uploads(older_than=grace)
    except Exception as exc:  # noqa: BLE001 - storage trouble must not kill the worker
        log.warning("sweep of abandoned uploads skipped: %s", exc)
        return
    if removed:
        log.info("removed %d abandoned partial upload(s)", removed)


def build_worker(settings: Settings) -> Worker:
    """A SAQ worker for every registered job, with resources opened at startup."""
    load_handlers()
    queue = create_job_queue(settings)
    background: list[asyncio.Task[None]] = []

    async def startup(ctx: dict[str, Any]) -> None:
        engine = create_engine(settings, pool_size=settings.worker_concurrency + 2)
        resources = WorkerResources(
            settings=settings,
            engine=engine,
            sessions=create_session_factory(engine),
            store=build_object_store(settings),
            redis=create_redis(settings.redis_url, max_connections=settings.redis_max_connections),
            queue=queue,
        )
        ctx["mediahub"] = resources
        background.append(
            asyncio.create_task(_reconcile_forever(resources, settings.job_sweep_seconds * 3))
        )
        background.append(
            asyncio.create_task(_housekeeping_forever(resources, settings.housekeeping_seconds))
        )
        background.extend(asyncio.create_task(_run_startup_hook(hook, resources))
                          for hook in STARTUP_HOOKS)
        log.info("worker ready: %d job kind(s), concurrency %d",
                 len(HANDLERS), settings.worker_concurrency)

    async def shutdown(ctx: dict[str, Any]) -> None:
        for task in background:
            task.cancel()
        resources: WorkerResources | None = ctx.get("mediahub")
        if resources:
            await resources.redis.aclose()
            await resources.engine.dispose()

    return Worker(
        queue,
        functions=[(name.value, _runner(name)) for name in JobName],
        concurrency=settings.worker_concurrency,
        startup=startup,
        shutdown=shutdown,
        timers={"sweep": settings.job_sweep_seconds, "abort": 1, "schedule": 1},
        # SAQ's grace period waits for its never-ending upkeep loops too, so any value is
        # spent in full on every stop. Jobs are idempotent and handed back to the queue when
        # cancelled, so stopping at once is safe and keeps restarts fast.
        shutdown_grace_period_s=None,
    )


async def wait_for_redis(settings: Settings, timeout_s: float = 60) -> None:
    """Wait until Redis answers (the worker may start before it, e.g. in `mediahub up`)."""
    import redis.exceptions

    client = Redis.from_url(settings.redis_url, socket_connect_timeout=2)
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                await client.ping()
                return
            except (redis.exceptions.ConnectionError, redis.exceptions.BusyLoadingError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Redis not reachable after {timeout_s:.0f}s") from None
                await asyncio.sleep(0.1)
    finally:
        await client.aclose()


def lower_priority(nice: int) -> None:
    """Run background jobs at a lower CPU priority than the API on the same machine.

    Renditions and transcriptions can keep every core busy for minutes; interactive requests
    on the same machine (`mediahub up`, or a worker next to the API) should not wait behind
    them. Lowering priority needs no privilege, in or out of containers; threads started
    later inherit it.
    """
    try:
        if nice > os.getpriority(os.PRIO_PROCESS, 0):  # never raise a priority set outside
            os.setpriority(os.PRIO_PROCESS, 0, nice)
    except OSError as exc:  # e.g. a seccomp profile that forbids it: run as we are
        log.warning("could not lower the worker's CPU priority: %s", exc)


def run_worker(settings: Settings) -> None:
    """Run the worker until SIGINT/SIGTERM; running jobs are handed back to the queue."""
    lower_priority(settings.worker_nice)

    async def main() -> None:
        worker = build_worker(settings)
        await wait_for_redis(settings)
        await worker.queue.connect()
        try:
            await worker.start()
        finally:
            await worker.queue.disconnect()

    asyncio.run(main())
