"""Ownership exchange: QR trades (hand-over by scanning) and transfers (to a named user)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core.models import Base, UUIDPrimaryKey


class TradeStatus(StrEnum):
    """A trade is open until claimed, cancelled or expired."""

    OPEN = "open"
    CLAIMED = "claimed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class TransferStatus(StrEnum):
    """A transfer waits for the recipient's answer."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class Trade(UUIDPrimaryKey, Base):
    """A short-lived, single-use offer: whoever claims the token gets the objects."""

    __tablename__ = "trades"
    __table_args__ = (
        CheckConstraint("status IN ('open','claimed','cancelled','expired')",
                        name="status_valid"),
        Index("ix_trades_owner_created", "owner_id", "created_at"),
    )

    token: Mapped[str] = mapped_column(String(16), nullable=False, unique=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=TradeStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    claimed_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=True
    )
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class TradeItem(Base):
    """One art object offered in a trade."""

    __tablename__ = "trade_items"
    __table_args__ = (Index("ix_trade_items_art_object", "art_object_id"),)

    trade_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("trades.id", ondelete="CASCADE"), primary_key=True
    )
    art_object_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("art_objects.id", ondelete="RESTRICT"), primary_key=True
    )


class Transfer(UUIDPrimaryKey, Base):
    """An offer of one object to a named user, who accepts or declines."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending','accepted','declined','cancelled','expired')",
            name="status_valid",
        ),
        CheckConstraint("from_user_id <> to_user_id", name="not_to_self"),
        # At most one pending transfer per object (expired ones are closed before a new one).
        Index("uq_transfers_pending_object", "art_object_id", unique=True,
              postgresql_where=text("status = 'pending'")),
        Index("ix_transfers_to_user", "to_user_id", "created_at"),
        Index("ix_transfers_from_user", "from_user_id", "created_at"),
    )

    art_object_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("art_objects.id", ondelete="RESTRICT"), nullable=False
    )
    from_user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    to_user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False,
                                        default=TransferStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
