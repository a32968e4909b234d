"""One way for tests to make an account: sign up through the real API and keep what came back."""

from __future__ import annotations

import httpx

PASSWORD = "test account passphrase"


def bearer(tokens: dict) -> dict[str, str]:
    """The Authorization header for a token response (or anything with `access_token`)."""
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def register(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict:
    """Register `username` (asserting 201); return the token response."""
    response = await client.post("/api/auth/register",
                                 json={"username": username, "password": password})
    assert response.status_code == 201, response.text
    return response.json()


async def user(client: httpx.AsyncClient, username: str) -> dict[str, str]:
    """A new account's bearer header."""
    return bearer(await register(client, username))


async def user_with_id(client: httpx.AsyncClient, username: str) -> tuple[dict[str, str], str]:
    """A new account's bearer header and user id."""
    auth = await user(client, username)
    return auth, (await client.get("/api/auth/me", headers=auth)).json()["id"]


def register_at(base_url: str, username: str, password: str = PASSWORD) -> dict:
    """Register on a live API process; return the token response plus the user's `id`."""
    response = httpx.post(f"{base_url}/api/auth/register",
                          json={"username": username, "password": password}, timeout=30)
    assert response.status_code == 201, response.text
    tokens = response.json()
    me = httpx.get(f"{base_url}/api/auth/me", headers=bearer(tokens), timeout=30).json()
    return {**tokens, "id": me["id"]}
