"""IDOR: every route with an id in its path, walked from the OpenAPI schema, as a stranger.

Alice owns a private photo, a trade, a transfer to Bob, a profile request from Bob and a
finished transcription. Mallory — signed in, party to none of it — calls every operation
whose path has a parameter with Alice's ids and a valid body: each must answer 404 (never
403, which would confirm the id exists) and change nothing. A new route with a new kind of
path parameter fails `test_every_path_parameter_is_known` until it is added here, so new
routes are covered automatically.
"""

from __future__ import annotations

import re
import uuid

import httpx
from sqlalchemy import update

from mediahub.gallery.models import ArtObject, Photo, PhotoStatus
from mediahub.transcription.models import VoiceProfile
from tests.hostile.helpers import me, transcript
from tests.support.accounts import user
from tests.support.photos import upload as photo

# Capability URLs: the secret *is* the authorisation (a QR code's trade token, a signed
# download link), so a second user presenting one is the intended use, not an IDOR.
CAPABILITIES = {("POST", "/api/trades/{token}/claim"), ("GET", "/api/files/{token}")}

# Not secret by design, checked separately below for what they must not show:
# - the user directory: anyone may look a user up (transfers and profile requests need it);
#   a private profile shows no contact link, and the photos list only what the caller may see;
# - DELETE .../import removes the photo from the *caller's* imports: 204 for any id, so it
#   reveals nothing and touches nothing of Alice's.
BY_DESIGN = {("GET", "/api/users/{user_id}"), ("GET", "/api/users/{user_id}/photos"),
             ("DELETE", "/api/photos/{photo_id}/import")}

PARAMS = {"photo_id", "trade_id", "transfer_id", "user_id", "request_id", "transcription_id",
          "segment_id", "speaker_id", "voice_id", "token"}


def _operations(app) -> list[tuple[str, str]]:  # noqa: ANN001
    return [(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops
            if "{" in p and (m.upper(), p) not in CAPABILITIES | BY_DESIGN]


def test_every_path_parameter_is_known(app) -> None:  # noqa: ANN001
    for _, path in _operations(app):
        for name in re.findall(r"{(\w+)}", path):
            assert name in PARAMS, f"{path}: add how to create a {name} to test_idor.py"


async def _ready(app, art_id: str) -> None:  # noqa: ANN001
    async with app.state.session_factory() as session:
        art = await session.get(ArtObject, uuid.UUID(art_id))
        await session.execute(update(Photo).where(Photo.id == art.photo_id).values(
            status=PhotoStatus.READY, width=64, height=48))
        await session.commit()


async def _world(app, client: httpx.AsyncClient) -> tuple[dict, dict, dict]:  # noqa: ANN001
    alice, bob = await user(client, "alice"), await user(client, "bob")
    alice_id, bob_id = (await me(client, alice))["id"], (await me(client, bob))["id"]
    photos = [await photo(client, alice, seed=i) for i in range(3)]
    for p in photos:
        await _ready(app, p["id"])
    trade = await client.post("/api/trades", headers=alice,
                              json={"art_object_ids": [photos[1]["id"]]})
    assert trade.status_code == 201, trade.text
    transfer = await client.post("/api/transfers", headers=alice,
                                 json={"art_object_id": photos[2]["id"], "to_user_id": bob_id})
    assert transfer.status_code == 201, transfer.text
    request = await client.post("/api/profile-requests", headers=bob,
                                json={"target_user_id": alice_id})
    assert request.status_code in (200, 201), request.text
    tr = await transcript(app, client, alice)
    async with app.state.session_factory() as session:  # a remembered voice of Alice's
        voice = VoiceProfile(owner_id=uuid.UUID(alice_id), name="Anna",
                             centroid=[1.0] + [0.0] * 191)
        session.add(voice)
        await session.commit()
    ids = {
        "photo_id": photos[0]["id"], "trade_id": trade.json()["id"],
        "transfer_id": transfer.json()["id"], "user_id": alice_id,
        "request_id": request.json()["id"], "transcription_id": tr["id"],
        "segment_id": str(tr["segments"][0]["id"]), "speaker_id": str(tr["speakers"][0]["id"]),
        "voice_id": str(voice.id),
    }
    bodies = {
        ("PATCH", "/api/photos/{photo_id}"): {"description": "pwned"},
        ("PUT", "/api/profile-requests/{request_id}/photos"): {"photo_ids": [photos[0]["id"]]},
        ("POST", "/api/profile-requests/{request_id}/respond"):
            {"approved": True, "photo_ids": [photos[0]["id"]]},
        ("PATCH", "/api/transcriptions/{transcription_id}"): {"title": "pwned"},
        ("PATCH", "/api/transcriptions/{transcription_id}/segments/{segment_id}"):
            {"text": "pwned"},
        ("PATCH", "/api/transcriptions/{transcription_id}/speakers/{speaker_id}"):
            {"name": "pwned"},
        ("PATCH", "/api/voices/{voice_id}"): {"name": "pwned"},
        ("POST", "/api/transcriptions/{transcription_id}/speakers/merge"):
            {"from": tr["speakers"][1]["id"], "into": tr["speakers"][0]["id"]},
    }
    return alice, ids, bodies


async def _owner_view(client, alice: dict, ids: dict) -> dict:  # noqa: ANN001
    """What the owner sees of everything the stranger will try to touch."""
    return {
        "photo": (await client.get(f"/api/photos/{ids['photo_id']}", headers=alice)).json(),
        "transcript": (await client.get(f"/api/transcriptions/{ids['transcription_id']}",
                                        headers=alice)).json(),
        "transfers": (await client.get("/api/transfers", headers=alice)).json(),
        "trades": (await client.get("/api/trades", headers=alice)).json(),
        "requests": (await client.get("/api/profile-requests", headers=alice)).json(),
        "voices": (await client.get("/api/voices", headers=alice)).json(),
    }


async def test_a_stranger_gets_404_on_every_id_bearing_route(app, client) -> None:  # noqa: ANN001
    alice, ids, bodies = await _world(app, client)
    mallory = await user(client, "mallory")
    before = await _owner_view(client, alice, ids)
    operations = _operations(app)
    assert len(operations) >= 20
    leaks = []
    for method, path in operations:
        url = path.format(**ids)
        kwargs = {"json": bodies[(method, path)]} if (method, path) in bodies else {}
        response = await client.request(method, url, headers=mallory, **kwargs)
        if response.status_code != 404:
            leaks.append(f"{method} {path}: {response.status_code} {response.text[:120]}")
        # The owner still sees every GET (the ids are real: a 404 is not vacuous).
        if method == "GET":
            owner = await client.get(url, headers=alice)
            assert owner.status_code in (200, 307), f"{path}: owner got {owner.status_code}"
    assert not leaks, "\n".join(leaks)
    after = await _owner_view(client, alice, ids)
    for key in ("photo", "transcript"):
        before[key].pop("urls", None), after[key].pop("urls", None)
        before[key].pop("media_url", None), after[key].pop("media_url", None)
    assert after == before
    favorites = (await client.get("/api/photos/favorites", headers=mallory)).json()
    assert favorites["items"] == []


async def test_by_design_routes_show_a_stranger_nothing_private(app, client) -> None:  # noqa: ANN001
    alice, ids, _ = await _world(app, client)
    await client.patch("/api/auth/me", headers=alice,
                       json={"contact_link": "https://t.me/alice_private"})
    mallory = await user(client, "mallory")
    card = await client.get(f"/api/users/{ids['user_id']}", headers=mallory)
    assert card.status_code == 200 and card.json()["contact_link"] is None
    assert card.json()["is_public"] is False
    shown = await client.get(f"/api/users/{ids['user_id']}/photos", headers=mallory)
    assert shown.status_code == 200 and shown.json()["items"] == []
    owner_view = await client.get(f"/api/users/{ids['user_id']}/photos", headers=alice)
    assert ids["photo_id"] in [p["id"] for p in owner_view.json()["items"]]
    gone = await client.delete(f"/api/photos/{ids['photo_id']}/import", headers=mallory)
    assert gone.status_code == 204
    assert (await client.get(f"/api/photos/{ids['photo_id']}", headers=alice)).status_code == 200
