"""Changes to several of an owner's photos in one transaction: all of them or none.

The rules per photo are the single-photo ones (`service.soft_delete`, `service.revoke_links`);
this module adds the checks that make a list all-or-nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core.errors import Forbidden, NotFound
from mediahub.gallery.access import visible_to
from mediahub.gallery.models import ArtObject, Photo, PhotoStatus
from mediahub.gallery.service import revoke_links, soft_delete
from mediahub.users.models import User

#: An object and whether its photo is ready (only ready photos are on the public feeds).
Owned = tuple[ArtObject, bool]


async def owned_for_update(session: AsyncSession, ids: Sequence[uuid.UUID],
                           owner: User) -> list[Owned]:
    """The objects of `ids`, locked, if the owner owns every one; else an error, no change.

    404 (code not_found) lists the ids the owner cannot see; 403 (forbidden) those visible
    but someone else's. Locks are taken in id order so two bulk requests cannot deadlock.
    """
    wanted = list(dict.fromkeys(ids))
    rows = (await session.execute(
        select(ArtObject, Photo.status).join(Photo, Photo.id == ArtObject.photo_id)
        .where(ArtObject.id.in_(wanted), visible_to(owner))
        .order_by(ArtObject.id).with_for_update(of=ArtObject))).all()
    found = {art.id: (art, status == PhotoStatus.READY) for art, status in rows}
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise NotFound(f"{len(missing)} of the photos were not found", code="photos.not_found",
                       params={"count": len(missing)}, extra={"ids": missing})
    others = [str(i) for i in wanted if found[i][0].owner_id != owner.id]
    if others:
        raise Forbidden("only the owner can do this", code="photos.not_owner",
                        params={"count": len(others)}, extra={"ids": others})
    return [found[i] for i in wanted]


async def apply(session: AsyncSession, owned: Sequence[Owned],
                action: str) -> list[tuple[uuid.UUID, str]]:
    """Apply `action` to every object; return (id, event) for the public feeds to hear."""
    news: list[tuple[uuid.UUID, str]] = []
    for art, ready in owned:
        was_public = art.is_public
        if action == "delete":
            await soft_delete(session, art)
        elif action == "make_private" and was_public:
            revoke_links(art)  # links shared while it was public end now
            art.is_public = False
        elif action == "make_public" and not was_public:
            art.is_public = True
        if not ready:
            continue
        if was_public and action in ("delete", "make_private"):
            news.append((art.id, "photo.unpublished"))
        elif not was_public and action == "make_public":
            news.append((art.id, "photo.published"))
    await session.flush()
    return news
