"""Accounts (users, refresh-token families) and profile requests with the objects they grant."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core.models import Base, Timestamps, UUIDPrimaryKey


class User(UUIDPrimaryKey, Timestamps, Base):
    """A person: identified by MAX user id, by username and password, or both."""

    __tablename__ = "users"
    __table_args__ = (
        # Usernames are unique regardless of case ("Alice" and "alice" are one account).
        Index("uq_users_username_lower", func.lower(text("username")), unique=True),
    )

    max_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True, nullable=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    first_name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    last_name: Mapped[str | None] = mapped_column(String(256), nullable=True)
    language_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    photo_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    is_public: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False,
                                            server_default=text("false"))
    contact_link: Mapped[str | None] = mapped_column(String(200), nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def has_password(self) -> bool:
        """Whether the user can sign in with a password (MAX-only accounts cannot)."""
        return self.password_hash is not None

    @property
    def display_name(self) -> str:
        """What people are called on screen: their full name, else their username."""
        full = " ".join(part for part in (self.first_name, self.last_name) if part)
        return full or self.username


class RefreshToken(UUIDPrimaryKey, Base):
    """One refresh token (stored hashed). Rotation chains tokens into a family."""

    __tablename__ = "refresh_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    family_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ProfileRequestStatus(StrEnum):
    """A request for a private profile waits for the owner; an approval opens a time window."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    REVOKED = "revoked"
    EXPIRED = "expired"


class ProfileRequest(UUIDPrimaryKey, Base):
    """One user asks to see another's private profile; the target grants chosen objects."""

    __tablename__ = "profile_requests"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending','approved','rejected','revoked','expired')",
            name="status_valid",
        ),
        CheckConstraint("requester_id <> target_id", name="not_to_self"),
        # At most one live (pending or approved) request per pair.
        Index("uq_profile_requests_live_pair", "requester_id", "target_id", unique=True,
              postgresql_where=text("status IN ('pending','approved')")),
        Index("ix_profile_requests_target", "target_id", "created_at"),
        Index("ix_profile_requests_requester", "requester_id", "created_at"),
    )

    requester_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    target_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False,
                                        default=ProfileRequestStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    # Set on approval: the end of the access window.
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ProfileRequestPhoto(Base):
    """One art object granted by an approved profile request."""

    __tablename__ = "profile_request_photos"
    __table_args__ = (Index("ix_profile_request_photos_art_object", "art_object_id"),)

    request_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("profile_requests.id", ondelete="CASCADE"),
        primary_key=True,
    )
    art_object_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("art_objects.id", ondelete="RESTRICT"), primary_key=True
    )
