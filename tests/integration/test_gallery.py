"""Gallery API over real PostgreSQL, Redis and local storage: upload, access, lists, search."""

from __future__ import annotations

import io
import json
import time
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image
from redis.asyncio import Redis
from sqlalchemy import func, select

from mediahub.core.events import PUBLIC, REDIS_PREFIX
from mediahub.core.jobs.models import JobRun
from mediahub.gallery.models import OwnershipHistory, Photo
from tests.support.accounts import user
from tests.support.photos import mark_ready


def _jpeg(seed: int = 0, size: tuple[int, int] = (320, 240)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (seed * 37 % 256, seed * 91 % 256, 120)).save(out, "JPEG")
    return out.getvalue()


async def _upload(client: httpx.AsyncClient, auth: dict, data: bytes | None = None,
                  **fields: str) -> httpx.Response:
    return await client.post("/api/photos", headers=auth, data=fields,
                             files={"file": ("photo.jpg", data or _jpeg(), "image/jpeg")})


def _files(storage_dir: Path) -> list[str]:
    return sorted(str(p.relative_to(storage_dir)) for p in storage_dir.rglob("*") if p.is_file())


async def test_upload_creates_object_history_and_job(app, client, storage_dir: Path) -> None:
    auth = await user(client, "alice")
    response = await _upload(client, auth, description="Первый снимок", tags="Sea, #sunset sea",
                             is_public="true")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "processing"
    assert body["owner_id"] == body["creator_id"]
    assert body["tags"] == ["sea", "sunset"] and body["description"] == "Первый снимок"
    assert body["is_public"] is True and body["mime"] == "image/jpeg"
    assert body["urls"]["original"].startswith("/api/files/")
    assert body["urls"]["thumb"] is None and body["is_favorite"] is False
    original = await client.get(body["urls"]["original"])
    assert original.status_code == 200 and original.content[:3] == b"\xff\xd8\xff"
    history = (await client.get(f"/api/photos/{body['id']}/history", headers=auth)).json()
    assert [(h["kind"], h["from_user_id"]) for h in history["items"]] == [("created", None)]
    async with app.state.session_factory() as session:
        job = await session.scalar(select(JobRun))
    assert job.name == "gallery.photo_renditions" and job.status == "queued"
    assert await app.state.job_queue.job(job.key) is not None  # enqueued after commit
    assert len(_files(storage_dir)) == 1


async def test_same_bytes_twice_is_409_with_the_existing_id(app, client, storage_dir) -> None:
    auth = await user(client, "alice")
    data = _jpeg(7)
    first = (await _upload(client, auth, data)).json()
    again = await _upload(client, auth, data)
    assert again.status_code == 409
    assert again.json()["id"] == first["id"] and again.json()["code"] == "photo.duplicate"
    assert len(_files(storage_dir)) == 1  # the second copy was removed
    other = await user(client, "bob")
    assert (await _upload(client, other, data)).status_code == 201  # other owners may


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"color": "red"}, "unknown form field"),
        ({"is_public": "maybe"}, "is_public"),
        ({"description": "x" * 2001}, "description"),
        ({"tags": " ".join(f"t{i}" for i in range(21))}, "tags"),
        ({"tags": "a" * 41}, "tag"),
        ({"description": "bad\u0007bell"}, "control"),
    ],
)
async def test_bad_fields_leave_no_row_and_no_file(app, client, storage_dir, fields,
                                                   fragment) -> None:
    auth = await user(client, "alice")
    response = await _upload(client, auth, **fields)
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"]
    assert _files(storage_dir) == []
    async with app.state.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Photo)) == 0
        assert await session.scalar(select(func.count()).select_from(JobRun)) == 0


async def test_script_with_image_name_is_refused(client, storage_dir) -> None:
    auth = await user(client, "alice")
    response = await client.post("/api/photos", headers=auth, files={
        "file": ("cat.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")})
    assert response.status_code == 415
    assert _files(storage_dir) == []


async def test_upload_needs_a_signed_in_user(client, storage_dir) -> None:
    response = await client.post("/api/photos", files={"file": ("a.jpg", _jpeg())})
    assert response.status_code == 401
    assert _files(storage_dir) == []


async def test_private_photos_are_invisible_to_others(client) -> None:
    alice, bob = await user(client, "alice"), await user(client, "bob")
    private = (await _upload(client, alice, _jpeg(1))).json()
    for headers in (bob, {}):
        for path in ("", "/history"):
            response = await client.get(f"/api/photos/{private['id']}{path}", headers=headers)
            assert response.status_code == 404
        assert (await client.put(f"/api/photos/{private['id']}/favorite",
                                 headers=bob)).status_code == 404
    assert (await client.patch(f"/api/photos/{private['id']}", headers=bob,
                               json={"description": "mine now"})).status_code == 404
    assert (await client.delete(f"/api/photos/{private['id']}",
                                headers=bob)).status_code == 404
    assert (await client.get(f"/api/photos/{uuid.uuid4()}", headers=alice)).status_code == 404


async def test_public_photos_are_visible_but_only_the_owner_edits(client) -> None:
    alice, bob = await user(client, "alice"), await user(client, "bob")
    public = (await _upload(client, alice, _jpeg(2), is_public="1")).json()
    assert (await client.get(f"/api/photos/{public['id']}")).status_code == 200
    assert (await client.get(f"/api/photos/{public['id']}", headers=bob)).status_code == 200
    edit = await client.patch(f"/api/photos/{public['id']}", headers=bob, json={"tags": ["x"]})
    assert edit.status_code == 403


async def test_owner_edits_and_deletes_but_history_stays(app, client) -> None:
    alice = await user(client, "alice")
    photo = (await _upload(client, alice)).json()
    edit = await client.patch(f"/api/photos/{photo['id']}", headers=alice,
                              json={"description": "  new words ", "tags": ["B", "a", "b"],
                                    "is_public": True})
    assert edit.status_code == 200, edit.text
    assert edit.json()["description"] == "new words" and edit.json()["tags"] == ["b", "a"]
    bad = await client.patch(f"/api/photos/{photo['id']}", headers=alice, json={"owner_id": "x"})
    assert bad.status_code == 422
    assert (await client.delete(f"/api/photos/{photo['id']}", headers=alice)).status_code == 204
    assert (await client.get(f"/api/photos/{photo['id']}", headers=alice)).status_code == 404
    async with app.state.session_factory() as session:
        kept = await session.scalar(select(func.count()).select_from(OwnershipHistory))
    assert kept == 1


async def test_feed_is_public_ready_newest_first_with_cursor(app, client) -> None:
    alice, bob = await user(client, "alice"), await user(client, "bob")
    ids = [(await _upload(client, alice, _jpeg(i), is_public="true")).json()["id"]
           for i in range(5)]
    private = (await _upload(client, bob, _jpeg(99))).json()["id"]
    processing = (await _upload(client, bob, _jpeg(98), is_public="true")).json()["id"]
    await mark_ready(app, [*ids, private])
    first = (await client.get("/api/photos/feed", params={"limit": 3})).json()
    second = (await client.get("/api/photos/feed",
                               params={"limit": 3, "cursor": first["next_cursor"]})).json()
    seen = [p["id"] for p in first["items"] + second["items"]]
    assert seen == list(reversed(ids))
    assert second["next_cursor"] is None
    assert private not in seen and processing not in seen
    assert all(p["urls"]["thumb"] is not None for p in first["items"])


async def test_mine_includes_processing_and_private(client) -> None:
    alice = await user(client, "alice")
    ids = {(await _upload(client, alice, _jpeg(i))).json()["id"] for i in range(3)}
    mine = (await client.get("/api/photos/mine", headers=alice)).json()
    assert {p["id"] for p in mine["items"]} == ids


async def test_favorites(app, client) -> None:
    alice, bob = await user(client, "alice"), await user(client, "bob")
    public = (await _upload(client, alice, _jpeg(3), is_public="true")).json()["id"]
    for _ in range(2):  # idempotent
        assert (await client.put(f"/api/photos/{public}/favorite",
                                 headers=bob)).status_code == 204
    favorites = (await client.get("/api/photos/favorites", headers=bob)).json()
    assert [p["id"] for p in favorites["items"]] == [public]
    assert favorites["items"][0]["is_favorite"] is True
    # Turned private by its owner: no longer listed for bob.
    await client.patch(f"/api/photos/{public}", headers=alice, json={"is_public": False})
    assert (await client.get("/api/photos/favorites", headers=bob)).json()["items"] == []
    assert (await client.delete(f"/api/photos/{public}/favorite",
                                headers=bob)).status_code == 404


async def test_search_ranks_and_respects_visibility(app, client) -> None:
    alice, bob = await user(client, "alice"), await user(client, "bob")
    tagged = (await _upload(client, alice, _jpeg(4), tags="sunset", is_public="true",
                            description="beach")).json()["id"]
    described = (await _upload(client, alice, _jpeg(5), description="a quiet sunset walk",
                               is_public="true")).json()["id"]
    hidden = (await _upload(client, bob, _jpeg(6), tags="sunset")).json()["id"]
    await mark_ready(app, [tagged, described, hidden])
    found = (await client.get("/api/photos/search", params={"q": "sunset"},
                              headers=alice)).json()
    assert [p["id"] for p in found["items"]] == [tagged, described]  # tags weigh more
    as_bob = (await client.get("/api/photos/search", params={"q": "sunset"},
                               headers=bob)).json()
    assert hidden in [p["id"] for p in as_bob["items"]]
    weird = await client.get("/api/photos/search", params={"q": "' OR 1=1; -- \"&|!"})
    assert weird.status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"limit": 0}, {"limit": 101}, {"limit": -5}, {"limit": "many"}, {"cursor": "x" * 300}],
)
async def test_list_parameters_are_validated(client, params) -> None:
    assert (await client.get("/api/photos/feed", params=params)).status_code == 422


async def test_forged_cursor_is_400(client) -> None:
    response = await client.get("/api/photos/feed", params={"cursor": "bm90LWEtY3Vyc29y"})
    assert response.status_code == 400


async def test_download_links_cannot_be_forged(client) -> None:
    alice = await user(client, "alice")
    photo = (await _upload(client, alice)).json()
    token = photo["urls"]["original"].rsplit("/", 1)[1]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert (await client.get(f"/api/files/{forged}")).status_code == 403


async def _public_events(redis_url: str, action) -> list[dict]:
    """The events published on the `public` channel while `action` runs."""
    listener = Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    await listener.subscribe(REDIS_PREFIX + PUBLIC)
    try:
        await action()
        seen: list[dict] = []
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            message = await listener.get_message(timeout=0.2)
            if message:
                seen.append(json.loads(message["data"]))
        return seen
    finally:
        await listener.aclose()


async def test_a_public_photo_leaving_the_feed_is_announced(app, client, redis_url) -> None:
    auth = await user(client, "alice")
    ids = [(await _upload(client, auth, _jpeg(i), is_public="true")).json()["id"]
           for i in (1, 2)]
    await mark_ready(app, ids)
    private, deleted = ids

    async def make_private() -> None:
        response = await client.patch(f"/api/photos/{private}", headers=auth,
                                      json={"is_public": False})
        assert response.status_code == 200, response.text

    assert await _public_events(redis_url, make_private) == [
        {"type": "photo.unpublished", "id": private}]

    async def delete() -> None:
        response = await client.delete(f"/api/photos/{deleted}", headers=auth)
        assert response.status_code == 204, response.text

    assert await _public_events(redis_url, delete) == [
        {"type": "photo.unpublished", "id": deleted}]

    async def delete_private() -> None:  # it had left the feed already: nothing to announce
        assert (await client.delete(f"/api/photos/{private}", headers=auth)).status_code == 204

    assert await _public_events(redis_url, delete_private) == []
    assert (await client.get("/api/photos/feed")).json()["items"] == []
