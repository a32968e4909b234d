"""Profile requests, granted visibility, public profiles and imports on real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import func, select, update

from mediahub.gallery.models import ArtObject, OwnershipHistory
from mediahub.users.models import ProfileRequest, ProfileRequestPhoto
from tests.support.accounts import user_with_id
from tests.support.photos import photo_id


async def _visible_of(client: httpx.AsyncClient, auth: dict, user_id: str) -> set[str]:
    response = await client.get(f"/api/users/{user_id}/photos", headers=auth)
    assert response.status_code == 200, response.text
    return {p["id"] for p in response.json()["items"]}


async def _imported(client: httpx.AsyncClient, auth: dict) -> set[str]:
    response = await client.get("/api/photos/imported", headers=auth)
    assert response.status_code == 200, response.text
    return {p["id"] for p in response.json()["items"]}


async def _request(client: httpx.AsyncClient, auth: dict, target_id: str) -> httpx.Response:
    return await client.post("/api/profile-requests", headers=auth,
                             json={"target_user_id": target_id})


async def _approved(client, requester: dict, target: dict, target_id: str,  # noqa: ANN001
                    photo_ids: list[str]) -> dict:
    created = await _request(client, requester, target_id)
    assert created.status_code == 201, created.text
    answered = await client.post(f"/api/profile-requests/{created.json()['id']}/respond",
                                 headers=target,
                                 json={"approved": True, "photo_ids": photo_ids})
    assert answered.status_code == 200, answered.text
    return answered.json()


async def _assert_history_is_a_chain(app) -> None:  # noqa: ANN001
    async with app.state.session_factory() as session:
        rows = (await session.scalars(select(OwnershipHistory).order_by(
            OwnershipHistory.art_object_id, OwnershipHistory.id))).all()
        owners = dict((await session.execute(select(ArtObject.id, ArtObject.owner_id))).all())
    last: dict[uuid.UUID, uuid.UUID] = {}
    for row in rows:
        assert row.from_user_id == last.get(row.art_object_id)
        last[row.art_object_id] = row.to_user_id
    assert owners == last


async def test_approval_grants_exactly_the_chosen_photos(app, client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, bob_id = await user_with_id(client, "bob")
    carol, _ = await user_with_id(client, "carol")
    granted, hidden = await photo_id(client, alice, 1), await photo_id(client, alice, 2)
    assert await _visible_of(client, bob, alice_id) == set()
    assert (await client.get(f"/api/photos/{granted}", headers=bob)).status_code == 404

    created = await _request(client, bob, alice_id)
    assert created.status_code == 201, created.text
    req = created.json()
    assert req["status"] == "pending" and req["expires_at"] is not None  # expires too
    repeat = await _request(client, bob, alice_id)
    assert repeat.status_code == 200 and repeat.json()["id"] == req["id"]
    incoming = (await client.get("/api/profile-requests?role=incoming", headers=alice)).json()
    assert [r["id"] for r in incoming["items"]] == [req["id"]]
    outgoing = (await client.get("/api/profile-requests?role=outgoing", headers=bob)).json()
    assert [r["id"] for r in outgoing["items"]] == [req["id"]]

    # Only the target may answer; anyone else gets 404.
    for other in (bob, carol):
        response = await client.post(f"/api/profile-requests/{req['id']}/respond",
                                     headers=other, json={"approved": True,
                                                          "photo_ids": [granted]})
        assert response.status_code == 404
    empty = await client.post(f"/api/profile-requests/{req['id']}/respond", headers=alice,
                              json={"approved": True, "photo_ids": []})
    assert empty.status_code == 400

    answered = await client.post(f"/api/profile-requests/{req['id']}/respond", headers=alice,
                                 json={"approved": True, "photo_ids": [granted]})
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["status"] == "approved" and body["photo_ids"] == [granted]
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(hours=24)

    assert await _visible_of(client, bob, alice_id) == {granted}
    assert (await client.get(f"/api/photos/{granted}", headers=bob)).status_code == 200
    assert (await client.get(f"/api/photos/{hidden}", headers=bob)).status_code == 404
    # The grant is Bob's alone, and never extends to the feed.
    assert await _visible_of(client, carol, alice_id) == set()
    assert (await client.get(f"/api/photos/{granted}", headers=carol)).status_code == 404
    assert (await client.get("/api/photos/feed", headers=bob)).json()["items"] == []
    assert {p["id"] for p in (await client.get("/api/photos/mine",
                                               headers=bob)).json()["items"]} == set()
    # Approving twice is refused.
    again = await client.post(f"/api/profile-requests/{req['id']}/respond", headers=alice,
                              json={"approved": True, "photo_ids": [hidden]})
    assert again.status_code == 409
    assert bob_id != alice_id


async def test_change_granted_set_and_revoke(app, client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    first, second = await photo_id(client, alice, 1), await photo_id(client, alice, 2)
    req = await _approved(client, bob, alice, alice_id, [first])
    changed = await client.put(f"/api/profile-requests/{req['id']}/photos", headers=alice,
                               json={"photo_ids": [second]})
    assert changed.status_code == 200 and changed.json()["photo_ids"] == [second]
    assert await _visible_of(client, bob, alice_id) == {second}
    assert (await client.get(f"/api/photos/{first}", headers=bob)).status_code == 404
    not_target = await client.put(f"/api/profile-requests/{req['id']}/photos", headers=bob,
                                  json={"photo_ids": [second]})
    assert not_target.status_code == 404

    # Import while granted; revoking takes the access and the import away.
    assert (await client.post(f"/api/photos/{second}/import", headers=bob)).status_code == 204
    assert await _imported(client, bob) == {second}
    # The requester cannot revoke an approved request; the target can.
    assert (await client.delete(f"/api/profile-requests/{req['id']}",
                                headers=bob)).status_code == 409
    assert (await client.delete(f"/api/profile-requests/{req['id']}",
                                headers=alice)).status_code == 204
    assert await _visible_of(client, bob, alice_id) == set()
    assert (await client.get(f"/api/photos/{second}", headers=bob)).status_code == 404
    assert await _imported(client, bob) == set()
    listed = (await client.get("/api/profile-requests?role=outgoing", headers=bob)).json()
    assert listed["items"][0]["status"] == "revoked"
    # A new request may be made after a revocation.
    assert (await _request(client, bob, alice_id)).status_code == 201


async def test_expired_grant_gives_no_access(app, client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    photo = await photo_id(client, alice, 1)
    req = await _approved(client, bob, alice, alice_id, [photo])
    assert (await client.post(f"/api/photos/{photo}/import", headers=bob)).status_code == 204
    async with app.state.session_factory() as session:
        await session.execute(update(ProfileRequest).where(
            ProfileRequest.id == uuid.UUID(req["id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        await session.commit()
    assert await _visible_of(client, bob, alice_id) == set()
    assert (await client.get(f"/api/photos/{photo}", headers=bob)).status_code == 404
    assert await _imported(client, bob) == set()
    listed = (await client.get("/api/profile-requests?role=outgoing", headers=bob)).json()
    assert listed["items"][0]["status"] == "expired"
    changed = await client.put(f"/api/profile-requests/{req['id']}/photos", headers=alice,
                               json={"photo_ids": [photo]})
    assert changed.status_code == 410
    # The expired approval no longer blocks a new request for the pair.
    renewed = await _request(client, bob, alice_id)
    assert renewed.status_code == 201 and renewed.json()["id"] != req["id"]


async def test_reject_and_withdraw(client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    await photo_id(client, alice, 1)
    req = (await _request(client, bob, alice_id)).json()
    rejected = await client.post(f"/api/profile-requests/{req['id']}/respond", headers=alice,
                                 json={"approved": False})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert await _visible_of(client, bob, alice_id) == set()
    second = (await _request(client, bob, alice_id)).json()
    assert second["id"] != req["id"]
    assert (await client.delete(f"/api/profile-requests/{second['id']}",
                                headers=bob)).status_code == 204
    assert (await client.delete(f"/api/profile-requests/{second['id']}",
                                headers=bob)).status_code == 409


async def test_approving_with_foreign_photos_writes_nothing(app, client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    carol, _ = await user_with_id(client, "carol")
    own = await photo_id(client, alice, 1)
    carols_public = await photo_id(client, carol, 2, public=True)
    carols_private = await photo_id(client, carol, 3)
    req = (await _request(client, bob, alice_id)).json()
    for foreign, code in ((carols_public, 400), (carols_private, 404),
                          (str(uuid.uuid4()), 404)):
        response = await client.post(f"/api/profile-requests/{req['id']}/respond",
                                     headers=alice,
                                     json={"approved": True, "photo_ids": [own, foreign]})
        assert response.status_code == code, response.text
    async with app.state.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(ProfileRequestPhoto)) == 0
        row = await session.get(ProfileRequest, uuid.UUID(req["id"]))
        assert row is not None and row.status == "pending" and row.decided_at is None
    assert await _visible_of(client, bob, alice_id) == set()


async def test_request_rules(client) -> None:
    (alice, alice_id), _ = await user_with_id(client, "alice"), await user_with_id(client, "bob")
    assert (await _request(client, alice, alice_id)).status_code == 400
    assert (await _request(client, alice, str(uuid.uuid4()))).status_code == 404
    assert (await client.get(f"/api/users/{uuid.uuid4()}", headers=alice)).status_code == 404
    assert (await client.get(f"/api/users/{uuid.uuid4()}/photos",
                             headers=alice)).status_code == 404
    assert (await client.post("/api/profile-requests",
                              json={"target_user_id": alice_id})).status_code == 401


async def test_public_profile_shows_all_live_objects(client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    private = await photo_id(client, alice, 1)
    public = await photo_id(client, alice, 2, public=True)
    deleted = await photo_id(client, alice, 3)
    await client.delete(f"/api/photos/{deleted}", headers=alice)
    profile = (await client.get(f"/api/users/{alice_id}", headers=bob)).json()
    assert profile["is_public"] is False and profile["contact_link"] is None
    assert await _visible_of(client, bob, alice_id) == {public}

    updated = await client.patch("/api/auth/me", headers=alice, json={
        "is_public": True, "contact_link": "https://example.org/alice"})
    assert updated.status_code == 200, updated.text
    profile = (await client.get(f"/api/users/{alice_id}", headers=bob)).json()
    assert profile["is_public"] is True
    assert profile["contact_link"] == "https://example.org/alice"
    assert set(profile) == {"id", "username", "first_name", "last_name", "photo_url",
                            "is_public", "contact_link"}
    assert await _visible_of(client, bob, alice_id) == {private, public}
    assert (await client.get(f"/api/photos/{private}", headers=bob)).status_code == 200
    assert (await client.get(f"/api/photos/{deleted}", headers=bob)).status_code == 404
    # Anonymous viewers and the feed still see public objects only.
    assert await _visible_of(client, {}, alice_id) == {public}
    feed = (await client.get("/api/photos/feed")).json()["items"]
    assert private not in {p["id"] for p in feed}

    # An import disappears once the profile turns private again.
    assert (await client.post(f"/api/photos/{private}/import", headers=bob)).status_code == 204
    assert await _imported(client, bob) == {private}
    await client.patch("/api/auth/me", headers=alice, json={"is_public": False})
    assert await _imported(client, bob) == set()


async def test_import_and_unimport(app, client) -> None:
    alice, _ = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    public = await photo_id(client, alice, 1, public=True)
    private = await photo_id(client, alice, 2)
    own = await photo_id(client, bob, 3)
    assert (await client.post(f"/api/photos/{private}/import", headers=bob)).status_code == 404
    assert (await client.post(f"/api/photos/{own}/import", headers=bob)).status_code == 400
    for _ in range(2):  # idempotent
        assert (await client.post(f"/api/photos/{public}/import",
                                  headers=bob)).status_code == 204
    assert await _imported(client, bob) == {public}
    assert await _imported(client, alice) == set()
    # Importing does not make it Bob's.
    mine = {p["id"] for p in (await client.get("/api/photos/mine", headers=bob)).json()["items"]}
    assert mine == {own}
    # The owner making it private hides the import.
    await client.patch(f"/api/photos/{public}", headers=alice, json={"is_public": False})
    assert await _imported(client, bob) == set()
    await client.patch(f"/api/photos/{public}", headers=alice, json={"is_public": True})
    assert await _imported(client, bob) == {public}
    assert (await client.delete(f"/api/photos/{public}/import", headers=bob)).status_code == 204
    assert await _imported(client, bob) == set()
    assert (await client.delete(f"/api/photos/{public}/import", headers=bob)).status_code == 204
    await _assert_history_is_a_chain(app)


async def test_grant_lapses_when_the_object_changes_hands(app, client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    carol, carol_id = await user_with_id(client, "carol")
    photo = await photo_id(client, alice, 1)
    await _approved(client, bob, alice, alice_id, [photo])
    assert (await client.get(f"/api/photos/{photo}", headers=bob)).status_code == 200
    transfer = (await client.post("/api/transfers", headers=alice, json={
        "art_object_id": photo, "to_user_id": carol_id})).json()
    accepted = await client.post(f"/api/transfers/{transfer['id']}/accept", headers=carol)
    assert accepted.status_code == 200, accepted.text
    # Alice's grant does not follow the object to Carol.
    assert (await client.get(f"/api/photos/{photo}", headers=bob)).status_code == 404
    await _assert_history_is_a_chain(app)


async def test_unanswered_request_expires(app, client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    photo = await photo_id(client, alice, 1)
    first = (await _request(client, bob, alice_id)).json()
    assert first["status"] == "pending"
    async with app.state.session_factory() as session:  # a day passes without an answer
        await session.execute(update(ProfileRequest).where(
            ProfileRequest.id == uuid.UUID(first["id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        await session.commit()
    late = await client.post(f"/api/profile-requests/{first['id']}/respond", headers=alice,
                             json={"approved": True, "photo_ids": [photo]})
    assert late.status_code == 410
    assert (await client.get(f"/api/photos/{photo}", headers=bob)).status_code == 404
    again = await _request(client, bob, alice_id)
    assert again.status_code == 201 and again.json()["id"] != first["id"]
