"""Signed file links end when access ends; deleted photos' files are purged after retention.

Found by an attack: a link kept working for up to 2 × SIGNED_URL_TTL_SECONDS after a grant
was revoked, a photo made private, deleted or given away; deleted photos' files stayed in the
object store forever.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from mediahub.gallery.models import ArtObject, Photo
from mediahub.gallery.service import purge_deleted_files
from tests.hostile.helpers import me
from tests.support.accounts import user
from tests.support.photos import upload as photo


async def _original(client: httpx.AsyncClient, auth: dict[str, str], art_id: str) -> str:
    response = await client.get(f"/api/photos/{art_id}", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["urls"]["original"]


async def _downloads(client: httpx.AsyncClient, link: str) -> int:
    assert link.startswith("/api/files/"), link
    return (await client.get(link)).status_code


async def test_making_a_photo_private_ends_links_shared_while_public(
        client: httpx.AsyncClient) -> None:
    alice, bob = await user(client, "rv_alice1"), await user(client, "rv_bob1")
    art = await photo(client, alice, 1, is_public="true")
    shared = await _original(client, bob, art["id"])
    assert await _downloads(client, shared) == 200
    patched = await client.patch(f"/api/photos/{art['id']}", json={"is_public": False},
                                 headers=alice)
    assert patched.status_code == 200
    assert await _downloads(client, shared) == 403
    assert (await client.get(shared)).json()["detail"] == "download link has been revoked"
    assert await _downloads(client, await _original(client, alice, art["id"])) == 200
    # editing the description takes nothing away: links stay valid
    mine = await _original(client, alice, art["id"])
    await client.patch(f"/api/photos/{art['id']}", json={"description": "x"}, headers=alice)
    assert await _downloads(client, mine) == 200


async def test_deleting_a_photo_ends_its_links(client: httpx.AsyncClient) -> None:
    alice = await user(client, "rv_alice2")
    art = await photo(client, alice, 2)
    link = await _original(client, alice, art["id"])
    assert await _downloads(client, link) == 200
    assert (await client.delete(f"/api/photos/{art['id']}", headers=alice)).status_code == 204
    assert await _downloads(client, link) == 403


async def test_giving_a_photo_away_ends_the_previous_owners_links(
        client: httpx.AsyncClient) -> None:
    alice, bob = await user(client, "rv_alice3"), await user(client, "rv_bob3")
    art = await photo(client, alice, 3)
    kept = await _original(client, alice, art["id"])
    transfer = await client.post("/api/transfers", headers=alice, json={
        "art_object_id": art["id"], "to_user_id": (await me(client, bob))["id"]})
    assert transfer.status_code == 201, transfer.text
    accepted = await client.post(f"/api/transfers/{transfer.json()['id']}/accept", headers=bob)
    assert accepted.status_code == 200, accepted.text
    assert await _downloads(client, kept) == 403
    assert await _downloads(client, await _original(client, bob, art["id"])) == 200


async def test_revoking_a_grant_ends_the_requesters_links(client: httpx.AsyncClient) -> None:
    alice, bob = await user(client, "rv_alice4"), await user(client, "rv_bob4")
    granted, other = await photo(client, alice, 4), await photo(client, alice, 5)
    created = await client.post("/api/profile-requests", headers=bob,
                                json={"target_user_id": (await me(client, alice))["id"]})
    assert created.status_code == 201, created.text
    req = created.json()["id"]
    answered = await client.post(f"/api/profile-requests/{req}/respond", headers=alice,
                                 json={"approved": True, "photo_ids": [granted["id"], other["id"]]})
    assert answered.status_code == 200, answered.text
    links = [await _original(client, bob, granted["id"]),
             await _original(client, bob, other["id"])]
    assert [await _downloads(client, link) for link in links] == [200, 200]
    # narrowing the grant ends the links of the photo taken out, not the other's
    narrowed = await client.put(f"/api/profile-requests/{req}/photos", headers=alice,
                                json={"photo_ids": [granted["id"]]})
    assert narrowed.status_code == 200, narrowed.text
    assert [await _downloads(client, link) for link in links] == [200, 403]
    assert (await client.delete(f"/api/profile-requests/{req}", headers=alice)).status_code == 204
    assert await _downloads(client, links[0]) == 403


async def test_making_a_profile_private_ends_visitors_links(client: httpx.AsyncClient) -> None:
    alice, bob = await user(client, "rv_alice5"), await user(client, "rv_bob5")
    assert (await client.patch("/api/auth/me", json={"is_public": True},
                               headers=alice)).status_code == 200
    private, public = await photo(client, alice, 6), await photo(client, alice, 7,
                                                                 is_public="true")
    seen = [await _original(client, bob, private["id"]),
            await _original(client, bob, public["id"])]
    assert (await client.patch("/api/auth/me", json={"is_public": False},
                               headers=alice)).status_code == 200
    # the private photo's link ends; the public one's is still anyone's to see
    assert [await _downloads(client, link) for link in seen] == [403, 200]


async def test_deleted_photos_files_are_purged_after_the_retention(
        app: FastAPI, client: httpx.AsyncClient) -> None:
    alice = await user(client, "rv_alice6")
    old, recent, kept = (await photo(client, alice, 8), await photo(client, alice, 9),
                         await photo(client, alice, 10))
    for art in (old, recent):
        assert (await client.delete(f"/api/photos/{art['id']}", headers=alice)).status_code == 204
    store = app.state.object_store
    async with app.state.session_factory() as session:
        await session.execute(update(ArtObject).where(ArtObject.id == uuid.UUID(old["id"]))
                              .values(deleted_at=ArtObject.deleted_at - timedelta(days=8)))
        await session.commit()
        keys = {art["id"]: await session.scalar(
            select(Photo.original_key).join(ArtObject, ArtObject.photo_id == Photo.id)
            .where(ArtObject.id == uuid.UUID(art["id"]))) for art in (old, recent, kept)}
    async with app.state.session_factory() as session:
        assert await purge_deleted_files(session, store, older_than_s=7 * 86400) == 1
    assert await store.head(keys[old["id"]]) is None  # deleted 8 days ago: gone
    assert await store.head(keys[recent["id"]]) is not None  # within the retention
    assert await store.head(keys[kept["id"]]) is not None  # not deleted
    async with app.state.session_factory() as session:
        assert await purge_deleted_files(session, store, older_than_s=7 * 86400) == 0
        purged_at = await session.scalar(select(Photo.purged_at).where(
            Photo.original_key == keys[old["id"]]))
    assert purged_at is not None  # the row stays (ownership history is kept), marked


async def test_the_worker_purges_on_its_housekeeping_round(
        app: FastAPI, client: httpx.AsyncClient, start_worker) -> None:  # noqa: ANN001
    alice = await user(client, "rv_alice7")
    art = await photo(client, alice, 11)
    async with app.state.session_factory() as session:
        key = await session.scalar(select(Photo.original_key).join(
            ArtObject, ArtObject.photo_id == Photo.id).where(ArtObject.id == uuid.UUID(art["id"])))
    assert (await client.delete(f"/api/photos/{art['id']}", headers=alice)).status_code == 204
    start_worker(HOUSEKEEPING_SECONDS="1", DELETED_FILES_RETENTION_SECONDS="0")
    deadline = time.monotonic() + 30
    while await app.state.object_store.head(key) is not None:
        assert time.monotonic() < deadline, "the worker did not purge the deleted photo's file"
        await asyncio.sleep(0.2)
