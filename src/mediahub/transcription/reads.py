"""A transcript's segments and speakers as plain data in the response's shape (ADR 0018).

A transcript of 1,000 segments was ~13,000 `WordOut`/`SegmentOut` models built from ORM
entities (with each segment's search vector) and validated again on the way out; here the
shown columns are read as rows and written once (`core.responses.json_response`).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.transcription.models import TranscriptSegment, TranscriptSpeaker

_SEGMENTS = select(TranscriptSegment.id, TranscriptSegment.start, TranscriptSegment.end,
                   TranscriptSegment.text, TranscriptSegment.speaker_id,
                   TranscriptSegment.edited, TranscriptSegment.words)
_SPEAKERS = select(TranscriptSpeaker.id, TranscriptSpeaker.label, TranscriptSpeaker.name,
                   TranscriptSpeaker.color, TranscriptSpeaker.voice_id,
                   TranscriptSpeaker.voice_confidence)


async def transcript_parts(session: AsyncSession, transcription_id: uuid.UUID
                           ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Segments in order and speakers by id, as `SegmentOut` and `SpeakerOut` dicts."""
    connection = await session.connection()  # columns only: no ORM row loading
    segments = await connection.execute(
        _SEGMENTS.where(TranscriptSegment.transcription_id == transcription_id)
        .order_by(TranscriptSegment.position))
    speakers = await connection.execute(
        _SPEAKERS.where(TranscriptSpeaker.transcription_id == transcription_id)
        .order_by(TranscriptSpeaker.id))
    return ([_segment(row) for row in segments],
            [{"id": s.id, "label": s.label, "name": s.name, "color": s.color,
              "voice_id": s.voice_id, "confidence": s.voice_confidence} for s in speakers])


def _segment(row: Any) -> dict[str, Any]:
    return {"id": row.id, "start": row.start, "end": row.end, "text": row.text,
            "speaker": row.speaker_id, "edited": row.edited,
            "words": [_word(word) for word in row.words]}


def _word(word: dict[str, Any]) -> dict[str, Any]:
    # float(): the model turns a stored 1 into 1.0, and the bytes must be the model's.
    return {"word": word["word"], "start": _float(word.get("start")),
            "end": _float(word.get("end")), "score": _float(word.get("score")),
            "speaker": word.get("speaker_id")}


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)
