"""Profile requests: ask to see a private profile; the owner grants chosen objects for a while.

An approval opens an access window (`expires_at` = approval time + PROFILE_REQUEST_TTL_SECONDS)
during which the requester sees exactly the granted objects (see `gallery.access.granted_to`).
Expiry is checked on every read; nothing needs to run for a window to close
(`expire_stale_requests` only tidies statuses).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.config import Settings
from mediahub.core import clock, offers
from mediahub.core.db import advisory_xact_lock
from mediahub.core.errors import BadRequest, Conflict, NotFound
from mediahub.gallery import access
from mediahub.gallery.models import ArtObject
from mediahub.gallery.service import revoke_links_where
from mediahub.users.models import ProfileRequest, ProfileRequestPhoto, User
from mediahub.users.models import ProfileRequestStatus as Status

LIVE = (Status.PENDING, Status.APPROVED)


def effective_status(req: ProfileRequest) -> Status:
    """The status as of now: a pending request or an approval past its expiry is expired."""
    return offers.effective_status(Status(req.status), req.expires_at, open_states=LIVE,
                                   expired=Status.EXPIRED)


async def create(session: AsyncSession, requester: User, target_id: uuid.UUID,
                 settings: Settings) -> tuple[ProfileRequest, bool]:
    """Ask to see a profile; a live request for the pair is returned instead (created=False)."""
    if target_id == requester.id:
        raise BadRequest("you cannot request your own profile", code="profile_request.own")
    if await session.get(User, target_id) is None:
        raise NotFound("user not found", code="user.not_found")
    # Serialise requests of one pair so two parallel ones cannot race the unique index.
    await advisory_xact_lock(session, f"profile-request:{requester.id}:{target_id}")
    # A request or approval past its expiry still holds the one-live-per-pair index: close it.
    await session.execute(update(ProfileRequest).where(
        ProfileRequest.requester_id == requester.id, ProfileRequest.target_id == target_id,
        ProfileRequest.status.in_(LIVE), ProfileRequest.expires_at <= clock.now(),
    ).values(status=Status.EXPIRED))
    existing = await session.scalar(select(ProfileRequest).where(
        ProfileRequest.requester_id == requester.id, ProfileRequest.target_id == target_id,
        ProfileRequest.status.in_(LIVE)))
    if existing is not None:
        return existing, False
    # Unanswered requests expire too (24 h by default); approval opens a new window.
    ttl = timedelta(seconds=settings.profile_request_ttl_seconds)
    req = ProfileRequest(id=uuid.uuid4(), requester_id=requester.id, target_id=target_id,
                         status=Status.PENDING, expires_at=clock.now() + ttl)
    session.add(req)
    await session.flush()
    await session.refresh(req)
    return req, True


async def granted_ids(session: AsyncSession, request_id: uuid.UUID) -> list[uuid.UUID]:
    """The objects an approval grants."""
    return list(await session.scalars(
        select(ProfileRequestPhoto.art_object_id)
        .where(ProfileRequestPhoto.request_id == request_id)
        .order_by(ProfileRequestPhoto.art_object_id)))


async def list_requests(session: AsyncSession, user: User, role: str,
                        limit: int = 50) -> list[ProfileRequest]:
    """Requests to you (`incoming`) or by you (`outgoing`), newest first."""
    party = ProfileRequest.target_id if role == "incoming" else ProfileRequest.requester_id
    return list(await session.scalars(
        select(ProfileRequest).where(party == user.id)
        .order_by(ProfileRequest.created_at.desc(), ProfileRequest.id.desc()).limit(limit)))


async def _locked(session: AsyncSession, request_id: uuid.UUID, user: User, *,
                  as_target: bool = False) -> ProfileRequest:
    """The request if `user` is a party to it (the target, if `as_target`), locked; else 404."""
    party = (ProfileRequest.target_id == user.id if as_target else
             or_(ProfileRequest.target_id == user.id, ProfileRequest.requester_id == user.id))
    return await offers.lock_or_404(session, select(ProfileRequest).where(
        ProfileRequest.id == request_id, party),
        NotFound("profile request not found", code="profile_request.not_found"))


async def _check_own_photos(session: AsyncSession, target: User,
                            ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Each id must be a live object the target owns: 404 if they cannot see it, else 400."""
    unique = sorted(set(ids))
    if not unique:
        raise BadRequest("approve with at least one photo", code="profile_request.no_photos")
    owned = set(await session.scalars(select(ArtObject.id).where(
        ArtObject.id.in_(unique), ArtObject.owner_id == target.id,
        ArtObject.deleted_at.is_(None))))
    for art_id in unique:
        if art_id not in owned:
            await access.refuse_foreign(session, target, art_id,
                                        BadRequest(f"photo {art_id} is not yours to grant",
                                                   code="profile_request.not_your_photo"))
    return unique


async def _grant(session: AsyncSession, req: ProfileRequest, ids: list[uuid.UUID]) -> None:
    await _revoke_granted_links(session, req, keep=set(ids))
    await session.execute(delete(ProfileRequestPhoto)
                          .where(ProfileRequestPhoto.request_id == req.id))
    session.add_all([ProfileRequestPhoto(request_id=req.id, art_object_id=i) for i in ids])
    await session.flush()


async def _revoke_granted_links(session: AsyncSession, req: ProfileRequest, *,
                                 keep: set[uuid.UUID]) -> None:
    """End the file links of objects this request granted, except those in `keep`."""
    granted = set(await session.scalars(select(ProfileRequestPhoto.art_object_id)
                                        .where(ProfileRequestPhoto.request_id == req.id)))
    if granted - keep:
        await revoke_links_where(session, ArtObject.id.in_(granted - keep))


async def respond(session: AsyncSession, request_id: uuid.UUID, target: User, *,
                  approved: bool, photo_ids: list[uuid.UUID],
                  settings: Settings) -> ProfileRequest:
    """Approve (granting the photos for the access window) or reject a request to you."""
    req = await _locked(session, request_id, target, as_target=True)
    offers.require_status(effective_status(req), Status.PENDING, gone=(Status.EXPIRED,),
                          gone_message="this request has expired",
                          gone_code="profile_request.expired",
                          conflict_message="this request is already {status}",
                          conflict_code="profile_request.decided")
    now = clock.now()
    if approved:
        ids = await _check_own_photos(session, target, photo_ids)
        await _grant(session, req, ids)
        req.status = Status.APPROVED
        req.expires_at = now + timedelta(seconds=settings.profile_request_ttl_seconds)
    else:
        req.status = Status.REJECTED
    req.decided_at = now
    return req


async def set_photos(session: AsyncSession, request_id: uuid.UUID, target: User,
                     photo_ids: list[uuid.UUID]) -> ProfileRequest:
    """Replace the granted set of an approved, live request (the window is unchanged)."""
    req = await _locked(session, request_id, target, as_target=True)
    offers.require_status(effective_status(req), Status.APPROVED, gone=(Status.EXPIRED,),
                          gone_message="this request's access has expired",
                          gone_code="profile_request.expired",
                          conflict_message="this request is {status}, not approved",
                          conflict_code="profile_request.decided")
    await _grant(session, req, await _check_own_photos(session, target, photo_ids))
    return req


async def revoke(session: AsyncSession, request_id: uuid.UUID, user: User) -> ProfileRequest:
    """The target revokes a live request; the requester may withdraw a pending one."""
    req = await _locked(session, request_id, user)
    status = effective_status(req)
    if status not in LIVE:
        raise Conflict(f"this request is already {status}", code="profile_request.decided",
                       params={"status": str(status)})
    if req.requester_id == user.id and status != Status.PENDING:
        raise Conflict("only the profile owner can revoke an approved request",
                       code="profile_request.only_owner_revokes")
    req.status, req.decided_at = Status.REVOKED, clock.now()
    await _revoke_granted_links(session, req, keep=set())
    return req


async def expire_stale_requests(session: AsyncSession) -> int:
    """Mark live requests past their expiry expired (bookkeeping; reads already do); count."""
    result = await session.execute(
        update(ProfileRequest)
        .where(ProfileRequest.status.in_(LIVE), ProfileRequest.expires_at <= func.now())
        .values(status=Status.EXPIRED)
        .execution_options(synchronize_session=False))
    return result.rowcount  # type: ignore[attr-defined]
