"""GET /api/transcriptions/{id} written from rows (transcription/reads.py): the model's bytes."""

from __future__ import annotations

import httpx

from mediahub.transcription.schemas import TranscriptionOut, TranscriptionPage
from mediahub.transcription.transcript import Segment, Transcript, Word
from tests.support import media
from tests.support.transcripts import finish_transcription

PASSWORD = "transcription passphrase"


async def _done(client: httpx.AsyncClient, settings, auth: dict) -> str:  # noqa: ANN001
    """A finished transcription whose stored words hold ints and nulls as the engine may."""
    tid = (await client.post("/api/transcriptions", headers=auth, files={
        "file": ("k.wav", media.encode(media.tone(3.0), "wav"), "audio/wav")})).json()["id"]
    words = [Word("Ну,", 0, 1, 1, "A"), Word("«да»", 1.25, 2.5, None, "B"),
             Word('"q" \\ \t', None, None, 0.875, None)]
    transcript = Transcript(language="ru", duration=3.0, speakers=["A", "B"],
                            segments=[Segment(0.0, 1.0, "Ну,", "A", words[:1]),
                                      Segment(1.25, 3.0, "«да» ...", "B", words[1:])],
                            metrics={"model": "tiny", "rtf": 0.1, "n": 3})
    await finish_transcription(settings, tid, transcript)
    return tid


async def test_transcript_is_the_bytes_the_model_writes(client, settings) -> None:  # noqa: ANN001
    tokens = (await client.post("/api/auth/register", json={
        "username": "reader", "password": PASSWORD})).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    tid = await _done(client, settings, auth)
    reply = await client.get(f"/api/transcriptions/{tid}", headers=auth)
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
    assert reply.content == TranscriptionOut.model_validate_json(reply.content
                                                                 ).model_dump_json().encode()
    got = reply.json()
    assert [w["start"] for s in got["segments"] for w in s["words"]] == [0.0, 1.25, None]
    assert b'"start":0.0' in reply.content  # a stored 0 is written as the float the model has
    assert got["status"] == "done" and len(got["speakers"]) == 2
    other = {"Authorization": "Bearer " + (await client.post("/api/auth/register", json={
        "username": "other", "password": PASSWORD})).json()["access_token"]}
    assert (await client.get(f"/api/transcriptions/{tid}", headers=other)).status_code == 404


async def test_transcriptions_list_is_the_bytes_the_model_writes(client, settings) -> None:  # noqa: ANN001
    tokens = (await client.post("/api/auth/register", json={
        "username": "lister", "password": PASSWORD})).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    done = await _done(client, settings, auth)
    reply = await client.get("/api/transcriptions", headers=auth)
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
    assert reply.content == TranscriptionPage.model_validate_json(reply.content
                                                                  ).model_dump_json().encode()
    assert [item["id"] for item in reply.json()["items"]] == [done]
