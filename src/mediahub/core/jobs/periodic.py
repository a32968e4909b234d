"""Periodic work in every worker, declared next to the code it belongs to.

    @periodic(every_s=lambda s: s.housekeeping_seconds, name="exchange housekeeping")
    async def expire_offers(resources: WorkerResources) -> None: ...

`every_s` (and `first_after_s`, default: `every_s`) is a number of seconds or a function of
the settings. A failed run is logged and skipped: a transient outage must not kill the worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from mediahub.config import Settings
from mediahub.core.jobs.context import WorkerResources

log = logging.getLogger(__name__)

Seconds = float | Callable[[Settings], float]
PeriodicFn = Callable[[WorkerResources], Awaitable[None]]


@dataclass(frozen=True)
class PeriodicJob:
    """One declared periodic job."""

    name: str
    fn: PeriodicFn
    every_s: Seconds
    first_after_s: Seconds | None = None


PERIODIC: list[PeriodicJob] = []


def periodic(
    *, every_s: Seconds, name: str, first_after_s: Seconds | None = None
) -> Callable[[PeriodicFn], PeriodicFn]:
    """Run the decorated `fn(resources)` every `every_s` seconds in each worker."""

    def register(fn: PeriodicFn) -> PeriodicFn:
        PERIODIC.append(PeriodicJob(name, fn, every_s, first_after_s))
        return fn

    return register


def _seconds(value: Seconds, settings: Settings) -> float:
    return value(settings) if callable(value) else value


async def _run_forever(job: PeriodicJob, resources: WorkerResources) -> None:
    settings = resources.settings
    every = _seconds(job.every_s, settings)
    await asyncio.sleep(_seconds(job.first_after_s or job.every_s, settings))
    while True:
        try:
            await job.fn(resources)
        except Exception as exc:  # noqa: BLE001 - a transient outage must not kill the worker
            log.warning("%s skipped: %s", job.name, exc)
        await asyncio.sleep(every)


def start_periodic(resources: WorkerResources) -> list[asyncio.Task[None]]:
    """Start every declared periodic job; the caller cancels the tasks on shutdown."""
    return [asyncio.create_task(_run_forever(job, resources)) for job in PERIODIC]
