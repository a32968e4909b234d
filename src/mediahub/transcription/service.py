"""Transcriptions: submit (store, check, queue), read, present, search, store results.

Corrections to a transcript are `transcription.editing`.
"""

from __future__ import annotations

import asyncio
import html
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from redis.asyncio import Redis
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.config import Settings
from mediahub.core import events
from mediahub.core.db import after_commit, on_rollback
from mediahub.core.error_codes import CODES
from mediahub.core.errors import NotFound, PayloadTooLarge, Unprocessable
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.queue import JobName, new_job_run
from mediahub.core.storage import ObjectStore
from mediahub.media.sniff import AUDIO_VIDEO_FORMATS
from mediahub.media.upload import receive_upload
from mediahub.transcription import catalog, voices
from mediahub.transcription.audio import MediaError, probe
from mediahub.transcription.models import Transcription, TranscriptSegment, TranscriptSpeaker
from mediahub.transcription.schemas import (
    Progress,
    SearchHit,
    SegmentOut,
    SpeakerOut,
    SubmitOptions,
    TranscriptionSummary,
    WordOut,
)
from mediahub.transcription.segments import repair_word_times
from mediahub.transcription.stages import kept_after_diarization, result_warnings, warnings_of
from mediahub.transcription.transcript import Segment, Transcript, Word
from mediahub.users.models import User

# A percent this low says little about the remaining time.
ETA_MIN_PERCENT = 3.0


def parse_options(fields: dict[str, str], settings: Settings) -> SubmitOptions:
    """Validate the form fields of a submission; 422 with a readable message otherwise."""
    known = {k: v for k, v in fields.items() if k in SubmitOptions.model_fields}
    try:
        options = SubmitOptions.model_validate(known)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "options"
        raise Unprocessable(f"{where}: {first['msg']}", code="transcription.option_invalid",
                            params={"field": where}) from None
    return options


async def offered_models(settings: Settings, redis: Redis) -> list[catalog.ModelInfo]:
    """The selectable models the workers reported installed (by name if none reported yet),
    with the default for each language marked."""
    reported = {m.name: m for m in catalog.from_json(await redis.get(catalog.INVENTORY_KEY)
                                                     or "[]")}
    names = settings.selectable_models
    models = ([reported[n] for n in names if n in reported] if reported
              else [catalog.describe(n) for n in names])
    return catalog.with_defaults(models, settings.asr_model)


async def settle_model(options: SubmitOptions, settings: Settings, redis: Redis) -> None:
    """Fix the model the job runs on (the one asked for if it can, else the language's
    default), so the worker and the stored row agree."""
    options.model = catalog.choose(
        await offered_models(settings, redis), requested=options.model,
        language=options.language, task=options.task, default_model=settings.asr_model)


OptionsParser = Callable[[dict[str, str], Settings], SubmitOptions]


async def submit(request: Request, session: AsyncSession, user: User, *, store: ObjectStore,
                 settings: Settings, redis: Redis, parse: OptionsParser = parse_options,
                 max_seconds: float | None = None) -> Transcription:
    """Store the upload (the request's body), check it is decodable media within limits,
    queue the job."""
    transcription_id = uuid.uuid4()
    key = f"transcriptions/{transcription_id}/media"
    received = await receive_upload(request, store, key, accept=AUDIO_VIDEO_FORMATS,
                                    max_bytes=settings.max_upload_bytes)
    on_rollback(session, lambda: store.delete(key))  # no orphan file if anything below fails
    options = parse(received.fields, settings)
    await settle_model(options, settings, redis)
    stored = received.file.stored
    try:
        info = await asyncio.to_thread(probe, store.open_reader(key, stored.size))
    except MediaError as exc:
        raise Unprocessable(str(exc), code="transcription.undecodable") from None
    limit = min(settings.max_media_seconds, max_seconds or settings.max_media_seconds)
    if info.duration > limit:
        raise PayloadTooLarge(
            f"the recording lasts {info.duration / 60:.1f} min; the limit here is "
            f"{limit / 60:.0f} min", code="transcription.too_long",
            params={"minutes": round(info.duration / 60, 1), "limit": round(limit / 60)},
        )
    transcription = Transcription(
        id=transcription_id, owner_id=user.id, filename=received.file.filename, media_key=key,
        mime=received.file.format.mime, size=stored.size, sha256=stored.sha256,
        has_video=info.has_video, media_duration=info.duration,
        options=options.model_dump(), model=options.model,
    )
    session.add(transcription)
    await queue(session, redis, transcription, max_seconds=limit)
    return transcription


async def queue(session: AsyncSession, redis: Redis, transcription: Transcription, *,
                max_seconds: float | None = None, diarize_only: bool = False) -> None:
    """Queue a run of the transcription job (first or retry); the owner hears once committed.
    `diarize_only`: the kept segments are this run's finished ASR stage (stages.py)."""
    # The header's duration checked above can lie: the worker measures against the limit.
    run = new_job_run(session, JobName.TRANSCRIBE, owner_id=transcription.owner_id,
                      transcription_id=str(transcription.id), max_seconds=max_seconds)
    await session.flush()  # the job row first: the transcription points at it
    transcription.job_run_id = run.id
    transcription.asr_run_id = run.id if diarize_only else None
    await session.flush()
    announce(session, redis, transcription, JobStatus.QUEUED)


def announce(session: AsyncSession, redis: Redis, transcription: Transcription,
             new_status: str) -> None:
    """Tell the owner's clients once the change is committed."""
    owner, tid = transcription.owner_id, transcription.id
    after_commit(session, lambda: publish_update(redis, owner, tid, new_status))


async def get_owned(session: AsyncSession, transcription_id: uuid.UUID, user: User,
                    *, lock: bool = False) -> tuple[Transcription, JobRun | None]:
    """The caller's transcription and its current job; 404 for anyone else's."""
    query = select(Transcription).where(Transcription.id == transcription_id,
                                        Transcription.owner_id == user.id)
    if lock:
        query = query.with_for_update()
    transcription = await session.scalar(query)
    if transcription is None:
        raise NotFound("transcription not found", code="transcription.not_found")
    run = (await session.get(JobRun, transcription.job_run_id)
           if transcription.job_run_id else None)
    return transcription, run


def status_of(run: JobRun | None, transcription: Transcription | None = None) -> str:
    """The transcription's status is its current job's status, except that a run which
    stopped while diarizing leaves a done transcript (its kept ASR stage, stages.py)."""
    if transcription is not None and kept_after_diarization(transcription, run):
        return JobStatus.DONE
    return run.status if run is not None else JobStatus.FAILED


def progress_of(run: JobRun | None, now: datetime | None = None, *,
                done: bool = False) -> Progress:
    """Stage, overall percent and a time-remaining estimate from the elapsed time."""
    if run is None:
        return Progress(stage=None, percent=0.0)
    if done or run.status == JobStatus.DONE:
        return Progress(stage="done", percent=100.0, eta_seconds=0.0)
    eta = None
    if run.status == JobStatus.RUNNING and run.started_at:
        eta = eta_seconds(((now or datetime.now(UTC)) - run.started_at).total_seconds(),
                          run.percent)
    return Progress(stage=run.stage, percent=round(run.percent, 1), eta_seconds=eta)


def eta_seconds(elapsed: float, percent: float) -> float | None:
    """Time left if progress keeps its pace so far; None while too little is done to say."""
    if percent < ETA_MIN_PERCENT:
        return None
    return round(max(0.0, elapsed * (100.0 - percent) / percent), 1)


async def publish_update(redis: Any, owner_id: uuid.UUID, transcription_id: uuid.UUID,
                         status: str, **fields: Any) -> None:
    """Tell the owner's clients that a transcription changed (`transcription.updated`)."""
    await events.publish(redis, events.user_channel(owner_id), {
        "type": "transcription.updated", "id": str(transcription_id), "status": status,
        **fields,
    })


def failure_code(run: JobRun | None) -> str | None:
    """The catalogued code a failed job left in its result (PermanentJobError's `code`)."""
    code = (run.result or {}).get("code") if run and run.error else None
    return code if code in CODES else None


def summary(transcription: Transcription, run: JobRun | None) -> TranscriptionSummary:
    """The list form of a transcription."""
    return TranscriptionSummary(**summary_fields(transcription, run))


def summary_fields(transcription: Any, run: Any) -> dict[str, Any]:
    """`TranscriptionSummary`'s fields in order, as plain data (the list writes them once,
    reads.py). `transcription` and `run` are entities or rows with the same attributes."""
    status = status_of(run, transcription)
    return {
        "id": transcription.id, "filename": transcription.filename,
        "title": transcription.title, "status": str(status),
        "progress": progress_of(run, done=status == JobStatus.DONE).model_dump(),
        "language": transcription.language, "duration": transcription.duration,
        "media_duration": transcription.media_duration, "model": transcription.model,
        "error": run.error if run and status != JobStatus.DONE else None,
        "error_code": failure_code(run), "options": transcription.options,
        "created_at": transcription.created_at, "completed_at": transcription.completed_at,
        "warnings": [{"code": w["code"], "params": w.get("params", {})}
                     for w in warnings_of(transcription, run)],
    }


async def transcript_rows(session: AsyncSession, transcription_id: uuid.UUID
                          ) -> tuple[list[TranscriptSegment], list[TranscriptSpeaker]]:
    """Segments in order and speakers by id."""
    segments = list(await session.scalars(
        select(TranscriptSegment).where(TranscriptSegment.transcription_id == transcription_id)
        .order_by(TranscriptSegment.position)))
    speakers = list(await session.scalars(
        select(TranscriptSpeaker).where(TranscriptSpeaker.transcription_id == transcription_id)
        .order_by(TranscriptSpeaker.id)))
    return segments, speakers


def present_segment(segment: TranscriptSegment) -> SegmentOut:
    """The response form of a stored segment."""
    return SegmentOut(
        id=segment.id, start=segment.start, end=segment.end, text=segment.text,
        speaker=segment.speaker_id, edited=segment.edited,
        words=[WordOut(word=w["word"], start=w.get("start"), end=w.get("end"),
                       score=w.get("score"), speaker=w.get("speaker_id"))
               for w in segment.words],
    )


def present_speaker(speaker: TranscriptSpeaker) -> SpeakerOut:
    """The response form of a speaker."""
    return SpeakerOut(id=speaker.id, label=speaker.label, name=speaker.name, color=speaker.color,
                      voice_id=speaker.voice_id, confidence=speaker.voice_confidence)


def as_transcript(transcription: Transcription, segments: list[TranscriptSegment],
                  speakers: list[TranscriptSpeaker]) -> tuple[Transcript, dict[str, str]]:
    """The stored transcript as engine data (speaker labels = ids), with display names."""
    names = {str(s.id): s.name for s in speakers}

    def label(speaker_id: int | None) -> str | None:
        return str(speaker_id) if speaker_id is not None else None

    return Transcript(
        language=transcription.language or "",
        duration=transcription.duration or transcription.media_duration,
        segments=[Segment(start=s.start, end=s.end, text=s.text, speaker=label(s.speaker_id),
                          # Transcripts saved before words were repaired may hold 0-length ones.
                          words=repair_word_times([
                              Word(word=w["word"], start=w.get("start"), end=w.get("end"),
                                   score=w.get("score"), speaker=label(w.get("speaker_id")))
                              for w in s.words]))
                  for s in segments],
        speakers=list(names),
        metrics=transcription.metrics,
    ), names


# ---------------------------------------------------------------- results (worker)


async def save_transcript(session: AsyncSession, transcription: Transcription,
                          transcript: Transcript) -> None:
    """Replace any earlier results with this run's (a retried job writes everything again)."""
    await session.execute(delete(TranscriptSegment).where(
        TranscriptSegment.transcription_id == transcription.id))
    await session.execute(delete(TranscriptSpeaker).where(
        TranscriptSpeaker.transcription_id == transcription.id))
    ids: dict[str, int] = {}
    speakers = []
    for index, label in enumerate(transcript.speakers):
        speaker = TranscriptSpeaker(transcription_id=transcription.id, label=label,
                                    name=f"Speaker {index + 1}", color=index,
                                    embedding=transcript.centroids.get(label))
        session.add(speaker)
        await session.flush()
        ids[label] = speaker.id
        speakers.append(speaker)
    await voices.name_known_voices(session, transcription.owner_id, speakers)
    session.add_all(
        TranscriptSegment(
            transcription_id=transcription.id, position=position, start=seg.start,
            end=max(seg.end, seg.start), text=seg.text,
            speaker_id=ids.get(seg.speaker) if seg.speaker else None, edited=False,
            words=[{"word": w.word, "start": w.start, "end": w.end, "score": w.score,
                    "speaker_id": ids.get(w.speaker) if w.speaker else None}
                   for w in seg.words],
        )
        for position, seg in enumerate(transcript.segments)
    )
    if transcript.language:
        transcription.language = transcript.language
        transcription.metrics = transcript.metrics
    else:  # diarization alone (resumed, or found again): the ASR stage's facts stay
        stages = {**transcription.metrics.get("stages", {}), **transcript.metrics["stages"]}
        transcription.metrics = {**transcription.metrics, **transcript.metrics, "stages": stages}
    transcription.duration = transcript.duration
    transcription.model = str(transcript.metrics.get("model") or transcription.model)
    transcription.warnings = result_warnings(transcription, transcript)
    transcription.completed_at = datetime.now(UTC)


# ---------------------------------------------------------------- search

_START, _STOP = "\x02", "\x03"  # never in stored text (clean_text refuses control characters)


def _snippet(headline: str) -> str:
    return html.escape(headline).replace(_START, "<mark>").replace(_STOP, "</mark>")


async def search(session: AsyncSession, user: User, q: str, *, limit: int) -> list[SearchHit]:
    """Full-text search over all of the caller's transcripts, best matches first."""
    query = func.websearch_to_tsquery("simple", q)
    headline = func.ts_headline(
        "simple", TranscriptSegment.text, query,
        f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, MaxFragments=2",
    )
    rows = await session.execute(
        select(TranscriptSegment, Transcription.filename, Transcription.title,
               TranscriptSpeaker.name, headline)
        .join(Transcription, Transcription.id == TranscriptSegment.transcription_id)
        .outerjoin(TranscriptSpeaker, TranscriptSpeaker.id == TranscriptSegment.speaker_id)
        .where(Transcription.owner_id == user.id, TranscriptSegment.search.op("@@")(query))
        .order_by(func.ts_rank(TranscriptSegment.search, query).desc(),
                  Transcription.created_at.desc(), TranscriptSegment.position)
        .limit(limit)
    )
    return [SearchHit(transcription_id=seg.transcription_id, filename=filename,
                      title=title or filename or "", segment_id=seg.id, start=seg.start,
                      end=seg.end, speaker=speaker, speaker_id=seg.speaker_id,
                      snippet=_snippet(text))
            for seg, filename, title, speaker, text in rows]


def shown_title(transcription: Transcription) -> str:
    """The recording's name as people see it: its title, else its file name."""
    return transcription.title or transcription.filename or "transcript"
