"""Tidy exchange statuses: trades, transfers and profile requests past expiry become expired.

Only bookkeeping: every read already treats them as expired (`core.offers.effective_status`),
so a worker that is down or late changes nothing a user can observe. The worker calls
`expire_stale` as the one periodic entry; profile requests expire in `users.service`.
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.exchange.models import Trade, TradeStatus, Transfer, TransferStatus
from mediahub.users.service import expire_stale_requests


async def expire_stale(session: AsyncSession) -> dict[str, int]:
    """Mark stale trades, transfers and profile requests expired; commit; count each."""
    trades = await session.execute(
        update(Trade)
        .where(Trade.status == TradeStatus.OPEN, Trade.expires_at <= func.now())
        .values(status=TradeStatus.EXPIRED, finished_at=func.now())
        .execution_options(synchronize_session=False))
    transfers = await session.execute(
        update(Transfer)
        .where(Transfer.status == TransferStatus.PENDING, Transfer.expires_at <= func.now())
        .values(status=TransferStatus.EXPIRED, finished_at=func.now())
        .execution_options(synchronize_session=False))
    requests = await expire_stale_requests(session)
    await session.commit()
    return {"trades": trades.rowcount, "transfers": transfers.rowcount,  # type: ignore[attr-defined]
            "profile_requests": requests}
