"""Recordings whose header lies about their length: measured while decoding, memory bounded.

A FLAC's STREAMINFO carries the total sample count the upload check reads; a file of
minutes (or hours) of silence can claim one second. The worker must find the real length
itself, stop at the limit the upload was accepted under (MAX_MEDIA_SECONDS, or
SYNC_TRANSCRIPTION_MAX_SECONDS on the OpenAI-compatible endpoint) with a clear, permanent
failure, and hold no more memory than the limit allows, whatever the file's real length.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from mediahub.core.jobs.models import JobRun
from mediahub.transcription.models import Transcription
from tests.support import speech
from tests.support.accounts import user

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

CLAIMED_SAMPLES = 16_000  # one second at 16 kHz
BYTES_PER_SECOND = 16_000 * 4  # decoded mono float32


def lying_flac(path: Path, seconds: float) -> Path:
    """`seconds` of silence as 16 kHz FLAC (sox) whose STREAMINFO claims one second."""
    if not speech.tools_available():
        pytest.fail("sox is required (scripts/test installs it as root)")
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(path),
                    "trim", "0", str(seconds)], check=True)
    data = bytearray(path.read_bytes())
    assert data[:4] == b"fLaC" and data[4] & 0x7F == 0  # STREAMINFO is the first block
    # STREAMINFO starts at byte 8; its 36-bit total-samples field begins in the low nibble
    # of its byte 13 (after block sizes, frame sizes, rate, channels, bits per sample).
    data[21] = (data[21] & 0xF0) | (CLAIMED_SAMPLES >> 32)
    data[22:26] = (CLAIMED_SAMPLES & 0xFFFFFFFF).to_bytes(4, "big")
    path.write_bytes(data)
    return path


async def _job(app, tid: str) -> tuple[JobRun, Transcription]:  # noqa: ANN001
    async with app.state.session_factory() as session:
        row = await session.get(Transcription, uuid.UUID(tid))
        run = await session.get(JobRun, row.job_run_id)
        return run, row


async def _final(client, auth: dict, tid: str, timeout: float = 240) -> dict:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        body = (await client.get(f"/api/transcriptions/{tid}", headers=auth)).json()
        if body["status"] in ("done", "failed", "cancelled"):
            return body
        await asyncio.sleep(0.3)
    raise AssertionError(f"no final status in {timeout}s: {body}")


async def test_lying_header_fails_at_the_limit_in_the_worker(
    app, client, start_worker, tmp_path: Path,  # noqa: ANN001
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"max_media_seconds": 120})
    worker = start_worker()
    auth = await user(client, "liar")
    flac = lying_flac(tmp_path / "ten-minutes.flac", 600).read_bytes()
    submitted = await client.post("/api/transcriptions", headers=auth, data={"diarize": "false"},
                                  files={"file": ("short.flac", flac, "audio/flac")})
    assert submitted.status_code == 202, submitted.text  # the header says 1 s
    tid = submitted.json()["id"]
    body = await _final(client, auth, tid)
    assert body["status"] == "failed", (body, worker.output()[-3000:])
    assert "more than 2.0 min of audio decoded, 2.0 min allowed" in body["error"], body["error"]
    assert body["segments"] == [] and body["duration"] is None
    assert body["error_code"] == "media_too_long"  # the web app words it in its language
    run, _ = await _job(app, tid)
    assert run.attempts == 1 and run.result == {"code": "media_too_long"}  # never retried


async def test_openai_endpoint_answers_413_for_a_lying_header(
    app, client, start_worker, tmp_path: Path,  # noqa: ANN001
) -> None:
    app.state.settings = app.state.settings.model_copy(
        update={"sync_transcription_max_seconds": 30})
    start_worker()
    auth = await user(client, "liar2")
    flac = lying_flac(tmp_path / "three-minutes.flac", 180).read_bytes()
    response = await client.post("/v1/audio/transcriptions", headers=auth,
                                 files={"file": ("short.flac", flac, "audio/flac")})
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["code"] == "media_too_long"
    assert "more than 0.5 min of audio decoded, 0.5 min allowed" in body["detail"], body


DECODE_PROBE = textwrap.dedent("""
    import json, sys, tracemalloc
    from mediahub.transcription.audio import MediaTooLong, decode

    def status(field):
        text = open("/proc/self/status").read().split(field + ":")[1]
        return int(text.split()[0]) * 1024

    path, limit = sys.argv[1], float(sys.argv[2])
    decode(sys.argv[3])  # warm up: codecs, resampler, numpy's allocator
    open("/proc/self/clear_refs", "w").write("5")  # reset the peak (VmHWM) to now
    rss_before = status("VmRSS")
    tracemalloc.start()
    try:
        decode(path, max_seconds=limit)
        decoded = None
    except MediaTooLong as exc:
        decoded = exc.decoded_s
    traced_peak = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"decoded_s": decoded, "traced_peak": traced_peak,
                      "rss_growth": status("VmHWM") - rss_before}))
""")



def test_decode_memory_is_bounded_by_the_limit_not_the_file(tmp_path: Path) -> None:
    """One hour of audio claiming one second, decoded with a 2-minute limit in a fresh
    process: it stops after ~2 minutes of audio, and neither the traced peak nor the RSS
    growth comes near the hour (230 MB decoded; the old decode held twice that)."""
    limit = 120
    long_file = lying_flac(tmp_path / "hour.flac", 3600)
    warm = lying_flac(tmp_path / "warm.flac", 1)
    out = subprocess.run([sys.executable, "-c", DECODE_PROBE, str(long_file), str(limit),
                          str(warm)], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    assert measured["decoded_s"] and limit <= measured["decoded_s"] <= limit + 1, measured
    bound = (limit + 1) * BYTES_PER_SECOND  # the buffer's cap: limit + LIMIT_SLACK_S
    assert measured["traced_peak"] < bound + 16 * 2**20, measured
    assert measured["rss_growth"] < bound + 48 * 2**20, measured
