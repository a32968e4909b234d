"""Request and response bodies of the users and profile-request API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_GRANTED_PHOTOS = 500


class UserPublic(BaseModel):
    """What anyone may know about a user; `contact_link` only for a public profile."""

    id: uuid.UUID
    username: str
    first_name: str | None
    last_name: str | None
    photo_url: str | None
    is_public: bool
    contact_link: str | None


class ProfileRequestCreate(BaseModel):
    """Ask to see a user's private profile."""

    model_config = ConfigDict(extra="forbid")

    target_user_id: uuid.UUID


class ProfileRequestAnswer(BaseModel):
    """The target's answer; an approval names the photos it grants (at least one)."""

    model_config = ConfigDict(extra="forbid")

    approved: bool
    photo_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_GRANTED_PHOTOS)


class ProfileRequestPhotos(BaseModel):
    """The new set of granted photos of an approved request."""

    model_config = ConfigDict(extra="forbid")

    photo_ids: list[uuid.UUID] = Field(min_length=1, max_length=MAX_GRANTED_PHOTOS)


class ProfileRequestOut(BaseModel):
    """A profile request; `expires_at` is the end of the access window once approved."""

    id: uuid.UUID
    requester_id: uuid.UUID
    target_id: uuid.UUID
    status: Literal["pending", "approved", "rejected", "revoked", "expired"]
    created_at: datetime
    decided_at: datetime | None
    expires_at: datetime | None
    photo_ids: list[uuid.UUID]


class ProfileRequestList(BaseModel):
    """Profile requests, newest first."""

    items: list[ProfileRequestOut]
