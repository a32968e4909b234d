"""Tidy exchange statuses: open trades and pending transfers past their expiry become expired.

Only bookkeeping: every read already treats them as expired (`effective_*_status`), so a
worker that is down or late changes nothing a user can observe.
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.models.exchange import Trade, TradeStatus, Transfer, TransferStatus


async def expire_stale(session: AsyncSession) -> dict[str, int]:
    """Mark stale trades and transfers expired and commit; return how many of each."""
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
    await session.commit()
    return {"trades": trades.rowcount, "transfers": transfers.rowcount}  # type: ignore[attr-defined]
