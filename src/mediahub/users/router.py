"""`/api/users` (public profiles and their photos) and `/api/profile-requests`."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from mediahub.auth.deps import CurrentUser, OptionalUser
from mediahub.core.db import ReadOnly, SessionDep
from mediahub.core.deps import RedisDep, SettingsDep, StoreDep
from mediahub.core.errors import BadRequest, Conflict, Gone, NotFound
from mediahub.core.notify import notify_users
from mediahub.gallery import access, reads
from mediahub.gallery import service as gallery
from mediahub.gallery.schemas import PhotoPage
from mediahub.users import service
from mediahub.users.models import ProfileRequest, User
from mediahub.users.schemas import (
    ProfileRequestAnswer,
    ProfileRequestCreate,
    ProfileRequestList,
    ProfileRequestOut,
    ProfileRequestPhotos,
    UserPublic,
)

router = APIRouter()
ERRORS = {**BadRequest.openapi(), **NotFound.openapi(), **Conflict.openapi(), **Gone.openapi()}
Limit = Annotated[int, Query(ge=1, le=100, description="items per page")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the last page")]


async def _out(session, req: ProfileRequest) -> ProfileRequestOut:  # noqa: ANN001
    return ProfileRequestOut(
        id=req.id, requester_id=req.requester_id, target_id=req.target_id,
        status=service.effective_status(req), created_at=req.created_at,
        decided_at=req.decided_at, expires_at=req.expires_at,
        photo_ids=await service.granted_ids(session, req.id))


# ---------------------------------------------------------------- users


async def _user_or_404(session, user_id: uuid.UUID) -> User:  # noqa: ANN001
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("user not found", code="user.not_found")
    return user


@router.get("/users/{user_id}", response_model=UserPublic, operation_id="get_user",
            tags=["users"], responses=NotFound.openapi())
async def get_user(user_id: uuid.UUID, session: SessionDep) -> UserPublic:
    """A user's public fields; the contact link only if their profile is public."""
    user = await _user_or_404(session, user_id)
    return UserPublic(id=user.id, username=user.username, first_name=user.first_name,
                      last_name=user.last_name, photo_url=user.photo_url,
                      is_public=user.is_public,
                      contact_link=access.contact_link(user))


@router.get("/users/{user_id}/photos", response_model=PhotoPage, operation_id="user_photos",
            tags=["users"], responses={**NotFound.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def user_photos(user_id: uuid.UUID, session: SessionDep, viewer: OptionalUser,
                      store: StoreDep, settings: SettingsDep, cursor: Cursor = None,
                      limit: Limit = 30) -> Response:
    """Exactly the photos of this user that you may see, newest first."""
    await _user_or_404(session, user_id)
    rows, next_cursor = await gallery.of_user(session, viewer, user_id, cursor=cursor,
                                              limit=limit)
    return await reads.page_response(session, rows, next_cursor, viewer,
                                     store=store, settings=settings)


# ---------------------------------------------------------------- profile requests


@router.post("/profile-requests", status_code=status.HTTP_201_CREATED,
             response_model=ProfileRequestOut, operation_id="create_profile_request",
             tags=["profile-requests"],
             responses={**ERRORS, 200: {"model": ProfileRequestOut,
                                        "description": "the live request already made"}})
async def create_profile_request(body: ProfileRequestCreate, response: Response,
                                 session: SessionDep, user: CurrentUser,
                                 settings: SettingsDep, redis: RedisDep) -> ProfileRequestOut:
    """Ask to see a user's private profile (201); a live request already made answers 200."""
    req, created = await service.create(session, user, body.target_user_id, settings)
    if created:
        notify_users(session, redis, [req.target_id],
                     {"type": "profile_request.received", "request_id": str(req.id),
                      "from": str(user.id), "from_name": user.display_name})
    else:
        response.status_code = status.HTTP_200_OK
    return await _out(session, req)


@router.get("/profile-requests", response_model=ProfileRequestList,
            operation_id="list_profile_requests", tags=["profile-requests"])
async def list_profile_requests(session: SessionDep, user: CurrentUser,
                                role: Literal["incoming", "outgoing"] = Query("incoming")
                                ) -> ProfileRequestList:
    """Requests to see your profile (`incoming`) or made by you (`outgoing`)."""
    rows = await service.list_requests(session, user, role)
    return ProfileRequestList(items=[await _out(session, r) for r in rows])


@router.post("/profile-requests/{request_id}/respond", response_model=ProfileRequestOut,
             operation_id="respond_profile_request", tags=["profile-requests"],
             responses=ERRORS)
async def respond_profile_request(request_id: uuid.UUID, body: ProfileRequestAnswer,
                                  session: SessionDep, user: CurrentUser,
                                  settings: SettingsDep, redis: RedisDep) -> ProfileRequestOut:
    """Approve with the photos to grant (for PROFILE_REQUEST_TTL_SECONDS), or reject."""
    req = await service.respond(session, request_id, user, approved=body.approved,
                                photo_ids=body.photo_ids, settings=settings)
    kind = "profile_request.approved" if body.approved else "profile_request.rejected"
    notify_users(session, redis, [req.requester_id],
                 {"type": kind, "request_id": str(req.id), "by": str(user.id),
                  "by_name": user.display_name})
    return await _out(session, req)


@router.put("/profile-requests/{request_id}/photos", response_model=ProfileRequestOut,
            operation_id="set_profile_request_photos", tags=["profile-requests"],
            responses=ERRORS)
async def set_profile_request_photos(request_id: uuid.UUID, body: ProfileRequestPhotos,
                                     session: SessionDep,
                                     user: CurrentUser) -> ProfileRequestOut:
    """Change which of your photos an approved request grants."""
    req = await service.set_photos(session, request_id, user, body.photo_ids)
    return await _out(session, req)


@router.delete("/profile-requests/{request_id}", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="revoke_profile_request", tags=["profile-requests"],
               responses=ERRORS)
async def revoke_profile_request(request_id: uuid.UUID, session: SessionDep,
                                 user: CurrentUser, redis: RedisDep) -> Response:
    """Revoke access you granted, or withdraw your pending request."""
    req = await service.revoke(session, request_id, user)
    notify_users(session, redis, [req.requester_id, req.target_id],
                 {"type": "profile_request.revoked", "request_id": str(req.id),
                  "by": str(user.id)})
    return Response(status_code=status.HTTP_204_NO_CONTENT)
