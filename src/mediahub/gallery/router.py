"""`/api/photos`: upload, read, edit, delete, history, lists, favorites, search."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.auth.deps import CurrentUser, OptionalUser, lean_viewer
from mediahub.core import events
from mediahub.core.db import ReadOnly, SessionDep, on_rollback
from mediahub.core.deps import RedisDep, SettingsDep, StoreDep
from mediahub.core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    UnsupportedMediaType,
)
from mediahub.core.lean import Endpoint, LeanRoute
from mediahub.core.notify import notify_users, publish_after_commit
from mediahub.core.queue import JobName, new_job_run
from mediahub.gallery import bulk, reads, service
from mediahub.gallery.models import PhotoStatus
from mediahub.gallery.schemas import (
    BulkChange,
    BulkResult,
    HistoryItem,
    HistoryOut,
    PhotoOut,
    PhotoPage,
    PhotoUpdate,
)
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


class Presenter:
    """Response bodies for rows, with file links from this process's store and settings.

    Pages and the photo page are written once from plain rows (reads.py); the routes keep
    `response_model` so the schema documents them.
    """

    def __init__(self, store: StoreDep, settings: SettingsDep) -> None:
        self.store, self.settings = store, settings

    async def one(self, session: AsyncSession, art, photo, viewer) -> PhotoOut:  # noqa: ANN001
        """One photo's body, for the write routes that return it."""
        return await reads.as_photo_out(session, art, photo, viewer, store=self.store,
                                        settings=self.settings)

    async def page(self, session: AsyncSession, rows_cursor, viewer,  # noqa: ANN001
                   *, all_favorites: bool = False, flagged: bool = False) -> Response:
        """A page of photos and the cursor of the next one."""
        rows, cursor = rows_cursor
        return await reads.page_response(session, rows, cursor, viewer, store=self.store,
                                         settings=self.settings, all_favorites=all_favorites,
                                         flagged=flagged)

    async def photo(self, session: AsyncSession, row, viewer) -> Response:  # noqa: ANN001
        """The photo page from its row (which ends with the favorite flag when signed in)."""
        return await reads.photo_response(session, row, viewer, store=self.store,
                                          settings=self.settings, flagged=viewer is not None)


async def presenter(request: Request) -> Presenter:
    """The route's Presenter, from the process's store and settings. A coroutine taking the
    request, on purpose: FastAPI runs a class dependency's `__init__` in a worker thread (that
    hop was ~7 % of a feed page's CPU), and every sub-dependency is solved per request."""
    state = request.app.state
    return Presenter(state.object_store, state.settings)


FEED_LIMIT = 30  # the feed's default page size, for both of its routes


Present = Annotated[Presenter, Depends(presenter)]


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=PhotoOut, operation_id="upload_photo",
    openapi_extra=UPLOAD_BODY,
    responses={**BadRequest.openapi(), **Unauthorized.openapi(), **Conflict.openapi(),
               **PayloadTooLarge.openapi(), **UnsupportedMediaType.openapi()},
)
async def upload_photo(request: Request, user: CurrentUser, session: SessionDep,
                       present: Present, redis: RedisDep) -> PhotoOut:
    """Upload an image (multipart `file`, optional `description`, `tags`, `is_public`).

    The type is decided by the file's bytes. The same bytes uploaded again by the same owner
    answer 409 with the existing object's `id`.
    """
    store, settings = present.store, present.settings
    photo_id = uuid.uuid4()
    key = f"photos/{photo_id}/original"
    received = await receive_upload(request, store, key, accept=IMAGE_FORMATS,
                                    max_bytes=settings.max_photo_bytes)
    on_rollback(session, lambda: store.delete(key))  # no orphan file if anything below fails
    fields = service.parse_upload_fields(received.fields)
    art, photo = await service.create_from_upload(
        session, user=user, photo_id=photo_id, key=key, received=received, fields=fields)
    new_job_run(session, JobName.PHOTO_RENDITIONS, owner_id=user.id, photo_id=str(photo_id))
    notify_users(session, redis, [user.id],
                 {"type": "photo.created", "id": str(art.id), "status": photo.status})
    return await present.one(session, art, photo, user)


@router.get("/feed", response_model=PhotoPage, operation_id="photo_feed",
            responses=BadRequest.openapi(),
            dependencies=[ReadOnly])
async def photo_feed(session: SessionDep, viewer: OptionalUser, present: Present,
                     cursor: Cursor = None, limit: Limit = FEED_LIMIT) -> Response:
    """Public photos of everyone, newest first."""
    rows = await service.feed(session, cursor=cursor, limit=limit, viewer=viewer)
    return await present.page(session, rows, viewer, flagged=viewer is not None)


def _lean(route: Callable[..., Awaitable[Response]], *, signed_in: bool = False) -> Endpoint:
    """A lean endpoint (core/lean.py, ADR 0028) for `route`, a FastAPI route function taking
    (session, viewer, present, **params): the same function called without FastAPI's request
    handler or a session, its viewer from the same checks (`lean_viewer`)."""
    async def endpoint(request: Request, params: dict[str, Any]) -> Response:
        async with request.app.state.engine.connect() as connection:
            viewer = await lean_viewer(request, connection, required=signed_in)
            return await route(connection, viewer, await presenter(request), **params)

    return endpoint


def lean_routes(prefix: str) -> list[LeanRoute]:
    """The lean routes to put in front of this router's, mounted under `prefix`: the hot reads
    of issue 20, each with its FastAPI route's default page size."""
    def lean(path: str, route: Callable[..., Awaitable[Response]], **kwargs: bool) -> LeanRoute:
        limit = inspect.signature(route).parameters.get("limit")
        return LeanRoute(f"{prefix}{router.prefix}{path}", _lean(route, **kwargs),
                         default_limit=None if limit is None else limit.default)

    return [lean("/feed", photo_feed), lean("/favorites", favorite_photos, signed_in=True),
            lean("/{photo_id:uuid}", get_photo)]


@router.get("/mine", response_model=PhotoPage, operation_id="my_photos",
            responses={**Unauthorized.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def my_photos(session: SessionDep, user: CurrentUser, present: Present,
                    cursor: Cursor = None, limit: Limit = 30) -> Response:
    """Everything you own, including photos still processing."""
    rows = await service.mine(session, user, cursor=cursor, limit=limit)
    return await present.page(session, rows, user)


@router.get("/favorites", response_model=PhotoPage, operation_id="favorite_photos",
            responses={**Unauthorized.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def favorite_photos(session: SessionDep, user: CurrentUser, present: Present,
                          cursor: Cursor = None, limit: Limit = 30) -> Response:
    """Your favorites (those you can still see), most recently added first."""
    rows = await service.favorites(session, user, cursor=cursor, limit=limit)
    return await present.page(session, rows, user, all_favorites=True)


@router.get("/search", response_model=PhotoPage, operation_id="search_photos",
            dependencies=[ReadOnly])
async def search_photos(
    session: SessionDep, viewer: OptionalUser, present: Present,
    q: Annotated[str, Query(min_length=1, max_length=200)], limit: Limit = 30,
) -> Response:
    """Full-text search in descriptions and tags (public photos and your own)."""
    rows = await service.search(session, viewer, q, limit=limit)
    return await present.page(session, (rows, None), viewer)


@router.post("/bulk", response_model=BulkResult, operation_id="bulk_change_photos",
             responses={**NotFound.openapi(), **Forbidden.openapi(), **Unauthorized.openapi()})
async def bulk_change_photos(body: BulkChange, session: SessionDep, user: CurrentUser,
                             redis: RedisDep) -> BulkResult:
    """Delete, or make private or public, up to 100 of your photos: all of them or none.

    404 (`not_found`) or 403 (`forbidden`) with the offending `ids` when any is not yours.
    """
    owned = await bulk.owned_for_update(session, body.ids, user)
    for art_id, kind in await bulk.apply(session, owned, body.action):
        _announce(session, redis, art_id, kind)
    return BulkResult(action=body.action, ids=[art.id for art, _ in owned])


@router.get("/imported", response_model=PhotoPage, operation_id="imported_photos",
            responses={**Unauthorized.openapi(), **BadRequest.openapi()},
            dependencies=[ReadOnly])
async def imported_photos(session: SessionDep, user: CurrentUser, present: Present,
                          cursor: Cursor = None, limit: Limit = 30) -> Response:
    """Photos you imported that you may still see, most recently imported first."""
    rows = await service.imported(session, user, cursor=cursor, limit=limit)
    return await present.page(session, rows, user)


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
async def get_photo(session: SessionDep, viewer: OptionalUser, present: Present,
                    photo_id: uuid.UUID) -> Response:
    """One photo, if you may see it (404 otherwise, whether or not it exists)."""
    return await present.photo(session, await service.visible_row(session, photo_id, viewer),
                               viewer)


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
async def update_photo(photo_id: uuid.UUID, body: PhotoUpdate, session: SessionDep,
                       user: CurrentUser, present: Present, redis: RedisDep) -> PhotoOut:
    """Change description, tags or visibility (owner only)."""
    art, photo = await service.get_owned(session, photo_id, user)
    change = await service.edit(session, art, body)
    if photo.status == PhotoStatus.READY and change is not None:
        _announce(session, redis, art.id, f"photo.{change}")
    return await present.one(session, art, photo, user)


def _announce(session: AsyncSession, redis: Redis, art_id: uuid.UUID, kind: str) -> None:
    """After the commit, tell every open feed (the public channel) a photo joined or left it."""
    publish_after_commit(session, redis, events.PUBLIC, {"type": kind, "id": str(art_id)})


@router.delete("/{photo_id}", status_code=status.HTTP_204_NO_CONTENT,
               operation_id="delete_photo",
               responses={**NotFound.openapi(), **Forbidden.openapi()})
async def delete_photo(photo_id: uuid.UUID, session: SessionDep, user: CurrentUser,
                       redis: RedisDep) -> Response:
    """Delete a photo you own (its ownership history is kept)."""
    art, photo = await service.get_owned(session, photo_id, user)
    await service.soft_delete(session, art)
    if art.is_public and photo.status == PhotoStatus.READY:
        _announce(session, redis, art.id, "photo.unpublished")  # off the open feeds now
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
