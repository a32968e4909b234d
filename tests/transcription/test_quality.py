"""The real engine on real (synthesised) speech: accuracy, speakers, edges, and no worse than
calling WhisperX directly. Slow-ish (model loads, minutes of audio) but part of every run."""

from __future__ import annotations

import difflib
import threading

import pytest

from mediahub.transcription.audio import decode
from mediahub.transcription.engine import TranscribeOptions
from tests.support import speech

# Real models on minutes of audio: generous per-test limits for a busy 2-core CI machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

WER_FLOOR = 0.15
SPEAKER_FLOOR = 0.85


@pytest.fixture(scope="module")
def long_result(engine, dialog_long):  # noqa: ANN001, ANN201
    """One full run (VAD, ASR, word timings, diarization) over the 5-minute dialog."""
    stages: list[tuple[str, float]] = []
    transcript = engine.run(
        dialog_long.path,
        TranscribeOptions(language="en"),
        progress=lambda stage, percent: stages.append((stage, percent)),
    )
    return transcript, stages


def _all_words(transcript) -> list[tuple[str, str | None]]:  # noqa: ANN001
    return [(w.word, w.speaker) for s in transcript.segments for w in s.words]


def test_word_error_rate_on_clear_english(long_result, dialog_long) -> None:  # noqa: ANN001
    transcript, _ = long_result
    wer = speech.word_error_rate(dialog_long.text, transcript.text)
    assert wer <= WER_FLOOR, f"WER {wer:.3f}"
    assert transcript.language == "en"
    assert transcript.duration == pytest.approx(dialog_long.lines[-1].end + speech.EDGE_S, abs=0.2)


def _heard(transcript, line: speech.Line) -> float:  # noqa: ANN001
    """Share of a script line's words found among the words timed inside that line."""
    said = speech.words_of(line.text)
    heard = [
        t
        for s in transcript.segments
        for w in s.words
        if w.start is not None and line.start - 0.5 <= w.start <= line.end + 0.5
        for t in speech.words_of(w.word)
    ]
    matcher = difflib.SequenceMatcher(a=said, b=heard, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(said)


def test_first_and_last_sentences_survive(long_result, dialog_long) -> None:  # noqa: ANN001
    """The pitfall: batched decoding lost a whole sentence at the end of a long recording."""
    transcript, _ = long_result
    got = speech.words_of(transcript.text)
    first = speech.words_of(dialog_long.lines[0].text)
    assert got[: len(first)] == first
    # tiny.en may mishear "nine o'clock, goodbye", but the sentence must be there, to the end.
    assert "see you next monday" in " ".join(got[-12:]), got[-12:]
    assert got[-1].endswith("bye"), got[-8:]
    assert transcript.segments[-1].end >= dialog_long.lines[-1].end - 1.0
    lost = [line.text for line in dialog_long.lines if _heard(transcript, line) < 0.5]
    assert not lost, f"sentences lost: {lost}"


def test_two_voices_are_told_apart(long_result, dialog_long) -> None:  # noqa: ANN001
    transcript, _ = long_result
    assert len(transcript.speakers) == 2, transcript.speakers
    accuracy = speech.speaker_accuracy(dialog_long, _all_words(transcript))
    assert accuracy >= SPEAKER_FLOOR, f"speaker accuracy {accuracy:.3f}"
    # Segments follow the turns: one sentence per segment, one speaker per segment.
    assert len(transcript.segments) == pytest.approx(len(dialog_long.lines), rel=0.1)


def test_words_are_timed_inside_their_sentences(long_result, dialog_long) -> None:  # noqa: ANN001
    transcript, _ = long_result
    words = [w for s in transcript.segments for w in s.words]
    assert words and all(w.start is not None and w.end is not None for w in words)
    assert all(w.start <= w.end for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)
    # Word timings from cross-attention: each script sentence's first word starts within
    # 1 s of where the sentence was placed in the file.
    segment_starts = [s.start for s in transcript.segments]
    misplaced = [
        line.start
        for line in dialog_long.lines
        if min(abs(line.start - t) for t in segment_starts) > 1.0
    ]
    assert len(misplaced) <= len(dialog_long.lines) * 0.1, misplaced


def test_progress_is_monotonic_and_covers_every_stage(long_result) -> None:  # noqa: ANN001
    transcript, stages = long_result
    percents = [p for _, p in stages]
    assert percents == sorted(percents)
    seen = list(dict.fromkeys(stage for stage, _ in stages if stage != "loading_model"))
    assert seen == ["decoding", "vad", "transcribing", "diarizing"]
    assert set(transcript.metrics["stages"]) == set(seen)
    assert 0 < transcript.metrics["realtime_factor"] < 1


def test_not_worse_than_whisperx_called_directly(engine, long_result, dialog_long) -> None:  # noqa: ANN001
    """The reference: WhisperX's own FasterWhisperPipeline.transcribe on the same audio."""
    import whisperx

    from mediahub.transcription.modelstore import resolve_model

    transcript, _ = long_result
    model_dir = resolve_model("tiny.en", engine.config.cache_dir, allow_download=False)
    bare = whisperx.load_model(str(model_dir), "cpu", compute_type="int8", language="en", threads=2)
    result = bare.transcribe(decode(dialog_long.path), batch_size=8, language="en")
    bare_text = " ".join(s["text"].strip() for s in result["segments"])
    ours = speech.word_error_rate(dialog_long.text, transcript.text)
    reference = speech.word_error_rate(dialog_long.text, bare_text)
    assert ours <= reference + 0.005, f"ours {ours:.3f} vs bare whisperx {reference:.3f}"


def test_short_dialog_without_diarization_or_words(engine, dialog_short) -> None:  # noqa: ANN001
    transcript = engine.run(
        dialog_short.path, TranscribeOptions(language=None, diarize=False, word_timestamps=False)
    )
    assert transcript.language == "en"  # English-only model: no detection needed
    assert speech.word_error_rate(dialog_short.text, transcript.text) <= WER_FLOOR
    assert all(not s.words and s.speaker is None for s in transcript.segments)
    assert transcript.metrics["diarization"] == "none"
    assert "diarizing" not in transcript.metrics["stages"]


def test_cancellation_stops_between_batches(engine, dialog_long) -> None:  # noqa: ANN001
    from mediahub.transcription.asr import Cancelled

    seen: list[str] = []

    def stop() -> bool:
        return "transcribing" in seen

    with pytest.raises(Cancelled):
        engine.run(
            dialog_long.path,
            TranscribeOptions(language="en"),
            progress=lambda stage, _: seen.append(stage),
            should_stop=stop,
        )
    assert "diarizing" not in seen
    # The diarization running beside the decoder was stopped with the job.
    assert not [t for t in threading.enumerate() if t.name == "mediahub-diarize"]
