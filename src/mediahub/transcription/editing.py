"""Corrections to a transcript: its title, segment text (words re-timed), a segment moved to
another (or a new) speaker, speakers renamed and merged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core import text as core_text
from mediahub.core.db import fits_bigint
from mediahub.core.errors import Conflict, InvalidText, NotFound, Unprocessable
from mediahub.transcription.models import Transcription, TranscriptSegment, TranscriptSpeaker

TITLE_MAX_CHARS = 200  # transcriptions.title



def clean_text(text: str, field: str) -> str:
    """Editor input under the display-text rule (core/text.py): 422 `invalid_text` if refused."""
    try:
        return core_text.clean_text(text, field=field, source="user")
    except core_text.TextRefused as exc:
        raise InvalidText(str(exc), code="invalid_text", params={"field": exc.field}) from None


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
        raise NotFound("segment not found", code="segment.not_found")
    segment = await session.scalar(select(TranscriptSegment).where(
        TranscriptSegment.id == segment_id,
        TranscriptSegment.transcription_id == transcription.id).with_for_update())
    if segment is None:
        raise NotFound("segment not found", code="segment.not_found")
    return segment


async def speaker_of(session: AsyncSession, transcription: Transcription, speaker_id: int
                     ) -> TranscriptSpeaker:
    """A speaker of this transcript; 404 otherwise."""
    if not fits_bigint(speaker_id):
        raise NotFound("speaker not found", code="speaker.not_found")
    speaker = await session.scalar(select(TranscriptSpeaker).where(
        TranscriptSpeaker.id == speaker_id,
        TranscriptSpeaker.transcription_id == transcription.id))
    if speaker is None:
        raise NotFound("speaker not found", code="speaker.not_found")
    return speaker


def rename_transcription(transcription: Transcription, title: str | None) -> None:
    """Give a transcription a title; None (or the file name itself) goes back to the file name."""
    if title is None:
        transcription.title = None
        return
    cleaned = clean_text(title, "title")
    if not cleaned:
        raise Unprocessable("title: must contain something besides spaces", code="title.blank")
    if len(cleaned) > TITLE_MAX_CHARS:
        raise Unprocessable(f"title: at most {TITLE_MAX_CHARS} characters", code="title.too_long",
                            params={"max": TITLE_MAX_CHARS})
    transcription.title = None if cleaned == transcription.filename else cleaned


async def new_speaker(session: AsyncSession, transcription: Transcription, name: str
                      ) -> TranscriptSpeaker:
    """Add a speaker the diarizer did not find (a label of its own, the next colour)."""
    cleaned = clean_text(name, "new_speaker")
    if not cleaned:
        raise Unprocessable("new_speaker: must contain something besides spaces",
                            code="speaker.blank")
    count, top = (await session.execute(
        select(func.count(), func.max(TranscriptSpeaker.color))
        .where(TranscriptSpeaker.transcription_id == transcription.id))).one()
    labels = set(await session.scalars(select(TranscriptSpeaker.label).where(
        TranscriptSpeaker.transcription_id == transcription.id)))
    number = count + 1
    while f"EDITOR_{number:02d}" in labels:  # diarizer labels are SPEAKER_nn; ours never clash
        number += 1
    speaker = TranscriptSpeaker(transcription_id=transcription.id, label=f"EDITOR_{number:02d}",
                                name=cleaned, color=(top + 1) if top is not None else 0)
    session.add(speaker)
    await session.flush()
    return speaker


async def edit_segment(session: AsyncSession, transcription: Transcription, segment_id: int,
                       *, text: str | None, speaker_id: int | None,
                       new_speaker_name: str | None = None) -> TranscriptSegment:
    """Correct a segment's text (timing kept) and/or move it to another or a new speaker."""
    if speaker_id is not None and new_speaker_name is not None:
        raise Unprocessable("send either speaker or new_speaker, not both",
                            code="segment.speaker_ambiguous")
    segment = await _segment(session, transcription, segment_id)
    if new_speaker_name is not None:
        speaker_id = (await new_speaker(session, transcription, new_speaker_name)).id
    if speaker_id is not None:
        await speaker_of(session, transcription, speaker_id)
        segment.speaker_id = speaker_id
        segment.words = [{**w, "speaker_id": speaker_id} for w in segment.words]
    if text is not None:
        cleaned = clean_text(text, "text")
        if not cleaned:
            raise Unprocessable("text: must contain something besides spaces",
                                code="segment.blank")
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
    speaker = await speaker_of(session, transcription, speaker_id)
    cleaned = clean_text(name, "name")
    if not cleaned:
        raise Unprocessable("name: must contain something besides spaces", code="speaker.blank")
    speaker.name = cleaned
    return speaker


async def merge_speakers(session: AsyncSession, transcription: Transcription, source_id: int,
                         target_id: int) -> None:
    """Everything said by `source` becomes `target`'s; `source` is removed."""
    if source_id == target_id:
        raise Conflict("a speaker cannot be merged into itself", code="speaker.merge_self")
    source = await speaker_of(session, transcription, source_id)
    await speaker_of(session, transcription, target_id)
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
