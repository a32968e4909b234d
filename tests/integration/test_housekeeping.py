"""Exchange housekeeping: stale trades and transfers are marked expired, nothing else."""

from __future__ import annotations

import asyncio
import time
import uuid

from sqlalchemy import func, select, update

from mediahub.exchange.housekeeping import expire_stale
from mediahub.exchange.models import Trade, Transfer
from tests.support.accounts import user_with_id
from tests.support.photos import photo_id


async def _age(app, model, ids: list[str]) -> None:
    """Push expiry into the past, as if time had passed."""
    async with app.state.session_factory() as session:
        await session.execute(update(model).where(model.id.in_([uuid.UUID(i) for i in ids]))
                              .values(expires_at=func.now() - func.make_interval(0, 0, 0, 0,
                                                                                 0, 0, 5)))
        await session.commit()


async def _rows(app, model) -> dict[str, tuple[str, bool]]:
    """id -> (status, has finished_at)."""
    async with app.state.session_factory() as session:
        rows = (await session.execute(select(model.id, model.status, model.finished_at))).all()
    return {str(i): (s, f is not None) for i, s, f in rows}


async def _trade(client, auth, photo: str) -> dict:
    response = await client.post("/api/trades", headers=auth, json={"art_object_ids": [photo]})
    assert response.status_code == 201, response.text
    return response.json()


async def test_expire_stale_marks_only_stale_rows(app, client) -> None:
    alice, _ = await user_with_id(client, "alice")
    bob, bob_id = await user_with_id(client, "bob")
    photos = [await photo_id(client, alice, i) for i in range(6)]
    stale_trade, live_trade, cancelled = [await _trade(client, alice, p) for p in photos[:3]]
    assert (await client.delete(f"/api/trades/{cancelled['id']}",
                                headers=alice)).status_code == 204
    transfers = []
    for photo in photos[3:]:
        response = await client.post("/api/transfers", headers=alice,
                                     json={"art_object_id": photo, "to_user_id": bob_id})
        assert response.status_code == 201, response.text
        transfers.append(response.json()["id"])
    stale_transfer, live_transfer, accepted = transfers
    assert (await client.post(f"/api/transfers/{accepted}/accept",
                              headers=bob)).status_code == 200
    await _age(app, Trade, [stale_trade["id"], cancelled["id"]])
    await _age(app, Transfer, [stale_transfer, accepted])

    async with app.state.session_factory() as session:
        assert await expire_stale(session) == {"trades": 1, "transfers": 1, "profile_requests": 0}
    trades, transfers_now = await _rows(app, Trade), await _rows(app, Transfer)
    assert trades == {stale_trade["id"]: ("expired", True), live_trade["id"]: ("open", False),
                      cancelled["id"]: ("cancelled", True)}
    assert transfers_now == {stale_transfer: ("expired", True), live_transfer: ("pending", False),
                             accepted: ("accepted", True)}
    async with app.state.session_factory() as session:  # idempotent
        assert await expire_stale(session) == {"trades": 0, "transfers": 0, "profile_requests": 0}
    # What users see is unchanged by the tidy-up.
    claim = await client.post(f"/api/trades/{stale_trade['token']}/claim", headers=bob)
    assert claim.status_code == 410
    assert (await client.post(f"/api/transfers/{stale_transfer}/accept",
                              headers=bob)).status_code == 410
    # The expired trade's photo is free again.
    await _trade(client, alice, photos[0])


async def test_worker_expires_stale_trades(app, client, start_worker) -> None:
    alice, _ = await user_with_id(client, "alice")
    stale = await _trade(client, alice, await photo_id(client, alice, 1))
    live = await _trade(client, alice, await photo_id(client, alice, 2))
    await _age(app, Trade, [stale["id"]])
    start_worker(HOUSEKEEPING_SECONDS="1")
    deadline = time.monotonic() + 30
    while (await _rows(app, Trade))[stale["id"]][0] != "expired":
        assert time.monotonic() < deadline, "the worker did not expire the stale trade"
        await asyncio.sleep(0.2)
    assert (await _rows(app, Trade))[live["id"]] == ("open", False)


async def test_expire_stale_closes_unanswered_profile_requests(app, client) -> None:
    import uuid as _uuid
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import update

    from mediahub.users.models import ProfileRequest

    tokens = []
    for name in ("alice", "bob"):
        response = await client.post("/api/auth/register", json={
            "username": name, "password": "housekeeping passphrase"})
        tokens.append({"Authorization": f"Bearer {response.json()['access_token']}"})
    alice_id = (await client.get("/api/auth/me", headers=tokens[0])).json()["id"]
    request = (await client.post("/api/profile-requests", headers=tokens[1],
                                 json={"target_user_id": alice_id})).json()
    async with app.state.session_factory() as session:
        await session.execute(update(ProfileRequest).where(
            ProfileRequest.id == _uuid.UUID(request["id"])).values(
            expires_at=datetime.now(UTC) - timedelta(seconds=1)))
        await session.commit()
    async with app.state.session_factory() as session:
        counts = await expire_stale(session)
    assert counts["profile_requests"] == 1
    async with app.state.session_factory() as session:
        row = await session.get(ProfileRequest, _uuid.UUID(request["id"]))
    assert row.status == "expired"
