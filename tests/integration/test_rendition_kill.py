"""Fault injection (issue 9): SIGKILL a worker in the middle of a photo rendition job.

The photo must still end `ready` exactly once, on another worker: one job row, done after a
second attempt, the renditions stored once with no leftovers from the killed attempt, and a
single `photo.ready` / `job.done` for the user. A small JPEG renders in well under a second,
so the test uploads a large but legal PNG (81 Mpx: under the renderer's 100 Mpx limit and
Pillow's 89.5 Mpx bomb warning) that takes about a second to decode and shrink, and kills
the worker as soon as its job row says `rendering`. No hook in product code is needed.
"""

from __future__ import annotations

import asyncio
import io
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

from mediahub.config import Settings
from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.events import user_channel
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.queue import JobName
from mediahub.gallery.models import ArtObject, Photo, PhotoStatus
from tests.support.accounts import user_with_id
from tests.support.events import ChannelEvents

pytestmark = [pytest.mark.slow, pytest.mark.timeout(420)]
SIDE = 9000  # 81 Mpx
KILL_ATTEMPTS = 3
POLL_S = 0.02


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator:
    """A session factory on the test database."""
    engine = create_engine(settings, pool_size=2)
    yield create_session_factory(engine)
    await engine.dispose()


def _big_png(seed: int) -> bytes:
    """A noisy gradient: every pixel must be inflated and resampled, yet the file stays
    ~15 MB (the noise is a repeated tile). The seed makes each upload's bytes unique."""
    tile = np.random.default_rng(seed).integers(0, 24, (500, 500, 3), dtype=np.uint8)
    pixels = np.tile(tile, (SIDE // 500, SIDE // 500, 1))
    pixels += np.linspace(0, 200, SIDE, dtype=np.uint8)[None, :, None]
    out = io.BytesIO()
    Image.fromarray(pixels, "RGB").save(out, "PNG", compress_level=1)
    return out.getvalue()


@dataclass
class Upload:
    """One uploaded photo and the ids that track it."""

    art_id: str
    photo_id: uuid.UUID


async def _upload(client: httpx.AsyncClient, auth: dict[str, str], db, seed: int) -> Upload:
    data = await asyncio.to_thread(_big_png, seed)
    response = await client.post("/api/photos", headers=auth,
                                 files={"file": (f"big-{seed}.png", data, "image/png")})
    assert response.status_code == 201, response.text
    art_id = response.json()["id"]
    async with db() as session:
        photo_id = await session.scalar(
            select(ArtObject.photo_id).where(ArtObject.id == uuid.UUID(art_id)))
    return Upload(art_id, photo_id)


def _jobs_of(photo_id: uuid.UUID):  # noqa: ANN202 - a select
    return select(JobRun).where(JobRun.name == JobName.PHOTO_RENDITIONS.value,
                                JobRun.kwargs["photo_id"].astext == str(photo_id))


async def _state(db, photo_id: uuid.UUID) -> tuple[Photo, JobRun]:
    async with db() as session:
        photo = await session.get(Photo, photo_id)
        run = await session.scalar(_jobs_of(photo_id))
    assert photo is not None and run is not None
    return photo, run


async def _wait_rendering(db, photo_id: uuid.UUID, timeout: float = 90) -> JobRun:
    """Poll fast until the job is decoding the image, or already over (then it is too late)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, run = await _state(db, photo_id)
        if (run.status == JobStatus.RUNNING and run.stage == "rendering") \
                or JobStatus(run.status).is_final:
            return run
        await asyncio.sleep(POLL_S)
    raise AssertionError(f"job of photo {photo_id} never started rendering")


def _objects(storage_dir: Path, photo_id: uuid.UUID) -> set[str]:
    """Every file under the photo's prefix, including in-progress uploads (`name#n`)."""
    prefix = storage_dir / "photos" / str(photo_id)
    return {str(p.relative_to(storage_dir)) for p in prefix.rglob("*") if p.is_file()}


async def _kill_mid_rendition(client, auth, db, start_worker, storage_dir) -> tuple[Upload, dict]:
    """Upload a photo and SIGKILL its worker while it renders; retry if the kill came late."""
    for attempt in range(KILL_ATTEMPTS):
        worker = start_worker()
        upload = await _upload(client, auth, db, seed=attempt)
        await _wait_rendering(db, upload.photo_id)
        seen_at = time.monotonic()
        worker.kill9()
        killed_at, killed_wall = time.monotonic(), datetime.now(UTC)
        photo, run = await _state(db, upload.photo_id)
        if photo.status == PhotoStatus.PROCESSING and run.status == JobStatus.RUNNING:
            # Killed mid-job: nothing of the rendition may be visible yet.
            assert _objects(storage_dir, upload.photo_id) == {f"photos/{upload.photo_id}/original"}
            assert run.attempts == 1 and run.stage == "rendering"
            return upload, {"attempt": attempt + 1, "kill_after_seen_s": killed_at - seen_at,
                            "kill_into_job_s": (killed_wall - run.started_at).total_seconds(),
                            "started_at": run.started_at}
    raise AssertionError(f"the job finished before the kill {KILL_ATTEMPTS} times")


async def _wait_ready(db, photo_id: uuid.UUID, timeout: float = 120) -> tuple[Photo, JobRun]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        photo, run = await _state(db, photo_id)
        if photo.status != PhotoStatus.PROCESSING and JobStatus(run.status).is_final:
            return photo, run
        await asyncio.sleep(0.2)
    raise AssertionError(f"photo {photo_id} not done after {timeout}s: {photo.status}, "
                         f"job {run.status} attempts={run.attempts} error={run.error}")


async def test_worker_killed_mid_rendition_photo_ready_exactly_once(
    client: httpx.AsyncClient, start_worker, db, redis_url: str, storage_dir: Path
) -> None:
    auth, user_id = await user_with_id(client, "killjoy")
    async with ChannelEvents(redis_url, user_channel(user_id)) as events:
        upload, kill = await _kill_mid_rendition(client, auth, db, start_worker, storage_dir)
        start_worker()  # the replacement, as `mediahub up` or an orchestrator would start it
        photo, run = await _wait_ready(db, upload.photo_id)
        await asyncio.sleep(1.0)  # let a duplicate completion surface before counting
    retry_s = (run.finished_at - run.started_at).total_seconds()
    # The measured window, for whoever tunes SIDE: shown with `pytest -rA`.
    print(f"killed on try {kill['attempt']}, {kill['kill_into_job_s']:.2f} s into the job "
          f"({kill['kill_after_seen_s'] * 1000:.0f} ms after seeing 'rendering'); "
          f"the retry took {retry_s:.2f} s")

    assert photo.status == PhotoStatus.READY, photo.error
    assert (photo.width, photo.height) == (SIDE, SIDE) and photo.placeholder
    prefix = f"photos/{upload.photo_id}"
    assert (photo.preview_key, photo.thumb_key) == (f"{prefix}/preview.webp",
                                                    f"{prefix}/thumb.webp")
    # Exactly the original and one copy of each rendition: no orphans of the killed attempt.
    assert _objects(storage_dir, upload.photo_id) == {
        f"{prefix}/original", photo.preview_key, photo.thumb_key}
    preview = await client.get((await client.get(f"/api/photos/{upload.art_id}",
                                                 headers=auth)).json()["urls"]["preview"])
    assert preview.status_code == 200 and max(Image.open(io.BytesIO(preview.content)).size) == 1440

    assert run.status == JobStatus.DONE and run.result["status"] == "ready", run.result
    assert run.attempts == 2  # the killed one, then the one that finished
    async with db() as session:
        assert await session.scalar(
            select(func.count()).select_from(_jobs_of(upload.photo_id).subquery())) == 1
    assert events.count("photo.ready", id=upload.art_id) == 1, events.events
    assert events.count("job.done", job_id=str(run.id)) == 1, events.events
    assert events.count("job.started", job_id=str(run.id)) == 2, events.events
