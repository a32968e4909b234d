"""The photo page's and the favorites page's lean routes (core/lean.py, ADR 0028) answer byte
for byte as their FastAPI routes.

As in test_lean_feed.py, every request is sent to the app as served and with the lean routes
taken out (tests/support/lean.py): status, headers and body must be the same, for the owner,
a signed-in stranger and anonymous callers, photos they may not see (404, never 403), deleted
and processing ones, pages by cursor, bad cursors and tokens, and the ids and queries the lean
routes decline (FastAPI still validates those). `lean_calls` shows which route answered.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.support.accounts import bearer, register, user
from tests.support.lean import same
from tests.support.photos import mark_ready, photo_id

PHOTO_PAGES, FAVORITES = "/api/photos/", "/api/photos/favorites"


@pytest.fixture
async def gallery(app, client: httpx.AsyncClient) -> dict:  # noqa: ANN001
    """Alice: four public ready photos, a private one, a processing public one, a deleted one
    and one she made private after Bob favorited it; Bob: five favorites, four still visible
    to him; Carol: nothing; Dave: a private photo shared by his public profile."""
    tokens = await register(client, "alice")
    alice, bob, carol = bearer(tokens), await user(client, "bob"), await user(client, "carol")
    public = [await photo_id(client, alice, n, public=True) for n in range(4)]
    private, hidden, deleted = [await photo_id(client, alice, n, public=True) for n in (5, 6, 7)]
    processing = await photo_id(client, alice, 8, public=True)
    dave = await user(client, "dave")  # a public profile: his private photo is shared
    shared = await photo_id(client, dave, 9)
    assert (await client.patch("/api/auth/me", headers=dave, json={"is_public": True})
            ).status_code == 200
    await mark_ready(app, [*public, private, hidden, deleted, shared])
    for art in (*public, hidden):
        assert (await client.put(f"/api/photos/{art}/favorite", headers=bob)).status_code == 204
    for art in (private, hidden):
        reply = await client.patch(f"/api/photos/{art}", headers=alice, json={"is_public": False})
        assert reply.status_code == 200, reply.text
    assert (await client.delete(f"/api/photos/{deleted}", headers=alice)).status_code == 204
    return {"alice": alice, "alice_refresh": tokens["refresh_token"], "bob": bob,
            "carol": carol, "public": public, "private": private, "hidden": hidden,
            "deleted": deleted, "processing": processing, "shared": shared}


async def test_photo_pages_are_the_same_bytes(app, client, gallery, lean_calls) -> None:  # noqa: ANN001
    g, public = gallery, gallery["public"]
    cases = [  # (viewer, photo, status)
        ({}, public[0], 200), ({}, g["private"], 404), ({}, g["hidden"], 404),
        ({}, g["deleted"], 404), ({}, g["processing"], 200), ({}, str(uuid.uuid4()), 404),
        ({}, g["shared"], 404), (g["carol"], g["shared"], 200),
        (g["bob"], public[0], 200), (g["bob"], g["hidden"], 404),
        (g["bob"], g["private"], 404), (g["bob"], g["deleted"], 404),
        (g["carol"], public[1], 200), (g["carol"], g["processing"], 200),
        (g["alice"], g["private"], 200), (g["alice"], g["hidden"], 200),
        (g["alice"], g["processing"], 200), (g["alice"], g["deleted"], 404),
    ]
    for viewer, art, status in cases:
        reply = await same(app, client, PHOTO_PAGES + art, viewer)
        assert reply.status_code == status, (art, reply.text)
        if status == 404:
            assert reply.json()["code"] == "photo.not_found"  # never 403
    assert lean_calls == [PHOTO_PAGES + art for _, art, _ in cases]
    flags = [(await client.get(PHOTO_PAGES + public[0], headers=who)).json()["is_favorite"]
             for who in (g["bob"], g["carol"], {})]
    assert flags == [True, False, False]


async def test_favorites_pages_and_cursors_are_the_same_bytes(app, client, gallery,  # noqa: ANN001
                                                             lean_calls) -> None:
    for url in (FAVORITES, f"{FAVORITES}?limit=100", f"{FAVORITES}?limit=1"):
        for who in (gallery["bob"], gallery["alice"], gallery["carol"]):
            await same(app, client, url, who)
    bob, shown, url = gallery["bob"], [], f"{FAVORITES}?limit=3"
    while url:
        page = (await same(app, client, url, bob)).json()
        shown += [item["id"] for item in page["items"]]
        assert all(item["is_favorite"] for item in page["items"])
        url = page["next_cursor"] and f"{FAVORITES}?cursor={page['next_cursor']}&limit=3"
    assert sorted(shown) == sorted(gallery["public"])  # the hidden one is not shown to Bob
    assert len(lean_calls) == 9 + 2


async def test_bad_cursors_and_tokens_are_the_same_errors(app, client, gallery,  # noqa: ANN001
                                                          lean_calls) -> None:
    public = PHOTO_PAGES + gallery["public"][0]
    reply = await same(app, client, f"{FAVORITES}?cursor=bm90LWEtY3Vyc29y", gallery["bob"])
    assert reply.status_code == 400 and reply.json()["code"] == "cursor.invalid"
    for header in ({}, {"Authorization": "Basic YTpi"}):  # favorites need a bearer token
        reply = await same(app, client, FAVORITES, header)
        assert reply.status_code == 401 and reply.json()["code"] == "auth.not_signed_in"
    assert (await same(app, client, public, {"Authorization": "Basic YTpi"})).status_code == 200
    token = gallery["bob"]["Authorization"]
    for header in ({"Authorization": "Bearer not-a-token"},
                   {"Authorization": token[:-2] + ("xx" if token[-2:] != "xx" else "yy")}):
        for url in (FAVORITES, public):
            reply = await same(app, client, url, header)
            assert reply.status_code == 401 and reply.json()["code"].startswith("auth."), url
    assert (await client.post("/api/auth/logout", headers=gallery["alice"], json={
        "refresh_token": gallery["alice_refresh"]})).status_code == 204
    for url in (FAVORITES, public, PHOTO_PAGES + gallery["private"]):
        reply = await same(app, client, url, gallery["alice"])  # a revoked token
        assert reply.status_code == 401 and reply.json()["code"] == "auth.signed_out", url
    assert len(lean_calls) == 1 + 2 + 1 + 4 + 3


@pytest.mark.parametrize("path", [
    "{id_upper}", "{id_plain}", "{{{id}}}", "urn:uuid:{id}", "{id_moved}", "{id}x", "{id}/",
    "{id}?x=1", "{id}?x", "not-a-uuid", "{id}/history",
    "favorites?limit=0", "favorites?limit=101", "favorites?limit=050", "favorites?x=1",
    "favorites?cursor=", "favorites?limit=2&limit=3", "favorites/",
])
async def test_declined_paths_go_to_fastapi(app, client, gallery, lean_calls,  # noqa: ANN001
                                            path: str) -> None:
    art = gallery["public"][0]
    url = PHOTO_PAGES + path.format(id=art, id_upper=art.upper(), id_plain=art.replace("-", ""),
                                    id_moved=art[:8] + art[9:13] + "-" + art[13:])
    reply = await same(app, client, url, gallery["bob"])
    assert reply.status_code in (200, 307, 400, 404, 422), reply.text
    assert lean_calls == []


async def test_other_methods_are_as_before(app, client, gallery, lean_calls) -> None:  # noqa: ANN001
    art = PHOTO_PAGES + gallery["public"][0]
    assert (await same(app, client, art, method="POST")).status_code == 405
    await same(app, client, art, gallery["bob"], method="HEAD")
    await same(app, client, FAVORITES, gallery["bob"], method="HEAD")
    assert (await same(app, client, FAVORITES, gallery["bob"], method="POST")).status_code == 405
    assert lean_calls == []
