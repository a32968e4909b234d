"""/api/transcriptions on real PostgreSQL, Redis and object store (no worker: jobs stay queued,
results are written through the same service the worker uses)."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import httpx
import pytest
import srt
from sqlalchemy import func, select

from mediahub.core.jobs.models import JobRun
from mediahub.transcription import service
from mediahub.transcription.models import Transcription, TranscriptSegment
from mediahub.transcription.transcript import Segment, Transcript, Word
from tests.support import media
from tests.support.accounts import user


async def _submit(client: httpx.AsyncClient, auth: dict, body: bytes, name: str = "talk.mp3",
                  **fields: str) -> httpx.Response:
    return await client.post("/api/transcriptions", headers=auth, data=fields,
                             files={"file": (name, body, "application/octet-stream")})


def _stored_files(storage_dir: Path) -> list[Path]:
    return [p for p in storage_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize("kind", sorted(media.FORMATS))
async def test_every_audio_and_video_format_is_accepted(client, kind: str) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    _, _, video, suffix, mime = media.FORMATS[kind]
    response = await _submit(client, auth, media.encode(media.tone(2.0), kind), f"rec.{suffix}")
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    got = (await client.get(f"/api/transcriptions/{response.json()['id']}", headers=auth)).json()
    assert got["mime"] == mime and got["has_video"] == bool(video)
    assert got["media_duration"] == pytest.approx(2.0, abs=0.05)
    assert got["status"] == "queued" and got["segments"] == []
    assert got["filename"] == f"rec.{suffix}"


async def test_submission_records_options_and_a_queued_job(client, settings) -> None:  # noqa: ANN001
    from mediahub.core.db import create_engine, create_session_factory

    auth = await user(client, "listener")
    response = await _submit(client, auth, media.encode(media.tone(1.0), "wav"), "a.wav",
                             language="EN", diarize="false", min_speakers="2",
                             max_speakers="3", word_timestamps="true", model="tiny.en")
    assert response.status_code == 202, response.text
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        row = await session.get(Transcription, uuid.UUID(response.json()["id"]))
        run = await session.get(JobRun, row.job_run_id)
    await engine.dispose()
    assert row.options == {"language": "en", "diarize": False, "min_speakers": 2,
                           "max_speakers": 3, "model": "tiny.en", "word_timestamps": True,
                           "task": "transcribe"}
    assert run.name == "transcription.transcribe" and run.status == "queued"
    # The job carries the length limit the upload was accepted under (the worker enforces it).
    assert run.kwargs == {"transcription_id": str(row.id),
                          "max_seconds": settings.max_media_seconds}


@pytest.mark.parametrize(("fields", "message"), [
    ({"language": "klingon"}, "unknown language"),
    ({"min_speakers": "3", "max_speakers": "2"}, "min_speakers must not exceed"),
    ({"max_speakers": "0"}, "max_speakers"),
    ({"diarize": "perhaps"}, "diarize"),
    ({"model": "large-v3"}, "not offered here"),
    ({"language": "ru", "model": "tiny.en"}, "only transcribes English"),
    ({"task": "translate", "model": "tiny.en"}, "cannot translate"),
    ({"task": "summarise"}, "task"),
])
async def test_bad_options_are_422_and_leave_nothing(client, storage_dir: Path, fields: dict,
                                                     message: str) -> None:
    auth = await user(client, "listener")
    response = await _submit(client, auth, media.encode(media.tone(1.0), "wav"), "a.wav",
                             **fields)
    assert response.status_code == 422, response.text
    assert message in response.json()["detail"]
    assert _stored_files(storage_dir) == []
    listed = (await client.get("/api/transcriptions", headers=auth)).json()
    assert listed["items"] == []


async def test_not_media_is_415_and_undecodable_media_is_422(client, storage_dir: Path) -> None:
    auth = await user(client, "listener")
    image = await _submit(client, auth, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "x.png")
    assert image.status_code == 415
    broken = await _submit(client, auth, media.garbage_after_header("mp3", media.tone(3)))
    assert broken.status_code == 422
    assert "not a readable audio or video file" in broken.json()["detail"]
    silent_video = media.encode(media.tone(1.0), "mp4")
    assert (await _submit(client, auth, silent_video[:600], "cut.mp4")).status_code == 422
    assert _stored_files(storage_dir) == []


async def test_duration_and_size_limits(client, settings_env, monkeypatch, app,  # noqa: ANN001
                                        storage_dir: Path) -> None:
    auth = await user(client, "listener")
    app.state.settings = app.state.settings.model_copy(update={"max_media_seconds": 2.0})
    too_long = await _submit(client, auth, media.encode(media.tone(3.0), "flac"), "l.flac")
    assert too_long.status_code == 413
    assert "the limit here is" in too_long.json()["detail"]
    app.state.settings = app.state.settings.model_copy(update={"max_upload_bytes": 4096})
    too_big = await _submit(client, auth, media.encode(media.tone(3.0), "wav"), "big.wav")
    assert too_big.status_code == 413
    assert _stored_files(storage_dir) == []


async def test_other_users_get_404_everywhere(client) -> None:  # noqa: ANN001
    owner, stranger = await user(client, "owner"), await user(client, "stranger")
    tid = (await _submit(client, owner, media.encode(media.tone(1.0), "ogg"), "o.ogg")).json()["id"]
    base = f"/api/transcriptions/{tid}"
    calls = [
        ("GET", base, None), ("GET", f"{base}/media", None), ("DELETE", base, None),
        ("POST", f"{base}/cancel", None), ("POST", f"{base}/retry", None),
        ("GET", f"{base}/export?format=txt", None),
        ("PATCH", f"{base}/segments/1", {"text": "x"}),
        ("PATCH", f"{base}/speakers/1", {"name": "x"}),
        ("POST", f"{base}/speakers/merge", {"from": 1, "into": 2}),
    ]
    for method, url, body in calls:
        response = await client.request(method, url, headers=stranger, json=body)
        assert response.status_code == 404, (method, url, response.status_code)
    assert (await client.get(base, headers=owner)).status_code == 200
    assert (await client.get("/api/transcriptions", headers=stranger)).json()["items"] == []


async def test_cancel_retry_and_delete(client, storage_dir: Path) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    tid = (await _submit(client, auth, media.encode(media.tone(1.0), "m4a"), "c.m4a")).json()["id"]
    base = f"/api/transcriptions/{tid}"
    assert (await client.post(f"{base}/retry", headers=auth)).status_code == 409
    cancelled = await client.post(f"{base}/cancel", headers=auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (await client.get(base, headers=auth)).json()["status"] == "cancelled"
    assert (await client.post(f"{base}/cancel", headers=auth)).status_code == 409
    assert (await client.get(f"{base}/export", headers=auth)).status_code == 409
    retried = await client.post(f"{base}/retry", headers=auth)
    assert retried.status_code == 202 and retried.json()["status"] == "queued"
    assert (await client.get(base, headers=auth)).json()["status"] == "queued"
    assert len(_stored_files(storage_dir)) == 1
    assert (await client.delete(base, headers=auth)).status_code == 204
    assert (await client.get(base, headers=auth)).status_code == 404
    assert _stored_files(storage_dir) == []


async def test_list_pages_newest_first(client) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    ids = [(await _submit(client, auth, media.encode(media.tone(0.5, 300 + i), "wav"),
                          f"{i}.wav")).json()["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/api/transcriptions", headers=auth, params=params)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids[::-1]


async def test_media_is_streamed_back_with_range(client) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    body = media.encode(media.tone(1.0), "mp3")
    tid = (await _submit(client, auth, body)).json()["id"]
    redirect = await client.get(f"/api/transcriptions/{tid}/media", headers=auth)
    assert redirect.status_code == 307
    ranged = await client.get(redirect.headers["location"], headers={"Range": "bytes=10-19"})
    assert ranged.status_code == 206 and ranged.content == body[10:20]
    got = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
    assert (await client.get(got["media_url"])).content == body


# ---------------------------------------------------------------- results, editing, exports


def _transcript() -> Transcript:
    alice = [Word("Hello", 0.5, 0.9, 0.9, "A"), Word("there,", 0.9, 1.3, 0.8, "A"),
             Word("general", 1.3, 1.8, 0.7, "A"), Word("Kenobi.", 1.8, 2.4, 0.9, "A")]
    bob = [Word("<b>Bold</b>", 3.0, 3.5, 0.9, "B"), Word("move", 3.5, 4.0, 0.9, "B"),
           Word("Привет.", 4.0, 4.6, 0.9, "B")]
    return Transcript(
        language="en", duration=5.0,
        segments=[Segment(0.5, 2.4, "Hello there, general Kenobi.", "A", alice),
                  Segment(3.0, 4.6, "<b>Bold</b> move Привет.", "B", bob)],
        speakers=["A", "B"], metrics={"model": "tiny.en", "realtime_factor": 0.1},
    )


async def _done(client, settings, auth) -> tuple[str, dict]:  # noqa: ANN001
    """A transcription whose job finished with `_transcript()` as its result."""
    from mediahub.core.db import create_engine, create_session_factory

    tid = (await _submit(client, auth, media.encode(media.tone(5.0), "wav"), "k.wav")).json()["id"]
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        row = await session.get(Transcription, uuid.UUID(tid))
        await service.save_transcript(session, row, _transcript())
        run = await session.get(JobRun, row.job_run_id)
        run.status, run.percent = "done", 100.0
        await session.commit()
    await engine.dispose()
    return tid, (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()


async def test_done_transcript_shape(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    _, got = await _done(client, settings, auth)
    assert got["status"] == "done" and got["language"] == "en" and got["duration"] == 5.0
    assert [s["name"] for s in got["speakers"]] == ["Speaker 1", "Speaker 2"]
    first, second = got["segments"]
    assert first["text"] == "Hello there, general Kenobi."
    assert first["speaker"] == got["speakers"][0]["id"]
    assert first["words"][0] == {"word": "Hello", "start": 0.5, "end": 0.9, "score": 0.9,
                                 "speaker": got["speakers"][0]["id"]}
    assert second["speaker"] == got["speakers"][1]["id"]
    assert got["progress"] == {"stage": "done", "percent": 100.0, "eta_seconds": 0.0}
    assert got["error"] is None


async def test_edit_segment_keeps_timing(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    tid, got = await _done(client, settings, auth)
    segment = got["segments"][0]
    url = f"/api/transcriptions/{tid}/segments/{segment['id']}"
    same_count = await client.patch(url, headers=auth,
                                    json={"text": "Hello there, General Kenobi!"})
    assert same_count.status_code == 200, same_count.text
    body = same_count.json()
    assert body["edited"] and (body["start"], body["end"]) == (0.5, 2.4)
    assert [w["start"] for w in body["words"]] == [0.5, 0.9, 1.3, 1.8]
    assert body["words"][2]["word"] == "General" and body["words"][2]["score"] is None
    fewer = (await client.patch(url, headers=auth, json={"text": "Hi\n  there"})).json()
    assert fewer["text"] == "Hi there"
    assert [w["word"] for w in fewer["words"]] == ["Hi", "there"]
    assert fewer["words"][0]["start"] == 0.5 and fewer["words"][-1]["end"] == pytest.approx(2.4)
    blank = await client.patch(url, headers=auth, json={"text": " \t "})
    assert blank.status_code == 422
    bell = await client.patch(url, headers=auth, json={"text": "Hi\u0007 there"})
    assert bell.status_code == 422 and bell.json()["code"] == "invalid_text"
    missing = await client.patch(f"/api/transcriptions/{tid}/segments/999999", headers=auth,
                                 json={"text": "x"})
    assert missing.status_code == 404


async def test_rename_and_merge_speakers(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    tid, got = await _done(client, settings, auth)
    first, second = (s["id"] for s in got["speakers"])
    base = f"/api/transcriptions/{tid}"
    renamed = await client.patch(f"{base}/speakers/{first}", headers=auth, json={"name": "Obi"})
    assert renamed.json()["name"] == "Obi"
    assert (await client.post(f"{base}/speakers/merge", headers=auth,
                              json={"from": first, "into": first})).status_code == 409
    merged = await client.post(f"{base}/speakers/merge", headers=auth,
                               json={"from": second, "into": first})
    assert merged.status_code == 204
    after = (await client.get(base, headers=auth)).json()
    assert [s["id"] for s in after["speakers"]] == [first]
    assert {s["speaker"] for s in after["segments"]} == {first}
    assert {w["speaker"] for s in after["segments"] for w in s["words"]} == {first}
    moved = await client.patch(f"{base}/segments/{after['segments'][1]['id']}", headers=auth,
                               json={"speaker": second})
    assert moved.status_code == 404  # that speaker is gone


async def test_exports_carry_speaker_names(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    tid, got = await _done(client, settings, auth)
    await client.patch(f"/api/transcriptions/{tid}/speakers/{got['speakers'][0]['id']}",
                       headers=auth, json={"name": "Obi-Wan"})
    base = f"/api/transcriptions/{tid}/export"
    subtitles = await client.get(base, headers=auth, params={"format": "srt"})
    assert subtitles.status_code == 200
    assert subtitles.headers["content-disposition"].startswith('attachment; filename="k.srt"')
    cues = list(srt.parse(subtitles.text))
    assert cues[0].content.startswith("Obi-Wan: Hello") and cues[0].start.total_seconds() == 0.5
    vtt = await client.get(base, headers=auth, params={"format": "vtt"})
    assert vtt.text.startswith("WEBVTT") and "&lt;b&gt;Bold" in vtt.text
    data = json.loads((await client.get(base, headers=auth, params={"format": "json"})).text)
    assert data["segments"][1]["text"] == "<b>Bold</b> move Привет."
    docx = await client.get(base, headers=auth, params={"format": "docx"})
    assert docx.content[:2] == b"PK"
    assert (await client.get(base, headers=auth, params={"format": "pdf"})).status_code == 422


async def test_subtitle_export_options(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "listener")
    tid, _ = await _done(client, settings, auth)
    base = f"/api/transcriptions/{tid}/export"
    narrow = await client.get(base, headers=auth,
                              params={"format": "srt", "max_line_chars": 20, "max_lines": 1})
    assert narrow.status_code == 200, narrow.text
    cues = list(srt.parse(narrow.text))
    assert all(len(c.content.split("\n")) == 1 and len(c.content) <= 20 for c in cues), cues
    assert " ".join(c.content.split(": ", 1)[-1] for c in cues).count("Kenobi.") == 1
    for params in ({"max_line_chars": 19}, {"max_line_chars": 81}, {"max_lines": 0},
                   {"max_lines": 4}, {"max_lines": "two"}):
        bad = await client.get(base, headers=auth, params={"format": "vtt", **params})
        # FastAPI's own validation answer, as for any query parameter (e.g. format=pdf).
        assert bad.status_code == 422 and next(iter(params)) in bad.text, (params, bad.text)


async def test_exports_repair_zero_length_words(client, settings) -> None:  # noqa: ANN001
    """Transcripts stored before words were repaired still export every word with end > start."""
    from mediahub.core.db import create_engine, create_session_factory

    auth = await user(client, "listener")
    tid, _ = await _done(client, settings, auth)
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        segment = (await session.scalars(select(TranscriptSegment).where(
            TranscriptSegment.transcription_id == uuid.UUID(tid)))).first()
        segment.words = [{**w, "start": 1.0, "end": 1.0} for w in segment.words]
        await session.commit()
    await engine.dispose()
    data = json.loads((await client.get(f"/api/transcriptions/{tid}/export", headers=auth,
                                        params={"format": "json"})).text)
    words = [w for s in data["segments"] for w in s["words"]]
    assert all(w["end"] > w["start"] for w in words), words
    starts = [w["start"] for w in words]
    assert starts == sorted(starts)


async def test_search_across_transcripts_highlights_safely(client, settings) -> None:  # noqa: ANN001
    auth, other = await user(client, "listener"), await user(client, "other")
    tid, _ = await _done(client, settings, auth)
    await _done(client, settings, other)
    hits = (await client.get("/api/transcriptions/search", headers=auth,
                             params={"q": "bold"})).json()["items"]
    assert len(hits) == 1  # the other user's identical transcript is not searched
    hit = hits[0]
    assert hit["transcription_id"] == tid and (hit["start"], hit["end"]) == (3.0, 4.6)
    assert hit["speaker"] == "Speaker 2" and isinstance(hit["speaker_id"], int)
    assert "<mark>Bold</mark>" in hit["snippet"]
    assert set(re.findall(r"<[^>]*>", hit["snippet"])) <= {"<mark>", "</mark>"}
    russian = (await client.get("/api/transcriptions/search", headers=auth,
                                params={"q": "привет"})).json()["items"]
    assert [h["segment_id"] for h in russian] == [hit["segment_id"]]
    nothing = (await client.get("/api/transcriptions/search", headers=auth,
                                params={"q": "kenobi -general"})).json()
    assert nothing["items"] == []


async def test_rollback_leaves_no_rows(client, storage_dir: Path, settings) -> None:  # noqa: ANN001
    """A failed submission leaves neither a file nor a transcription or job row."""
    from mediahub.core.db import create_engine, create_session_factory

    auth = await user(client, "listener")
    await _submit(client, auth, media.garbage_after_header("ogg", media.tone(2)), "g.ogg")
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        rows = await session.scalar(select(func.count()).select_from(Transcription))
        jobs = await session.scalar(select(func.count()).select_from(JobRun))
    await engine.dispose()
    assert (rows, jobs) == (0, 0)
    assert _stored_files(storage_dir) == []
