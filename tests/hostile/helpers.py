"""Building blocks for the hostile-input tests: users, photos, a finished transcript."""

from __future__ import annotations

import uuid

import httpx

from mediahub.core.jobs.models import JobRun
from mediahub.transcription import service
from mediahub.transcription.models import Transcription
from mediahub.transcription.transcript import Segment, Transcript, Word
from tests.support import media


async def me(client: httpx.AsyncClient, auth: dict[str, str]) -> dict:
    return (await client.get("/api/auth/me", headers=auth)).json()


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
