"""The browser's HttpOnly session cookie: sign-in sets it, `{}` refreshes from it (rotating it),
reuse and sign-out end it, and it never leaves /api/auth or travels without HTTPS flags."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, update

from mediahub.auth.cookies import REFRESH_COOKIE
from mediahub.users.models import RefreshToken
from tests.support.asgi import asgi_client

PASSWORD = "a long enough passphrase"


async def _register(http: httpx.AsyncClient, username: str) -> httpx.Response:
    response = await http.post("/api/auth/register",
                               json={"username": username, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return response


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _cookie_attributes(response: httpx.Response) -> dict[str, str]:
    raw = response.headers["set-cookie"]
    parts = [p.strip() for p in raw.split(";")]
    name, _, value = parts[0].partition("=")
    assert name == REFRESH_COOKIE
    attrs = {"value": value.strip('"')}
    for part in parts[1:]:
        key, _, val = part.partition("=")
        attrs[key.lower()] = val
    return attrs


@pytest.fixture
async def https_client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """The same app as `client`, reached over https (as behind the TLS proxy)."""
    async with asgi_client(app, "https://testserver") as http:
        yield http


async def test_sign_in_sets_an_http_only_strict_cookie_scoped_to_auth(
        client: httpx.AsyncClient, https_client: httpx.AsyncClient, settings) -> None:  # noqa: ANN001
    response = await _register(client, "cookie1")
    attrs = _cookie_attributes(response)
    assert attrs["value"] == response.json()["refresh_token"]
    assert "httponly" in attrs and attrs["samesite"].lower() == "strict"
    assert attrs["path"] == "/api/auth"
    assert int(attrs["max-age"]) == settings.refresh_token_ttl_seconds
    assert "secure" not in attrs  # plain http (local mode): a Secure cookie would be dropped
    login = await https_client.post("/api/auth/login",
                                    json={"username": "cookie1", "password": PASSWORD})
    assert login.status_code == 200 and "secure" in _cookie_attributes(login)


async def test_refresh_from_the_cookie_rotates_it_and_a_replayed_cookie_ends_the_session(
        app, client: httpx.AsyncClient) -> None:
    first = (await _register(client, "cookie2")).json()
    refreshed = await client.post("/api/auth/refresh", json={})  # the jar sends the cookie
    assert refreshed.status_code == 200, refreshed.text
    pair = refreshed.json()
    assert pair["refresh_token"] != first["refresh_token"]
    assert client.cookies[REFRESH_COOKIE] == pair["refresh_token"]
    assert (await client.get("/api/auth/me", headers=_bearer(pair["access_token"]))).status_code \
        == 200

    # The old cookie again (a stolen copy) after the grace window for concurrent refreshes
    # (the rotation is dated back): refused, cleared, and the whole session revoked.
    async with app.state.session_factory() as session:
        await session.execute(update(RefreshToken).where(RefreshToken.used_at.is_not(None))
                              .values(used_at=func.now() - timedelta(minutes=5)))
        await session.commit()
    client.cookies.clear()
    replay = await client.post("/api/auth/refresh", json={},
                               headers={"Cookie": f"{REFRESH_COOKIE}={first['refresh_token']}"})
    assert replay.status_code == 401
    assert _cookie_attributes(replay)["max-age"] == "0"
    assert (await client.get("/api/auth/me", headers=_bearer(pair["access_token"]))).status_code \
        == 401


async def test_sign_out_with_the_cookie_clears_it_and_ends_the_session(
        client: httpx.AsyncClient) -> None:
    access = (await _register(client, "cookie3")).json()["access_token"]
    out = await client.post("/api/auth/logout", json={})
    assert out.status_code == 204
    assert _cookie_attributes(out)["max-age"] == "0"
    assert REFRESH_COOKIE not in client.cookies
    assert (await client.post("/api/auth/refresh", json={})).status_code == 401
    assert (await client.get("/api/auth/me", headers=_bearer(access))).status_code == 401


async def test_no_cookie_is_a_plain_401_never_rate_limited(client: httpx.AsyncClient,
                                                           settings) -> None:  # noqa: ANN001
    # Every anonymous page load asks once; those must not use up an address's budget.
    budget = int(settings.rate_limit_login_failures.split("/")[0])
    for _ in range(budget + 3):
        response = await client.post("/api/auth/refresh", json={})
        assert response.status_code == 401, response.text
        assert "not signed in" in response.json()["detail"]
    await _register(client, "cookie4")
    assert (await client.post("/api/auth/refresh", json={})).status_code == 200


async def test_a_form_post_cannot_refresh_from_the_cookie(client: httpx.AsyncClient) -> None:
    """What another site's <form> could send: not JSON, so no new tokens (nor with SameSite
    off in an old browser)."""
    await _register(client, "cookie5")
    forged = await client.post("/api/auth/refresh", data={"refresh_token": ""},
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert forged.status_code in (400, 415, 422), forged.text
    assert "access_token" not in forged.text
    assert (await client.post("/api/auth/refresh", json={})).status_code == 200  # untouched
