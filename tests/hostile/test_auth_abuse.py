"""Abuse of the sign-in machinery by someone who cannot forge credentials (issue 16).

- squatting the username a MAX user would get, so their sign-in fails forever;
- locking an account out by failing its password from other addresses;
- concurrent refreshes with one refresh token signing the user out;
- bidi and control characters in names MAX sends, and in text users type;
- InitData whose keys are prefixes of one another, and known-answer signatures.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from mediahub.auth.initdata import make_test_init_data
from mediahub.config import Settings
from mediahub.users.models import User

PASSWORD = "abuse tests passphrase"
VICTIM_MAX_ID = 777001


def _bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def _max_login(client: httpx.AsyncClient, settings: Settings, user_id: int,
                     **fields: str) -> httpx.Response:
    raw = make_test_init_data(settings.max_bot_token.get_secret_value(), user_id=user_id,
                              **fields)
    return await client.post("/api/auth/login", json={"init_data": raw})


async def _me(client: httpx.AsyncClient, response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    return (await client.get("/api/auth/me", headers=_bearer(response.json()))).json()


async def _add_user(app, **fields: object) -> None:  # noqa: ANN001
    """An account written straight to the database (as one from before a rule existed)."""
    async with app.state.session_factory() as session:
        session.add(User(**fields))
        await session.commit()


# ------------------------------------------------------------------ username squats (item 3)


async def test_password_registration_cannot_take_a_max_username(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    for name in (f"max{VICTIM_MAX_ID}", f"MAX{VICTIM_MAX_ID}", "max1-squat"):
        squat = await client.post("/api/auth/register",
                                  json={"username": name, "password": PASSWORD})
        assert squat.status_code == 409, squat.text
        assert squat.json()["code"] == "username_reserved"
    assert (await client.post("/api/auth/register",
                              json={"username": "maxine", "password": PASSWORD})).status_code == 201
    me = await _me(client, await _max_login(client, settings, VICTIM_MAX_ID))
    assert me["username"] == f"max{VICTIM_MAX_ID}" and me["max_user_id"] == VICTIM_MAX_ID


async def test_max_username_of_another_max_user_does_not_block_them(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    # A MAX account whose own MAX username is the victim's fallback name.
    squatter = await _me(client, await _max_login(client, settings, 5,
                                                  username=f"max{VICTIM_MAX_ID}"))
    assert squatter["username"] == "max5"
    victim = await _me(client, await _max_login(client, settings, VICTIM_MAX_ID))
    assert victim["username"] == f"max{VICTIM_MAX_ID}"


@pytest.mark.parametrize("squatter", ["password", "max"])
async def test_an_existing_squat_still_lets_the_max_user_in(
    app, settings: Settings, client: httpx.AsyncClient, squatter: str
) -> None:
    # Accounts from before the namespace was reserved keep their names.
    taken = f"Max{VICTIM_MAX_ID}"
    await _add_user(app, username=taken, password_hash="x" if squatter == "password" else None,
                    max_user_id=9 if squatter == "max" else None)
    first = await _me(client, await _max_login(client, settings, VICTIM_MAX_ID,
                                               username=taken))
    assert first["username"].startswith(f"max{VICTIM_MAX_ID}-"), first
    again = await _me(client, await _max_login(client, settings, VICTIM_MAX_ID))
    assert again["id"] == first["id"] and again["username"] == first["username"]


async def test_concurrent_first_sign_ins_of_one_max_user_all_succeed(
    app, settings: Settings, client: httpx.AsyncClient
) -> None:
    responses = await asyncio.gather(*(_max_login(client, settings, 4242) for _ in range(8)))
    assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses]
    ids = {(await _me(client, r))["id"] for r in responses}
    assert len(ids) == 1
    async with app.state.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1


# ------------------------------------------------------------------ lockout (item 4)

PAIR_BUDGET, ACCOUNT_BUDGET = 3, 5


@pytest.fixture
async def throttled_app(settings_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
                        ) -> AsyncIterator[object]:
    """The app with small sign-in budgets, so a test reaches them in a few requests."""
    from mediahub.main import create_app

    for key, value in {**settings_env,
                       "RATE_LIMIT_LOGIN_FAILURES": f"{PAIR_BUDGET}/minute",
                       "RATE_LIMIT_LOGIN_ACCOUNT_FAILURES": f"{ACCOUNT_BUDGET}/hour"}.items():
        monkeypatch.setenv(key, value)
    application = create_app(Settings())
    async with application.router.lifespan_context(application):
        yield application


def _from(app, address: str) -> httpx.AsyncClient:  # noqa: ANN001
    """A client whose requests come from `address`."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://t")


async def _login(client: httpx.AsyncClient, password: str) -> int:
    response = await client.post("/api/auth/login",
                                 json={"username": "victim", "password": password})
    return response.status_code


async def test_guessing_from_other_addresses_never_locks_the_owner_out(throttled_app) -> None:
    async with _from(throttled_app, "198.51.100.7") as owner:
        assert (await owner.post("/api/auth/register", json={
            "username": "victim", "password": PASSWORD})).status_code == 201
    # One address guessing: refused quickly.
    async with _from(throttled_app, "203.0.113.1") as attacker:
        statuses = [await _login(attacker, f"guess {i}") for i in range(PAIR_BUDGET + 2)]
        assert statuses == [401] * PAIR_BUDGET + [429, 429], statuses
        assert await _login(attacker, PASSWORD) == 429  # even the right password, from there
    # Many addresses guessing, well past the account's budget, and still going: each new
    # address gets one guess; once the account's budget is spent, its second one is refused.
    failures = PAIR_BUDGET
    for host in range(2, 12):
        async with _from(throttled_app, f"203.0.113.{host}") as attacker:
            assert await _login(attacker, f"guess {host}") == 401
            failures += 1
            second = await _login(attacker, f"again {host}")
            assert second == (429 if failures >= ACCOUNT_BUDGET else 401), (host, failures)
            failures += second == 401
    # The owner, from an address that has not failed, signs in while that goes on.
    async with _from(throttled_app, "198.51.100.7") as owner:
        assert await _login(owner, PASSWORD) == 200
    async with _from(throttled_app, "192.0.2.200") as owner_elsewhere:
        assert await _login(owner_elsewhere, PASSWORD) == 200
    # Once the account's budget is spent, an address that failed for it is refused.
    async with _from(throttled_app, "192.0.2.201") as typo:
        assert await _login(typo, "a typo") == 401
        assert await _login(typo, PASSWORD) == 429


# ------------------------------------------------------------------ refresh races (item 12)


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/auth/refresh", json={"refresh_token": token})


async def _signed_in(client: httpx.AsyncClient) -> dict:
    response = await client.post("/api/auth/register",
                                 json={"username": "racer", "password": PASSWORD})
    assert response.status_code == 201, response.text
    return response.json()


async def test_concurrent_refreshes_of_one_token_keep_the_session(
    client: httpx.AsyncClient
) -> None:
    first = await _signed_in(client)
    answers = await asyncio.gather(*(_refresh(client, first["refresh_token"])
                                     for _ in range(10)))
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    # One rotation won; every other request got that same new refresh token.
    assert len({a.json()["refresh_token"] for a in answers}) == 1
    for answer in answers:
        me = await client.get("/api/auth/me", headers=_bearer(answer.json()))
        assert me.status_code == 200, me.text
    # The session lives on: the new refresh token rotates once more, as usual.
    later = await _refresh(client, answers[0].json()["refresh_token"])
    assert later.status_code == 200, later.text
    assert (await client.get("/api/auth/me", headers=_bearer(later.json()))).status_code == 200


async def test_a_retry_after_the_successor_was_spent_is_still_reuse(
    client: httpx.AsyncClient
) -> None:
    first = await _signed_in(client)
    second = (await _refresh(client, first["refresh_token"])).json()
    third = await _refresh(client, second["refresh_token"])
    assert third.status_code == 200
    stale = await _refresh(client, first["refresh_token"])  # within the window, but spent on
    assert stale.status_code == 401 and "already used" in stale.json()["detail"]
    assert (await client.get("/api/auth/me", headers=_bearer(third.json()))).status_code == 401


@pytest.fixture
async def short_grace_client(settings_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
                             ) -> AsyncIterator[httpx.AsyncClient]:
    from mediahub.main import create_app

    for key, value in {**settings_env, "REFRESH_REUSE_GRACE_SECONDS": "1"}.items():
        monkeypatch.setenv(key, value)
    application = create_app(Settings())
    async with application.router.lifespan_context(application), _from(application,
                                                                        "127.0.0.1") as http:
        yield http


async def test_reuse_after_the_grace_window_revokes_the_session(
    short_grace_client: httpx.AsyncClient
) -> None:
    client = short_grace_client
    first = await _signed_in(client)
    second = await _refresh(client, first["refresh_token"])
    assert second.status_code == 200
    await asyncio.sleep(1.5)
    reuse = await _refresh(client, first["refresh_token"])
    assert reuse.status_code == 401 and "already used" in reuse.json()["detail"]
    assert (await _refresh(client, second.json()["refresh_token"])).status_code == 401
    assert (await client.get("/api/auth/me", headers=_bearer(second.json()))).status_code == 401


# ------------------------------------------------------------------ display text (item 10)

EVIL = "Ev\u202eil\x07"


def _invalid_text(response: httpx.Response) -> bool:
    body = response.json()
    codes = ([body["code"]] if isinstance(body.get("detail"), str)
             else [item["type"] for item in body["detail"]])
    return response.status_code in (400, 422) and codes == ["invalid_text"]


async def test_names_from_max_are_stripped_of_bidi_and_control_characters(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    signed_in = await _max_login(client, settings, 31, first_name=EVIL)
    me = await _me(client, signed_in)
    assert me["first_name"] == "Evil"
    # Only invisible characters: nothing is left to show, so no name rather than a blank one.
    me = await _me(client, await _max_login(client, settings, 31, first_name="\u202e\u200b"))
    assert me["first_name"] is None


async def test_the_same_text_typed_into_the_api_is_refused_everywhere(
    app, client: httpx.AsyncClient
) -> None:
    from tests.hostile.helpers import transcript
    from tests.support.accounts import user
    from tests.support.photos import jpeg
    from tests.support.photos import upload as photo

    auth = await user(client, "typist")
    assert _invalid_text(await client.patch("/api/auth/me", headers=auth,
                                            json={"first_name": EVIL}))
    pic = await photo(client, auth)
    for body in ({"description": EVIL}, {"tags": [EVIL]}):
        assert _invalid_text(await client.patch(f"/api/photos/{pic['id']}", headers=auth,
                                                json=body)), body
    for field in ("description", "tags"):
        form = await client.post("/api/photos", headers=auth, data={field: EVIL},
                                 files={"file": ("p.jpg", jpeg(7), "image/jpeg")})
        assert _invalid_text(form), form.text
    tr = await transcript(app, client, auth)
    base = f"/api/transcriptions/{tr['id']}"
    segment = await client.patch(f"{base}/segments/{tr['segments'][0]['id']}", headers=auth,
                                 json={"text": "say \u202egnp.exe"})
    assert _invalid_text(segment), segment.text
    speaker = await client.patch(f"{base}/speakers/{tr['speakers'][0]['id']}", headers=auth,
                                 json={"name": EVIL})
    assert _invalid_text(speaker), speaker.text
    after = (await client.get(base, headers=auth)).json()
    assert after["segments"][0]["text"] == tr["segments"][0]["text"]
    assert after["speakers"][0]["name"] == tr["speakers"][0]["name"]


async def test_a_file_name_with_bidi_characters_becomes_a_clean_title(
    client: httpx.AsyncClient
) -> None:
    from tests.support import media
    from tests.support.accounts import user

    auth = await user(client, "namer")
    wav = media.encode(media.tone(1.0), "wav")
    submitted = await client.post("/api/transcriptions", headers=auth, files={
        "file": ("rep\u202eort\u200b.wav", wav, "application/octet-stream")})
    assert submitted.status_code == 202, submitted.text
    body = (await client.get(f"/api/transcriptions/{submitted.json()['id']}",
                             headers=auth)).json()
    assert body["filename"] == "report.wav"


# ------------------------------------------------------------------ InitData signing (item 14)

# Telegram WebApp initData (the scheme MAX uses) with the hashes published in aiogram's test
# suite (tests/test_utils/test_web_app.py), computed outside this project.
AIOGRAM_TOKEN = "42:TEST"
AIOGRAM_AUTH_DATE = 1650385342
AIOGRAM_VALID = (
    "auth_date=1650385342&user=%7B%22id%22%3A42%2C%22first_name%22%3A%22Test%22%7D"
    "&query_id=test&hash=46d2ea5e32911ec8d30999b56247654460c0d20949b6277af519e76271182803")
# Its user id is a JSON string, which we refuse, but only after the signature matched:
# exercises `+` as space and \\u escapes inside the signed value.
AIOGRAM_STRING_ID = (
    "auth_date=1650385342&user=%7B%22id%22%3A+%22123456789%22%2C+%22first_name%22%3A+"
    "%22PlaceholderFirstName%22%2C+%22last_name%22%3A+%22PlaceholderLastName+%5Cud83c%5Cuddfa"
    "%5Cud83c%5Cudde6%22%2C+%22username%22%3A+%22Latand%22%2C+%22language_code%22%3A+%22en%22"
    "%2C+%22is_premium%22%3A+%22true%22%2C+%22allows_write_to_pm%22%3A+%22true%22%7D"
    "&query_id=test&hash=b3c8b293f14ad0f7f0abcf769aea1209a72295d30a87eb0e74df855d32e53bfe")


def _documented_hash(pairs: dict[str, str], token: str, *, sort_lines: bool = False) -> str:
    """dev.max.ru's steps 5-9, written from the docs: sort the pairs by key, join, HMAC twice.

    `sort_lines` sorts whole `key=value` lines instead (the old, wrong reading) for contrast.
    """
    import hashlib
    import hmac

    lines = [f"{key}={pairs[key]}" for key in sorted(pairs)]
    if sort_lines:
        lines.sort()
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, "\n".join(lines).encode(), hashlib.sha256).hexdigest()


def test_published_telegram_vectors_are_accepted() -> None:
    from datetime import UTC, datetime, timedelta

    from mediahub.auth.initdata import InitDataError, validate_init_data

    at = datetime.fromtimestamp(AIOGRAM_AUTH_DATE, UTC) + timedelta(seconds=10)
    data = validate_init_data(AIOGRAM_VALID, AIOGRAM_TOKEN, now=at)
    assert (data.user.id, data.user.first_name, data.query_id) == (42, "Test", "test")
    with pytest.raises(InitDataError) as wrong_token:
        validate_init_data(AIOGRAM_VALID, "42:INVALID", now=at)
    assert wrong_token.value.reason == "bad_signature"
    with pytest.raises(InitDataError) as string_id:
        validate_init_data(AIOGRAM_STRING_ID, AIOGRAM_TOKEN, now=at)
    assert string_id.value.reason == "bad_user"  # the signature matched


@pytest.mark.parametrize("longer", ["a-b", "a.b", "a1", "a_b", "ab"])
async def test_keys_that_prefix_other_keys_are_signed_by_key_order(
    settings: Settings, client: httpx.AsyncClient, longer: str
) -> None:
    import json
    import time
    from urllib.parse import urlencode

    token = settings.max_bot_token.get_secret_value()
    pairs = {"auth_date": str(int(time.time())), "a": "1", longer: "2",
             "user": json.dumps({"id": 8080, "first_name": "Prefix"})}
    good = urlencode({**pairs, "hash": _documented_hash(pairs, token)})
    signed_in = await client.post("/api/auth/login", json={"init_data": good})
    assert signed_in.status_code == 200, signed_in.text
    # The whole-line order is a different string for `-`, `.` and digits: not MAX's signature.
    lines = _documented_hash(pairs, token, sort_lines=True)
    if lines != _documented_hash(pairs, token):
        bad = urlencode({**pairs, "hash": lines})
        refused = await client.post("/api/auth/login", json={"init_data": bad})
        assert refused.status_code == 401, refused.text
