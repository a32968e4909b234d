"""Photo links cached per object and expiry window (gallery/reads.py): never past either."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from mediahub.config import Settings
from mediahub.downloads import links
from mediahub.downloads.tokens import verify_download_token
from mediahub.gallery import reads
from mediahub.gallery.schemas import PhotoOut

TTL = 900


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key, value in {"DATABASE_URL": "postgresql://u:p@db:5432/app",
                       "REDIS_URL": "redis://redis:6379/0", "STORAGE_URL": "file:///tmp/x",
                       "JWT_SECRET": "k" * 40, "SIGNED_URL_TTL_SECONDS": str(TTL)}.items():
        monkeypatch.setenv(key, value)
    return Settings()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The links' clock, set by the test (the cache itself is what is tested)."""
    now = [1_800_000_100.0]  # inside a window, not on its edge
    monkeypatch.setattr(links.time, "time", lambda: now[0])
    return now


def _row(access_version: int = 0) -> dict:
    photo = uuid.uuid4()
    return {"id": uuid.UUID(int=7), "access_version": access_version, "status": "ready",
            "original_key": f"photos/{photo}/original", "preview_key": f"photos/{photo}/p.webp",
            "thumb_key": f"photos/{photo}/t.webp", "mime": "image/jpeg",
            "original_filename": "a.jpg"}


def _expires(link: str, settings: Settings) -> float:
    token = link.removeprefix("/api/files/")
    signed_at = datetime.fromtimestamp(1_800_000_000, UTC)  # the test clock's era
    return verify_download_token(token, settings.jwt_secret,
                                 now=signed_at).expires_at.timestamp()


async def test_links_are_reused_within_a_window_and_renewed_after_it(settings, clock) -> None:  # noqa: ANN001
    row = _row()
    first = await reads._urls(row, None, settings)
    clock[0] += 1  # same window: the same links, from the cache
    assert await reads._urls(row, None, settings) == first
    assert len(reads._links) == 1
    clock[0] += TTL  # the next window: new links with a later expiry
    later = await reads._urls(row, None, settings)
    assert later["original"] != first["original"]
    assert _expires(later["original"], settings) == _expires(first["original"], settings) + TTL
    assert len(reads._links) == 1  # the old window's entries are gone


async def test_a_revoked_object_gets_new_links_from_a_warm_cache(settings, clock) -> None:  # noqa: ANN001
    row = _row()
    before = await reads._urls(row, None, settings)
    after = await reads._urls({**row, "access_version": 1}, None, settings)
    assert after["original"] != before["original"]
    processing = await reads._urls({**row, "status": "processing"}, None, settings)
    assert processing["preview"] is None and processing["thumb"] is None


def _photo_row(**changes: object) -> tuple:
    """A row of reads.PHOTO_COLUMNS, as the feed's query returns it."""
    photo = uuid.UUID(int=9)
    values = {"id": uuid.UUID(int=7), "status": "ready", "error": None,
              "owner_id": uuid.UUID(int=1), "creator_id": uuid.UUID(int=1), "is_public": True,
              "description": "Закат над Волгой", "tags": ["волга"], "width": 4, "height": 3,
              "placeholder": None, "taken_at": None, "camera": None, "mime": "image/jpeg",
              "size": 10, "original_filename": "a.jpg",
              "created_at": datetime(2026, 12, 6, 1, 2, 3, 456789, UTC), "access_version": 0,
              "original_key": f"photos/{photo}/original", "preview_key": f"photos/{photo}/p.webp",
              "thumb_key": f"photos/{photo}/t.webp", **changes}
    return tuple(values[key] for key in reads._KEYS)


async def test_item_json_is_written_once_per_row_flag_and_window(settings, clock) -> None:  # noqa: ANN001
    async def part(row: tuple, *, favorite: bool = False) -> bytes:
        return (await reads._item_parts(None, [row], None, store=None, settings=settings,
                                        all_favorites=favorite))[0]

    first = await part(_photo_row())
    assert first == PhotoOut.model_validate_json(first).model_dump_json().encode()
    assert await part(_photo_row()) is first  # the same values: the same bytes, kept
    edited = await part(_photo_row(description="Рассвет"))
    assert "Рассвет" in edited.decode() and edited != first
    assert b'"is_favorite":true' in await part(_photo_row(), favorite=True)
    revoked = await part(_photo_row(access_version=1))
    assert revoked != first
    clock[0] += TTL  # a new link window: new links, so new bytes
    assert await part(_photo_row()) != first


async def test_item_json_cache_is_bounded_by_bytes_not_only_by_count(settings, clock,  # noqa: ANN001
                                                                     monkeypatch) -> None:  # noqa: ANN001
    """Rows with the longest texts allowed: the cache empties at its byte budget."""
    monkeypatch.setattr(reads, "_ITEMS_BUDGET", 200_000)
    reads._items_json.clear()
    reads._items_bytes[0] = 0
    for n in range(40):
        row = _photo_row(id=uuid.UUID(int=100 + n), description="😀" * 2000,
                         tags=[f"{n}-{'т' * 38}" for _ in range(20)])
        await reads._item_parts(None, [row], None, store=None, settings=settings)
        assert reads._items_bytes[0] <= 200_000 + 3 * 50_000  # at most one item over
    assert len(reads._items_json) < 40
