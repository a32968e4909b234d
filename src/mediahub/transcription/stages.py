"""Stage results kept as they finish, and the warnings a usable-but-imperfect result carries.

The segments of a finished ASR stage are written before diarization starts, with
`Transcription.asr_run_id` naming the run they belong to. So a worker killed while
diarizing resumes there (tasks.py), and a run that fails, is cancelled or times out while
diarizing still leaves a transcript: the transcription then reads as done, with a warning
and "find speakers again" (POST /api/transcriptions/{id}/diarize) to re-run only that stage.

Warnings are stable codes with parameters (`{"code", "params"}`); the web app words them.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.transcription.models import Transcription, TranscriptSegment
from mediahub.transcription.transcript import Segment, Transcript, Word

# Decoded audio this much shorter than the header declared (and this share of it) is a
# truncated or damaged file, not rounding.
TRUNCATED_MIN_SECONDS = 1.0
TRUNCATED_MIN_SHARE = 0.02


def warning(code: str, **params: Any) -> dict[str, Any]:
    """One warning in its stored and API form."""
    return {"code": code, "params": params}


def kept_after_diarization(transcription: Transcription, run: JobRun | None) -> bool:
    """The run stopped (failed, cancelled, timed out) after its ASR stage was kept."""
    return (run is not None and transcription.asr_run_id == run.id
            and run.status in (JobStatus.FAILED, JobStatus.CANCELLED))


def warnings_of(transcription: Transcription, run: JobRun | None) -> list[dict[str, Any]]:
    """The stored warnings, plus the one of a run that ended while diarizing."""
    found = list(transcription.warnings or [])
    if kept_after_diarization(transcription, run):
        assert run is not None
        code = ("diarization_cancelled" if run.status == JobStatus.CANCELLED
                else "diarization_failed")
        found = [w for w in found if not w["code"].startswith("diarization_")]
        found.append(warning(code, error=run.error))
    return found


def result_warnings(transcription: Transcription, transcript: Transcript) -> list[dict[str, Any]]:
    """What the user should know about a finished run's result."""
    found = list(transcript.warnings)
    if not transcript.segments:
        found.append(warning("no_speech"))
    declared, decoded = transcription.media_duration, transcript.duration
    if declared - decoded > max(TRUNCATED_MIN_SECONDS, TRUNCATED_MIN_SHARE * declared):
        found.append(warning("truncated", decoded_seconds=round(decoded, 1),
                             declared_seconds=round(declared, 1)))
    return found


async def keep_asr_stage(session: AsyncSession, transcription_id: uuid.UUID, run_id: uuid.UUID,
                         segments: list[Segment], language: str) -> bool:
    """Write a finished ASR stage (segments without speakers) for run `run_id`; False (and
    nothing written) if the run is no longer running or the transcription is gone."""
    from mediahub.transcription.service import save_transcript

    transcription = await session.get(Transcription, transcription_id, with_for_update=True)
    run = await session.get(JobRun, run_id)
    if transcription is None or run is None or run.status != JobStatus.RUNNING:
        return False
    await save_transcript(session, transcription, Transcript(
        language=language, duration=transcription.media_duration, segments=segments,
        metrics=transcription.metrics))
    transcription.asr_run_id = run_id
    return True


async def kept_segments(session: AsyncSession, transcription_id: uuid.UUID) -> list[Segment]:
    """The stored segments as engine data, without speakers (diarization gives them anew)."""
    rows = await session.scalars(select(TranscriptSegment).where(
        TranscriptSegment.transcription_id == transcription_id)
        .order_by(TranscriptSegment.position))
    return [Segment(start=row.start, end=row.end, text=row.text,
                    words=[Word(word=w["word"], start=w.get("start"), end=w.get("end"),
                                score=w.get("score")) for w in row.words])
            for row in rows]
