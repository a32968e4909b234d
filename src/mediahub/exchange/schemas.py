"""Request and response bodies of the exchange API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mediahub.exchange.service import MAX_TRADE_OBJECTS


class TradeCreate(BaseModel):
    """Objects to hand over to whoever scans the code."""

    model_config = ConfigDict(extra="forbid")

    art_object_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_TRADE_OBJECTS)


class TradeOut(BaseModel):
    """A trade; `qr_payload` is what the QR code encodes."""

    id: uuid.UUID
    token: str
    qr_payload: str
    status: Literal["open", "claimed", "cancelled", "expired"]
    owner_id: uuid.UUID
    claimed_by: uuid.UUID | None
    art_object_ids: list[uuid.UUID]
    created_at: datetime
    expires_at: datetime


class TradeList(BaseModel):
    """The caller's trades, newest first."""

    items: list[TradeOut]


class TransferCreate(BaseModel):
    """Offer one object to a named user."""

    model_config = ConfigDict(extra="forbid")

    art_object_id: uuid.UUID
    to_user_id: uuid.UUID


class TransferOut(BaseModel):
    """A transfer offer and where it stands."""

    id: uuid.UUID
    art_object_id: uuid.UUID
    from_user_id: uuid.UUID
    to_user_id: uuid.UUID
    status: Literal["pending", "accepted", "declined", "cancelled", "expired"]
    created_at: datetime
    expires_at: datetime
    finished_at: datetime | None


class TransferList(BaseModel):
    """Transfers, newest first."""

    items: list[TransferOut]
