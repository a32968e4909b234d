"""Voice profiles through /api on real PostgreSQL: remember, match later transcripts, undo a
wrong match (learned), rename, forget; private to their owner. No worker: results are
written through the service the worker uses, with chosen voice embeddings (the real
embeddings' separation is calibrated in test_voice_calibration.py)."""

from __future__ import annotations

import math
import random
import uuid

import httpx
from sqlalchemy import func, select

from mediahub.core.db import create_engine, create_session_factory
from mediahub.core.jobs.models import JobRun
from mediahub.transcription import service
from mediahub.transcription.models import Transcription, VoiceSample
from mediahub.transcription.transcript import Segment, Transcript, Word
from mediahub.transcription.voices import MATCH_THRESHOLD
from tests.support import media
from tests.support.accounts import user

DIM = 192


def _unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector]


def _voice(seed: int) -> list[float]:
    """A random direction: independent voices are nearly orthogonal in 192 dimensions."""
    rng = random.Random(seed)
    return _unit([rng.gauss(0, 1) for _ in range(DIM)])


def _again(voice: list[float], seed: int, noise: float = 0.2) -> list[float]:
    """The same voice in another recording: the direction, a little off (cosine ~0.98)."""
    rng = random.Random(seed)
    return _unit([x + noise * rng.gauss(0, 1) / math.sqrt(DIM) for x in voice])


def _transcript(voices: dict[str, list[float]]) -> Transcript:
    segments = [Segment(float(k), k + 0.8, f"Sentence {k}.", label,
                        [Word("Sentence", float(k), k + 0.4, 0.9, label),
                         Word(f"{k}.", k + 0.4, k + 0.8, 0.9, label)])
                for k, label in enumerate(voices)]
    return Transcript(language="en", duration=5.0, segments=segments, speakers=list(voices),
                      metrics={"model": "tiny.en"}, centroids=voices)


async def _done(client: httpx.AsyncClient, settings, auth: dict,  # noqa: ANN001
                voices: dict[str, list[float]]) -> dict:
    """A done transcription whose speakers have these voice embeddings."""
    body = media.encode(media.tone(5.0), "wav")
    tid = (await client.post("/api/transcriptions", headers=auth,
                             files={"file": ("v.wav", body, "audio/wav")})).json()["id"]
    engine = create_engine(settings)
    async with create_session_factory(engine)() as session:
        row = await session.get(Transcription, uuid.UUID(tid))
        await service.save_transcript(session, row, _transcript(voices))
        run = await session.get(JobRun, row.job_run_id)
        run.status, run.percent = "done", 100.0
        await session.commit()
    await engine.dispose()
    return (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()


async def _samples(settings, negative: bool | None = None) -> int:  # noqa: ANN001
    engine = create_engine(settings)
    query = select(func.count()).select_from(VoiceSample)
    if negative is not None:
        query = query.where(VoiceSample.negative.is_(negative))
    async with create_session_factory(engine)() as session:
        count = await session.scalar(query)
    await engine.dispose()
    return count or 0


async def _remember(client: httpx.AsyncClient, auth: dict, got: dict, index: int,
                    name: str) -> httpx.Response:
    speaker = got["speakers"][index]["id"]
    return await client.patch(f"/api/transcriptions/{got['id']}/speakers/{speaker}",
                              headers=auth, json={"name": name, "remember": True})


async def test_remembered_voice_names_later_transcripts(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "voices")
    anna, boris = _voice(1), _voice(2)
    first = await _done(client, settings, auth, {"A": anna, "B": boris})
    assert [s["voice_id"] for s in first["speakers"]] == [None, None]
    remembered = await _remember(client, auth, first, 0, "Анна")
    assert remembered.status_code == 200, remembered.text
    assert remembered.json()["name"] == "Анна" and remembered.json()["voice_id"]
    voices = (await client.get("/api/voices", headers=auth)).json()["items"]
    assert [(v["name"], v["samples"]) for v in voices] == [("Анна", 1)]

    later = await _done(client, settings, auth, {"X": _voice(3), "Y": _again(anna, 4)})
    stranger, her = later["speakers"]
    assert stranger["name"] == "Speaker 1" and stranger["voice_id"] is None
    assert her["name"] == "Анна" and her["voice_id"] == voices[0]["id"]
    assert MATCH_THRESHOLD <= her["confidence"] < 1.0
    # Remembering her again (another recording) teaches the same profile: two samples.
    assert (await _remember(client, auth, later, 1, "анна")).status_code == 200
    voices = (await client.get("/api/voices", headers=auth)).json()["items"]
    assert [(v["name"], v["samples"]) for v in voices] == [("Анна", 2)]


async def test_voices_never_match_across_users(client, settings) -> None:  # noqa: ANN001
    owner, other = await user(client, "owner"), await user(client, "other")
    anna = _voice(11)
    first = await _done(client, settings, owner, {"A": anna})
    await _remember(client, owner, first, 0, "Anna")
    voice_id = (await client.get("/api/voices", headers=owner)).json()["items"][0]["id"]
    theirs = await _done(client, settings, other, {"A": anna})  # the very same voice
    assert theirs["speakers"][0]["voice_id"] is None
    assert theirs["speakers"][0]["name"] == "Speaker 1"
    assert (await client.get("/api/voices", headers=other)).json()["items"] == []
    for call in (client.patch(f"/api/voices/{voice_id}", headers=other, json={"name": "x"}),
                 client.delete(f"/api/voices/{voice_id}", headers=other)):
        response = await call
        assert response.status_code == 404 and response.json()["code"] == "voice.not_found"
    assert (await client.get("/api/voices", headers=owner)).json()["items"][0]["name"] == "Anna"


async def test_undoing_a_wrong_match_is_learned(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "voices")
    anna, twin = _voice(21), _voice(22)
    # A voice close enough to Anna's to be taken for hers: cosine halfway from the
    # threshold to 1 (anna + c * twin, twin orthogonal enough: cosine 1 / sqrt(1 + c^2)).
    halfway = (MATCH_THRESHOLD + 1) / 2
    c = math.sqrt(1 / halfway**2 - 1)
    lookalike = _unit([a + c * t for a, t in zip(anna, twin, strict=True)])
    first = await _done(client, settings, auth, {"A": anna})
    await _remember(client, auth, first, 0, "Anna")
    wrong = await _done(client, settings, auth, {"A": lookalike})
    assert wrong["speakers"][0]["name"] == "Anna"
    undo = await client.delete(
        f"/api/transcriptions/{wrong['id']}/speakers/{wrong['speakers'][0]['id']}/voice",
        headers=auth)
    assert undo.status_code == 200, undo.text
    assert undo.json()["voice_id"] is None and undo.json()["name"] == "Speaker 1"
    assert await _samples(settings, negative=True) == 1
    # The same wrong voice again, in another recording: not Anna any more.
    again = await _done(client, settings, auth, {"A": _again(lookalike, 23, noise=0.1)})
    assert again["speakers"][0]["voice_id"] is None
    # Anna herself still is.
    her = await _done(client, settings, auth, {"A": _again(anna, 24)})
    assert her["speakers"][0]["name"] == "Anna"


async def test_rename_and_forget_a_voice(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "voices")
    anna = _voice(31)
    first = await _done(client, settings, auth, {"A": anna})
    await _remember(client, auth, first, 0, "Anna")
    voice_id = (await client.get("/api/voices", headers=auth)).json()["items"][0]["id"]
    renamed = await client.patch(f"/api/voices/{voice_id}", headers=auth,
                                 json={"name": "Анна Петровна"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Анна Петровна"
    shown = (await client.get(f"/api/transcriptions/{first['id']}", headers=auth)).json()
    assert shown["speakers"][0]["name"] == "Анна Петровна"
    bad = await client.patch(f"/api/voices/{voice_id}", headers=auth, json={"name": "a\u0007"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_text"
    blank = await client.patch(f"/api/voices/{voice_id}", headers=auth, json={"name": "   "})
    assert blank.status_code == 422 and blank.json()["code"] == "speaker.blank"
    assert (await client.delete(f"/api/voices/{voice_id}", headers=auth)).status_code == 204
    assert (await client.get("/api/voices", headers=auth)).json()["items"] == []
    assert await _samples(settings) == 0  # the embeddings went with it
    later = await _done(client, settings, auth, {"A": _again(anna, 32)})
    assert later["speakers"][0]["voice_id"] is None
    missing = await client.delete(f"/api/voices/{voice_id}", headers=auth)
    assert missing.status_code == 404


async def test_a_speaker_without_an_embedding_cannot_be_remembered(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "voices")
    got = await _done(client, settings, auth, {"A": []})
    response = await _remember(client, auth, got, 0, "Anna")
    assert response.status_code == 409 and response.json()["code"] == "voice.no_embedding"
    assert (await client.get("/api/voices", headers=auth)).json()["items"] == []
    # The rename itself was refused with it: nothing half-done.
    shown = (await client.get(f"/api/transcriptions/{got['id']}", headers=auth)).json()
    assert shown["speakers"][0]["name"] == "Speaker 1"


async def test_a_name_belongs_to_one_voice(client, settings) -> None:  # noqa: ANN001
    auth = await user(client, "voices")
    got = await _done(client, settings, auth, {"A": _voice(41), "B": _voice(42)})
    await _remember(client, auth, got, 0, "Anna")
    await _remember(client, auth, got, 1, "Boris")
    items = (await client.get("/api/voices", headers=auth)).json()["items"]
    boris = next(v["id"] for v in items if v["name"] == "Boris")
    taken = await client.patch(f"/api/voices/{boris}", headers=auth, json={"name": " anna "})
    assert taken.status_code == 409, taken.text
    assert taken.json()["code"] == "voice.name_taken" and taken.json()["params"]["name"] == "anna"
    listed = (await client.get("/api/voices", headers=auth)).json()["items"]
    assert sorted(v["name"] for v in listed) == ["Anna", "Boris"]
    # Renaming a voice to its own name in other letters is a rename, not a conflict.
    same = await client.patch(f"/api/voices/{boris}", headers=auth, json={"name": "BORIS"})
    assert same.status_code == 200 and same.json()["name"] == "BORIS"


async def test_remembering_one_new_name_twice_at_once_keeps_one_voice(client, settings) -> None:  # noqa: ANN001
    import asyncio

    auth = await user(client, "voices")
    anna = _voice(51)
    first = await _done(client, settings, auth, {"A": anna})
    second = await _done(client, settings, auth, {"A": _again(anna, 52)})
    answers = await asyncio.gather(_remember(client, auth, first, 0, "Anna"),
                                   _remember(client, auth, second, 0, "Anna"))
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    items = (await client.get("/api/voices", headers=auth)).json()["items"]
    assert [(v["name"], v["samples"]) for v in items] == [("Anna", 2)]


async def test_a_voice_keeps_a_bounded_number_of_negatives(client, settings, monkeypatch) -> None:  # noqa: ANN001
    from mediahub.transcription import voices

    monkeypatch.setattr(voices, "MAX_SAMPLES", 2)
    auth = await user(client, "voices")
    anna = _voice(61)
    await _remember(client, auth, await _done(client, settings, auth, {"A": anna}), 0, "Anna")
    c = math.sqrt(1 / ((MATCH_THRESHOLD + 1) / 2) ** 2 - 1)  # as in the test above
    for seed in range(3):  # three different lookalikes taken for Anna, each undone
        twin = _voice(70 + seed)
        lookalike = _unit([a + c * t for a, t in zip(anna, twin, strict=True)])
        wrong = await _done(client, settings, auth, {"A": lookalike})
        assert wrong["speakers"][0]["voice_id"], "the lookalike should have matched"
        undone = await client.delete(
            f"/api/transcriptions/{wrong['id']}/speakers/{wrong['speakers'][0]['id']}/voice",
            headers=auth)
        assert undone.status_code == 200, undone.text
    assert await _samples(settings, negative=True) == 2
