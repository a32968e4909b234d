"""What a job handler gets: the worker's shared resources and its JobContext."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from mediahub.config import Settings
from mediahub.core import events
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.queue import JobQueue
from mediahub.core.storage import ObjectStore

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
        await publish_job_event(
            self.resources, self.run, "job.progress", stage=stage, percent=percent, **extra
        )


async def publish_job_event(
    resources: WorkerResources, run: JobRun, kind: str, **fields: Any
) -> None:
    """Send a job event to the job's channel and, if it has an owner, to the owner's."""
    event = {"type": kind, "job_id": str(run.id), "name": run.name, **fields}
    await events.publish(resources.redis, events.job_channel(run.id), event)
    if run.owner_id is not None:
        await events.publish(resources.redis, events.user_channel(run.owner_id), event)
