"""Expiring offers: the status as of now, and the 410/409 ladder shared by trades, transfers
and profile requests."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mediahub.core import clock
from mediahub.core.errors import Conflict, Gone
from mediahub.core.offers import effective_status, require_status
from mediahub.exchange.models import TradeStatus
from mediahub.users.models import ProfileRequestStatus

LIVE = (ProfileRequestStatus.PENDING, ProfileRequestStatus.APPROVED)


def _effective(status: ProfileRequestStatus, seconds_left: float | None) -> ProfileRequestStatus:
    expires_at = None if seconds_left is None else clock.now() + timedelta(seconds=seconds_left)
    return effective_status(status, expires_at, open_states=LIVE,
                            expired=ProfileRequestStatus.EXPIRED)


def test_an_open_offer_past_its_expiry_reads_as_expired() -> None:
    assert _effective(ProfileRequestStatus.PENDING, -1) == ProfileRequestStatus.EXPIRED
    assert _effective(ProfileRequestStatus.APPROVED, -1) == ProfileRequestStatus.EXPIRED
    assert _effective(ProfileRequestStatus.PENDING, 60) == ProfileRequestStatus.PENDING
    assert _effective(ProfileRequestStatus.PENDING, None) == ProfileRequestStatus.PENDING


def test_an_answered_offer_keeps_its_status_after_the_expiry() -> None:
    assert _effective(ProfileRequestStatus.REJECTED, -1) == ProfileRequestStatus.REJECTED
    assert _effective(ProfileRequestStatus.REVOKED, -1) == ProfileRequestStatus.REVOKED


def _require(status: TradeStatus) -> None:
    require_status(status, TradeStatus.OPEN, gone=(TradeStatus.CANCELLED, TradeStatus.EXPIRED),
                   gone_message="this trade is {status}", gone_code="trade.gone",
                   conflict_message="this trade was {status}", conflict_code="trade.claimed")


def test_the_ladder_lets_the_wanted_status_through() -> None:
    _require(TradeStatus.OPEN)


@pytest.mark.parametrize(("status", "error", "message", "code"), [
    (TradeStatus.EXPIRED, Gone, "this trade is expired", "trade.gone"),
    (TradeStatus.CANCELLED, Gone, "this trade is cancelled", "trade.gone"),
    (TradeStatus.CLAIMED, Conflict, "this trade was claimed", "trade.claimed"),
])
def test_the_ladder_answers_gone_or_conflict(status: TradeStatus, error: type[Exception],
                                             message: str, code: str) -> None:
    with pytest.raises(error) as caught:
        _require(status)
    assert str(caught.value) == message
    assert (caught.value.code, caught.value.params) == (code, {"status": status.value})
