"""Stage results and warnings through /api on real PostgreSQL (no worker: the worker's service
calls write them): a run that stops after its ASR stage leaves a done transcript with a
warning and "find speakers again"; silent and truncated recordings say so."""

from __future__ import annotations

import uuid

import httpx
import pytest

from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.jobs.models import JobRun
from mediahub.transcription import stages
from mediahub.transcription.models import Transcription
from mediahub.transcription.transcript import Segment, Transcript, Word
from tests.support import media
from tests.support.accounts import user
from tests.support.transcripts import finish_transcription


def _segments() -> list[Segment]:
    return [Segment(0.5, 1.3, "Hello there.", None,
                    [Word("Hello", 0.5, 0.9, 0.9), Word("there.", 0.9, 1.3, 0.8)])]


async def _submitted(client: httpx.AsyncClient, auth: dict, seconds: float = 5.0) -> str:
    body = media.encode(media.tone(seconds), "wav")
    response = await client.post("/api/transcriptions", headers=auth,
                                 files={"file": ("s.wav", body, "audio/wav")})
    assert response.status_code == 202, response.text
    return response.json()["id"]


async def _asr_kept_then(settings, tid: str, status: str, error: str) -> None:  # noqa: ANN001
    """The run keeps its ASR stage, then ends `status` while diarizing."""
    engine = create_engine(settings)
    factory = create_session_factory(engine)
    async with factory() as session:
        row = await session.get(Transcription, uuid.UUID(tid))
        run = await session.get(JobRun, row.job_run_id)
        run.status, run.stage = "running", "transcribing"
        await session.commit()
    async with factory() as session:
        assert await stages.keep_asr_stage(session, uuid.UUID(tid), run.id, _segments(), "en")
        await session.commit()
    async with factory() as session:
        run = await session.get(JobRun, run.id)
        run.status, run.stage, run.error = status, "diarizing", error
        await session.commit()
    await engine.dispose()


@pytest.mark.parametrize(("status", "code"), [("failed", "diarization_failed"),
                                              ("cancelled", "diarization_cancelled")])
async def test_run_stopped_while_diarizing_leaves_a_done_transcript(
        client, settings, status: str, code: str) -> None:  # noqa: ANN001
    auth = await user(client, "stages")
    tid = await _submitted(client, auth)
    await _asr_kept_then(settings, tid, status, f"{status} here")
    got = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
    assert got["status"] == "done" and got["error"] is None
    assert got["progress"]["percent"] == 100.0
    assert [s["text"] for s in got["segments"]] == ["Hello there."]
    assert got["speakers"] == [] and got["language"] == "en"
    assert got["warnings"] == [{"code": code, "params": {"error": f"{status} here"}}]
    listed = (await client.get("/api/transcriptions", headers=auth)).json()["items"][0]
    assert listed["status"] == "done" and listed["warnings"][0]["code"] == code
    export = await client.get(f"/api/transcriptions/{tid}/export", headers=auth,
                              params={"format": "txt"})
    assert export.status_code == 200 and "Hello there." in export.text
    # Retry is for failures; this is done: find speakers again instead.
    assert (await client.post(f"/api/transcriptions/{tid}/retry", headers=auth)
            ).status_code == 409
    again = await client.post(f"/api/transcriptions/{tid}/diarize", headers=auth)
    assert again.status_code == 200, again.text
    queued = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
    assert queued["status"] == "queued" and queued["segments"]  # the words stay meanwhile
    twice = await client.post(f"/api/transcriptions/{tid}/diarize", headers=auth)
    assert twice.status_code == 409 and twice.json()["code"] == "transcription.not_ready"
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        row = await session.get(Transcription, uuid.UUID(tid))
        assert row.asr_run_id == row.job_run_id  # the new run resumes at diarization
    await engine.dispose()


async def test_checkpoint_of_a_run_no_longer_running_is_not_written(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "stages")
    tid = await _submitted(client, auth)
    assert (await client.post(f"/api/transcriptions/{tid}/cancel", headers=auth)
            ).status_code == 200
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        row = await session.get(Transcription, uuid.UUID(tid))
        assert not await stages.keep_asr_stage(session, row.id, row.job_run_id, _segments(),
                                               "en")
        await session.commit()
    await engine.dispose()
    got = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
    assert got["status"] == "cancelled" and got["segments"] == [] and got["warnings"] == []


async def test_silent_and_truncated_recordings_are_done_with_warnings(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "stages")
    silent = await _submitted(client, auth)
    await finish_transcription(settings, silent,
                               Transcript(language="en", duration=5.0, segments=[]))
    got = (await client.get(f"/api/transcriptions/{silent}", headers=auth)).json()
    assert got["status"] == "done" and got["warnings"] == [{"code": "no_speech", "params": {}}]
    cut = await _submitted(client, auth, seconds=10.0)
    await finish_transcription(settings, cut,
                               Transcript(language="en", duration=6.04, segments=_segments()))
    got = (await client.get(f"/api/transcriptions/{cut}", headers=auth)).json()
    assert got["warnings"] == [{"code": "truncated",
                                "params": {"decoded_seconds": 6.0, "declared_seconds": 10.0}}]
    whole = await _submitted(client, auth)
    await finish_transcription(settings, whole, Transcript(language="en", duration=4.98,
                                              segments=_segments()))
    got = (await client.get(f"/api/transcriptions/{whole}", headers=auth)).json()
    assert got["warnings"] == []
