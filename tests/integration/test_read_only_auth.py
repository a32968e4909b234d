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

