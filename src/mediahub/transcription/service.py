"""Transcriptions in the database: create, read, present, edit, search, store results."""

from __future__ import annotations

import html
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.config import Settings
from mediahub.core import events
from mediahub.core import text as core_text
from mediahub.core.db import fits_bigint
from mediahub.core.errors import Conflict, InvalidText, NotFound, Unprocessable
from mediahub.core.jobs.models import JobRun, JobStatus
from mediahub.core.pagination import keyset_page
from mediahub.models.transcription import Transcription, TranscriptSegment, TranscriptSpeaker
from mediahub.models.users import User
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
from mediahub.transcription.transcript import Segment, Transcript, Word

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
        raise Unprocessable(f"{where}: {first['msg']}") from None
    if options.model and options.model not in settings.selectable_models:
        raise Unprocessable(
            f"model {options.model!r} is not offered here; choose one of "
            f"{', '.join(settings.selectable_models)}"
        )
    model = options.model or settings.asr_model
    if model.endswith(".en") and options.language not in (None, "en"):
        raise Unprocessable(f"model {model} only transcribes English; choose another model")
    return options


async def get_owned(session: AsyncSession, transcription_id: uuid.UUID, user: User,
                    *, lock: bool = False) -> tuple[Transcription, JobRun | None]:
    """The caller's transcription and its current job; 404 for anyone else's."""
    query = select(Transcription).where(Transcription.id == transcription_id,
                                        Transcription.owner_id == user.id)
    if lock:
        query = query.with_for_update()
    transcription = await session.scalar(query)
    if transcription is None:
        raise NotFound("transcription not found")
    run = (await session.get(JobRun, transcription.job_run_id)
           if transcription.job_run_id else None)
    return transcription, run


def status_of(run: JobRun | None) -> str:
    """The transcription's status is its current job's status."""
    return run.status if run is not None else JobStatus.FAILED


def progress_of(run: JobRun | None, now: datetime | None = None) -> Progress:
    """Stage, overall percent and a time-remaining estimate from the elapsed time."""
    if run is None:
        return Progress(stage=None, percent=0.0)
    if run.status == JobStatus.DONE:
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


def summary(transcription: Transcription, run: JobRun | None) -> TranscriptionSummary:
    """The list form of a transcription."""
    status = status_of(run)
    return TranscriptionSummary(
        id=transcription.id, filename=transcription.filename, status=status,
        progress=progress_of(run), language=transcription.language,
        duration=transcription.duration, media_duration=transcription.media_duration,
        model=transcription.model, error=run.error if run and status != JobStatus.DONE else None,
        options=transcription.options, created_at=transcription.created_at,
        completed_at=transcription.completed_at,
    )


async def page(session: AsyncSession, user: User, *, cursor: str | None, limit: int
               ) -> tuple[list[TranscriptionSummary], str | None]:
    """The caller's transcriptions, newest first."""
    query = (select(Transcription, JobRun)
             .outerjoin(JobRun, JobRun.id == Transcription.job_run_id)
             .where(Transcription.owner_id == user.id))
    rows, next_cursor = await keyset_page(session, query, Transcription.created_at,
                                          Transcription.id, cursor, limit)
    return [summary(t, r) for t, r in rows], next_cursor


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
    return SpeakerOut(id=speaker.id, label=speaker.label, name=speaker.name, color=speaker.color)


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
    for index, label in enumerate(transcript.speakers):
        speaker = TranscriptSpeaker(transcription_id=transcription.id, label=label,
                                    name=f"Speaker {index + 1}", color=index)
        session.add(speaker)
        await session.flush()
        ids[label] = speaker.id
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
    transcription.language = transcript.language
    transcription.duration = transcript.duration
    transcription.model = str(transcript.metrics.get("model") or transcription.model)
    transcription.metrics = transcript.metrics
    transcription.completed_at = datetime.now(UTC)


# ---------------------------------------------------------------- editing


def clean_text(text: str, field: str) -> str:
    """Editor input under the display-text rule (core/text.py): 422 `invalid_text` if refused."""
    try:
        return core_text.clean_text(text, field=field, source="user")
    except core_text.TextRefused as exc:
        raise InvalidText(str(exc)) from None


def retime_words(words: list[dict[str, Any]], text: str, start: float, end: float,
                 speaker_id: int | None) -> list[dict[str, Any]]:
    """Words for edited text: same count keeps each word's timing; otherwise the segment's
    span is shared out by word length, so playback highlighting still follows along."""
    tokens = text.split()
    if len(tokens) == len(words):
        return [{**w, "word": tok, "score": w.get("score") if w["word"] == tok else None}
                for w, tok in zip(words, tokens, strict=True)]
    total = sum(len(t) for t in tokens) or 1
    out, at = [], start
    for token in tokens:
        span = (end - start) * len(token) / total
        out.append({"word": token, "start": round(at, 3), "end": round(at + span, 3),
                    "score": None, "speaker_id": speaker_id})
        at += span
    return out


async def _segment(session: AsyncSession, transcription: Transcription, segment_id: int
                   ) -> TranscriptSegment:
    if not fits_bigint(segment_id):  # any integer is a well-formed id; these cannot exist
        raise NotFound("segment not found")
    segment = await session.scalar(select(TranscriptSegment).where(
        TranscriptSegment.id == segment_id,
        TranscriptSegment.transcription_id == transcription.id).with_for_update())
    if segment is None:
        raise NotFound("segment not found")
    return segment


async def _speaker(session: AsyncSession, transcription: Transcription, speaker_id: int
                   ) -> TranscriptSpeaker:
    if not fits_bigint(speaker_id):
        raise NotFound("speaker not found")
    speaker = await session.scalar(select(TranscriptSpeaker).where(
        TranscriptSpeaker.id == speaker_id,
        TranscriptSpeaker.transcription_id == transcription.id))
    if speaker is None:
        raise NotFound("speaker not found")
    return speaker


async def edit_segment(session: AsyncSession, transcription: Transcription, segment_id: int,
                       *, text: str | None, speaker_id: int | None) -> TranscriptSegment:
    """Correct a segment's text (timing kept) and/or reassign its speaker."""
    segment = await _segment(session, transcription, segment_id)
    if speaker_id is not None:
        await _speaker(session, transcription, speaker_id)
        segment.speaker_id = speaker_id
        segment.words = [{**w, "speaker_id": speaker_id} for w in segment.words]
    if text is not None:
        cleaned = clean_text(text, "text")
        if not cleaned:
            raise Unprocessable("text: must contain something besides spaces")
        if cleaned != segment.text:
            segment.words = retime_words(segment.words, cleaned, segment.start, segment.end,
                                         segment.speaker_id)
            segment.text = cleaned
    segment.edited = True
    await session.flush()
    await session.refresh(segment)
    return segment


async def rename_speaker(session: AsyncSession, transcription: Transcription, speaker_id: int,
                         name: str) -> TranscriptSpeaker:
    """Give a speaker a display name."""
    speaker = await _speaker(session, transcription, speaker_id)
    cleaned = clean_text(name, "name")
    if not cleaned:
        raise Unprocessable("name: must contain something besides spaces")
    speaker.name = cleaned
    return speaker


async def merge_speakers(session: AsyncSession, transcription: Transcription, source_id: int,
                         target_id: int) -> None:
    """Everything said by `source` becomes `target`'s; `source` is removed."""
    if source_id == target_id:
        raise Conflict("a speaker cannot be merged into itself")
    source = await _speaker(session, transcription, source_id)
    await _speaker(session, transcription, target_id)
    segments = await session.scalars(select(TranscriptSegment).where(
        TranscriptSegment.transcription_id == transcription.id).with_for_update())
    for segment in segments:
        if segment.speaker_id == source_id:
            segment.speaker_id = target_id
        if any(w.get("speaker_id") == source_id for w in segment.words):
            segment.words = [{**w, "speaker_id": target_id}
                             if w.get("speaker_id") == source_id else w for w in segment.words]
    await session.flush()
    await session.delete(source)


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
        select(TranscriptSegment, Transcription.filename, TranscriptSpeaker.name, headline)
        .join(Transcription, Transcription.id == TranscriptSegment.transcription_id)
        .outerjoin(TranscriptSpeaker, TranscriptSpeaker.id == TranscriptSegment.speaker_id)
        .where(Transcription.owner_id == user.id, TranscriptSegment.search.op("@@")(query))
        .order_by(func.ts_rank(TranscriptSegment.search, query).desc(),
                  Transcription.created_at.desc(), TranscriptSegment.position)
        .limit(limit)
    )
    return [SearchHit(transcription_id=seg.transcription_id, filename=filename,
                      segment_id=seg.id, start=seg.start, end=seg.end, speaker=speaker,
                      speaker_id=seg.speaker_id, snippet=_snippet(text))
            for seg, filename, speaker, text in rows]
