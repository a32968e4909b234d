"""Two decoder workers (ADR 0019): batches decoded on two threads at once give exactly what
one worker gives, in order, with each batch's words timed from its own encoder output."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediahub.transcription.asr import Cancelled, WhisperxAsr
from mediahub.transcription.audio import decode
from mediahub.transcription.modelstore import resolve_model
from mediahub.transcription.vad import SileroVad

pytestmark = [pytest.mark.timeout(600)]


def _asr(model_cache: Path, workers: int) -> WhisperxAsr:
    path = resolve_model("tiny.en", model_cache, allow_download=False)
    # Batches of two: the short dialog's chunks make several batches to share out.
    return WhisperxAsr(path, device="cpu", compute_type="int8", threads=1, batch_size=2,
                       workers=workers)


def _decode(asr: WhisperxAsr, audio, chunks, should_stop=lambda: False) -> list:  # noqa: ANN001
    return asr.transcribe(audio, chunks, language="en", word_timestamps=True,
                          on_progress=lambda f: None, should_stop=should_stop)


def _sentences(audio) -> list[dict]:  # noqa: ANN001
    """One chunk per stretch of speech (not the <= 30 s merges): several batches of two."""
    return [{"start": start, "end": end, "speech": [(start, end)]}
            for chunk in SileroVad().speech(audio).chunks for start, end in chunk["speech"]]


def test_two_workers_decode_what_one_does(model_cache, dialog_short) -> None:  # noqa: ANN001
    audio = decode(dialog_short.path)
    chunks = _sentences(audio)
    assert len(chunks) >= 6, "the test needs several batches"
    one = _decode(_asr(model_cache, 1), audio, chunks)
    two = _decode(_asr(model_cache, 2), audio, chunks)
    assert [c.segment for c in two] == [c.segment for c in one]
    assert all(c.segment.words for c in two if c.segment.text)


def test_two_workers_stop_when_cancelled(model_cache, dialog_short) -> None:  # noqa: ANN001
    audio = decode(dialog_short.path)
    chunks = _sentences(audio)
    asked: list[int] = []

    def stop_after_two() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Cancelled):
        _decode(_asr(model_cache, 2), audio, chunks, stop_after_two)
