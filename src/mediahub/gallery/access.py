"""Who may see what: the one home of the visibility rules gallery, users and exchange apply.

A signed-in viewer sees a live object if it is public, theirs, owned by a user whose profile
is public, or granted to them by a live profile-request approval; anonymous viewers see
public objects only. Invisible is always 404, never 403 (ADR 0009, 0011, 0017). This is the
gallery's public module for other domains; they never re-write these conditions.
"""

from __future__ import annotations

import uuid
from typing import NoReturn

from sqlalchemy import and_, bindparam, exists, func, or_, select
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core.errors import AppError, NotFound
from mediahub.gallery.models import ArtObject
from mediahub.users.models import ProfileRequest, ProfileRequestPhoto, ProfileRequestStatus, User


def granted_to(viewer: User):  # noqa: ANN201 - a SQL condition
    """Objects granted to the viewer by an approved profile request whose window is open."""
    return (
        exists()
        .where(ProfileRequestPhoto.art_object_id == ArtObject.id,
               ProfileRequest.id == ProfileRequestPhoto.request_id,
               ProfileRequest.requester_id == viewer.id,
               # The grant is the target's: it lapses if the object changes hands.
               ProfileRequest.target_id == ArtObject.owner_id,
               ProfileRequest.status == ProfileRequestStatus.APPROVED,
               ProfileRequest.expires_at > func.now())
    )


def visible_to(viewer: User | None):  # noqa: ANN201 - a SQL condition
    """Objects the viewer may see: live, and public or their own or shared with them.

    Shared: every object of an owner whose profile is public, or an object granted to the
    viewer (`granted_to`). Anonymous viewers see public objects only.
    """
    live = ArtObject.deleted_at.is_(None)
    if viewer is None:
        return and_(live, ArtObject.is_public)
    public_owner = exists().where(User.id == ArtObject.owner_id, User.is_public)
    return and_(live, or_(ArtObject.is_public, ArtObject.owner_id == viewer.id,
                          public_owner, granted_to(viewer)))


class _AnyViewer:
    """A viewer whose id is a statement's `viewer` parameter (see `visible_to_param`)."""

    id = bindparam("viewer", type_=PG_UUID(as_uuid=True))


def visible_to_param(signed_in: bool):  # noqa: ANN201 - a SQL condition
    """`visible_to` with the viewer's id as the bind parameter `viewer`: the same rule, for a
    statement built and compiled once per process (core/raw.py)."""
    return visible_to(_AnyViewer() if signed_in else None)  # type: ignore[arg-type]


async def can_see(session: AsyncSession, viewer: User | None, art_id: uuid.UUID) -> bool:
    """Whether the viewer may see the object."""
    return bool(await session.scalar(select(exists().where(
        ArtObject.id == art_id, visible_to(viewer)))))


async def refuse_foreign(session: AsyncSession, user: User, art_id: uuid.UUID,
                         refusal: AppError) -> NoReturn:
    """Refuse an object `user` does not own: 404 if they cannot see it either, else `refusal`."""
    if not await can_see(session, user, art_id):
        raise NotFound(f"photo {art_id} not found", code="photo.not_found")
    raise refusal


def contact_link(profile: User) -> str | None:
    """A profile's contact link, shown only while the profile is public."""
    return profile.contact_link if profile.is_public else None
