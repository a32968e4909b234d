"""Bulk delete / make private / make public: owner only, all or nothing (real PostgreSQL)."""

from __future__ import annotations

import uuid

import pytest

from tests.support.accounts import user
from tests.support.photos import mark_ready, photo_id


async def _bulk(client, auth, ids, action):  # noqa: ANN001, ANN202
    return await client.post("/api/photos/bulk", headers=auth,
                             json={"ids": [str(i) for i in ids], "action": action})


async def _mine(client, auth) -> dict[str, bool]:
    items = (await client.get("/api/photos/mine", headers=auth)).json()["items"]
    return {p["id"]: p["is_public"] for p in items}


async def test_make_public_private_and_delete(app, client) -> None:
    alice = await user(client, "alice")
    ids = [await photo_id(client, alice, seed) for seed in range(3)]
    await mark_ready(app, ids)
    response = await _bulk(client, alice, ids[:2] + ids[:1], "make_public")
    assert response.status_code == 200, response.text
    assert response.json() == {"action": "make_public", "ids": ids[:2]}
    assert await _mine(client, alice) == {ids[0]: True, ids[1]: True, ids[2]: False}
    feed = (await client.get("/api/photos/feed")).json()["items"]
    assert {p["id"] for p in feed} == set(ids[:2])

    public_link = (await client.get(f"/api/photos/{ids[0]}", headers=alice)).json()
    assert (await _bulk(client, alice, ids, "make_private")).status_code == 200
    assert await _mine(client, alice) == dict.fromkeys(ids, False)
    # Links handed out while it was public end with it.
    assert (await client.get(public_link["urls"]["original"])).status_code in (403, 404, 410)

    assert (await _bulk(client, alice, ids[1:], "delete")).status_code == 200
    assert await _mine(client, alice) == {ids[0]: False}
    history = await client.get(f"/api/photos/{ids[1]}/history", headers=alice)
    assert history.status_code == 404


async def test_someone_elses_photo_changes_nothing(app, client) -> None:
    alice, bob = await user(client, "alice"), await user(client, "bob")
    mine = [await photo_id(client, alice, seed) for seed in range(2)]
    theirs = await photo_id(client, bob, 9, public=True)
    await mark_ready(app, [*mine, theirs])
    response = await _bulk(client, alice, [*mine, theirs], "delete")
    assert response.status_code == 403
    assert response.json()["code"] == "photos.not_owner" and response.json()["ids"] == [theirs]
    assert set(await _mine(client, alice)) == set(mine)  # all or nothing
    assert (await client.get(f"/api/photos/{theirs}")).status_code == 200


async def test_unknown_and_invisible_ids_are_404_with_the_ids(app, client) -> None:
    alice, bob = await user(client, "alice"), await user(client, "bob")
    mine = await photo_id(client, alice, 1)
    private_of_bob = await photo_id(client, bob, 2)
    ghost = str(uuid.uuid4())
    response = await _bulk(client, alice, [mine, ghost, private_of_bob], "make_public")
    assert response.status_code == 404
    assert response.json()["code"] == "photos.not_found"
    assert response.json()["ids"] == [ghost, private_of_bob]
    assert await _mine(client, alice) == {mine: False}


@pytest.mark.parametrize("body", [
    {"ids": [], "action": "delete"},
    {"ids": [str(uuid.uuid4()) for _ in range(101)], "action": "delete"},
    {"ids": ["not-a-uuid"], "action": "delete"},
    {"ids": [str(uuid.uuid4())], "action": "explode"},
    {"ids": [str(uuid.uuid4())], "action": "delete", "extra": 1},
    {"action": "delete"},
])
async def test_malformed_requests_are_422(client, body) -> None:
    alice = await user(client, "alice")
    response = await client.post("/api/photos/bulk", headers=alice, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


async def test_anonymous_is_401(client) -> None:
    response = await _bulk(client, {}, [uuid.uuid4()], "delete")
    assert response.status_code == 401
