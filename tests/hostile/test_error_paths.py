"""Errors users see never carry server paths; the worker's log keeps the detail.

Found: a photo that is not an image failed with "cannot identify image file
<_io.BufferedReader name='/tmp/renditions-…/original'>", and any unexpected job failure
showed its exception text (paths of the object store or of temp files included).
"""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest

from mediahub.core.errors import without_paths
from tests.support import media
from tests.support.accounts import user
from tests.support.photos import wait_until_processed

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

PATH = re.compile(r"(?<![\w:])/(?:[\w.-]+/)+")


def test_paths_and_file_reprs_are_taken_out_and_ordinary_slashes_stay() -> None:
    assert without_paths("cannot identify image file <_io.BufferedReader "
                         "name='/tmp/renditions-x1/original'>") == "cannot identify image file"
    assert without_paths("No such file: '/srv/data/objects/a/b'") == "No such file: '[file]'"
    kept = "audio/wav, 1/2, and/or, https://example.com/a/b"
    assert without_paths(kept) == kept


async def test_failed_rendition_error_has_no_temp_path(client, start_worker) -> None:  # noqa: ANN001
    worker = start_worker()
    auth = await user(client, "pathfinder")
    not_a_png = b"\x89PNG\r\n\x1a\n" + b"\0" * 200  # PNG signature, nothing decodable
    response = await client.post("/api/photos", headers=auth,
                                 files={"file": ("x.png", not_a_png, "image/png")})
    assert response.status_code == 201, response.text
    done = await wait_until_processed(client, auth, response.json()["id"], timeout=90)
    assert done["status"] == "failed"
    assert done["error"] == "cannot decode image: cannot identify image file", done["error"]
    assert "/tmp/renditions-" in worker.output()  # the detail is logged for operators


async def test_transcription_failure_shows_no_server_path(
    app, client, start_worker, redis_url: str, tmp_path: Path,  # noqa: ANN001
) -> None:
    """A worker whose ASR_MODEL points at a missing directory fails every job permanently
    with a reason; the reason named that directory."""
    from redis.asyncio import Redis

    from mediahub.transcription import catalog

    missing = tmp_path / "models" / "no-such-model"
    # API and worker share the configuration (the API picks the model since issue 19).
    app.state.settings = app.state.settings.model_copy(
        update={"asr_model": str(missing), "asr_models": []})
    worker = start_worker(ASR_MODEL=str(missing), ASR_MODELS="")
    redis = Redis.from_url(redis_url)
    await redis.delete(catalog.INVENTORY_KEY)  # what earlier tests' workers reported
    await redis.aclose()
    auth = await user(client, "pathfinder2")
    wav = media.encode(media.tone(3.0), "wav")
    submitted = await client.post("/api/transcriptions", headers=auth,
                                  files={"file": ("t.wav", wav, "audio/wav")})
    assert submitted.status_code == 202, submitted.text
    tid = submitted.json()["id"]
    deadline, body = time.monotonic() + 240, {}
    while time.monotonic() < deadline:
        body = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
        if body["status"] == "failed":
            break
        await asyncio.sleep(0.5)
    assert body["status"] == "failed", body
    assert "is not a CTranslate2 Whisper model directory" in body["error"], body["error"]
    assert not PATH.search(body["error"]) and str(tmp_path) not in body["error"], body["error"]
    assert str(missing) in worker.output()  # the detail is logged for operators
