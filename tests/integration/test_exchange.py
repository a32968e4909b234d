"""Trades and transfers over HTTP on real PostgreSQL: atomic, recorded, never double-spent."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from mediahub.exchange.models import Trade, Transfer
from mediahub.gallery.models import ArtObject, OwnershipHistory
from tests.support.accounts import user_with_id
from tests.support.photos import photo_id


async def _owners(app, ids: list[str]) -> set[str]:
    async with app.state.session_factory() as session:
        rows = await session.scalars(select(ArtObject.owner_id).where(
            ArtObject.id.in_([uuid.UUID(i) for i in ids])))
        return {str(r) for r in rows}


async def _assert_history_is_a_chain(app) -> None:
    """Invariant: each history row's `from` is the previous row's `to`."""
    async with app.state.session_factory() as session:
        rows = (await session.scalars(select(OwnershipHistory).order_by(
            OwnershipHistory.art_object_id, OwnershipHistory.id))).all()
    last: dict[uuid.UUID, uuid.UUID] = {}
    for row in rows:
        assert row.from_user_id == last.get(row.art_object_id)
        last[row.art_object_id] = row.to_user_id
    async with app.state.session_factory() as session:
        owners = dict((await session.execute(select(ArtObject.id, ArtObject.owner_id))).all())
    assert owners == last  # the current owner is the end of the chain


async def test_trade_hands_over_every_object_once(app, client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, bob_id = await user_with_id(client, "bob")
    ids = [await photo_id(client, alice, i) for i in range(3)]
    created = await client.post("/api/trades", headers=alice, json={"art_object_ids": ids})
    assert created.status_code == 201, created.text
    trade = created.json()
    assert trade["qr_payload"] == f"trade:{trade['token']}" and len(trade["token"]) == 10
    assert trade["status"] == "open" and sorted(trade["art_object_ids"]) == sorted(ids)
    own = await client.post(f"/api/trades/{trade['token']}/claim", headers=alice)
    assert own.status_code == 400
    claimed = await client.post(f"/api/trades/{trade['token'].lower()}/claim", headers=bob)
    assert claimed.status_code == 200 and claimed.json()["status"] == "claimed"
    assert await _owners(app, ids) == {bob_id}
    again = await client.post(f"/api/trades/{trade['token']}/claim", headers=bob)
    assert again.status_code == 409
    history = (await client.get(f"/api/photos/{ids[0]}/history", headers=bob)).json()["items"]
    assert [(h["kind"], h["from_user_id"], h["to_user_id"]) for h in history] == [
        ("created", None, alice_id), ("trade", alice_id, bob_id)]
    await _assert_history_is_a_chain(app)
    listed = (await client.get("/api/trades", headers=bob)).json()["items"]
    assert [t["id"] for t in listed] == [trade["id"]]


async def test_hundred_concurrent_claims_have_exactly_one_winner(app, client) -> None:
    alice, _ = await user_with_id(client, "alice")
    ids = [await photo_id(client, alice, i) for i in range(2)]
    trade = (await client.post("/api/trades", headers=alice,
                               json={"art_object_ids": ids})).json()
    claimants = [await user_with_id(client, f"user{i}") for i in range(10)]
    responses = await asyncio.gather(*(
        client.post(f"/api/trades/{trade['token']}/claim", headers=claimants[i % 10][0])
        for i in range(100)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(200) == 1 and set(codes) == {200, 409}, codes
    winner = next(r for r in responses if r.status_code == 200).json()["claimed_by"]
    assert await _owners(app, ids) == {winner}
    await _assert_history_is_a_chain(app)


async def test_objects_in_an_open_trade_are_locked(client) -> None:
    alice, _ = await user_with_id(client, "alice")
    _, bob_id = await user_with_id(client, "bob")
    photo = await photo_id(client, alice, 1)
    trade = (await client.post("/api/trades", headers=alice,
                               json={"art_object_ids": [photo]})).json()
    second = await client.post("/api/trades", headers=alice, json={"art_object_ids": [photo]})
    assert second.status_code == 409
    transfer = await client.post("/api/transfers", headers=alice,
                                 json={"art_object_id": photo, "to_user_id": bob_id})
    assert transfer.status_code == 409
    assert (await client.delete(f"/api/trades/{trade['id']}", headers=alice)).status_code == 204
    assert (await client.delete(f"/api/trades/{trade['id']}", headers=alice)).status_code == 410
    assert (await client.post("/api/trades", headers=alice,
                              json={"art_object_ids": [photo]})).status_code == 201


async def test_cancelled_and_expired_trades_are_gone(app, client) -> None:
    alice, _ = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    first = (await client.post("/api/trades", headers=alice, json={
        "art_object_ids": [await photo_id(client, alice, 1)]})).json()
    await client.delete(f"/api/trades/{first['id']}", headers=alice)
    assert (await client.post(f"/api/trades/{first['token']}/claim",
                              headers=bob)).status_code == 410
    second = (await client.post("/api/trades", headers=alice, json={
        "art_object_ids": [await photo_id(client, alice, 2)]})).json()
    async with app.state.session_factory() as session:  # time passes
        await session.execute(update(Trade).where(Trade.id == uuid.UUID(second["id"])).values(
            expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        await session.commit()
    expired = await client.post(f"/api/trades/{second['token']}/claim", headers=bob)
    assert expired.status_code == 410 and "expired" in expired.json()["detail"]


@pytest.mark.parametrize("token", ["WRONGTOKEN", "0000000000"])
async def test_unknown_tokens_are_404(client, token: str) -> None:
    bob, _ = await user_with_id(client, "bob")
    assert (await client.post(f"/api/trades/{token}/claim", headers=bob)).status_code == 404


async def test_trading_what_you_do_not_own_is_refused(app, client) -> None:
    alice, _ = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    private = await photo_id(client, alice, 1)
    public = await photo_id(client, alice, 2)
    await client.patch(f"/api/photos/{public}", headers=alice, json={"is_public": True})
    for ids, code in (([private], 404), ([public], 403), ([str(uuid.uuid4())], 404), ([], 422)):
        response = await client.post("/api/trades", headers=bob, json={"art_object_ids": ids})
        assert response.status_code == code, (ids, response.text)
    await client.delete(f"/api/photos/{private}", headers=alice)
    deleted = await client.post("/api/trades", headers=alice, json={"art_object_ids": [private]})
    assert deleted.status_code == 404
    async with app.state.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(Trade)) == 0


async def test_transfer_accept_moves_ownership(app, client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, bob_id = await user_with_id(client, "bob")
    photo = await photo_id(client, alice, 1)
    offer = await client.post("/api/transfers", headers=alice,
                              json={"art_object_id": photo, "to_user_id": bob_id})
    assert offer.status_code == 201 and offer.json()["status"] == "pending"
    incoming = (await client.get("/api/transfers", headers=bob,
                                 params={"role": "incoming"})).json()["items"]
    assert [t["id"] for t in incoming] == [offer.json()["id"]]
    # Only the recipient answers; the sender cannot accept on their behalf.
    assert (await client.post(f"/api/transfers/{offer.json()['id']}/accept",
                              headers=alice)).status_code == 404
    accepted = await client.post(f"/api/transfers/{offer.json()['id']}/accept", headers=bob)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert await _owners(app, [photo]) == {bob_id}
    assert (await client.post(f"/api/transfers/{offer.json()['id']}/decline",
                              headers=bob)).status_code == 409
    history = (await client.get(f"/api/photos/{photo}/history", headers=bob)).json()["items"]
    assert history[-1]["kind"] == "transfer" and history[-1]["from_user_id"] == alice_id
    await _assert_history_is_a_chain(app)


async def test_transfer_decline_cancel_and_expiry(app, client) -> None:
    alice, _ = await user_with_id(client, "alice")
    bob, bob_id = await user_with_id(client, "bob")
    photo = await photo_id(client, alice, 1)

    async def offer() -> str:
        response = await client.post("/api/transfers", headers=alice,
                                     json={"art_object_id": photo, "to_user_id": bob_id})
        assert response.status_code == 201, response.text
        return response.json()["id"]

    declined = await offer()
    assert (await client.post(f"/api/transfers/{declined}/decline",
                              headers=bob)).json()["status"] == "declined"
    cancelled = await offer()
    assert (await client.post(f"/api/transfers/{cancelled}/cancel",
                              headers=alice)).json()["status"] == "cancelled"
    expiring = await offer()
    async with app.state.session_factory() as session:
        await session.execute(update(Transfer).where(Transfer.id == uuid.UUID(expiring)).values(
            expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        await session.commit()
    assert (await client.post(f"/api/transfers/{expiring}/accept",
                              headers=bob)).status_code == 410
    await offer()  # an expired offer does not block a new one
    assert await _owners(app, [photo]) != {bob_id}


async def test_transfer_bad_input(client) -> None:
    alice, alice_id = await user_with_id(client, "alice")
    bob, _ = await user_with_id(client, "bob")
    photo = await photo_id(client, alice, 1)
    cases = [
        ({"art_object_id": photo, "to_user_id": alice_id}, alice, 400),
        ({"art_object_id": photo, "to_user_id": str(uuid.uuid4())}, alice, 404),
        ({"art_object_id": photo, "to_user_id": alice_id}, bob, 404),
        ({"art_object_id": "not-a-uuid", "to_user_id": alice_id}, alice, 422),
        ({"art_object_id": photo}, alice, 422),
    ]
    for body, headers, code in cases:
        response = await client.post("/api/transfers", headers=headers, json=body)
        assert response.status_code == code, (body, response.text)
