"""Corrections to a transcript: segment text (words re-timed), speakers renamed and merged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core import text as core_text
from mediahub.core.db import fits_bigint
from mediahub.core.errors import Conflict, InvalidText, NotFound, Unprocessable
from mediahub.transcription.models import Transcription, TranscriptSegment, TranscriptSpeaker


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


async def speaker_of(session: AsyncSession, transcription: Transcription, speaker_id: int
                     ) -> TranscriptSpeaker:
    """A speaker of this transcript; 404 otherwise."""
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
        await speaker_of(session, transcription, speaker_id)
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
    speaker = await speaker_of(session, transcription, speaker_id)
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
