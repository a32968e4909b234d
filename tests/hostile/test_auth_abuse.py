"""Abuse of the sign-in machinery by someone who cannot forge credentials (issue 16).

- squatting the username a MAX user would get, so their sign-in fails forever;
- locking an account out by failing its password from other addresses;
- concurrent refreshes with one refresh token signing the user out;
- bidi and control characters in names MAX sends, and in text users type;
- InitData whose keys are prefixes of one another, and known-answer signatures.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from mediahub.auth.initdata import make_test_init_data
from mediahub.config import Settings
from mediahub.models.users import User

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
