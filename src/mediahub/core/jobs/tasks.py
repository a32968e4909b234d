"""The job framework's own periodic work: re-enqueue jobs PostgreSQL knows but Redis lost."""

from __future__ import annotations

import logging
from datetime import timedelta

from mediahub.config import Settings
from mediahub.core.jobs.context import WorkerResources
from mediahub.core.jobs.periodic import periodic
from mediahub.core.queue import reconcile

log = logging.getLogger(__name__)


def _reconcile_every(settings: Settings) -> float:
    return settings.job_sweep_seconds * 3


@periodic(every_s=_reconcile_every, name="job reconcile")
async def reconcile_jobs(resources: WorkerResources) -> None:
    """Re-enqueue unfinished jobs whose Redis message is gone (older than three rounds)."""
    older_than = timedelta(seconds=_reconcile_every(resources.settings) * 3)
    async with resources.sessions() as session:
        count = await reconcile(session, resources.queue, older_than=older_than)
    if count:
        log.warning("re-enqueued %d job(s) missing from Redis", count)
