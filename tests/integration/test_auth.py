"""Accounts over HTTP against real PostgreSQL and Redis: the whole token life cycle."""

from __future__ import annotations

import base64
import json
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import func, select, update

from mediahub.auth.initdata import make_test_init_data, sign_init_data
from mediahub.config import Settings
from mediahub.users.models import RefreshToken, User
from tests.support.accounts import PASSWORD, bearer, register


async def _count(app, model) -> int:
    async with app.state.session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


# ------------------------------------------------------------------ password accounts


async def test_register_signs_in_and_me_returns_the_user(client: httpx.AsyncClient) -> None:
    tokens = await register(client, "alice")
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] > 0
    me = await client.get("/api/auth/me", headers=bearer(tokens))
    assert me.status_code == 200
    body = me.json()
    assert body["username"] == "alice"
    assert body["max_user_id"] is None and body["has_password"] is True
    assert body["is_public"] is False


async def test_password_is_stored_hashed(app, client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    async with app.state.session_factory() as session:
        user = await session.scalar(select(User))
    assert user.password_hash and PASSWORD not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")


async def test_usernames_are_unique_regardless_of_case(client: httpx.AsyncClient) -> None:
    await register(client, "Alice")
    again = await client.post("/api/auth/register",
                              json={"username": "alice", "password": PASSWORD})
    assert again.status_code == 409
    assert again.json()["code"] == "username.taken"


@pytest.mark.parametrize(
    ("body", "status", "fragment", "code", "params"),
    [
        ({"username": "bob", "password": "short"}, 400, "at least 8", "password.too_short",
         {"min": 8}),
        ({"username": "bob", "password": "password1"}, 400, "too common", "password.too_common",
         {}),
        ({"username": "bob", "password": "my bob password"}, 400, "username",
         "password.contains_username", {}),
        ({"username": "b", "password": PASSWORD}, 422, "", "username.invalid",
         {"field": "username", "min": 3, "max": 32, "allowed": "A-Z a-z 0-9 _ . -"}),
        ({"username": "bad name!", "password": PASSWORD}, 422, "", "username.invalid",
         {"field": "username", "min": 3, "max": 32, "allowed": "A-Z a-z 0-9 _ . -"}),
        ({"username": "bob", "password": PASSWORD, "admin": True}, 422, "",
         "validation.unknown_field", {"field": "admin"}),
        ({"username": "bob"}, 422, "", "validation.missing", {"field": "password"}),
    ],
)
async def test_register_rejects_bad_input_and_writes_nothing(
    app, client: httpx.AsyncClient, body: dict, status: int, fragment: str, code: str,
    params: dict,
) -> None:
    response = await client.post("/api/auth/register", json=body)
    assert response.status_code == status, response.text
    assert fragment in json.dumps(response.json())
    assert (response.json()["code"], response.json()["params"]) == (code, params)
    assert await _count(app, User) == 0


async def test_password_login_and_failures(client: httpx.AsyncClient) -> None:
    await register(client, "alice")
    ok = await client.post("/api/auth/login", json={"username": "ALICE", "password": PASSWORD})
    assert ok.status_code == 200
    wrong = await client.post("/api/auth/login", json={"username": "alice", "password": "nope!"})
    unknown = await client.post("/api/auth/login", json={"username": "zed", "password": "nope!"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()  # no hint whether the account exists


async def test_unknown_user_and_wrong_password_take_the_same_time(
    client: httpx.AsyncClient,
) -> None:
    await register(client, "alice")

    async def timed(username: str) -> float:
        started = time.perf_counter()
        await client.post("/api/auth/login", json={"username": username, "password": "x" * 12})
        return time.perf_counter() - started

    # Interleaved, so a burst of load from elsewhere on the machine hits both kinds alike.
    wrong, unknown = [], []
    for _ in range(4):  # 8 failures: under the per-address limit (10/minute)
        wrong.append(await timed("alice"))
        unknown.append(await timed("nobody"))
    ratio = statistics.median(unknown) / statistics.median(wrong)
    assert 0.6 < ratio < 1.6, (wrong, unknown)


async def test_login_body_must_be_one_kind(client: httpx.AsyncClient) -> None:
    mixed = {"username": "a", "password": "b", "init_data": "x"}
    assert (await client.post("/api/auth/login", json=mixed)).status_code == 422
    assert (await client.post("/api/auth/login", json={})).status_code == 422


# ------------------------------------------------------------------ MAX sign-in


def _init_data(settings: Settings, **kw) -> str:
    return make_test_init_data(settings.max_bot_token.get_secret_value(), **kw)


async def test_max_login_creates_then_updates_the_user(
    app, settings: Settings, client: httpx.AsyncClient
) -> None:
    first = await client.post("/api/auth/login", json={"init_data": _init_data(
        settings, user_id=777, first_name="Ivan", username="ivan_max", language_code="ru")})
    assert first.status_code == 200, first.text
    me = (await client.get("/api/auth/me", headers=bearer(first.json()))).json()
    assert me["max_user_id"] == 777 and me["username"] == "ivan_max"
    assert me["first_name"] == "Ivan" and me["language_code"] == "ru"
    assert me["has_password"] is False
    second = await client.post("/api/auth/login", json={"init_data": _init_data(
        settings, user_id=777, first_name="Иван", username="ivan_max")})
    me2 = (await client.get("/api/auth/me", headers=bearer(second.json()))).json()
    assert me2["id"] == me["id"] and me2["first_name"] == "Иван"
    assert await _count(app, User) == 1


async def test_max_login_username_collision_gets_a_fallback(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    await register(client, "taken")
    response = await client.post("/api/auth/login", json={"init_data": _init_data(
        settings, user_id=4242, username="taken")})
    me = (await client.get("/api/auth/me", headers=bearer(response.json()))).json()
    assert me["username"] == "max4242"


def _tamper(raw: str) -> str:
    return raw.replace("first_name%22%3A%22Test", "first_name%22%3A%22Evil")


@pytest.mark.parametrize(
    ("make", "status"),
    [
        (lambda s: _tamper(_init_data(s, user_id=5)), 401),
        (lambda s: make_test_init_data("other-bot-token", user_id=5), 401),
        (lambda s: _init_data(s, user_id=5,
                              auth_date=datetime.now(UTC) - timedelta(hours=2)), 401),
        (lambda s: _init_data(s, user_id=5,
                              auth_date=datetime.now(UTC) + timedelta(hours=1)), 401),
        (lambda s: _init_data(s, user_id=5) + "&auth_date=1", 400),
        (lambda s: "user=%7B%7D&hash=abc", 400),
        (lambda s: "not init data at all", 400),
        (lambda s: "x" * 9000, 422),
    ],
    ids=["tampered", "other-bot", "stale", "future", "duplicate-key", "bad-hash", "garbage",
         "oversized"],
)
async def test_bad_init_data_is_refused_and_writes_nothing(
    app, settings: Settings, client: httpx.AsyncClient, make, status: int
) -> None:
    response = await client.post("/api/auth/login", json={"init_data": make(settings)})
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert await _count(app, User) == 0
    assert await _count(app, RefreshToken) == 0


async def test_init_data_in_milliseconds_is_accepted(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    millis = int(datetime.now(UTC).timestamp() * 1000)
    raw = _init_data(settings, user_id=9, auth_date=millis)
    assert (await client.post("/api/auth/login", json={"init_data": raw})).status_code == 200


async def test_raw_init_data_never_reaches_the_logs(
    settings: Settings, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    raw = _tamper(_init_data(settings, user_id=31337))
    caplog.set_level("DEBUG")
    await client.post("/api/auth/login", json={"init_data": raw})
    assert "31337" not in caplog.text and raw[:40] not in caplog.text


# ------------------------------------------------------------------ tokens


async def test_refresh_rotates_and_reuse_revokes_the_family(
    app, client: httpx.AsyncClient
) -> None:
    first = await register(client, "alice")
    second = (await client.post("/api/auth/refresh",
                                json={"refresh_token": first["refresh_token"]})).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert (await client.get("/api/auth/me", headers=bearer(second))).status_code == 200

    # The first token is presented again, after the grace window for concurrent refreshes
    # (REFRESH_REUSE_GRACE_SECONDS; its rotation is dated back): someone has a stolen copy.
    async with app.state.session_factory() as session:
        await session.execute(update(RefreshToken).where(RefreshToken.used_at.is_not(None))
                              .values(used_at=func.now() - timedelta(minutes=5)))
        await session.commit()
    reuse = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401 and "already used" in reuse.json()["detail"]
    # Both the legitimate client's newest refresh token and its access token are now dead.
    later = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert later.status_code == 401
    assert (await client.get("/api/auth/me", headers=bearer(second))).status_code == 401
    # A separate sign-in (another family) is unaffected.
    other = await client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})
    assert (await client.get("/api/auth/me", headers=bearer(other.json()))).status_code == 200
    async with app.state.session_factory() as session:
        stored = list(await session.scalars(select(RefreshToken.token_hash)))
    assert first["refresh_token"] not in stored  # only hashes are stored


async def test_logout_ends_the_session(client: httpx.AsyncClient) -> None:
    tokens = await register(client, "alice")
    out = await client.post("/api/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert out.status_code == 204
    refresh = await client.post("/api/auth/refresh",
                                json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
    assert (await client.get("/api/auth/me", headers=bearer(tokens))).status_code == 401
    again = await client.post("/api/auth/logout", json={"refresh_token": "unknown"})
    assert again.status_code == 204


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forged_tokens(settings: Settings, user_id: str, family: str) -> dict[str, str]:
    import jwt

    now = int(time.time())
    claims = {"sub": user_id, "fam": family, "iat": now, "exp": now + 600, "iss": "mediahub",
              "aud": "mediahub-api", "typ": "access"}
    secret = settings.jwt_secret.get_secret_value()
    expired = {**claims, "iat": now - 4000, "exp": now - 3000}
    return {
        "alg-none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}.",
        "wrong-key": jwt.encode(claims, "another-secret-of-sufficient-length!!", algorithm="HS256"),
        "hs512": jwt.encode(claims, secret, algorithm="HS512"),
        "expired": jwt.encode(expired, secret, algorithm="HS256"),
        "not-access": jwt.encode({**claims, "typ": "refresh"}, secret, algorithm="HS256"),
        "garbage": "a.b.c",
    }


async def test_forged_and_expired_access_tokens_are_refused(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    tokens = await register(client, "alice")
    me = (await client.get("/api/auth/me", headers=bearer(tokens))).json()
    for name, token in _forged_tokens(settings, me["id"], me["id"]).items():
        response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.headers["www-authenticate"] == "Bearer"
    assert (await client.get("/api/auth/me")).status_code == 401


# ------------------------------------------------------------------ profile


async def test_profile_update(client: httpx.AsyncClient) -> None:
    headers = bearer(await register(client, "alice"))
    response = await client.patch("/api/auth/me", headers=headers, json={
        "first_name": "  Alice ", "is_public": True, "contact_link": "https://t.example/alice"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["first_name"] == "Alice" and body["is_public"] is True
    assert body["contact_link"] == "https://t.example/alice"
    cleared = await client.patch("/api/auth/me", headers=headers, json={"contact_link": ""})
    assert cleared.json()["contact_link"] is None
    assert cleared.json()["first_name"] == "Alice"  # untouched


@pytest.mark.parametrize(
    "body",
    [
        {"contact_link": "javascript:alert(1)"},
        {"contact_link": "https://x.example/" + "a" * 200},
        {"first_name": "rtl\u202eoverride"},
        {"username": "renamed"},
    ],
)
async def test_profile_update_rejects_bad_values(client: httpx.AsyncClient, body: dict) -> None:
    headers = bearer(await register(client, "alice"))
    response = await client.patch("/api/auth/me", headers=headers, json=body)
    assert response.status_code == 422, response.text


async def test_profile_update_refuses_nul_before_validation(client: httpx.AsyncClient) -> None:
    # NUL cannot be stored in PostgreSQL text: refused for every field by the request guard.
    headers = bearer(await register(client, "alice"))
    response = await client.patch("/api/auth/me", headers=headers,
                                  json={"first_name": "bad\u0000name"})
    assert response.status_code == 400, response.text


# ------------------------------------------------------------------ limits and headers


@pytest.fixture
def strict_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small limits so the tests reach them quickly."""
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILURES", "3/minute")
    monkeypatch.setenv("RATE_LIMIT_WRITES", "5/minute")


@pytest.fixture
async def limited_client(strict_limits, settings_env, monkeypatch):
    from mediahub.main import create_app

    for key, value in settings_env.items():
        monkeypatch.setenv(key, value)
    application = create_app(Settings())
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            yield http


async def test_failed_logins_are_limited_per_account(limited_client: httpx.AsyncClient) -> None:
    await register(limited_client, "alice")
    for _ in range(3):
        bad = await limited_client.post("/api/auth/login",
                                         json={"username": "alice", "password": "wrong-pass"})
        assert bad.status_code == 401
    blocked = await limited_client.post("/api/auth/login",
                                        json={"username": "alice", "password": PASSWORD})
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["retry-after"]) <= 60
    assert "retry in" in blocked.json()["detail"]


async def test_successful_logins_are_not_limited(limited_client: httpx.AsyncClient) -> None:
    await register(limited_client, "alice")
    for _ in range(6):
        ok = await limited_client.post("/api/auth/login",
                                       json={"username": "alice", "password": PASSWORD})
        assert ok.status_code == 200


async def test_writes_spend_a_per_user_budget(limited_client: httpx.AsyncClient) -> None:
    headers = bearer(await register(limited_client, "alice"))
    statuses = [
        (await limited_client.patch("/api/auth/me", headers=headers,
                                    json={"first_name": f"n{i}"})).status_code
        for i in range(7)
    ]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    assert (await limited_client.get("/api/auth/me", headers=headers)).status_code == 200


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/health")
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://max.ru" in csp
    assert "script-src 'self' https://st.max.ru" in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "x-frame-options" not in response.headers  # cannot allow MAX; CSP does it


async def test_cors_allows_only_configured_origins(settings_env, monkeypatch) -> None:
    from mediahub.main import create_app

    for key, value in {**settings_env, "CORS_ORIGINS": "https://app.example"}.items():
        monkeypatch.setenv(key, value)
    application = create_app(Settings())
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        preflight = {"Access-Control-Request-Method": "POST"}
        good = await http.options("/api/auth/login",
                                  headers={"Origin": "https://app.example", **preflight})
        bad = await http.options("/api/auth/login",
                                 headers={"Origin": "https://evil.example", **preflight})
    assert good.headers.get("access-control-allow-origin") == "https://app.example"
    assert "access-control-allow-origin" not in bad.headers


def test_signed_init_data_helper_matches_the_validator(settings: Settings) -> None:
    raw = sign_init_data({"auth_date": str(int(time.time())), "user": '{"id": 1}'},
                         settings.max_bot_token.get_secret_value())
    assert "hash=" in raw


async def test_password_hashing_does_not_block_other_requests(client: httpx.AsyncClient) -> None:
    import asyncio

    await register(client, "alice")

    async def login() -> None:
        await client.post("/api/auth/login", json={"username": "alice", "password": PASSWORD})

    started = time.perf_counter()
    await login()
    one_login = time.perf_counter() - started
    logins = [asyncio.create_task(login()) for _ in range(6)]
    await asyncio.sleep(0.005)
    started = time.perf_counter()
    assert (await client.get("/api/health")).status_code == 200
    health = time.perf_counter() - started
    await asyncio.gather(*logins)
    # Hashing runs in threads: health answers long before six queued hashes could finish.
    assert health < 2 * one_login, (health, one_login)
