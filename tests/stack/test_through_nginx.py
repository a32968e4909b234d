"""Smoke suite of the shipped stack: every request goes through the frontend (nginx)."""

from __future__ import annotations

import asyncio
import io
import json
import re
import secrets
import time

import httpx
import pytest
import websockets
from PIL import Image

from mediahub.auth.initdata import make_test_init_data
from tests.stack.conftest import Stack, sign_up
from tests.support import speech

# Transcriptions wait for the worker container's queue and model.
pytestmark = pytest.mark.timeout(900)

SHORT_SCRIPT = speech.SENTENCES[:4]
WER_FLOOR = 0.25  # tiny.en on espeak-ng speech scores ~0.05 on this script (tests/transcription)


def _jpeg(seed: int) -> bytes:
    image = Image.new("RGB", (320, 240), (seed % 256, 80, 160))
    for x in range(0, 320, 8):  # some detail, so renditions have work to do
        image.putpixel((x, (x * seed) % 240), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> speech.Recording:
    if not speech.tools_available():
        pytest.fail("espeak-ng and sox are required (scripts/test installs them as root)")
    return speech.make_recording(tmp_path_factory.mktemp("speech") / "short.wav", SHORT_SCRIPT)


def test_ready_through_nginx(client: httpx.Client) -> None:
    response = client.get("/api/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ok", body
    assert set(body["checks"]) >= {"database", "redis", "storage"}, body


def test_web_app_and_hashed_asset_are_served_compressed_and_cached(client: httpx.Client) -> None:
    index = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    assert index.headers["cache-control"] == "no-cache"
    assert "frame-ancestors" in index.headers["content-security-policy"]
    assets = re.findall(r'(/assets/[\w.-]+\.js)', index.text)
    assert assets, index.text[:500]
    asset = client.get(assets[0], headers={"Accept-Encoding": "gzip"})
    assert asset.status_code == 200
    assert asset.headers["content-encoding"] == "gzip"
    assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert len(asset.content) > 1000  # httpx decoded the gzip body


def test_password_and_max_sign_in(stack: Stack, client: httpx.Client) -> None:
    auth = sign_up(client, f"smoke_{secrets.token_hex(3)}")
    assert client.get("/api/auth/me", headers=auth).status_code == 200
    bot_token = stack.settings()["MAX_BOT_TOKEN"]
    max_user = 700_000 + secrets.randbelow(100_000)
    init_data = make_test_init_data(bot_token, user_id=max_user, first_name="Smoke")
    response = client.post("/api/auth/login", json={"init_data": init_data})
    assert response.status_code == 200, response.text
    me = client.get("/api/auth/me",
                    headers={"Authorization": f"Bearer {response.json()['access_token']}"})
    assert me.status_code == 200, me.text
    assert (me.json()["max_user_id"], me.json()["first_name"]) == (max_user, "Smoke")
    forged = init_data.replace("Smoke", "Smoky")
    assert client.post("/api/auth/login", json={"init_data": forged}).status_code == 401


async def _next_event(ws: websockets.ClientConnection, wanted: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        message = json.loads(await asyncio.wait_for(ws.recv(), left))
        if message.get("type") == "event" and message["event"].get("type") == wanted:
            return message["event"]
    raise AssertionError(f"no {wanted} event within {timeout}s")


async def test_photo_ready_event_over_websocket_and_thumbnail_by_signed_link(
    stack: Stack, client: httpx.Client
) -> None:
    auth = sign_up(client, f"smoke_{secrets.token_hex(3)}")
    me = client.get("/api/auth/me", headers=auth).json()
    ws_url = stack.url.replace("http://", "ws://") + "/api/ws"
    async with websockets.connect(ws_url) as ws:
        await ws.send(json.dumps({"type": "auth", "token": auth["Authorization"][7:]}))
        await ws.send(json.dumps({"type": "subscribe", "channels": [f"user:{me['id']}"]}))
        uploaded = client.post("/api/photos", headers=auth,
                               files={"file": ("smoke.jpg", _jpeg(7), "image/jpeg")},
                               data={"description": "smoke", "tags": "smoke"})
        assert uploaded.status_code == 201, uploaded.text
        event = await _next_event(ws, "photo.ready", timeout=120)
    assert event["id"] == uploaded.json()["id"], event
    photo = client.get(f"/api/photos/{event['id']}", headers=auth).json()
    assert photo["status"] == "ready", photo
    thumb = client.get(photo["urls"]["thumb"])  # a signed link: no Authorization header
    assert thumb.status_code == 200, thumb.text
    assert thumb.headers["content-type"].startswith("image/")
    Image.open(io.BytesIO(thumb.content)).verify()


def _wait_done(client: httpx.Client, auth: dict, transcription_id: str,
               timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/transcriptions/{transcription_id}", headers=auth).json()
        if body["status"] in ("done", "failed", "cancelled"):
            return body
        time.sleep(1)
    raise AssertionError(f"transcription {transcription_id} not finished after {timeout}s")


def test_worker_container_transcribes_speech_and_exports_srt(
    client: httpx.Client, recording: speech.Recording
) -> None:
    auth = sign_up(client, f"smoke_{secrets.token_hex(3)}")
    submitted = client.post("/api/transcriptions", headers=auth,
                            files={"file": ("short.wav", recording.path.read_bytes(), "audio/wav")},
                            data={"language": "en", "diarize": "true"})
    assert submitted.status_code == 202, submitted.text
    body = _wait_done(client, auth, submitted.json()["id"])
    assert body["status"] == "done", body.get("error")
    text = " ".join(segment["text"] for segment in body["segments"])
    assert speech.word_error_rate(recording.text, text) <= WER_FLOOR, text
    srt = client.get(f"/api/transcriptions/{body['id']}/export", headers=auth,
                     params={"format": "srt"})
    assert srt.status_code == 200
    assert re.search(r"^1\r?\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}", srt.text, re.M), srt.text
    assert "planning meeting" in srt.text.lower()


def test_openai_compatible_endpoint(client: httpx.Client, recording: speech.Recording) -> None:
    auth = sign_up(client, f"smoke_{secrets.token_hex(3)}")
    response = client.post("/v1/audio/transcriptions", headers=auth, timeout=600,
                           files={"file": ("short.wav", recording.path.read_bytes(), "audio/wav")},
                           data={"model": "whisper-1", "response_format": "json"})
    assert response.status_code == 200, response.text
    assert speech.word_error_rate(recording.text, response.json()["text"]) <= WER_FLOOR


def test_only_the_frontend_publishes_a_port_and_only_on_loopback(stack: Stack) -> None:
    out = stack.compose("ps", "--format", "json").stdout
    rows = [json.loads(line) for line in out.splitlines() if line.strip()]
    published = {row["Service"]: [p for p in row.get("Publishers") or [] if p.get("PublishedPort")]
                 for row in rows}
    assert set(published) >= {"postgres", "redis", "minio", "api", "worker", "frontend"}, published
    for service, ports in published.items():
        if service == "frontend":
            assert [p["URL"] for p in ports] == ["127.0.0.1"], ports
        else:
            assert ports == [], f"{service} publishes {ports}"


def test_every_container_runs_as_a_non_root_user(stack: Stack) -> None:
    # `compose top`: one table, `SERVICE # UID PID PPID C STIME TTY TIME CMD`; UIDs are shown as
    # the host's user names where the host has one (a container's uid 999 may read "message+").
    # PostgreSQL and Redis start as root and drop to their users, as the official images do.
    lines = [line.split(None, 9) for line in stack.compose("top").stdout.splitlines() if line]
    header, rows = lines[0], lines[1:]
    assert header[:3] == ["SERVICE", "#", "UID"] and header[-1] == "CMD", header
    assert {row[0] for row in rows} >= {"api", "worker", "frontend", "postgres", "redis", "minio"}
    as_root = [f"{row[0]}: {row[9]}" for row in rows if row[2] in ("root", "0")]
    assert as_root == [], "\n".join(as_root)
