"""The feed's lean route (core/lean.py, ADR 0028) answers byte for byte as its FastAPI route.

Every request is sent twice to the same app: as served (the lean route in front) and with the
lean route taken out (FastAPI's route alone, as before). Status, headers and body must be the
same, for anonymous and signed-in viewers, pages and cursors, bad cursors and tokens, and the
queries the lean route declines (FastAPI still validates those).
"""

from __future__ import annotations

import httpx
import pytest

from mediahub.core.lean import page_query
from tests.support.accounts import bearer, register, user
from tests.support.lean import same
from tests.support.photos import mark_ready, photo_id


@pytest.fixture
async def gallery(app, client: httpx.AsyncClient) -> dict:  # noqa: ANN001
    """Alice: five public ready photos and a private one; Bob: one favorite."""
    tokens = await register(client, "alice")
    alice, bob = bearer(tokens), await user(client, "bob")
    public = [await photo_id(client, alice, n, public=True) for n in range(5)]
    private = await photo_id(client, alice, 9)
    await mark_ready(app, [*public, private])
    reply = await client.put(f"/api/photos/{public[2]}/favorite", headers=bob)
    assert reply.status_code == 204
    return {"alice": alice, "alice_refresh": tokens["refresh_token"], "bob": bob,
            "public": public, "private": private}


async def test_pages_and_cursors_are_the_same_bytes(app, client, gallery, lean_calls) -> None:  # noqa: ANN001
    for who in ({}, gallery["alice"], gallery["bob"]):
        for url in ("/api/photos/feed", "/api/photos/feed?limit=2", "/api/photos/feed?limit=100",
                    "/api/photos/feed?limit=1"):
            await same(app, client, url, who)
        cursor = (await same(app, client, "/api/photos/feed?limit=2", who)).json()["next_cursor"]
        second = await same(app, client, f"/api/photos/feed?cursor={cursor}&limit=2", who)
        last = await same(app, client, f"/api/photos/feed?limit=2&cursor="
                           f"{second.json()['next_cursor']}", who)
        assert last.json()["next_cursor"] is None
        shown = [item["id"] for page in (second, last) for item in page.json()["items"]]
        assert len(shown) == 3 and gallery["private"] not in shown  # visibility kept
    assert len(lean_calls) == 3 * 7
    flags = {i["id"]: i["is_favorite"] for i in (await client.get(
        "/api/photos/feed", headers=gallery["bob"])).json()["items"]}
    assert flags == {i: i == gallery["public"][2] for i in gallery["public"]}


async def test_bad_cursors_and_tokens_are_the_same_errors(app, client, gallery,  # noqa: ANN001
                                                          lean_calls) -> None:
    bad_cursor = await same(app, client, "/api/photos/feed?cursor=bm90LWEtY3Vyc29y")
    assert bad_cursor.status_code == 400 and bad_cursor.json()["code"] == "cursor.invalid"
    for header in ({"Authorization": "Bearer not-a-token"},
                   {"Authorization": "Bearer " + gallery["bob"]["Authorization"][7:-2] + "xx"}):
        reply = await same(app, client, "/api/photos/feed", header)
        assert reply.status_code == 401 and reply.json()["code"].startswith("auth.")
    assert (await same(app, client, "/api/photos/feed",  # not a bearer: anonymous, as before
                        {"Authorization": "Basic YTpi"})).status_code == 200
    signed_out = gallery["alice"]
    assert (await client.post("/api/auth/logout", headers=signed_out, json={
        "refresh_token": gallery["alice_refresh"]})).status_code == 204
    reply = await same(app, client, "/api/photos/feed", signed_out)
    assert reply.status_code == 401 and reply.json()["code"] == "auth.signed_out"
    assert len(lean_calls) == 5


@pytest.mark.parametrize("query", [
    "limit=0", "limit=101", "limit=abc", "limit=050", "limit=", "limit=2&limit=3",
    "cursor=", "cursor=" + "a" * 201, "cursor=a%2Bb", "other=1", "limit=2&x",
])
async def test_declined_queries_go_to_fastapi(app, client, gallery, lean_calls,  # noqa: ANN001
                                              query: str) -> None:
    assert page_query(query.encode(), 30) is None
    reply = await same(app, client, f"/api/photos/feed?{query}", gallery["bob"])
    assert reply.status_code in (200, 400, 422), reply.text
    assert lean_calls == []


async def test_other_methods_and_paths_are_as_before(app, client, gallery, lean_calls) -> None:  # noqa: ANN001
    assert (await same(app, client, "/api/photos/feed", method="POST")).status_code == 405
    await same(app, client, "/api/photos/feed", method="HEAD")
    await same(app, client, "/api/photos/feed/")
    await same(app, client, "/api/photos/feeds")  # a photo id that is not one (422)
    private = f"/api/photos/{gallery['private']}"
    assert (await same(app, client, private)).status_code == 404
    assert lean_calls == [private]  # the photo page's lean route (test_lean_photo.py)
