"""Worker-side upkeep of stored media: remove partial uploads abandoned by killed processes."""

from __future__ import annotations

import logging
from datetime import timedelta

from mediahub.core.jobs.context import WorkerResources
from mediahub.core.jobs.periodic import periodic

log = logging.getLogger(__name__)
STAGING_SWEEP_EVERY_S = 3600


@periodic(every_s=STAGING_SWEEP_EVERY_S, name="sweep of abandoned uploads",
          first_after_s=lambda settings: settings.housekeeping_seconds)
async def sweep_abandoned_uploads(resources: WorkerResources) -> None:
    """Delete staging files of uploads nobody can still be writing."""
    # Older than the longest an upload may take: nobody is still writing it.
    grace = timedelta(seconds=resources.settings.body_read_timeout_seconds + 600)
    removed = await resources.store.sweep_abandoned_uploads(older_than=grace)
    if removed:
        log.info("removed %d abandoned partial upload(s)", removed)
