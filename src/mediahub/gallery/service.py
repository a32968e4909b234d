"""Gallery rules: creating objects from uploads, edits, lists, favorites, search, file links.

Who sees what is `gallery.access`.
"""

from __future__ import annotations

import functools
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from pydantic_core import PydanticCustomError
from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    case,
    cast,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import TSQUERY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core import clock
from mediahub.core.db import advisory_xact_lock
from mediahub.core.errors import BadRequest, Conflict, Forbidden, InvalidFormText, NotFound
from mediahub.core.pagination import keyset_page, keyset_rows, keyset_statement
from mediahub.core.raw import RawStatement
from mediahub.core.storage import ObjectStore
from mediahub.core.text import TextRefused
from mediahub.gallery.access import visible_to, visible_to_param
from mediahub.gallery.models import (
    ArtObject,
    Favorite,
    HistoryKind,
    Import,
    OwnershipHistory,
    Photo,
    PhotoStatus,
)
from mediahub.gallery.reads import FAVORITE_FLAG, PHOTO_COLUMNS
from mediahub.gallery.schemas import (
    PhotoUpdate,
    clean_description,
    normalize_tags,
)
from mediahub.media.upload import ReceivedUpload
from mediahub.users.models import User


@dataclass(frozen=True)
class UploadFields:
    """The optional form fields that come with a photo upload."""

    description: str
    tags: list[str]
    is_public: bool


def parse_upload_fields(fields: dict[str, str]) -> UploadFields:
    """Validate the text fields of an upload form; BadRequest names the field at fault."""
    unknown = set(fields) - {"description", "tags", "is_public"}
    if unknown:
        raise BadRequest(f"unknown form field(s): {', '.join(sorted(unknown))}",
                         code="upload.unknown_fields", params={"fields": sorted(unknown)})
    flag = fields.get("is_public", "false").strip().lower()
    if flag not in ("true", "false", "1", "0", "on", "off", ""):
        raise BadRequest("is_public must be true or false", code="photo.bad_is_public")
    try:
        return UploadFields(
            description=clean_description(fields.get("description")),
            tags=normalize_tags(fields.get("tags")),
            is_public=flag in ("true", "1", "on"),
        )
    except TextRefused as exc:
        raise InvalidFormText(str(exc), code="invalid_text", params={"field": exc.field}) from None
    except PydanticCustomError as exc:
        raise BadRequest(str(exc), code=exc.type, params=exc.context or {}) from None


async def create_from_upload(
    session: AsyncSession, *, user: User, photo_id: uuid.UUID, key: str,
    received: ReceivedUpload, fields: UploadFields,
) -> tuple[ArtObject, Photo]:
    """Record the photo, its art object and the creation in the history.

    The same bytes uploaded again by the same owner are refused with 409 and the existing id.
    """
    stored = received.file.stored
    # Serialise identical uploads of one user so two parallel requests cannot both pass.
    await advisory_xact_lock(session, f"upload:{user.id}:{stored.sha256}")
    existing = await session.scalar(
        select(ArtObject.id).join(Photo, Photo.id == ArtObject.photo_id)
        .where(Photo.uploader_id == user.id, Photo.sha256 == stored.sha256,
               ArtObject.owner_id == user.id, ArtObject.deleted_at.is_(None))
    )
    if existing is not None:
        raise Conflict("you already uploaded this photo", code="photo.duplicate",
                       extra={"id": existing})
    photo = Photo(id=photo_id, uploader_id=user.id, status=PhotoStatus.PROCESSING,
                  original_key=key, mime=received.file.format.mime, size=stored.size,
                  sha256=stored.sha256, original_filename=received.file.filename)
    session.add(photo)
    await session.flush()  # rows reference each other by id only: insert in order
    art = ArtObject(id=uuid.uuid4(), photo_id=photo_id, owner_id=user.id, creator_id=user.id,
                    is_public=fields.is_public, description=fields.description, tags=fields.tags)
    session.add(art)
    await session.flush()
    session.add(OwnershipHistory(art_object_id=art.id, from_user_id=None, to_user_id=user.id,
                                 kind=HistoryKind.CREATED))
    return art, photo


async def get_visible(session: AsyncSession, art_id: uuid.UUID, viewer: User | None,
                      *, for_update: bool = False) -> tuple[ArtObject, Photo]:
    """The object and its photo if the viewer may see it; 404 otherwise (never 403)."""
    query = (select(ArtObject, Photo).join(Photo, Photo.id == ArtObject.photo_id)
             .where(ArtObject.id == art_id, visible_to(viewer)))
    if for_update:
        query = query.with_for_update(of=ArtObject)
    row = (await session.execute(query)).first()
    if row is None:
        raise NotFound("photo not found", code="photo.not_found")
    return row[0], row[1]


async def get_owned(
    session: AsyncSession, art_id: uuid.UUID, owner: User
) -> tuple[ArtObject, Photo]:
    """The object if `owner` owns it: 404 when invisible, 403 when visible but someone else's."""
    art, photo = await get_visible(session, art_id, owner, for_update=True)
    if art.owner_id != owner.id:
        raise Forbidden("only the owner can do this", code="photo.not_owner")
    return art, photo


async def edit(session: AsyncSession, art: ArtObject, changes: PhotoUpdate
               ) -> Literal["published", "unpublished"] | None:
    """Apply an owner's edit (omitted fields stay); say whether it entered or left public."""
    became_public = changes.is_public is True and not art.is_public
    became_private = changes.is_public is False and art.is_public
    if became_private:
        revoke_links(art)  # links shared while it was public end now
    if changes.description is not None:
        art.description = changes.description
    if changes.tags is not None:
        art.tags = changes.tags
    if changes.is_public is not None:
        art.is_public = changes.is_public
    await session.flush()
    await session.refresh(art)
    if became_public:
        return "published"
    return "unpublished" if became_private else None


# ---------------------------------------------------------------- lists (keyset pagination)


async def _page(session: AsyncSession, query: Select, order_at, order_id,  # noqa: ANN001
                cursor: str | None, limit: int) -> tuple[list[tuple], str | None]:
    """One keyset page of response rows, newest first by (order_at, order_id)."""
    return await keyset_page(session, query, order_at, order_id, cursor, limit,
                             columns_only=True)


def _objects() -> Select:
    """Rows of the columns a photo response shows (Core rows: lists are the hot path)."""
    return select(*PHOTO_COLUMNS).select_from(ArtObject).join(Photo,
                                                               Photo.id == ArtObject.photo_id)


async def visible_row(session: AsyncSession, art_id: uuid.UUID, viewer: User | None) -> tuple:
    """The response row of an object the viewer may see; 404 otherwise (never 403).

    Signed in, the row ends with the viewer's favorite flag (one statement, not two)."""
    statement = _visible_row_statement(signed_in=viewer is not None)
    rows = await statement.fetch(session, {"art_id": art_id, "viewer": viewer and viewer.id})
    if not rows:
        raise NotFound("photo not found", code="photo.not_found")
    return tuple(rows[0])


@functools.cache
def _visible_row_statement(*, signed_in: bool) -> RawStatement:
    query = _objects().add_columns(FAVORITE_FLAG) if signed_in else _objects()
    return RawStatement(query.where(ArtObject.id == bindparam("art_id"),
                                    visible_to_param(signed_in)))


async def feed(session: AsyncSession, *, cursor: str | None, limit: int,  # noqa: ANN201
               viewer: User | None = None):
    """Public, ready objects of everyone, newest first; for a signed-in viewer each row ends
    with their favorite flag (one statement, not two)."""
    statement = _feed_statement(after=bool(cursor), signed_in=viewer is not None)
    return await keyset_rows(session, statement, cursor, limit,
                             values={"viewer": viewer.id} if viewer else None)


@functools.cache
def _feed_statement(*, after: bool, signed_in: bool = False) -> RawStatement:
    """The feed page's statement, built and compiled once per process and run straight on
    asyncpg: its only per-request values are parameters (ADR 0018 and its second pass)."""
    query = _objects().add_columns(FAVORITE_FLAG) if signed_in else _objects()
    query = query.where(ArtObject.is_public, ArtObject.deleted_at.is_(None),
                        Photo.status == PhotoStatus.READY)
    return RawStatement(keyset_statement(query, ArtObject.created_at, ArtObject.id, after=after))


async def mine(session: AsyncSession, user: User, *, cursor: str | None, limit: int):  # noqa: ANN201
    """Everything the user owns, in any processing state, newest first."""
    query = _objects().where(ArtObject.owner_id == user.id, ArtObject.deleted_at.is_(None))
    return await _page(session, query, ArtObject.created_at, ArtObject.id, cursor, limit)


async def favorites(session: AsyncSession, user: User, *, cursor: str | None,  # noqa: ANN201
                    limit: int):
    """The user's favorites they may still see, most recently favorited first."""
    return await keyset_rows(session, _favorites_statement(after=bool(cursor)), cursor, limit,
                             values={"viewer": user.id})


@functools.cache
def _favorites_statement(*, after: bool) -> RawStatement:
    """Built and compiled once per process, the viewer a parameter (see _AnyViewer)."""
    query = (_objects().join(Favorite, Favorite.art_object_id == ArtObject.id)
             .where(Favorite.user_id == bindparam("viewer"), visible_to_param(True)))
    # Ordered by when it was favorited, so the cursor is on Favorite.created_at.
    return RawStatement(keyset_statement(query, Favorite.created_at, ArtObject.id, after=after))


async def set_favorite(session: AsyncSession, user: User, art_id: uuid.UUID, on: bool) -> None:
    """Mark or unmark a visible object as favorite (idempotent)."""
    await get_visible(session, art_id, user)
    if on:
        await session.execute(insert(Favorite).values(user_id=user.id, art_object_id=art_id)
                              .on_conflict_do_nothing())
    else:
        await session.execute(delete(Favorite).where(Favorite.user_id == user.id,
                                                     Favorite.art_object_id == art_id))


#: Words of a search taken into account; more are ignored (each adds to the query's cost).
SEARCH_MAX_WORDS = 8
#: The shortest word searched as a prefix ("hol" finds "holiday"; "ho" only "ho").
SEARCH_MIN_PREFIX = 3
_WORD = re.compile(r"[^\W_]+")


def search_query(q: str) -> ColumnElement | None:
    """The tsquery for what a user typed: every word, as written or by its stem, as a prefix.

    "holi" finds "holiday" (prefix), "flower" finds "flowers" and "праздники" finds
    "праздник" (stems; see ArtObject.search). Words are letters and digits only, so nothing
    the user types is tsquery syntax. None when there is no word at all.
    """
    words = _WORD.findall(q.lower())[:SEARCH_MAX_WORDS]
    query = None
    for word in words:
        # A one- or two-letter prefix matches most of the index and ranks it all (anonymous
        # callers too): exact for those, prefix from three letters on.
        term = f"{word}:*" if len(word) >= SEARCH_MIN_PREFIX else word
        stemmed = func.to_tsquery("russian", term)
        # A stop word ("и", "the") has no stem: it is left out, as an empty query, which
        # && ignores; otherwise "цветы и море" would need an "и" in the text.
        either = case((func.numnode(stemmed) == 0, cast("", TSQUERY)),
                      else_=func.to_tsquery("simple", term).op("||")(stemmed))
        query = either if query is None else query.op("&&")(either)
    return query


async def search(session: AsyncSession, viewer: User | None, q: str, *, limit: int):  # noqa: ANN201
    """Full-text search over descriptions and tags, best matches first, visibility respected."""
    query = search_query(q)
    if query is None:
        return []
    rank = func.ts_rank(ArtObject.search, query)
    stmt = (_objects().where(visible_to(viewer), ArtObject.search.op("@@")(query),
                             or_(Photo.status == PhotoStatus.READY,
                                 ArtObject.owner_id == (viewer.id if viewer else None)))
            .order_by(rank.desc(), ArtObject.created_at.desc()).limit(limit))
    return [tuple(r) for r in (await session.execute(stmt)).all()]


async def soft_delete(session: AsyncSession, art: ArtObject) -> None:
    """Hide the object for good; its history rows stay (they are never deleted).

    Its files are removed after DELETED_FILES_RETENTION_SECONDS (`purge_deleted_files`).
    """
    art.deleted_at = clock.now()
    revoke_links(art)


# ---------------------------------------------------------------- file links and files


def revoke_links(art: ArtObject) -> None:
    """End every file link handed out for `art` (someone may have lost access to it)."""
    art.access_version += 1


async def revoke_links_where(session: AsyncSession, condition) -> None:  # noqa: ANN001
    """revoke_links for every object matching a SQL condition, without loading them."""
    await session.execute(update(ArtObject).where(condition)
                          .values(access_version=ArtObject.access_version + 1)
                          .execution_options(synchronize_session=False))


async def link_is_current(session: AsyncSession, object_id: str, access_version: int) -> bool:
    """Whether a file link made at `access_version` of the object still grants access."""
    try:
        ident = uuid.UUID(object_id)
    except (ValueError, TypeError, AttributeError):
        return False
    current = await session.scalar(select(ArtObject.access_version).where(
        ArtObject.id == ident, ArtObject.deleted_at.is_(None)))
    return current is not None and current == access_version


async def purge_deleted_files(session: AsyncSession, store: ObjectStore, *,
                              older_than_s: float, batch: int = 100) -> int:
    """Remove the stored files of objects deleted more than `older_than_s` ago; commit.

    The rows stay (ownership history is kept forever); `photos.purged_at` records the purge.
    Files go first, then the mark: a failure in between is retried on the next round.
    """
    cutoff = clock.now().timestamp() - older_than_s
    photos = list(await session.scalars(
        select(Photo).join(ArtObject, ArtObject.photo_id == Photo.id)
        .where(ArtObject.deleted_at.is_not(None),
               ArtObject.deleted_at < datetime.fromtimestamp(cutoff, UTC),
               Photo.purged_at.is_(None))
        .order_by(ArtObject.deleted_at).limit(batch).with_for_update(of=Photo, skip_locked=True)))
    for photo in photos:
        for key in (photo.original_key, photo.preview_key, photo.thumb_key):
            if key:
                await store.delete(key)
        photo.purged_at = clock.now()
    await session.commit()
    return len(photos)


async def history(session: AsyncSession, art_id: uuid.UUID) -> list[OwnershipHistory]:
    """Ownership changes of an object, oldest first."""
    rows = await session.scalars(select(OwnershipHistory)
                                 .where(OwnershipHistory.art_object_id == art_id)
                                 .order_by(OwnershipHistory.id))
    return list(rows)


# ---------------------------------------------------------------- imports


async def set_import(session: AsyncSession, user: User, art_id: uuid.UUID, on: bool) -> None:
    """Import (or drop) someone else's object you may see; 404 if invisible, 400 if yours."""
    if not on:
        await session.execute(delete(Import).where(Import.user_id == user.id,
                                                   Import.art_object_id == art_id))
        return
    art, _ = await get_visible(session, art_id, user)
    if art.owner_id == user.id:
        raise BadRequest("this photo is already yours", code="photo.already_yours")
    await session.execute(insert(Import).values(user_id=user.id, art_object_id=art_id)
                          .on_conflict_do_nothing())


async def imported(session: AsyncSession, user: User, *, cursor: str | None,  # noqa: ANN201
                   limit: int):
    """Imported objects the user may still see (not their own), most recently imported first.

    Visibility is checked at read time, so an import disappears when the grant is revoked or
    expires, or the object turns private or is deleted.
    """
    query = (_objects().join(Import, Import.art_object_id == ArtObject.id)
             .where(Import.user_id == user.id, visible_to(user),
                    ArtObject.owner_id != user.id))
    return await _page(session, query, Import.created_at, ArtObject.id, cursor, limit)


async def of_user(session: AsyncSession, viewer: User | None, owner_id: uuid.UUID, *,  # noqa: ANN201
                  cursor: str | None, limit: int):
    """Exactly the objects of one owner that the viewer may see, newest first."""
    query = _objects().where(ArtObject.owner_id == owner_id, visible_to(viewer))
    return await _page(session, query, ArtObject.created_at, ArtObject.id, cursor, limit)
