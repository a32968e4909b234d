"""Building blocks for the hostile-input tests: users, photos, a finished transcript."""

from __future__ import annotations

import io
import uuid

import httpx
from PIL import Image

from mediahub.core.jobs.models import JobRun
from mediahub.models.transcription import Transcription
from mediahub.transcription import service
from mediahub.transcription.transcript import Segment, Transcript, Word
from tests.support import media

PASSWORD = "hostile inputs passphrase"


async def user(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    response = await client.post("/api/auth/register",
                                 json={"username": name, "password": PASSWORD})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def me(client: httpx.AsyncClient, auth: dict[str, str]) -> dict:
    return (await client.get("/api/auth/me", headers=auth)).json()


def jpeg(seed: int = 0, size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (seed * 37 % 256, seed * 91 % 256, 120)).save(out, "JPEG")
    return out.getvalue()


async def photo(client: httpx.AsyncClient, auth: dict[str, str], seed: int = 0,
                **fields: str) -> dict:
    response = await client.post("/api/photos", headers=auth, data=fields,
                                 files={"file": ("p.jpg", jpeg(seed), "image/jpeg")})
    assert response.status_code == 201, response.text
    return response.json()


async def transcript(app, client: httpx.AsyncClient, auth: dict[str, str]) -> dict:  # noqa: ANN001
    """A transcription whose job has finished (result saved the way the worker saves it)."""
    wav = media.encode(media.tone(3.0), "wav")
    submitted = await client.post("/api/transcriptions", headers=auth,
                                  files={"file": ("t.wav", wav, "application/octet-stream")})
    assert submitted.status_code == 202, submitted.text
    tid = submitted.json()["id"]
    words = [Word("hello", 0.2, 0.6, 0.9, "A"), Word("world", 1.2, 1.6, 0.9, "B")]
    result = Transcript(language="en", duration=3.0,
                        segments=[Segment(0.2, 0.6, "hello", "A", words[:1]),
                                  Segment(1.2, 1.6, "world", "B", words[1:])],
                        speakers=["A", "B"], metrics={"model": "tiny.en"})
    async with app.state.session_factory() as session:
        row = await session.get(Transcription, uuid.UUID(tid))
        await service.save_transcript(session, row, result)
        run = await session.get(JobRun, row.job_run_id)
        run.status, run.percent = "done", 100.0
        await session.commit()
    body = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
    assert body["segments"] and body["speakers"], body
    return body
