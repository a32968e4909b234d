"""Worker-side work of the exchange: expire trades, transfers and profile requests past expiry."""

from __future__ import annotations

import logging

from mediahub.core.jobs.context import WorkerResources
from mediahub.core.jobs.periodic import periodic
from mediahub.exchange.housekeeping import expire_stale

log = logging.getLogger(__name__)


@periodic(every_s=lambda settings: settings.housekeeping_seconds, name="exchange housekeeping")
async def expire_offers(resources: WorkerResources) -> None:
    """Mark open trades, pending transfers and profile requests past expiry as expired."""
    async with resources.sessions() as session:
        counts = await expire_stale(session)
    if any(counts.values()):
        log.info("expired %d trade(s), %d transfer(s)", counts["trades"], counts["transfers"])
