"""Gallery: uploaded photos, the art objects they become, ownership history, favorites, imports."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core.models import Base, Timestamps, UUIDPrimaryKey


class PhotoStatus(StrEnum):
    """Processing state of an uploaded photo."""

    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


class HistoryKind(StrEnum):
    """Why ownership changed."""

    CREATED = "created"
    TRANSFER = "transfer"
    TRADE = "trade"


class Photo(UUIDPrimaryKey, Timestamps, Base):
    """The stored file behind an art object: original, renditions and what we learned."""

    __tablename__ = "photos"
    __table_args__ = (
        CheckConstraint("status IN ('processing','ready','failed')", name="status_valid"),
        Index("ix_photos_uploader_id_sha256", "uploader_id", "sha256"),
    )

    uploader_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=PhotoStatus.PROCESSING)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    original_key: Mapped[str] = mapped_column(String(300), nullable=False, unique=True)
    preview_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    thumb_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    mime: Mapped[str] = mapped_column(String(50), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    original_filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    width: Mapped[int | None] = mapped_column(Integer, nullable=True)
    height: Mapped[int | None] = mapped_column(Integer, nullable=True)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    camera: Mapped[str | None] = mapped_column(String(200), nullable=True)
    placeholder: Mapped[str | None] = mapped_column(String(200), nullable=True)
    metadata_: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONB, nullable=False, default=dict, server_default=text("'{}'::jsonb")
    )
    # When the files were removed from the object store (the object deleted long enough ago).
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class ArtObject(UUIDPrimaryKey, Timestamps, Base):
    """A digital art object: one photo with an owner, a creator and a history."""

    __tablename__ = "art_objects"
    __table_args__ = (
        # Keyset pagination of the public feed and of a user's collection, newest first.
        Index("ix_art_objects_feed", "created_at", "id",
              postgresql_where=text("is_public AND deleted_at IS NULL")),
        Index("ix_art_objects_owner_created", "owner_id", "created_at", "id",
              postgresql_where=text("deleted_at IS NULL")),
        Index("ix_art_objects_search", "search", postgresql_using="gin"),
        Index("ix_art_objects_deleted_at", "deleted_at",
              postgresql_where=text("deleted_at IS NOT NULL")),
        CheckConstraint("char_length(description) <= 2000", name="description_length"),
    )

    photo_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("photos.id", ondelete="RESTRICT"), nullable=False,
        unique=True,
    )
    owner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    creator_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    is_public: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="",
                                             server_default="")
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(40)), nullable=False, default=list,
                                            server_default=text("'{}'::varchar[]"))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # Part of every file link handed out for the object; raised when someone may lose access
    # (made private, deleted, given away, grant revoked), which ends those links at once.
    access_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0,
                                                server_default="0")
    # Each text twice: 'simple' keeps the words as written (prefix search finds "holiday"
    # from "holi"), 'russian' adds their stems in Russian and English (its ASCII words go
    # through the English stemmer), so "flower" finds "flowers" and "праздник" "праздники".
    # Tags weigh more. The expression is SEARCH_VECTOR in migration 0008.
    search: Mapped[str] = mapped_column(
        TSVECTOR,
        Computed(
            "setweight(to_tsvector('simple', coalesce(description, '')) || "
            "to_tsvector('russian', coalesce(description, '')), 'B') || "
            "setweight(to_tsvector('simple', "
            "coalesce(immutable_array_to_string(tags, ' '), '')) || "
            "to_tsvector('russian', coalesce(immutable_array_to_string(tags, ' '), '')), 'A')",
            persisted=True,
        ),
    )


class OwnershipHistory(Base):
    """One change of owner (or the creation). Kept forever, even after the object is deleted."""

    __tablename__ = "ownership_history"
    __table_args__ = (
        CheckConstraint("kind IN ('created','transfer','trade')", name="kind_valid"),
        Index("ix_ownership_history_object", "art_object_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    art_object_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("art_objects.id", ondelete="RESTRICT"), nullable=False
    )
    from_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=True
    )
    to_user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class Favorite(Base):
    """A user's favorite art object."""

    __tablename__ = "favorites"
    __table_args__ = (Index("ix_favorites_user_created", "user_id", "created_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    art_object_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("art_objects.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class Import(Base):
    """An object someone else owns, saved to the user's collection while they may see it."""

    __tablename__ = "imports"
    __table_args__ = (Index("ix_imports_user_created", "user_id", "created_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    art_object_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("art_objects.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
