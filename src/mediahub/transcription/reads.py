"""A transcript's segments and speakers written in the response's shape (ADRs 0018, 0028).

A transcript of 1,000 segments holds ~12,000 words in JSONB. Decoding them into Python, re-shaping
each word (`speaker_id` → `speaker`, floats) and encoding them again cost ~40 ms of API CPU per
read. Here PostgreSQL writes each segment's `words` array as JSON text in `WordOut`'s shape
(`_WORDS_SQL`, ~10 ms more of its CPU), spliced into the body as it comes: no per-word object.

The bytes are the model's (`TranscriptionOut.model_dump_json()`):
- a number is PostgreSQL's float8 text of the stored value: with `extra_float_digits` > 0 (the
  default) the shortest text that reads back as the same float, found by Ryu, which pydantic's
  writer uses too. For 1e-4 <= |x| < 1e15 both write plain digits; an integral float lacks
  pydantic's ".0", which one regular expression over the array adds (`_INTEGRAL`: `,"` opens a
  key only outside strings, where a quote is always escaped);
- a segment whose words hold an exponent (`_UNUSUAL`, or a word that merely looks like one) is
  written in Python instead (`_word`, as before): same bytes, slower;
- strings are PostgreSQL's JSON escaping, which is pydantic's (serde's) for every character;
  speaker ids are written as stored (only integers are).
`tests/transcription/test_transcript_bytes.py` pins all of this against the models themselves.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from pydantic_core import to_json
from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession

from mediahub.core.jobs.models import JobRun
from mediahub.core.pagination import keyset_rows, keyset_statement
from mediahub.core.raw import RawStatement
from mediahub.transcription.models import Transcription, TranscriptSegment, TranscriptSpeaker
from mediahub.transcription.service import summary_fields

# Each word's JSON in WordOut's field order (a missing "word" is null, as a missing timing is);
# the words in their stored order. Constant SQL: nothing of a request is in it but the id.
_WORDS_SQL = """
SELECT s.id, s.start, s."end", s.text, s.speaker_id, s.edited,
       (SELECT '[' || coalesce(string_agg(
            '{"word":' || coalesce((e.w->'word')::text, 'null')
            || ',"start":' || coalesce((e.w->>'start')::float8::text, 'null')
            || ',"end":' || coalesce((e.w->>'end')::float8::text, 'null')
            || ',"score":' || coalesce((e.w->>'score')::float8::text, 'null')
            || ',"speaker":' || coalesce((e.w->'speaker_id')::text, 'null') || '}',
            ',' ORDER BY e.i), '') || ']'
        FROM jsonb_array_elements(s.words) WITH ORDINALITY AS e(w, i)) AS words,
       current_setting('extra_float_digits')::int > 0 AS shortest
FROM transcript_segments s
WHERE s.transcription_id = :transcription_id
ORDER BY s.position
"""
# An integral float as PostgreSQL writes it ("3"), to be written as pydantic does ("3.0").
_INTEGRAL = re.compile(rb'(,"(?:start|end|score)":-?[0-9]+)(?=[,}])')
# Where PostgreSQL's float text could differ from pydantic's (or a word that looks like it):
# an exponent ("1e-05", "1e+15"); NaN and Infinity only from a string that a cast read.
_UNUSUAL = (b"e-", b"e+", b"NaN", b"Infinity")

_SEGMENTS = RawStatement(text(_WORDS_SQL).bindparams(
    bindparam("transcription_id", type_=UUID(as_uuid=True))))
_SPEAKERS = select(TranscriptSpeaker.id, TranscriptSpeaker.label, TranscriptSpeaker.name,
                   TranscriptSpeaker.color, TranscriptSpeaker.voice_id,
                   TranscriptSpeaker.voice_confidence)


# The list's columns: exactly what `summary_fields` reads (not metrics, media keys, payloads).
_ITEM = (Transcription.id, Transcription.filename, Transcription.title, Transcription.language,
         Transcription.duration, Transcription.media_duration, Transcription.model,
         Transcription.options, Transcription.created_at, Transcription.completed_at,
         Transcription.warnings, Transcription.asr_run_id)
_RUN = (JobRun.id, JobRun.status, JobRun.stage, JobRun.percent, JobRun.started_at,
        JobRun.error, JobRun.result)
_LIST = {after: RawStatement(keyset_statement(
    select(*_ITEM, *_RUN).outerjoin(JobRun, JobRun.id == Transcription.job_run_id)
    .where(Transcription.owner_id == bindparam("owner", type_=UUID(as_uuid=True))),
    Transcription.created_at, Transcription.id, after=after)) for after in (False, True)}


class _Row:
    """A row's columns as the attributes `summary_fields` reads (entity or row alike)."""

    def __init__(self, names: tuple[Any, ...], values: tuple[Any, ...]) -> None:
        for column, value in zip(names, values, strict=True):
            setattr(self, column.key, value)


async def page_json(session: AsyncSession, owner_id: uuid.UUID, *, cursor: str | None,
                    limit: int) -> bytes:
    """The caller's transcriptions, newest first, as `TranscriptionPage` writes them."""
    rows, next_cursor = await keyset_rows(session, _LIST[bool(cursor)], cursor, limit,
                                          values={"owner": owner_id})
    items = []
    for row in rows:
        transcription = _Row(_ITEM, row[:len(_ITEM)])
        transcription.id = str(transcription.id)  # asyncpg's UUID is slow to write
        run = _Row(_RUN, row[len(_ITEM):]) if row[len(_ITEM)] is not None else None
        items.append(summary_fields(transcription, run))
    return to_json({"items": items, "next_cursor": next_cursor})


async def segments_json(session: AsyncSession, transcription_id: uuid.UUID) -> bytes:
    """The `segments` array of `TranscriptionOut`, as the model writes it."""
    rows = await _SEGMENTS.fetch(session, {"transcription_id": transcription_id})
    words = [row[6].encode() for row in rows]
    unusual = _written_in_python(words, shortest=not rows or rows[0][7])
    if unusual:
        written = await _words_in_python(session, [rows[n][0] for n in unusual])
        for n in unusual:
            words[n] = written[rows[n][0]]
    body = b"[" + b",".join([_head(row) + b',"words":' + text_ + b"}"
                             for row, text_ in zip(rows, words, strict=True)]) + b"]"
    # Only the words' numbers lack a ".0": the heads' floats are written by pydantic.
    return _INTEGRAL.sub(_point_zero, body)


async def speakers(session: AsyncSession, transcription_id: uuid.UUID) -> list[dict[str, Any]]:
    """Speakers by id, as `SpeakerOut` dicts."""
    connection = await session.connection()  # columns only: no ORM row loading
    rows = await connection.execute(
        _SPEAKERS.where(TranscriptSpeaker.transcription_id == transcription_id)
        .order_by(TranscriptSpeaker.id))
    return [{"id": s.id, "label": s.label, "name": s.name, "color": s.color,
             "voice_id": s.voice_id, "confidence": s.voice_confidence} for s in rows]


def _point_zero(match: re.Match[bytes]) -> bytes:
    return match[1] + b".0"  # a function is faster here than a template (re's expansion)


def _written_in_python(words: list[bytes], *, shortest: bool) -> list[int]:
    """The segments whose words PostgreSQL may not have written as pydantic would: all of
    them if its float text is not the shortest (one setting, the same on every row), else
    those with an unusual mark (one scan of it all, memchr-fast, then per segment)."""
    if not shortest:
        return list(range(len(words)))
    if not _unusual(b"".join(words)):
        return []
    return [n for n, text_ in enumerate(words) if _unusual(text_)]


def _unusual(words: bytes) -> bool:
    return any(mark in words for mark in _UNUSUAL)


def _head(row: Any) -> bytes:
    # The segment's fields before `words`, without the closing brace.
    return to_json({"id": row[0], "start": row[1], "end": row[2], "text": row[3],
                    "speaker": row[4], "edited": row[5]})[:-1]


async def _words_in_python(session: AsyncSession, ids: list[int]) -> dict[int, bytes]:
    """The words of these segments written from their decoded JSONB (the general path)."""
    connection = await session.connection()
    rows = await connection.execute(select(TranscriptSegment.id, TranscriptSegment.words)
                                    .where(TranscriptSegment.id.in_(ids)))
    return {row.id: to_json([_word(word) for word in row.words]) for row in rows}


def _word(word: dict[str, Any]) -> dict[str, Any]:
    # float(): the model turns a stored 1 into 1.0, and the bytes must be the model's. A
    # missing "word" is null, as the SQL writes it.
    return {"word": word.get("word"), "start": _float(word.get("start")),
            "end": _float(word.get("end")), "score": _float(word.get("score")),
            "speaker": word.get("speaker_id")}


def _float(value: float | None) -> float | None:
    return None if value is None else float(value)
