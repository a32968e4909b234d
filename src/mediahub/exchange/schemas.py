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


class ExchangePhoto(BaseModel):
    """A photo in a trade or transfer as its parties see it; title and links null once deleted."""

    id: uuid.UUID
    title: str | None = Field(description="first line of the description, else the file name")
    thumb: str | None = Field(description="short-lived thumbnail link; null until processed")
    placeholder: str | None


class TradeOut(BaseModel):
    """A trade; `qr_payload` is what the QR code encodes."""

    id: uuid.UUID
    token: str
    qr_payload: str
    status: Literal["open", "claimed", "cancelled", "expired"]
    owner_id: uuid.UUID
    owner_name: str
    claimed_by: uuid.UUID | None
    claimed_by_name: str | None
    art_object_ids: list[uuid.UUID]
    photos: list[ExchangePhoto]
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
    photo: ExchangePhoto
    from_user_id: uuid.UUID
    from_name: str
    to_user_id: uuid.UUID
    to_name: str
    status: Literal["pending", "accepted", "declined", "cancelled", "expired"]
    created_at: datetime
    expires_at: datetime
    finished_at: datetime | None


class TransferList(BaseModel):
    """Transfers, newest first."""

    items: list[TransferOut]
