"""The lean read paths (gallery/reads.py): the same bytes as the response models, rules kept.

Lists and the photo page are written from plain rows with `pydantic_core.to_json` instead of
building and validating `PhotoOut` models; these tests pin that the bytes are exactly what
the models write, that caches never outlive a revocation, and that reads run without a
transaction (ADR 0018).
"""

from __future__ import annotations

import io
import uuid

import httpx
import pytest
from PIL import Image
from sqlalchemy import update
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection

from mediahub.gallery.models import ArtObject, Photo, PhotoStatus
from mediahub.gallery.schemas import PhotoOut, PhotoPage

PASSWORD = "read path passphrase"


def _jpeg(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 37 % 256, 90, 120)).save(out, "JPEG")
    return out.getvalue()


async def _user(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    reply = await client.post("/api/auth/register", json={"username": name,
                                                          "password": PASSWORD})
    assert reply.status_code == 201, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


async def _photo(client: httpx.AsyncClient, auth: dict, seed: int, **fields: str) -> str:
    reply = await client.post("/api/photos", headers=auth, data=fields,
                              files={"file": (f"фото {seed}.jpg", _jpeg(seed), "image/jpeg")})
    assert reply.status_code == 201, reply.text
    return reply.json()["id"]


async def _ready(app, photo_id: str) -> None:  # noqa: ANN001
    """Stand in for the renditions job (tested on its own)."""
    async with app.state.session_factory() as session:
        art = await session.get(ArtObject, uuid.UUID(photo_id))
        await session.execute(update(Photo).where(Photo.id == art.photo_id).values(
            status=PhotoStatus.READY, width=64, height=48, camera="Тест «cam»",
            thumb_key=f"photos/{art.photo_id}/thumb.webp",
            preview_key=f"photos/{art.photo_id}/preview.webp"))
        await session.commit()


def _as_the_model_writes(body: bytes, model: type[PhotoPage] | type[PhotoOut]) -> bytes:
    """What FastAPI writes for `model` (TypeAdapter dump_json) after validating the data."""
    return model.model_validate_json(body).model_dump_json().encode()


async def test_lists_and_photo_page_are_the_bytes_the_models_write(app, client) -> None:  # noqa: ANN001
    alice = await _user(client, "alice")
    ids = [await _photo(client, alice, n, is_public="true", tags="море, #Sea",
                        description=f'"кавычки" \\ и\tтаб {n} 😀') for n in range(3)]
    for photo_id in ids[:2]:
        await _ready(app, photo_id)  # the third stays processing: renditions null
    assert (await client.put(f"/api/photos/{ids[0]}/favorite", headers=alice)).status_code == 204
    me = (await client.get("/api/auth/me", headers=alice)).json()["id"]
    pages = ["/api/photos/feed?limit=1", "/api/photos/mine?limit=2", "/api/photos/mine",
             "/api/photos/favorites", f"/api/users/{me}/photos", "/api/photos/search?q=sea"]
    for url in pages:
        for auth in (alice, {}):
            reply = await client.get(url, headers=auth)
            if reply.status_code == 401:
                continue
            assert reply.status_code == 200, (url, reply.text)
            assert reply.headers["content-type"] == "application/json"
            assert reply.content == _as_the_model_writes(reply.content, PhotoPage), url
    mine = (await client.get("/api/photos/mine", headers=alice)).json()["items"]
    assert len(mine) == 3 and {i["is_favorite"] for i in mine} == {True, False}
    assert [i["urls"]["thumb"] is None for i in mine] == [True, False, False]
    for photo_id in ids:
        got = await client.get(f"/api/photos/{photo_id}", headers=alice)
        assert got.content == _as_the_model_writes(got.content, PhotoOut)
        # The write path still builds the model; both paths give the same bytes.
        patched = await client.patch(f"/api/photos/{photo_id}", headers=alice, json={})
        assert patched.content == got.content


async def test_openapi_schema_still_describes_the_lean_responses(app, client) -> None:  # noqa: ANN001
    schema = (await client.get("/api/openapi.json")).json()
    for path, model in (("/api/photos/feed", "PhotoPage"), ("/api/photos/{photo_id}",
                                                           "PhotoOut")):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert content["application/json"]["schema"] == {"$ref": f"#/components/schemas/{model}"}


async def test_unpublished_photo_leaves_the_feed_with_caches_warm(app, client) -> None:  # noqa: ANN001
    alice, bob = await _user(client, "alice"), await _user(client, "bob")
    photo_id = await _photo(client, alice, 1, is_public="true")
    await _ready(app, photo_id)
    for _ in range(2):  # warm every per-process cache on the way
        feed = (await client.get("/api/photos/feed", headers=bob)).json()["items"]
        assert [i["id"] for i in feed] == [photo_id]
    link = feed[0]["urls"]["original"]
    assert (await client.get(link)).status_code == 200
    hidden = await client.patch(f"/api/photos/{photo_id}", headers=alice,
                                json={"is_public": False})
    assert hidden.status_code == 200
    assert (await client.get("/api/photos/feed", headers=bob)).json()["items"] == []
    assert (await client.get(f"/api/photos/{photo_id}", headers=bob)).status_code == 404
    assert (await client.get(link)).status_code != 200  # the cached link was revoked
    await client.patch(f"/api/photos/{photo_id}", headers=alice, json={"is_public": True})
    again = (await client.get("/api/photos/feed", headers=bob)).json()["items"]
    assert again[0]["urls"]["original"] != link  # a new link, not the revoked one from cache
    assert (await client.get(again[0]["urls"]["original"])).status_code == 200


@pytest.fixture
def transactions_started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count transactions the asyncpg adapter really opened (the real method still runs)."""
    started: list[int] = []
    original = AsyncAdapt_asyncpg_connection._start_transaction

    async def counting(self) -> None:  # noqa: ANN001
        await original(self)
        if self._connection.is_in_transaction():  # asyncpg: a BEGIN went to the server
            started.append(1)

    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "_start_transaction", counting)
    return started


async def test_reads_run_without_a_transaction(app, client, transactions_started) -> None:  # noqa: ANN001
    alice = await _user(client, "alice")
    photo_id = await _photo(client, alice, 1, is_public="true")
    await _ready(app, photo_id)
    transactions_started.clear()
    for url in ("/api/photos/feed", "/api/photos/favorites", f"/api/photos/{photo_id}",
                "/api/photos/mine", f"/api/photos/{uuid.uuid4()}"):
        assert (await client.get(url, headers=alice)).status_code in (200, 404)
    assert transactions_started == []
    await client.put(f"/api/photos/{photo_id}/favorite", headers=alice)
    assert transactions_started  # writes still run in one transaction
