"""GET /api/transcriptions/{id}: PostgreSQL writes the words (transcription/reads.py, ADR 0028);
the bytes must be those of the response models built from the ORM rows, as before.

The reference is the old path itself: `service.present_segment`/`present_speaker` (WordOut,
SegmentOut, SpeakerOut models from the loaded entities) inside a `TranscriptionOut`, written by
`model_dump_json()`. Words are also stored directly as other writers could leave them: ints,
nulls, missing keys, floats of every magnitude, strings with every escaped character.
"""

from __future__ import annotations

import json
import math
import random
import struct
import uuid

import httpx
from pydantic import TypeAdapter
from sqlalchemy import select, text

from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.jobs.models import JobRun
from mediahub.transcription import reads, service
from mediahub.transcription.models import Transcription, TranscriptSegment, TranscriptSpeaker
from mediahub.transcription.schemas import SegmentOut, TranscriptionOut, TranscriptionPage
from mediahub.transcription.transcript import Segment, Transcript, Word
from tests.support import media
from tests.support.accounts import user
from tests.support.transcripts import finish_transcription


async def _submit(client: httpx.AsyncClient, auth: dict) -> str:
    return (await client.post("/api/transcriptions", headers=auth, files={
        "file": ("k.wav", media.encode(media.tone(1.0), "wav"), "audio/wav")})).json()["id"]


async def _model_bytes(settings, reply: httpx.Response, tid: str) -> bytes:  # noqa: ANN001
    """What the response models write for this transcription (the head as answered)."""
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        segments, speakers = await service.transcript_rows(session, uuid.UUID(tid))
        model = TranscriptionOut(**{
            **reply.json(), "segments": [service.present_segment(s) for s in segments],
            "speakers": [service.present_speaker(s) for s in speakers]})
    await engine.dispose()
    return model.model_dump_json().encode()


async def _store_words(settings, tid: str, words: list[list[dict]]) -> None:  # noqa: ANN001
    """Replace the words of the transcript's segments, in order, with these JSON values."""
    engine = create_engine(settings)
    async with engine.begin() as connection:
        ids = (await connection.execute(select(TranscriptSegment.id).where(
            TranscriptSegment.transcription_id == uuid.UUID(tid))
            .order_by(TranscriptSegment.position))).scalars().all()
        for segment_id, value in zip(ids, words, strict=True):
            await connection.execute(text("UPDATE transcript_segments SET words = "
                                          "CAST(:w AS jsonb) WHERE id = :id"),
                                     {"w": json.dumps(value), "id": segment_id})
    await engine.dispose()


async def _same(client: httpx.AsyncClient, settings, auth: dict, tid: str) -> bytes:  # noqa: ANN001
    reply = await client.get(f"/api/transcriptions/{tid}", headers=auth)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/json"
    assert reply.content == await _model_bytes(settings, reply, tid)
    return reply.content


def _transcript(n_segments: int) -> Transcript:
    segments = [Segment(float(n), n + 0.5, f"сегмент {n}", "A" if n % 2 else None,
                        [Word(f"слово{n}", float(n), n + 0.25, 0.5, "A" if n % 2 else None)])
                for n in range(n_segments)]
    return Transcript(language="ru", duration=float(n_segments), segments=segments,
                      speakers=["A", "B"], metrics={"model": "tiny", "start": 1, "n": 3})


async def test_edits_speakers_and_odd_words_are_the_models_bytes(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "bytes")
    tid = await _submit(client, auth)
    await finish_transcription(settings, tid, _transcript(6))
    await _same(client, settings, auth, tid)
    body = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
    speaker, segment = body["speakers"][0]["id"], body["segments"][2]["id"]
    assert (await client.patch(f"/api/transcriptions/{tid}/speakers/{speaker}", headers=auth,
                               json={"name": "Анна \"А\""})).status_code == 200
    assert (await client.patch(f"/api/transcriptions/{tid}/segments/{segment}", headers=auth,
                               json={"text": "исправлено и «переписано» здесь"})
            ).status_code == 200
    await _same(client, settings, auth, tid)  # a named speaker, an edited (re-timed) segment
    every_char = "".join(chr(c) for c in range(1, 256)) + "\u2028\u2029\ufeff😀𝄞"
    await _store_words(settings, tid, [
        [{"word": every_char, "start": 1, "end": 2, "score": 1, "speaker_id": speaker}],
        [{"word": "без времени"}, {"word": "x", "start": None, "end": None, "score": None,
                                   "speaker_id": None}],
        [],  # a segment without words
        [{"word": "w", "start": v, "end": v, "score": v} for v in (
            0.1 + 0.2, 1e-4, 9.999999999999999e-5, 1e-05, 1e-7, 123456789012345.6,
            999999999999999.9, 1e15, 1e16, 1.5e300, 5e-324, 0.0, 2.5, 1 / 3, 100)],
        [{"word": "1e-5 NaN Infinity", "start": 0.5, "end": 0.75, "score": 0.25}],
        [{"word": "w", "start": 3, "end": "4.5", "score": 0.875, "speaker_id": 7,
          "extra": {"start": 1}}],
    ])
    content = await _same(client, settings, auth, tid)
    assert b'"start":1.0' in content and b'"end":"' not in content


async def test_random_floats_are_the_models_bytes(client, settings) -> None:  # noqa: ANN001
    """Thousands of floats across magnitudes (PostgreSQL's text against pydantic's)."""
    auth = await user(client, "floats")
    tid = await _submit(client, auth)
    await finish_transcription(settings, tid, _transcript(8))
    rng = random.Random(20)

    def any_float() -> float:
        while True:
            value = struct.unpack("<d", rng.getrandbits(64).to_bytes(8, "little"))[0]
            if math.isfinite(value):
                return value

    draws = [any_float, lambda: rng.uniform(0, 10_000), lambda: round(rng.uniform(0, 3600), 3),
             lambda: rng.random(), lambda: 10 ** rng.uniform(-5, 16),
             lambda: float(rng.randrange(0, 10**6))]
    words = [[{"word": f"w{k}", "start": draw(), "end": draw(), "score": draw(),
               "speaker_id": None} for k in range(300)] for draw in draws]
    await _store_words(settings, tid, words + [[], []])
    await _same(client, settings, auth, tid)
    # Most of them go the fast way: PostgreSQL's text is spliced as it is.
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        rows = await reads._SEGMENTS.fetch(session, {"transcription_id": uuid.UUID(tid)})
    await engine.dispose()
    assert sum(not reads._unusual(row[6].encode()) for row in rows) >= 4


async def test_words_when_postgresql_floats_are_not_the_shortest(client, settings) -> None:  # noqa: ANN001
    """With `extra_float_digits` <= 0 PostgreSQL rounds floats to 15 digits: every segment's
    words are then written in Python, and the bytes are still the model's."""
    auth = await user(client, "digits")
    tid = await _submit(client, auth)
    await finish_transcription(settings, tid, _transcript(3))
    await _store_words(settings, tid, [
        [{"word": "w", "start": 0.1 + 0.2, "end": 1 / 3, "score": 2.5, "speaker_id": None}],
        [{"word": "x", "start": 7, "end": 123456789.123456789, "score": 0.875}], []])
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        shortest = await reads.segments_json(session, uuid.UUID(tid))
        await session.execute(text("SET extra_float_digits = 0"))
        rounded = await reads.segments_json(session, uuid.UUID(tid))
        segments, _ = await service.transcript_rows(session, uuid.UUID(tid))
    await engine.dispose()
    reference = TypeAdapter(list[SegmentOut]).dump_json(
        [service.present_segment(s) for s in segments])
    assert b"0.30000000000000004" in reference
    assert rounded == shortest == reference


async def test_empty_failed_and_strangers(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "empty")
    empty = await _submit(client, auth)
    await finish_transcription(settings, empty, Transcript(
        language="en", duration=1.0, segments=[], speakers=[], metrics={}))
    assert b'"segments":[],"speakers":[]}' in await _same(client, settings, auth, empty)
    failed = await _submit(client, auth)
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        run = await session.scalar(select(JobRun).join(
            Transcription, Transcription.job_run_id == JobRun.id)
            .where(Transcription.id == uuid.UUID(failed)))
        run.status, run.error, run.result = "failed", "decoder broke", {"code": "x"}
        await session.commit()
        assert not (await session.scalars(select(TranscriptSpeaker).where(
            TranscriptSpeaker.transcription_id == uuid.UUID(failed)))).all()
    await engine.dispose()
    assert (await client.get(f"/api/transcriptions/{failed}", headers=auth)
            ).json()["status"] == "failed"
    await _same(client, settings, auth, failed)
    queued = await _submit(client, auth)
    await _same(client, settings, auth, queued)
    stranger = await user(client, "stranger")
    for tid in (empty, failed, str(uuid.uuid4())):
        reply = await client.get(f"/api/transcriptions/{tid}", headers=stranger)
        assert reply.status_code == 404 and reply.json()["code"] == "transcription.not_found"


async def _list_model_bytes(settings, owner: str, limit: int, after: int) -> bytes:  # noqa: ANN001
    """`TranscriptionPage` from the entities (the old path), `limit` items after `after`."""
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        rows = (await session.execute(
            select(Transcription, JobRun).outerjoin(JobRun, JobRun.id == Transcription.job_run_id)
            .where(Transcription.owner_id == uuid.UUID(owner))
            .order_by(Transcription.created_at.desc(), Transcription.id.desc()))).all()
        items = [service.summary(t, r) for t, r in rows[after:after + limit]]
    await engine.dispose()
    return TranscriptionPage(items=items, next_cursor=None).model_dump_json().encode()


async def test_transcriptions_list_is_the_models_bytes(client, settings) -> None:  # noqa: ANN001
    """Queued, running, done (titled, with stored warnings), failed with a code, cancelled
    after the ASR stage was kept; page by page."""
    auth = await user(client, "lister2")
    owner = (await client.get("/api/auth/me", headers=auth)).json()["id"]
    tids = [await _submit(client, auth) for _ in range(6)]
    await finish_transcription(settings, tids[1], _transcript(2))
    assert (await client.patch(f"/api/transcriptions/{tids[1]}", headers=auth,
                               json={"title": "Встреча «план»"})).status_code == 200
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        found = {str(t.id): (t, r) for t, r in (await session.execute(
            select(Transcription, JobRun).join(JobRun, JobRun.id == Transcription.job_run_id)
            .where(Transcription.id.in_([uuid.UUID(t) for t in tids])))).all()}
        done, _ = found[tids[1]]
        done.warnings = [{"code": "truncated", "params": {"decoded_seconds": 1.5}},
                         {"code": "no_speech"}]  # stored without params: the model adds {}
        running = found[tids[2]][1]
        running.status, running.stage, running.percent = "running", "asr", 1.25
        failed = found[tids[3]][1]
        failed.status, failed.error = "failed", "the decoder broke"
        failed.result = {"code": "transcription.failed"}
        kept, cancelled = found[tids[4]]
        kept.asr_run_id, cancelled.status, cancelled.error = cancelled.id, "cancelled", "stop"
        kept.options = {"language": "ru", "n": 1, "x": 0.5, "nested": {"a": [1, None]}}
        await session.commit()
    await engine.dispose()
    reply = await client.get("/api/transcriptions", headers=auth)
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
    assert reply.content == await _list_model_bytes(settings, owner, 30, 0)
    body = reply.json()["items"]
    assert [i["status"] for i in body] == ["queued", "done", "failed", "running", "done",
                                           "queued"]
    assert body[1]["warnings"][0]["code"] == "diarization_cancelled"
    cursor, seen = None, 0
    while True:
        page = await client.get("/api/transcriptions", headers=auth,
                                params={"limit": 4, **({"cursor": cursor} if cursor else {})})
        cursor = page.json()["next_cursor"]
        expected = await _list_model_bytes(settings, owner, 4, seen)
        assert page.content.replace(json.dumps(cursor).encode(), b"null") == expected
        seen += 4
        if cursor is None:
            break
    assert seen == 8
    stranger = await user(client, "lister3")
    assert (await client.get("/api/transcriptions", headers=stranger)).json()["items"] == []
    bad = await client.get("/api/transcriptions", headers=auth, params={"cursor": "nope"})
    assert bad.status_code == 400 and bad.json()["code"] == "cursor.invalid"
