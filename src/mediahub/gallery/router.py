"""`/api/photos`: upload, read, edit, delete, history, lists, favorites, search."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.auth.deps import CurrentUser, OptionalUser
from mediahub.core import events
from mediahub.core.db import ReadOnly, SessionDep, after_commit, on_rollback
from mediahub.core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from mediahub.core.queue import JobName, new_job_run
from mediahub.gallery import reads, service
from mediahub.gallery.schemas import HistoryItem, HistoryOut, PhotoOut, PhotoPage, PhotoUpdate
from mediahub.media.sniff import IMAGE_FORMATS
from mediahub.media.upload import multipart_openapi, receive_upload

router = APIRouter(prefix="/photos", tags=["photos"])

Limit = Annotated[int, Query(ge=1, le=100, description="items per page")]
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the last page")]

UPLOAD_BODY = multipart_openapi(
    "JPEG, PNG, GIF, WebP, HEIC/HEIF, AVIF or TIFF",
    description={"type": "string", "maxLength": 2000},
    tags={"type": "string", "description": "comma- or space-separated"},
    is_public={"type": "boolean", "default": False},
)


def _deps(request: Request):  # noqa: ANN202 - (store, settings)
    return request.app.state.object_store, request.app.state.settings


async def _one(request: Request, session, art, photo, viewer) -> PhotoOut:  # noqa: ANN001
    store, settings = _deps(request)
    return await reads.as_photo_out(session, art, photo, viewer, store=store, settings=settings)


async def _page(request: Request, session, rows_cursor, viewer,  # noqa: ANN001
                *, all_favorites: bool = False) -> Response:
    """The PhotoPage body, written at once from rows (reads.py; `response_model` documents it)."""
    rows, cursor = rows_cursor
    store, settings = _deps(request)
    return await reads.page_response(session, rows, cursor, viewer, store=store,
                                     settings=settings, all_favorites=all_favorites)


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=PhotoOut, operation_id="upload_photo",
    openapi_extra=UPLOAD_BODY,
    responses={**BadRequest.openapi(), **Unauthorized.openapi(), **Conflict.openapi(),
               **PayloadTooLarge.openapi(), **UnsupportedMediaType.openapi()},
)
async def upload_photo(request: Request, user: CurrentUser, session: SessionDep) -> PhotoOut:
    """Upload an image (multipart `file`, optional `description`, `tags`, `is_public`).

    The type is decided by the file's bytes. The same bytes uploaded again by the same owner
    answer 409 with the existing object's `id`.
    """
    store, settings = _deps(request)
    photo_id = uuid.uuid4()
    key = f"photos/{photo_id}/original"
    received = await receive_upload(request, store, key, accept=IMAGE_FORMATS,
                                    max_bytes=settings.max_photo_bytes)
    on_rollback(session, lambda: store.delete(key))  # no orphan file if anything below fails
    fields = service.parse_upload_fields(received.fields)
    art, photo = await service.create_from_upload(
        session, user=user, photo_id=photo_id, key=key, received=received, fields=fields)
    new_job_run(session, JobName.PHOTO_RENDITIONS, owner_id=user.id, photo_id=str(photo_id))
    event = {"type": "photo.created", "id": str(art.id), "status": photo.status}
    after_commit(session, lambda: events.publish(request.app.state.redis,
                                                 events.user_channel(user.id), event))
    return await _one(request, session, art, photo, user)


@router.get("/feed", response_model=PhotoPage, operation_id="photo_feed",
            responses=BadRequest.openapi(),
            dependencies=[ReadOnly])
async def photo_feed(request: Request, session: SessionDep, viewer: OptionalUser,
                     cursor: Cursor = None, limit: Limit = 30) -> Response:
    """Public photos of everyone, newest first."""
    return await _page(request, session, await service.feed(session, cursor=cursor, limit=limit),
                       viewer)


@router.get("/mine", response_model=PhotoPage, operation_id="my_photos",
            responses={**Unauthorized.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def my_photos(request: Request, session: SessionDep, user: CurrentUser,
                    cursor: Cursor = None, limit: Limit = 30) -> Response:
    """Everything you own, including photos still processing."""
    rows = await service.mine(session, user, cursor=cursor, limit=limit)
    return await _page(request, session, rows, user)


@router.get("/favorites", response_model=PhotoPage, operation_id="favorite_photos",
            responses={**Unauthorized.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def favorite_photos(request: Request, session: SessionDep, user: CurrentUser,
                          cursor: Cursor = None, limit: Limit = 30) -> Response:
    """Your favorites (those you can still see), most recently added first."""
    rows = await service.favorites(session, user, cursor=cursor, limit=limit)
    return await _page(request, session, rows, user, all_favorites=True)


@router.get("/search", response_model=PhotoPage, operation_id="search_photos",
            dependencies=[ReadOnly])
async def search_photos(
    request: Request, session: SessionDep, viewer: OptionalUser,
    q: Annotated[str, Query(min_length=1, max_length=200)], limit: Limit = 30,
) -> Response:
    """Full-text search in descriptions and tags (public photos and your own)."""
    rows = await service.search(session, viewer, q, limit=limit)
    return await _page(request, session, (rows, None), viewer)


@router.get("/imported", response_model=PhotoPage, operation_id="imported_photos",
            responses={**Unauthorized.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def imported_photos(request: Request, session: SessionDep, user: CurrentUser,
                          cursor: Cursor = None, limit: Limit = 30) -> Response:
    """Photos you imported that you may still see, most recently imported first."""
    rows = await service.imported(session, user, cursor=cursor, limit=limit)
    return await _page(request, session, rows, user)


@router.post("/{photo_id}/import", status_code=status.HTTP_204_NO_CONTENT,
             operation_id="import_photo", responses={**NotFound.openapi(), **BadRequest.openapi()})
async def import_photo(photo_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    """Save someone else's photo you may see to your imports (idempotent)."""
    await service.set_import(session, user, photo_id, True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/{photo_id}/import", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="unimport_photo")
async def unimport_photo(photo_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    """Remove a photo from your imports (idempotent)."""
    await service.set_import(session, user, photo_id, False)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{photo_id}", response_model=PhotoOut, operation_id="get_photo",
            responses=NotFound.openapi(),
            dependencies=[ReadOnly])
async def get_photo(photo_id: uuid.UUID, request: Request, session: SessionDep,
                    viewer: OptionalUser) -> Response:
    """One photo, if you may see it (404 otherwise, whether or not it exists)."""
    row = await service.visible_row(session, photo_id, viewer)
    store, settings = _deps(request)
    return await reads.photo_response(session, row, viewer, store=store, settings=settings)


@router.get("/{photo_id}/history", response_model=HistoryOut, operation_id="photo_history",
            responses=NotFound.openapi(),
            dependencies=[ReadOnly])
async def photo_history(photo_id: uuid.UUID, session: SessionDep,
                        viewer: OptionalUser) -> HistoryOut:
    """Creation and every change of owner, oldest first."""
    await service.get_visible(session, photo_id, viewer)
    rows = await service.history(session, photo_id)
    return HistoryOut(items=[HistoryItem.model_validate(r) for r in rows])


@router.patch("/{photo_id}", response_model=PhotoOut, operation_id="update_photo",
              responses={**NotFound.openapi(), **Forbidden.openapi()})
async def update_photo(photo_id: uuid.UUID, body: PhotoUpdate, request: Request,
                       session: SessionDep, user: CurrentUser) -> PhotoOut:
    """Change description, tags or visibility (owner only)."""
    art, photo = await service.get_owned(session, photo_id, user)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    became_public = changes.get("is_public") is True and not art.is_public
    became_private = changes.get("is_public") is False and art.is_public
    if became_private:
        service.revoke_links(art)  # links shared while it was public end now
    for field, value in changes.items():
        setattr(art, field, value)
    await session.flush()
    await session.refresh(art)
    if photo.status == "ready" and (became_public or became_private):
        _announce(request, session, art.id,
                  "photo.published" if became_public else "photo.unpublished")
    return await _one(request, session, art, photo, user)


def _announce(request: Request, session: AsyncSession, art_id: uuid.UUID, kind: str) -> None:
    """After the commit, tell every open feed (the public channel) a photo joined or left it."""
    event = {"type": kind, "id": str(art_id)}
    after_commit(session, lambda: events.publish(request.app.state.redis, events.PUBLIC, event))


@router.delete("/{photo_id}", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="delete_photo",
               responses={**NotFound.openapi(), **Forbidden.openapi()})
async def delete_photo(photo_id: uuid.UUID, request: Request, session: SessionDep,
                       user: CurrentUser) -> Response:
    """Delete a photo you own (its ownership history is kept)."""
    art, photo = await service.get_owned(session, photo_id, user)
    await service.soft_delete(session, art)
    if art.is_public and photo.status == "ready":
        _announce(request, session, art.id, "photo.unpublished")  # off the open feeds now
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{photo_id}/favorite", status_code=status.HTTP_204_NO_CONTENT,
            operation_id="add_favorite", responses=NotFound.openapi())
async def add_favorite(photo_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> Response:
    """Add to your favorites (idempotent)."""
    await service.set_favorite(session, user, photo_id, True)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/{photo_id}/favorite", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="remove_favorite", responses=NotFound.openapi())
async def remove_favorite(photo_id: uuid.UUID, session: SessionDep,
                          user: CurrentUser) -> Response:
    """Remove from your favorites (idempotent)."""
    await service.set_favorite(session, user, photo_id, False)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
