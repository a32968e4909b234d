"""Request and response bodies of the gallery API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from mediahub.core.text import TextRefused, clean_optional, user_field

MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MAX_DESCRIPTION = 2000


def normalize_tags(raw: list[str] | str | None) -> list[str]:
    """Tags from a list or a comma/space-separated string: trimmed, lower-case, unique."""
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else raw.replace(",", " ").split()
    tags: list[str] = []
    for item in items:
        tag = (clean_optional(item, field="tag", source="user") or "").lstrip("#").lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise PydanticCustomError("tags.too_long", "a tag is at most {max} characters",
                                      {"max": MAX_TAG_LENGTH})
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise PydanticCustomError("tags.too_many", "at most {max} tags", {"max": MAX_TAGS})
    return tags


def clean_description(raw: str | None) -> str:
    """A description without control characters, at most MAX_DESCRIPTION characters."""
    text = clean_optional(raw, field="description", source="user") or ""
    if len(text) > MAX_DESCRIPTION:
        raise PydanticCustomError("description.too_long",
                                  "description is at most {max} characters",
                                  {"max": MAX_DESCRIPTION})
    return text


class PhotoUrls(BaseModel):
    """Short-lived links to the files; renditions are null until processing is done."""

    original: str
    preview: str | None
    thumb: str | None


class PhotoOut(BaseModel):
    """An art object as the caller may see it."""

    id: uuid.UUID
    status: Literal["processing", "ready", "failed"]
    error: str | None = None
    owner_id: uuid.UUID
    creator_id: uuid.UUID
    is_public: bool
    description: str
    tags: list[str]
    width: int | None
    height: int | None
    placeholder: str | None
    taken_at: datetime | None
    camera: str | None
    mime: str
    size: int
    original_filename: str | None
    urls: PhotoUrls
    is_favorite: bool
    created_at: datetime


class PhotoPage(BaseModel):
    """One page of a list; pass `next_cursor` back as `cursor` for the next page."""

    items: list[PhotoOut]
    next_cursor: str | None


class HistoryItem(BaseModel):
    """One ownership change."""

    model_config = ConfigDict(from_attributes=True)

    kind: Literal["created", "transfer", "trade"]
    from_user_id: uuid.UUID | None
    to_user_id: uuid.UUID
    created_at: datetime


class HistoryOut(BaseModel):
    """The whole ownership history of an object, oldest first."""

    items: list[HistoryItem]


class PhotoUpdate(BaseModel):
    """What an owner may change; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION * 2)
    tags: list[str] | None = Field(default=None, max_length=MAX_TAGS * 2)
    is_public: bool | None = None

    @field_validator("description")
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        return None if value is None else clean_description(user_field(value, "description"))

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        try:
            return normalize_tags(value)
        except TextRefused as exc:
            raise PydanticCustomError(exc.code, str(exc)) from None


#: Photos one bulk request may change: a screenful of selection, and a bounded transaction.
MAX_BULK = 100


class BulkChange(BaseModel):
    """Delete several of your photos, or make them private or public, all or none."""

    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_BULK)
    action: Literal["delete", "make_private", "make_public"]


class BulkResult(BaseModel):
    """What a bulk change did: the ids it applied to (repeated ids once)."""

    action: Literal["delete", "make_private", "make_public"]
    ids: list[uuid.UUID]
