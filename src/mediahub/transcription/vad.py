"""One voice-activity pass for both speech recognition and diarization (ADR 0017).

`silero` (default): the silero-vad package's "sequence" ONNX model, which runs the same
network as the streaming model one block of 512 frames (~16 s) per call instead of one
32 ms frame per Python call; its weights ship in the wheel. One pass gives per-frame speech
probabilities; two thresholdings of them give

- the ASR chunks: WhisperX's own silero settings (onset 0.5, pieces of at most 30 s; 200 ms
  of padding), merged into ≤ 30 s chunks by WhisperX's `merge_chunks` and padded at the
  edges (asr.pad_chunks);
- the diarization regions: exactly the speech senko's own VAD finds (threshold 0.55,
  250 ms minimum speech, 100 ms minimum silence), so its embeddings see the same audio.

`pyannote`: WhisperX's default pyannote segmentation model (10 s windows every second, ~25x
slower on CPU); its scores give the ASR chunks as before and, binarized, the diarization
regions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mediahub.transcription.asr import CHUNK_SECONDS, pad_chunks
from mediahub.transcription.audio import SAMPLE_RATE, Cancelled

log = logging.getLogger(__name__)

METHODS = ("silero", "pyannote")
PYANNOTE_ONSET, PYANNOTE_OFFSET = 0.500, 0.363  # whisperx.load_model's defaults
# WhisperX's silero settings (onset 0.5, ≤ 30 s per piece) with 200 ms of padding instead
# of silero's 30: the decoder then keeps word onsets and endings (WER 0.050 vs 0.054 on the
# 5.5-min dialog, 0.058 vs 0.074 on the 55-s one; pyannote: 0.051 and 0.066).
SILERO_ASR = {"threshold": 0.5, "max_speech_duration_s": CHUNK_SECONDS, "speech_pad_ms": 200}
SENKO_REGIONS = {"threshold": 0.55, "min_speech_duration_ms": 250,
                 "min_silence_duration_ms": 100}  # senko.Diarizer._perform_vad

ProgressFn = Callable[[float], None]
StopFn = Callable[[], bool]


@dataclass
class SpeechMap:
    """Where the speech is: padded ≤ 30 s chunks for the decoder, regions for the speakers."""

    chunks: list[dict[str, Any]]
    regions: list[tuple[float, float]] = field(default_factory=list)


def _segments(spans: list[tuple[float, float]]) -> list[Any]:
    from whisperx.diarize import Segment

    return [Segment(start, end, "UNKNOWN") for start, end in spans]


def _asr_chunks(spans: list[tuple[float, float]], duration: float) -> list[dict[str, Any]]:
    """WhisperX's chunk merging (≤ 30 s), then our edge padding."""
    from whisperx.vads.vad import Vad

    if not spans:
        return []
    merged = Vad.merge_chunks(_segments(spans), CHUNK_SECONDS, onset=0.5, offset=None)
    return pad_chunks(merged, duration)


class SileroVad:
    """silero-vad's sequence ONNX model on one CPU thread (it is that fast)."""

    def __init__(self) -> None:
        import torch

        threads = torch.get_num_threads()
        from silero_vad import load_silero_vad  # its import sets torch to one thread

        torch.set_num_threads(threads)
        self.model = load_silero_vad(sequence=True)

    def probabilities(self, audio: np.ndarray, on_progress: ProgressFn,
                      should_stop: StopFn) -> np.ndarray:
        """Per-frame (32 ms) speech probabilities; checks for cancel per ~16 s block."""
        from silero_vad.sequence_vad import RATE_CONFIG, frame_blocks

        frame, context = RATE_CONFIG[SAMPLE_RATE]
        blocks = -(-audio.size // (frame * self.model.max_frames))
        hidden = np.zeros((1, 1, 128), dtype=np.float32)
        cell = np.zeros((1, 1, 128), dtype=np.float32)
        out = []
        for index, block in enumerate(frame_blocks(audio, frame, context, self.model.max_frames)):
            if should_stop():
                raise Cancelled
            values, hidden, cell = self.model.session.run(
                ["speech_probs", "hn", "cn"], {"input": block, "h": hidden, "c": cell})
            out.append(values.reshape(-1))
            on_progress((index + 1) / blocks)
        return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)

    def speech(self, audio: np.ndarray, *, on_progress: ProgressFn = lambda f: None,
               should_stop: StopFn = lambda: False) -> SpeechMap:
        """One model pass; ASR chunks and diarization regions from the same probabilities."""
        from silero_vad import get_speech_timestamps_from_probs

        probs = self.probabilities(audio, on_progress, should_stop).tolist()

        def spans(**options: Any) -> list[tuple[float, float]]:
            found = get_speech_timestamps_from_probs(
                probs, sampling_rate=SAMPLE_RATE, audio_length_samples=audio.size, **options)
            return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in found]

        duration = audio.size / SAMPLE_RATE
        asr = spans(**SILERO_ASR)
        return SpeechMap(chunks=_asr_chunks(asr, duration), regions=spans(**SENKO_REGIONS))


class PyannoteVad:
    """WhisperX's pyannote VAD (the model ships in the whisperx wheel)."""

    def __init__(self, device: str) -> None:
        import torch
        from whisperx.vads import Pyannote

        self.model = Pyannote(torch.device(device), token=None, vad_onset=PYANNOTE_ONSET,
                              vad_offset=PYANNOTE_OFFSET, chunk_size=CHUNK_SECONDS)

    def speech(self, audio: np.ndarray, *, on_progress: ProgressFn = lambda f: None,
               should_stop: StopFn = lambda: False) -> SpeechMap:
        """The pipeline's sliding-window inference, called directly (what its `apply` does)
        so its per-batch hook reports progress and stops a cancelled job (~30 s per batch)."""
        from whisperx.vads.pyannote import Binarize

        def each_batch(completed: int, total: int) -> None:
            if should_stop():
                raise Cancelled
            on_progress(completed / total if total else 1.0)

        file = {"waveform": self.model.preprocess_audio(audio), "sample_rate": SAMPLE_RATE}
        scores = self.model.vad_pipeline._segmentation(file, hook=each_batch)
        chunks = self.model.merge_chunks(scores, CHUNK_SECONDS, onset=PYANNOTE_ONSET,
                                         offset=PYANNOTE_OFFSET)
        timeline = Binarize(onset=PYANNOTE_ONSET, offset=PYANNOTE_OFFSET)(scores).get_timeline()
        return SpeechMap(chunks=pad_chunks(chunks, audio.size / SAMPLE_RATE),
                         regions=[(turn.start, turn.end) for turn in timeline])


def load_vad(method: str, device: str) -> SileroVad | PyannoteVad:
    """The configured voice-activity detector, loaded."""
    if method == "silero":
        return SileroVad()
    if method == "pyannote":
        return PyannoteVad(device)
    raise ValueError(f"unknown VAD method {method!r}; choose one of {METHODS}")
