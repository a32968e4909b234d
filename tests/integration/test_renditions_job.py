"""Upload → queue → a real worker → renditions in storage, status and live events."""

from __future__ import annotations

import io
import json
import time

import httpx
import pytest
from PIL import Image
from redis.asyncio import Redis

from mediahub.core.events import PUBLIC, REDIS_PREFIX, user_channel
from tests.support.accounts import user_with_id
from tests.support.photos import wait_until_processed

pytestmark = pytest.mark.slow


def _photo(size: tuple[int, int] = (2400, 1600)) -> bytes:
    out = io.BytesIO()
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise for display
    exif[0x010F], exif[0x0110] = "Canon", "Canon EOS R5"
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


async def test_public_photo_gets_renditions_metadata_and_events(
    client: httpx.AsyncClient, start_worker, redis_url: str
) -> None:
    start_worker()
    auth, user_id = await user_with_id(client, "painter")
    listener = Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    await listener.subscribe(REDIS_PREFIX + user_channel(user_id), REDIS_PREFIX + PUBLIC)
    upload = await client.post("/api/photos", headers=auth, data={"is_public": "true"},
                               files={"file": ("IMG_0001.JPG", _photo(), "image/jpeg")})
    assert upload.status_code == 201, upload.text
    photo = await wait_until_processed(client, auth, upload.json()["id"])
    assert photo["status"] == "ready", photo
    assert (photo["width"], photo["height"]) == (1600, 2400)  # EXIF orientation applied
    assert photo["camera"] == "Canon EOS R5" and photo["placeholder"]
    for name, longest in (("preview", 1440), ("thumb", None)):
        response = await client.get(photo["urls"][name])
        assert response.status_code == 200
        image = Image.open(io.BytesIO(response.content))
        assert image.format == "WEBP" and not image.getexif()
        assert image.height > image.width  # portrait, like the oriented original
        if longest:
            assert max(image.size) == longest
    feed = (await client.get("/api/photos/feed")).json()
    assert [p["id"] for p in feed["items"]] == [photo["id"]]

    seen: list[tuple[str, str]] = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and ("public", "photo.published") not in seen:
        message = await listener.get_message(timeout=0.5)
        if message:
            channel = message["channel"].decode().removeprefix(REDIS_PREFIX)
            seen.append(("public" if channel == PUBLIC else "user",
                         json.loads(message["data"])["type"]))
    await listener.aclose()
    assert ("user", "photo.ready") in seen and ("public", "photo.published") in seen


async def test_corrupt_image_ends_failed_with_a_reason(client: httpx.AsyncClient,
                                                       start_worker) -> None:
    worker = start_worker()
    auth, _ = await user_with_id(client, "painter")
    truncated = _photo()[:5000]  # a real JPEG start: passes sniffing, cannot be decoded
    upload = await client.post("/api/photos", headers=auth,
                               files={"file": ("broken.jpg", truncated, "image/jpeg")})
    assert upload.status_code == 201
    photo = await wait_until_processed(client, auth, upload.json()["id"])
    assert photo["status"] == "failed"
    assert photo["error"] and "image" in photo["error"].lower()
    assert photo["urls"]["thumb"] is None
    assert worker.proc.poll() is None  # the worker survived
    feed = (await client.get("/api/photos/feed")).json()
    assert feed["items"] == []
