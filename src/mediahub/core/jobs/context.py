"""What a job handler gets: the worker's shared resources and its JobContext."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from mediahub.config import Settings
from mediahub.core import events
from mediahub.core.db import create_read_session_factory
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
    # Sessions on the same pool whose statements each commit on their own: for writes of one
    # statement, where BEGIN and COMMIT would be two more round trips.
    single_statements: async_sessionmaker[AsyncSession] = field(init=False)

    def __post_init__(self) -> None:
        self.single_statements = create_read_session_factory(self.engine)


class JobContext:
    """What a handler gets: its job row, shared resources, progress reporting, cancellation."""

    def __init__(self, run: JobRun, resources: WorkerResources) -> None:
        self.run = run
        self.resources = resources
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
        # One statement on its own (no BEGIN/COMMIT): the row is the truth, SAQ's copy of the
        # job is not read by anyone, and the sweeper learns liveness from the heartbeat. Three
        # round trips and SAQ's job write were half of a photo job's event-loop CPU (ADR 0029).
        async with self.resources.single_statements() as session:
            await session.execute(
                update(JobRun)
                .where(JobRun.id == self.run.id, JobRun.status == JobStatus.RUNNING)
                .values(stage=stage, percent=percent)
            )
        await publish_job_event(
            self.resources, self.run, "job.progress", stage=stage, percent=percent, **extra
        )


async def publish_job_event(
    resources: WorkerResources, run: JobRun, kind: str, **fields: Any
) -> None:
    """Send a job event to the job's channel and, if it has an owner, to the owner's."""
    event = {"type": kind, "job_id": str(run.id), "name": run.name, **fields}
    channels = [events.job_channel(run.id)]
    if run.owner_id is not None:
        channels.append(events.user_channel(run.owner_id))
    await events.publish_many(resources.redis, [(channel, event) for channel in channels])
