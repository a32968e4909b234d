"""The stack's life: data survives `down` + `up`, and a killed worker container loses no job.

Runs after test_through_nginx.py (scripts/stack smoke orders them): these tests restart
containers.
"""

from __future__ import annotations

import io
import secrets
import time

import httpx
import pytest
from PIL import Image

from tests.stack.conftest import Stack, sign_up
from tests.stack.test_through_nginx import WER_FLOOR, _wait_done
from tests.support import speech

# Restarts, model loads and a retried transcription take minutes on 2 cores.
pytestmark = pytest.mark.timeout(1500)


def _png(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 150), (seed % 256, 30, 90)).save(out, "PNG")
    return out.getvalue()


def _wait_ready(client: httpx.Client, auth: dict, photo_id: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/photos/{photo_id}", headers=auth).json()
        if body["status"] != "processing":
            return body
        time.sleep(0.5)
    raise AssertionError(f"photo {photo_id} still processing after {timeout}s")


@pytest.fixture(scope="module")
def long_recording(tmp_path_factory: pytest.TempPathFactory) -> speech.Recording:
    """~2.5 minutes of two voices: long enough to be killed mid-transcription."""
    if not speech.tools_available():
        pytest.fail("espeak-ng and sox are required (scripts/test installs them as root)")
    return speech.make_recording(tmp_path_factory.mktemp("speech") / "long.wav",
                                 speech.SENTENCES * 3)


def test_down_and_up_keep_every_record_and_file(stack: Stack) -> None:
    original = _png(secrets.randbelow(256))
    username = f"keep_{secrets.token_hex(3)}"
    with httpx.Client(base_url=stack.url, timeout=60) as client:
        auth = sign_up(client, username)
        photo_id = client.post("/api/photos", headers=auth, data={"description": "kept"},
                               files={"file": ("kept.png", original, "image/png")}).json()["id"]
        before = _wait_ready(client, auth, photo_id)
        assert before["status"] == "ready", before
        transcripts_before = client.get("/api/transcriptions", headers=auth).json()

    stack.compose("down")  # keeps the volumes
    assert stack.containers("postgres") == []
    stack.wait_healthy()

    with httpx.Client(base_url=stack.url, timeout=60) as client:
        auth = sign_up(client, username)  # signs in: the account is still there
        after = client.get(f"/api/photos/{photo_id}", headers=auth)
        assert after.status_code == 200, after.text
        assert after.json()["description"] == "kept" and after.json()["status"] == "ready"
        stored = client.get(after.json()["urls"]["original"])
        assert stored.status_code == 200 and stored.content == original
        assert client.get(after.json()["urls"]["thumb"]).status_code == 200
        assert client.get("/api/transcriptions", headers=auth).json() == transcripts_before


def _running_on(stack: Stack, job_key: str) -> str:
    """The container name of the worker that picked the job up (from its log line)."""
    logs = stack.compose("logs", "--no-color", "worker").stdout
    for line in logs.splitlines():
        if f"key: {job_key}," in line and "Processing Job" in line:
            replica = line.split("|", 1)[0].strip()  # e.g. "worker-2"
            return f"mediahub-{replica}"
    raise AssertionError(f"no worker log line for {job_key}")


def _job_rows(stack: Stack, transcription_id: str) -> list[str]:
    """`key|status|attempts` of the transcription's job runs, read in the database container."""
    sql = ("select r.key, r.status, r.attempts from job_runs r join transcriptions t "
           f"on t.job_run_id = r.id where t.id = '{transcription_id}'")
    out = stack.compose("exec", "-T", "postgres", "psql", "-U", "app_user", "-d", "app_db",
                        "-tA", "-c", sql).stdout
    return [line for line in out.splitlines() if line.strip()]


def test_a_worker_container_killed_mid_transcription_loses_nothing(
    stack: Stack, long_recording: speech.Recording
) -> None:
    stack.compose("up", "-d", "--no-build", "--scale", "worker=2", "--wait",
                  "--wait-timeout", "600")
    try:
        assert len(stack.containers("worker")) == 2
        with httpx.Client(base_url=stack.url, timeout=60) as client:
            auth = sign_up(client, f"kill_{secrets.token_hex(3)}")
            submitted = client.post(
                "/api/transcriptions", headers=auth, data={"language": "en"},
                files={"file": ("long.wav", long_recording.path.read_bytes(), "audio/wav")})
            assert submitted.status_code == 202, submitted.text
            transcription_id = submitted.json()["id"]
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                body = client.get(f"/api/transcriptions/{transcription_id}", headers=auth).json()
                if body["status"] == "running" and body["progress"]["stage"] == "transcribing":
                    break
                assert body["status"] in ("queued", "running"), body
                time.sleep(0.3)
            else:
                raise AssertionError("the job never reached the transcribing stage")
            (job_key, _, _), = (row.split("|") for row in _job_rows(stack, transcription_id))
            victim = _running_on(stack, job_key)
            stack.docker("kill", "--signal", "KILL", victim)
            body = client.get(f"/api/transcriptions/{transcription_id}", headers=auth).json()
            assert body["status"] == "running", body  # killed mid-job, not after it

            done = _wait_done(client, auth, transcription_id, timeout=900)
            assert done["status"] == "done", done.get("error")
            texts = [(s["start"], s["text"]) for s in done["segments"]]
            assert len(texts) == len(set(texts)), "segments written twice"
            text = " ".join(segment["text"] for segment in done["segments"])
            assert speech.word_error_rate(long_recording.text, text) <= WER_FLOOR, text
        assert _job_rows(stack, transcription_id) == [f"{job_key}|done|2"]
    finally:
        stack.compose("up", "-d", "--no-build", "--scale", "worker=1", "--wait",
                      "--wait-timeout", "600")
