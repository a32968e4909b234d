"""Expiring offers (trades, transfers, profile requests): the status as of now, and the ladder
of refusals when one is answered.

An offer is open until it is answered or its `expires_at` passes; every read treats an open
offer past its expiry as expired, whether or not housekeeping has marked it yet. Answering one
locks its row first, then refuses with 404 (no such offer for you), 410 (gone) or 409 (already
answered), in that order.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core import clock
from mediahub.core.errors import Conflict, Gone, NotFound

S = TypeVar("S", bound=StrEnum)


def effective_status(status: S, expires_at: datetime | None, *, open_states: Collection[S],
                     expired: S) -> S:
    """The status as of now: an offer in one of `open_states` past its expiry is `expired`."""
    if status in open_states and expires_at is not None and expires_at <= clock.now():
        return expired
    return status


async def lock_or_404(session: AsyncSession, query: Select[Any], not_found: NotFound) -> Any:
    """The one row `query` selects, locked until the transaction ends; `not_found` if none."""
    row = await session.scalar(query.with_for_update())
    if row is None:
        raise not_found
    return row


def require_status(status: S, wanted: S, *, gone: Collection[S], gone_message: str,
                   gone_code: str, conflict_message: str, conflict_code: str) -> None:
    """Go on only if the offer is `wanted`: 410 if it is in a `gone` state, 409 otherwise.

    `{status}` in either message is replaced by the status found; params carry it too.
    """
    if status == wanted:
        return
    params = {"status": str(status)}
    if status in gone:
        raise Gone(gone_message.format(status=status), code=gone_code, params=params)
    raise Conflict(conflict_message.format(status=status), code=conflict_code, params=params)
