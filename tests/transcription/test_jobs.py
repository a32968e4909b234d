"""Upload → queue → real worker processes (real WhisperX) → PostgreSQL → API and live events.

Reliability as users see it: progress they can follow, cancel that frees the worker, a killed
worker's job finishing once elsewhere, an unusable setup failing with a readable reason.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import httpx
import pytest
import srt as srt_module
from redis.asyncio import Redis

from mediahub.core.events import REDIS_PREFIX, user_channel
from tests.support import speech
from tests.support.accounts import user_with_id
from tests.support.transcripts import wait_for_transcription

# Real models on minutes of audio: generous per-test limits for a busy 2-core CI machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
# Workers load WhisperX (~15 s) before their first job; the machine is shared with builds.
JOB_TIMEOUT_S = 240


async def _submit(
    client: httpx.AsyncClient, auth: dict, recording: speech.Recording, **fields: str
) -> str:
    response = await client.post(
        "/api/transcriptions",
        headers=auth,
        data={"language": "en", **fields},
        files={"file": (recording.path.name, recording.path.read_bytes(), "audio/wav")},
    )
    assert response.status_code == 202, response.text
    return response.json()["id"]


async def _wait(client: httpx.AsyncClient, auth: dict, tid: str, until: Callable[[dict], bool],
                what: str, timeout: float = JOB_TIMEOUT_S) -> dict:
    return await wait_for_transcription(client, auth, tid, until, what, timeout)


class Events:
    """transcription.updated events of one user, collected in the background."""

    def __init__(self, redis_url: str, user_id: str) -> None:
        self._pubsub = Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
        self._channel = REDIS_PREFIX + user_channel(user_id)
        self.items: list[dict] = []

    async def __aenter__(self) -> Events:
        await self._pubsub.subscribe(self._channel)
        self._task = asyncio.create_task(self._collect())
        return self

    async def _collect(self) -> None:
        while True:
            message = await self._pubsub.get_message(timeout=0.5)
            if message:
                self.items.append(json.loads(message["data"]))

    async def __aexit__(self, *exc: object) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        await self._pubsub.aclose()

    def updates(self, tid: str) -> list[dict]:
        return [
            e for e in self.items if e.get("type") == "transcription.updated" and e.get("id") == tid
        ]


async def test_recording_to_transcript_through_the_worker(
    client,
    start_worker,
    redis_url: str,
    dialog_short,  # noqa: ANN001
) -> None:
    worker = start_worker()
    auth, user_id = await user_with_id(client, "studio")
    async with Events(redis_url, user_id) as events:
        tid = await _submit(client, auth, dialog_short)
        done = await _wait(client, auth, tid, lambda b: b["status"] in ("done", "failed"), "done")
        await asyncio.sleep(0.5)
    assert done["status"] == "done", (done["error"], worker.output()[-3000:])
    text = " ".join(s["text"] for s in done["segments"])
    assert speech.word_error_rate(dialog_short.text, text) <= 0.15
    assert len(done["speakers"]) == 2
    words = [(w["word"], w["speaker"]) for s in done["segments"] for w in s["words"]]
    assert speech.speaker_accuracy(dialog_short, words) >= 0.85
    assert done["metrics"]["realtime_factor"] > 0 and "transcribing" in done["metrics"]["stages"]
    assert done["duration"] == pytest.approx(done["media_duration"], abs=0.1)

    updates = events.updates(tid)
    statuses = [u["status"] for u in updates]
    assert statuses[0] == "queued" and statuses[-1] == "done"
    stages = list(dict.fromkeys(u["progress"]["stage"] for u in updates if u.get("progress")))
    for stage in ("decoding", "vad", "transcribing", "diarizing", "saving", "done"):
        assert stage in stages, stages
    percents = [u["progress"]["percent"] for u in updates if u["status"] == "running"]
    assert percents == sorted(percents) and percents[-1] >= 90

    srt = await client.get(
        f"/api/transcriptions/{tid}/export", headers=auth, params={"format": "srt"}
    )
    assert srt.status_code == 200 and "Speaker 1: Good morning" in srt.text
    hits = (
        await client.get("/api/transcriptions/search", headers=auth, params={"q": "warehouse"})
    ).json()["items"]
    assert hits and hits[0]["transcription_id"] == tid


async def test_cancel_stops_the_work_and_frees_the_worker(
    client,
    start_worker,
    dialog_long,
    dialog_short,  # noqa: ANN001
) -> None:
    start_worker(WORKER_CONCURRENCY="1")
    auth, _ = await user_with_id(client, "studio")
    long_id = await _submit(client, auth, dialog_long)
    await _wait(
        client, auth, long_id, lambda b: b["progress"]["stage"] == "transcribing", "transcribing"
    )
    cancelled_at = time.monotonic()
    assert (
        await client.post(f"/api/transcriptions/{long_id}/cancel", headers=auth)
    ).status_code == 200
    # The only job slot is free again: a new job is picked up and finishes.
    short_id = await _submit(client, auth, dialog_short, diarize="false")
    await _wait(client, auth, short_id, lambda b: b["status"] == "running", "next job started")
    assert time.monotonic() - cancelled_at < 20
    done = await _wait(client, auth, short_id, lambda b: b["status"] == "done", "next job done")
    assert done["segments"]
    cancelled = (await client.get(f"/api/transcriptions/{long_id}", headers=auth)).json()
    assert cancelled["status"] == "cancelled" and cancelled["segments"] == []


async def test_killed_worker_job_completes_once_on_another_worker(
    client,
    start_worker,
    dialog_long,  # noqa: ANN001
) -> None:
    # A dead worker is found within seconds; 6 s, not less, because a loaded machine was seen
    # to hold the new worker's first model load past a 3 s heartbeat (swept, retried, again).
    fast_recovery = {"JOB_HEARTBEAT_SECONDS": "6", "JOB_SWEEP_SECONDS": "1"}
    first = start_worker(**fast_recovery)
    auth, _ = await user_with_id(client, "studio")
    tid = await _submit(client, auth, dialog_long, diarize="false")
    await _wait(
        client,
        auth,
        tid,
        lambda b: b["progress"]["stage"] == "transcribing",
        "transcribing on the first worker",
    )
    first.kill9()
    start_worker(**fast_recovery)
    done = await _wait(
        client, auth, tid, lambda b: b["status"] in ("done", "failed"), "done on the second worker"
    )
    assert done["status"] == "done", done["error"]
    positions = [(s["start"], s["text"]) for s in done["segments"]]
    assert len(positions) == len(set(positions))  # written once, not once per attempt
    assert len(done["segments"]) == pytest.approx(len(dialog_long.lines), rel=0.1)


async def test_unusable_model_fails_at_once_with_a_reason(
    app,
    client,
    start_worker,
    dialog_short,
    redis_url: str,
    tmp_path,  # noqa: ANN001
) -> None:
    """A configured model whose files are missing: the job fails at once, saying why."""
    from redis.asyncio import Redis

    from mediahub.transcription import catalog

    broken = str(tmp_path / "no-such-model")
    # API and worker share the configuration, as in a deployment; no worker can report the
    # model installed, so the API falls back to the configured name and the worker refuses it.
    app.state.settings = app.state.settings.model_copy(
        update={"asr_model": broken, "asr_models": []})
    start_worker(ASR_MODEL=broken, ASR_MODELS="")
    redis = Redis.from_url(redis_url)
    await redis.delete(catalog.INVENTORY_KEY)  # what earlier tests' workers reported
    await redis.aclose()
    auth, _ = await user_with_id(client, "studio")
    tid = await _submit(client, auth, dialog_short)
    failed = await _wait(client, auth, tid, lambda b: b["status"] == "failed", "failed")
    assert "is not a CTranslate2 Whisper model directory" in failed["error"]
    retried = await client.post(f"/api/transcriptions/{tid}/retry", headers=auth)
    assert retried.status_code == 202


async def test_openai_client_gets_openai_shapes(
    app,
    client,
    start_worker,  # noqa: ANN001
    dialog_short,
) -> None:
    """OpenAI's own Python client, pointed at /v1, with our access token as its API key."""
    import openai

    start_worker()
    auth, _ = await user_with_id(client, "studio")
    token = auth["Authorization"].removeprefix("Bearer ")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://test", timeout=JOB_TIMEOUT_S
    ) as http:
        ai = openai.AsyncOpenAI(
            api_key=token, base_url="http://test/v1", http_client=http, max_retries=0
        )
        with dialog_short.path.open("rb") as audio:
            verbose = await ai.audio.transcriptions.create(
                file=audio,
                model="whisper-1",
                response_format="verbose_json",
                timestamp_granularities=["word", "segment"],
            )
        assert speech.word_error_rate(dialog_short.text, verbose.text) <= 0.15
        assert verbose.language == "en" and verbose.duration > 50
        assert verbose.segments and verbose.words
        assert verbose.words[0].word.lower().startswith("good")
        with dialog_short.path.open("rb") as audio:
            subtitles = await ai.audio.transcriptions.create(
                file=audio, model="whisper-1", response_format="srt"
            )
        assert subtitles.startswith("1\n00:00:0")
        with pytest.raises(openai.UnprocessableEntityError):
            await ai.audio.transcriptions.create(
                file=("x.wav", b"RIFF0000WAVEjunk"), model="whisper-1"
            )


async def test_openai_endpoint_refuses_long_recordings(
    app,
    client,  # noqa: ANN001
    dialog_short,
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"sync_transcription_max_seconds": 10}
    )
    auth, _ = await user_with_id(client, "studio")
    response = await client.post(
        "/v1/audio/transcriptions",
        headers=auth,
        files={"file": ("d.wav", dialog_short.path.read_bytes())},
    )
    assert response.status_code == 413
    assert "limit here is" in response.json()["detail"]


async def test_cli_transcribes_files_without_a_server(dialog_short, tmp_path) -> None:  # noqa: ANN001
    import subprocess
    import sys

    broken = tmp_path / "broken.mp3"
    broken.write_bytes(b"ID3" + b"\0" * 4000)
    result = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "mediahub",
            "transcribe",
            str(dialog_short.path),
            str(broken),
            "--format",
            "srt",
            "--language",
            "en",
            "--output-dir",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=JOB_TIMEOUT_S,
    )
    assert result.returncode == 1, result.stderr[-2000:]  # one of two files failed
    assert "1 of 2 transcribed" in result.stderr
    cues = list(srt_module.parse((tmp_path / "out" / "dialog_short.srt").read_text()))
    assert cues[0].content.startswith("Speaker 1: Good morning")
    said = " ".join(c.content.split(": ", 1)[-1] for c in cues)
    assert speech.word_error_rate(dialog_short.text, said) <= 0.15
    assert not (tmp_path / "out" / "broken.srt").exists()


async def test_preloaded_worker_skips_the_loading_stage(
    client, start_worker, redis_url: str, dialog_short  # noqa: ANN001
) -> None:
    worker = start_worker(ASR_PRELOAD="true")
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while "is warm" not in worker.output():
        assert time.monotonic() < deadline, worker.output()[-2000:]
        await asyncio.sleep(0.5)
    auth, user_id = await user_with_id(client, "studio")
    # The worker told the api what it has installed (sizes come from its files).
    models = (await client.get("/api/transcription-models", headers=auth)).json()["items"]
    assert [m["name"] for m in models] == ["tiny.en", "base"]
    assert all(m["size_bytes"] for m in models)
    async with Events(redis_url, user_id) as events:
        tid = await _submit(client, auth, dialog_short, diarize="false")
        await _wait(client, auth, tid, lambda b: b["status"] == "done", "done")
        await asyncio.sleep(0.3)
    stages = {u["progress"]["stage"] for u in events.updates(tid) if u.get("progress")}
    assert "transcribing" in stages and "loading_model" not in stages
