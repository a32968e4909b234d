"""The worker process's entry point: build a SAQ worker for every registered job and run it.

The job framework (context, handler registry, runner, periodic jobs) lives in core/jobs/;
domain task modules register with it, and this module imports them (HANDLER_MODULES).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import time
from typing import Any

from redis.asyncio import Redis
from saq import Worker

from mediahub.config import Settings
from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.jobs.context import WorkerResources
from mediahub.core.jobs.periodic import start_periodic
from mediahub.core.jobs.registry import (
    HANDLERS,
    STARTUP_HOOKS,
    missing_handlers,
    run_startup_hook,
)
from mediahub.core.jobs.runner import runner
from mediahub.core.queue import JobName, create_job_queue
from mediahub.core.redis import create_redis
from mediahub.core.storage import build_object_store

try:  # not built for every platform (pyproject's marker)
    import uvloop
except ImportError:  # pragma: no cover - Linux, macOS and our images have it
    uvloop = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# Modules whose import registers job handlers and periodic jobs. Heavy ones (WhisperX) import
# torch lazily inside their handlers, so the registry check stays fast and the API never
# needs them.
HANDLER_MODULES = (
    "mediahub.core.jobs.tasks",
    "mediahub.system.tasks",
    "mediahub.media.tasks",
    "mediahub.gallery.tasks",
    "mediahub.exchange.tasks",
    "mediahub.transcription.tasks",
)


def load_handlers() -> None:
    """Import handler modules and refuse to continue if any job name has no handler."""
    for module in HANDLER_MODULES:
        importlib.import_module(module)
    missing = missing_handlers()
    if missing:
        raise RuntimeError(f"no handler registered for job(s): {', '.join(missing)}")


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
        background.extend(start_periodic(resources))
        background.extend(asyncio.create_task(run_startup_hook(hook, resources))
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
        functions=[(name.value, runner(name)) for name in JobName],
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

    # uvloop where it exists, as the API runs on: a photo job is mostly round trips to
    # PostgreSQL and Redis (ADR 0029).
    if uvloop is None:
        asyncio.run(main())
    else:
        uvloop.run(main())
