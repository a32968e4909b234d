"""Signed-in read-only requests (issue 20): a token remembered by the process and a user read
as one row still end with the session and with the account."""

from __future__ import annotations

import httpx
from sqlalchemy import delete

from mediahub.users.models import RefreshToken, User
from tests.support.accounts import bearer, register


async def test_a_remembered_token_is_refused_once_signed_out(client: httpx.AsyncClient) -> None:
    tokens = await register(client, "alice")
    for _ in range(2):  # the second request is answered from the process's token cache
        assert (await client.get("/api/photos/feed", headers=bearer(tokens))).status_code == 200
    out = await client.post("/api/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert out.status_code == 204
    for path in ("/api/photos/feed", "/api/photos/mine", "/api/auth/me"):
        refused = await client.get(path, headers=bearer(tokens))
        assert refused.status_code == 401, path
        assert refused.json()["code"] == "auth.signed_out", path


async def test_a_read_only_request_of_a_deleted_account_is_refused(app, client) -> None:  # noqa: ANN001
    tokens = await register(client, "bob")
    assert (await client.get("/api/photos/mine", headers=bearer(tokens))).status_code == 200
    async with app.state.session_factory() as session:
        await session.execute(delete(RefreshToken))
        await session.execute(delete(User).where(User.username == "bob"))
        await session.commit()
    for path in ("/api/photos/feed", "/api/photos/mine"):
        refused = await client.get(path, headers=bearer(tokens))
        assert refused.status_code == 401, path
        assert refused.json()["code"] == "auth.account_gone", path



async def test_the_feed_flags_each_viewers_own_favorites(app, client) -> None:  # noqa: ANN001
    from tests.integration.test_read_paths import _photo, _ready, _user

    alice, bob = await _user(client, "alice"), await _user(client, "bob")
    ids = [await _photo(client, alice, n, is_public="true") for n in range(3)]
    for photo_id in ids:
        await _ready(app, photo_id)
    assert (await client.put(f"/api/photos/{ids[1]}/favorite", headers=bob)).status_code == 204

    async def flags(auth: dict) -> dict[str, bool]:
        items = (await client.get("/api/photos/feed", headers=auth)).json()["items"]
        return {item["id"]: item["is_favorite"] for item in items}

    for _ in range(2):  # the second time from warm caches (token, item JSON)
        assert await flags(bob) == {ids[0]: False, ids[1]: True, ids[2]: False}
        assert await flags(alice) == dict.fromkeys(ids, False)
        assert await flags({}) == dict.fromkeys(ids, False)
    assert (await client.delete(f"/api/photos/{ids[1]}/favorite", headers=bob)).status_code == 204
    assert await flags(bob) == dict.fromkeys(ids, False)
    photo = await client.get(f"/api/photos/{ids[1]}", headers=alice)
    assert photo.json()["is_favorite"] is False
