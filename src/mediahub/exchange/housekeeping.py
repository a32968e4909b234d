"""Tidy exchange statuses: trades, transfers and profile requests past expiry become expired.

Only bookkeeping: every read already treats them as expired (`effective_*_status`), so a
worker that is down or late changes nothing a user can observe.
"""

from __future__ import annotations

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.exchange.models import Trade, TradeStatus, Transfer, TransferStatus
from mediahub.users.models import ProfileRequest, ProfileRequestStatus


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
    live = (ProfileRequestStatus.PENDING, ProfileRequestStatus.APPROVED)
    requests = await session.execute(
        update(ProfileRequest)
        .where(ProfileRequest.status.in_(live), ProfileRequest.expires_at <= func.now())
        .values(status=ProfileRequestStatus.EXPIRED)
        .execution_options(synchronize_session=False))
    await session.commit()
    return {"trades": trades.rowcount, "transfers": transfers.rowcount,  # type: ignore[attr-defined]
            "profile_requests": requests.rowcount}  # type: ignore[attr-defined]
