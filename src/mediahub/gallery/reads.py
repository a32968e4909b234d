"""Photo responses from plain rows: the columns a page shows, links signed once, JSON at once.

The hot read paths (feed, favorites, photo page) select exactly these columns, run their
statement straight on asyncpg (core/raw.py; other lists as SQLAlchemy Core rows), and write
each item with `pydantic_core.to_json` from a plain dict whose keys follow `PhotoOut`'s
fields, once per row version, favorite flag and link window (`_item_parts`): the same bytes
FastAPI writes for the model (tests/unit and tests/integration pin that), without building
ORM entities and models, or validating our own output a second time. Write responses go
through `as_photo_out`, the same shape (ADR 0018 and its second pass).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import Response
from pydantic_core import to_json
from sqlalchemy import any_, bindparam, exists, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.config import Settings
from mediahub.core.raw import RawStatement
from mediahub.core.storage import ObjectStore
from mediahub.downloads.links import file_url, link_expiry, signed_download_path
from mediahub.gallery.models import ArtObject, Favorite, Photo, PhotoStatus
from mediahub.gallery.schemas import PhotoOut
from mediahub.users.models import User

#: What a photo response shows, in `PhotoOut`'s field order (urls and is_favorite go between
#: original_filename and created_at), then what its links need.
SHOWN = (ArtObject.id, Photo.status, Photo.error, ArtObject.owner_id, ArtObject.creator_id,
         ArtObject.is_public, ArtObject.description, ArtObject.tags, Photo.width, Photo.height,
         Photo.placeholder, Photo.taken_at, Photo.camera, Photo.mime, Photo.size,
         Photo.original_filename)
FOR_LINKS = (ArtObject.access_version, Photo.original_key, Photo.preview_key, Photo.thumb_key)
PHOTO_COLUMNS = (*SHOWN, ArtObject.created_at, *FOR_LINKS)
_SHOWN_KEYS = tuple(column.key for column in SHOWN)
_KEYS = tuple(column.key for column in PHOTO_COLUMNS)
_TAGS_AT = _KEYS.index("tags")  # a list in a row: a tuple in a cache key

# One array parameter, not IN (...) with one per id: a page of 50 bound 50 parameters; built
# and compiled once per process, run straight on asyncpg (core/raw.py).
_FAVORITES_AMONG = RawStatement(select(Favorite.art_object_id).where(
    Favorite.user_id == bindparam("viewer"),
    Favorite.art_object_id == any_(bindparam("ids", type_=ARRAY(PG_UUID(as_uuid=True))))))
#: Signed in, a page's rows end with this: whether the viewer marked the object as favorite.
FAVORITE_FLAG = exists().where(Favorite.user_id == bindparam("viewer"),
                               Favorite.art_object_id == ArtObject.id).label("is_favorite")
#: Columns written as strings: pydantic's `to_json` infers a UUID's type slowly (and asyncpg's
#: own UUID class more slowly still); `str()` writes the same text.
_UUID_KEYS = ("id", "owner_id", "creator_id")

# (object, access version, status, keys, names) -> urls, for one expiry window; see _urls.
_links: dict[tuple, dict[str, str | None]] = {}
_links_window: list[Any] = [None]
_LINKS_MAX = 20_000
# (row, favorite) -> the item's JSON, for the same window; see _item_parts. ~1.3 kB each
# typically, but a row with the longest texts allowed is ~40 kB of key and value: the cache
# is bounded by an estimate of its bytes (3x the JSON: the key holds the same texts and
# more), not only by its count.
_items_json: dict[tuple, bytes] = {}
_ITEMS_MAX = 5_000
_ITEMS_BUDGET = 24 * 1024 * 1024
_items_bytes = [0]


def row_of(art: ArtObject, photo: Photo) -> tuple:
    """The PHOTO_COLUMNS of ORM objects, as a lean row has them (for write responses)."""
    return tuple(getattr(art if column.table is ArtObject.__table__ else photo, column.key)
                 for column in PHOTO_COLUMNS)


async def favorites_among(session: AsyncSession, viewer: User | None,
                          ids: Sequence[uuid.UUID]) -> set[str]:
    """Which of `ids` the viewer marked as favorite, as strings (none for anonymous viewers)."""
    if viewer is None or not ids:
        return set()
    found = await _FAVORITES_AMONG.fetch(session, {"viewer": viewer.id, "ids": list(ids)})
    return {str(row[0]) for row in found}


async def _flags(session: AsyncSession, rows: list[Any], viewer: User | None,
                 all_favorites: bool, flagged: bool) -> set[str] | None:
    """The viewer's favorites among `rows` (ids as strings); None: every row is one.

    `flagged`: each row ends with its flag (FAVORITE_FLAG); it is taken off the rows here.
    """
    if all_favorites:
        return None
    if flagged:
        favorites = {str(row[0]) for row in rows if row[-1]}
        rows[:] = [row[:-1] for row in rows]
        return favorites
    return await favorites_among(session, viewer, [row[0] for row in rows])


def _item(m: Mapping[str, Any], favorite: bool, urls: dict[str, str | None], *,
          text_ids: bool = False) -> dict[str, Any]:
    item = {key: m[key] for key in _SHOWN_KEYS}
    if text_ids:  # for to_json only; callers of `items` get UUIDs, as the model has them
        for key in _UUID_KEYS:
            item[key] = str(item[key])
    item["tags"] = list(item["tags"])
    item["urls"] = urls
    item["is_favorite"] = favorite
    item["created_at"] = m["created_at"]
    return item


async def items(session: AsyncSession, rows: Iterable[Any], viewer: User | None, *,
                store: ObjectStore, settings: Settings,
                all_favorites: bool = False, flagged: bool = False) -> list[dict[str, Any]]:
    """Response items (PhotoOut's shape, as plain dicts) for rows of PHOTO_COLUMNS.

    `all_favorites`: the rows are the viewer's favorites, so there is nothing to look up;
    `flagged`: each row ends with the viewer's favorite flag.
    """
    rows = list(rows)
    favorites = await _flags(session, rows, viewer, all_favorites, flagged)
    out = []
    for row in rows:
        m = dict(zip(_KEYS, row, strict=True))
        favorite = favorites is None or str(m["id"]) in favorites
        out.append(_item(m, favorite, await _urls(m, store, settings)))
    return out


async def _item_parts(session: AsyncSession, rows: Iterable[Any], viewer: User | None, *,
                      store: ObjectStore, settings: Settings,
                      all_favorites: bool = False, flagged: bool = False) -> list[bytes]:
    """Each row's item as JSON, written once per row version, favorite flag and link window.

    The key is the whole row (every shown column and what the links are made of) and the
    flag, so any change to the object, its access version or its renditions is a new entry,
    and a new link window empties the cache with the links. The query still runs each time:
    only writing the same values to the same bytes again is skipped (issue 20).
    """
    rows = list(rows)
    if settings.s3_presigned_downloads:  # the store's links differ per call: nothing to keep
        return [to_json(item) for item in await items(
            session, rows, viewer, store=store, settings=settings, all_favorites=all_favorites,
            flagged=flagged)]
    favorites = await _flags(session, rows, viewer, all_favorites, flagged)
    expires_at = _window(settings)
    parts = []
    for row in rows:
        # No str() of 50 ids for an anonymous page (its set is empty): ~2 % of the page.
        favorite = favorites is None or (bool(favorites) and str(row[0]) in favorites)
        key = (*row[:_TAGS_AT], tuple(row[_TAGS_AT]), *row[_TAGS_AT + 1:], favorite)
        part = _items_json.get(key)
        if part is None:
            m = dict(zip(_KEYS, row, strict=True))
            urls = _signed(m, settings, expires_at)
            part = _items_json[key] = to_json(_item(m, favorite, urls, text_ids=True))
            _items_bytes[0] += 3 * len(part)
        parts.append(part)
    return parts


async def page_response(session: AsyncSession, rows: Iterable[Any], next_cursor: str | None,
                        viewer: User | None, *, store: ObjectStore, settings: Settings,
                        all_favorites: bool = False, flagged: bool = False) -> Response:
    """A PhotoPage response body for rows of PHOTO_COLUMNS (`flagged`: see `items`).

    The bytes `to_json` writes for {"items": [...], "next_cursor": ...} (compact, in field
    order), put together from the items' own JSON.
    """
    parts = await _item_parts(session, rows, viewer, store=store, settings=settings,
                              all_favorites=all_favorites, flagged=flagged)
    body = b'{"items":[' + b",".join(parts) + b'],"next_cursor":' + to_json(next_cursor) + b"}"
    return Response(content=body, media_type="application/json")


async def photo_response(session: AsyncSession, row: Any, viewer: User | None, *,
                         store: ObjectStore, settings: Settings,
                         flagged: bool = False) -> Response:
    """A PhotoOut response body for one row of PHOTO_COLUMNS (`flagged`: see `items`)."""
    parts = await _item_parts(session, [row], viewer, store=store, settings=settings,
                              flagged=flagged)
    return Response(content=parts[0], media_type="application/json")


async def as_photo_out(session: AsyncSession, art: ArtObject, photo: Photo,
                       viewer: User | None, *, store: ObjectStore,
                       settings: Settings) -> PhotoOut:
    """The same item as a model, for the (cold) write routes that return one."""
    item = (await items(session, [row_of(art, photo)], viewer, store=store,
                        settings=settings))[0]
    return PhotoOut.model_validate(item)


async def _urls(row: Mapping[str, Any], store: ObjectStore,
                settings: Settings) -> dict[str, str | None]:
    """The object's three links; our own signed links are made once per object and window."""
    if settings.s3_presigned_downloads:  # the store signs (and may decline: then ours)
        return await _urls_now(row, store, settings)
    return _signed(row, settings, _window(settings))


def _window(settings: Settings) -> Any:
    """The current links' expiry; a new window empties the link and item caches."""
    expires_at = link_expiry(settings.signed_url_ttl_seconds)
    if (_links_window[0] != expires_at or len(_links) > _LINKS_MAX
            or len(_items_json) > _ITEMS_MAX or _items_bytes[0] > _ITEMS_BUDGET):
        _links.clear()  # a new window: every link changes anyway
        _items_json.clear()
        _items_bytes[0] = 0
        _links_window[0] = expires_at
    return expires_at


def _signed(row: Mapping[str, Any], settings: Settings, expires_at: Any) -> dict[str, str | None]:
    key = (row["id"], row["access_version"], row["status"], row["original_key"],
           row["preview_key"], row["thumb_key"], row["mime"], row["original_filename"])
    urls = _links.get(key)
    if urls is None:
        urls = _links[key] = _sign_all(row, settings, expires_at)
    return dict(urls)


def _wanted(row: Mapping[str, Any]) -> list[tuple[str, str | None, str, str | None]]:
    """(field, key, type, filename) of each link; renditions only once the photo is ready."""
    original = row["original_key"]
    ready = row["status"] == PhotoStatus.READY

    def rendition(key: str | None) -> str | None:
        return key if ready or key == original else None

    return [("original", original, row["mime"], row["original_filename"]),
            ("preview", rendition(row["preview_key"]), "image/webp", None),
            ("thumb", rendition(row["thumb_key"]), "image/webp", None)]


def _sign_all(row: Mapping[str, Any], settings: Settings, expires_at: Any) -> dict:
    access = (str(row["id"]), row["access_version"])
    return {name: None if key is None else signed_download_path(
                key, expires_at, settings.jwt_secret, filename, mime, access)
            for name, key, mime, filename in _wanted(row)}


async def _urls_now(row: Mapping[str, Any], store: ObjectStore,
                    settings: Settings) -> dict[str, str | None]:
    access = (str(row["id"]), row["access_version"])
    return {name: None if key is None else await file_url(
                store, settings, key, content_type=mime, filename=filename, access=access)
            for name, key, mime, filename in _wanted(row)}
