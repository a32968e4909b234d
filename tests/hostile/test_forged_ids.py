"""Forged cursors and out-of-range integer ids: 400 / 404, never a 500.

Found by an attack: `0001-01-01T00:00:00+14:00|<uuid>` in base64 as `cursor` (the instant
is before year 1 in UTC, which asyncpg cannot encode) and `99999999999999999999` as a
segment or speaker id (beyond PostgreSQL's bigint) were 500s with a traceback.
"""

from __future__ import annotations

import base64
import uuid

import httpx
import pytest
from fastapi import FastAPI

from tests.hostile.helpers import me, transcript
from tests.support.accounts import user

HUGE = 99_999_999_999_999_999_999
FORGED_INSTANTS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
                   "2024-01-01T00:00:00", "0001-01-01T00:00:00+00:00"]


def _cursor(instant: str) -> str:
    raw = f"{instant}|{uuid.uuid4()}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_routes(app: FastAPI) -> list[str]:
    """Every GET path that takes a `cursor` (walked from the schema, so new ones are covered)."""
    paths = []
    for path, operations in app.openapi()["paths"].items():
        params = operations.get("get", {}).get("parameters", [])
        if any(p["name"] == "cursor" for p in params):
            paths.append(path)
    assert len(paths) >= 6, paths
    return paths


async def test_forged_cursors_are_400_on_every_list(app: FastAPI,
                                                    client: httpx.AsyncClient) -> None:
    auth = await user(client, "cursorforger")
    my_id = (await me(client, auth))["id"]
    for path in _cursor_routes(app):
        url = path.replace("{user_id}", my_id)
        for instant in FORGED_INSTANTS:
            response = await client.get(url, params={"cursor": _cursor(instant)}, headers=auth)
            if instant.endswith("+00:00"):  # the earliest real instant: a valid, empty page
                assert response.status_code == 200, (url, response.text)
                continue
            assert response.status_code == 400, (url, instant, response.text)
            assert response.json()["code"] == "cursor.invalid"


@pytest.mark.parametrize("ident", [HUGE, -HUGE, 2**63, -(2**63) - 1])
async def test_ids_beyond_bigint_are_404(app: FastAPI, client: httpx.AsyncClient,
                                         ident: int) -> None:
    auth = await user(client, f"bigid{abs(ident) % 1000}{'n' if ident < 0 else 'p'}")
    body = await transcript(app, client, auth)
    base = f"/api/transcriptions/{body['id']}"
    segment, speaker = body["segments"][0]["id"], body["speakers"][0]["id"]
    calls = [
        client.patch(f"{base}/segments/{ident}", json={"text": "x"}, headers=auth),
        client.patch(f"{base}/speakers/{ident}", json={"name": "x"}, headers=auth),
        client.patch(f"{base}/segments/{segment}", json={"speaker": ident}, headers=auth),
        client.post(f"{base}/speakers/merge", json={"from": ident, "into": speaker},
                    headers=auth),
        client.post(f"{base}/speakers/merge", json={"from": speaker, "into": ident},
                    headers=auth),
    ]
    for call in calls:
        response = await call
        assert response.status_code == 404, response.text
        assert response.json()["code"] in ("segment.not_found", "speaker.not_found")
    # the transcript is unchanged
    after = (await client.get(base, headers=auth)).json()
    assert after["segments"] == body["segments"] and after["speakers"] == body["speakers"]
