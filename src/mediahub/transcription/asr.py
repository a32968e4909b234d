"""Speech recognition with WhisperX: its batched faster-whisper decoding of VAD chunks.

The chunks come from the engine's one voice-activity pass (vad.py). We drive WhisperX's own
parts (`whisperx.load_model`'s options, tokenizer and batched `generate_segment_batched`)
from our own loop instead of calling `FasterWhisperPipeline.transcribe`, because the
service needs four things that call lacks (ADR 0012):

- progress per batch and cancellation between batches;
- chunk edges padded by a little audio: the VAD ends chunks a few hundred ms early, and the
  batched decoder then dropped the whole final sentence of a 5-minute recording;
- word timings without a wav2vec2 model: faster-whisper's cross-attention alignment runs on
  the encoder output each batch already computed;
- no transformers `Pipeline` indirection (and its torch collation) around a numpy batch.
"""

from __future__ import annotations

import contextlib
import io
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mediahub.transcription.audio import SAMPLE_RATE, Cancelled
from mediahub.transcription.transcript import Segment, Word

log = logging.getLogger(__name__)
__all__ = ["AsrChunk", "Cancelled", "WhisperxAsr"]

CHUNK_SECONDS = 30
# Audio added before and after each VAD chunk (never into a neighbour, never past 30 s).
EDGE_PAD_SECONDS = 0.6
# Speech the VAD heard but no decoded word covers, at a chunk's start or end, longer than
# this is decoded again on its own (the batched decoder sometimes stops after one sentence).
UNCOVERED_SPEECH_SECONDS = 0.8
COVER_SLACK_SECONDS = 0.3
# A stretch decoded again begins this long before the skipped speech, not at the last word:
# started in the pause, the decoder stretches the first word's timing over the silence.
GAP_LEAD_SECONDS = 0.2
# A stretch decoded again can stop early too; it is checked again, this many times at most.
RETRY_ROUNDS = 2
HOP_LENGTH = 160  # Whisper's mel frame hop: 100 frames per second
_NO_VAD = object()


@dataclass
class AsrChunk:
    """One decoded chunk: its text, timing, and (if computed) raw and parsed words."""

    segment: Segment
    raw_words: list[str]


def pad_chunks(chunks: list[dict[str, Any]], duration: float) -> list[dict[str, Any]]:
    """Widen each chunk by EDGE_PAD_SECONDS on both sides, within neighbours and 30 s.

    Padding is given back before any of the chunk's own audio when the window is full.
    """
    padded: list[dict[str, Any]] = []
    for index, chunk in enumerate(chunks):
        previous_end = padded[-1]["end"] if padded else 0.0
        next_start = chunks[index + 1]["start"] if index + 1 < len(chunks) else duration
        start = max(previous_end, chunk["start"] - EDGE_PAD_SECONDS, 0.0)
        end = min(next_start, chunk["end"] + EDGE_PAD_SECONDS, duration)
        if end - start > CHUNK_SECONDS:
            start = max(start, min(chunk["start"], end - CHUNK_SECONDS))
            end = min(end, start + CHUNK_SECONDS)
        padded.append({"start": start, "end": end, "speech": chunk.get("segments", [])})
    return padded


def _speech_between(chunk: dict[str, Any], start: float, end: float) -> float:
    return sum(max(0.0, min(e, end) - max(s, start)) for s, e in chunk.get("speech", []))


def uncovered_speech(chunk: dict[str, Any], segment: Segment) -> list[dict[str, Any]]:
    """Stretches at the chunk's edges where the VAD heard speech but no word was decoded."""
    timed = [w for w in segment.words if w.start is not None and w.end is not None]
    if not timed:
        return []
    gaps = []
    first, last = timed[0].start, timed[-1].end
    speech = chunk.get("speech", [])
    head_end = first - COVER_SLACK_SECONDS
    if _speech_between(chunk, chunk["start"], head_end) > UNCOVERED_SPEECH_SECONDS:
        offset = max(min(e, first) for s, e in speech if s < head_end)
        gaps.append({"start": chunk["start"], "end": min(first, offset + GAP_LEAD_SECONDS),
                     "speech": speech})
    tail_start = last + COVER_SLACK_SECONDS
    if _speech_between(chunk, tail_start, chunk["end"]) > UNCOVERED_SPEECH_SECONDS:
        onset = min(max(s, last) for s, e in speech if e > tail_start)
        gaps.append({"start": max(last, onset - GAP_LEAD_SECONDS), "end": chunk["end"],
                     "speech": speech})
    return gaps


def _remembering_model_class() -> type:
    """WhisperX's model class, keeping each thread's last encoder output for word alignment
    (decoder workers run batches on their own threads)."""
    from whisperx.asr import WhisperModel

    class EncoderRememberingWhisperModel(WhisperModel):
        _outputs = threading.local()

        @property
        def last_encoder_output(self) -> Any:
            return getattr(self._outputs, "value", None)

        def encode(self, features: np.ndarray) -> Any:
            self._outputs.value = super().encode(features)
            return self._outputs.value

    return EncoderRememberingWhisperModel


class WhisperxAsr:
    """One loaded WhisperX model, reused for every job of the process."""

    def __init__(
        self, model_dir: Path, *, device: str, compute_type: str, threads: int, batch_size: int,
        workers: int = 1,
    ) -> None:
        import whisperx

        # WhisperX and Lightning announce routine steps at INFO on their own handlers.
        for name in ("whisperx", "lightning", "lightning.pytorch", "lightning_fabric"):
            logging.getLogger(name).setLevel(logging.WARNING)
        model = _remembering_model_class()(
            str(model_dir), device=device, compute_type=compute_type, cpu_threads=threads,
            num_workers=workers, local_files_only=True,
        )
        # The VAD is the engine's (vad.py); a stand-in keeps load_model from loading its own.
        with contextlib.redirect_stdout(io.StringIO()):  # it prints that one was assigned
            self.pipeline = whisperx.load_model(
                str(model_dir), device, compute_type=compute_type, model=model,
                vad_model=_NO_VAD, threads=threads,
            )
        self.model = model
        self.multilingual = bool(model.model.is_multilingual)
        self.batch_size = batch_size
        self.workers = max(1, workers)

    # ------------------------------------------------------------------ public

    def detect_language(self, audio: np.ndarray) -> str:
        """The language of the first 30 s (English-only models always answer 'en')."""
        if not self.multilingual:
            return "en"
        return self.pipeline.detect_language(audio)

    def transcribe(
        self,
        audio: np.ndarray,
        chunks: list[dict[str, Any]],
        *,
        language: str,
        word_timestamps: bool,
        on_progress: Callable[[float], None],
        should_stop: Callable[[], bool],
        task: str = "transcribe",
    ) -> list[AsrChunk]:
        """Decode every chunk in batches (Whisper's `task`: transcribe, or translate into
        English); words timed by cross-attention when asked."""
        from faster_whisper.tokenizer import Tokenizer

        tokenizer = Tokenizer(
            self.model.hf_tokenizer, self.multilingual, task=task, language=language
        )
        done = 0
        total = len(chunks)
        counted = threading.Lock()

        def decode_one(batch: list[dict[str, Any]]) -> list[AsrChunk]:
            nonlocal done
            if should_stop():
                raise Cancelled
            pieces = [audio[int(c["start"] * SAMPLE_RATE) : int(c["end"] * SAMPLE_RATE)]
                      for c in batch]
            decoded = self._decode_batch(pieces, batch, tokenizer, word_timestamps)
            with counted:
                done += len(batch)
                on_progress(min(1.0, done / total))
            return decoded

        def decode_all(todo: list[dict[str, Any]]) -> list[AsrChunk]:
            batches = [todo[i : i + self.batch_size] for i in range(0, len(todo), self.batch_size)]
            if self.workers == 1 or len(batches) == 1:
                return [chunk for batch in batches for chunk in decode_one(batch)]
            # CTranslate2 runs one call per worker at a time (inter_threads); each worker
            # thread takes the next batch, so the cores stay busy without thread spinning.
            with ThreadPoolExecutor(self.workers, thread_name_prefix="mediahub-asr") as pool:
                futures = [pool.submit(decode_one, batch) for batch in batches]
                try:
                    return [chunk for future in futures for chunk in future.result()]
                finally:
                    for future in futures:
                        future.cancel()

        results = decode_all(chunks)
        pending = list(zip(chunks, results, strict=True)) if word_timestamps else []
        for _ in range(RETRY_ROUNDS):
            retry = [gap for chunk, result in pending
                     for gap in uncovered_speech(chunk, result.segment)]
            if not retry:
                break
            log.info("decoding %d stretches of speech a pass skipped", len(retry))
            total += len(retry)
            redone = decode_all(retry)
            results.extend(r for r in redone if r.segment.text)
            pending = list(zip(retry, redone, strict=True))
        results.sort(key=lambda r: r.segment.start)
        return results

    # ------------------------------------------------------------------ internals

    def _features(self, pieces: list[np.ndarray]) -> np.ndarray:
        from whisperx.audio import N_SAMPLES, log_mel_spectrogram

        n_mels = self.model.feat_kwargs.get("feature_size") or 80
        return np.stack([
            log_mel_spectrogram(piece, n_mels=n_mels, padding=N_SAMPLES - piece.shape[0]).numpy()
            for piece in pieces
        ])

    def _decode_batch(
        self, pieces: list[np.ndarray], batch: list[dict[str, Any]], tokenizer: Any,
        word_timestamps: bool,
    ) -> list[AsrChunk]:
        features = self._features(pieces)
        out = self.model.generate_segment_batched(features, tokenizer, self.pipeline.options)
        texts: list[str] = list(out["text"])
        words: list[list[dict[str, Any]]] = [[] for _ in texts]
        if word_timestamps:
            words = self._word_timings(
                texts, pieces, tokenizer, self.model.last_encoder_output
            )
        chunks = []
        for text, chunk, chunk_words in zip(texts, batch, words, strict=True):
            offset = chunk["start"]
            parsed = [
                Word(word=w["word"].strip(), start=round(offset + w["start"], 3),
                     end=round(offset + w["end"], 3), score=round(float(w["probability"]), 3))
                for w in chunk_words
            ]
            segment = Segment(start=round(chunk["start"], 3), end=round(chunk["end"], 3),
                              text=text.strip(), words=parsed)
            chunks.append(AsrChunk(segment=segment, raw_words=[w["word"] for w in chunk_words]))
        return chunks

    def _word_timings(
        self, texts: list[str], pieces: list[np.ndarray], tokenizer: Any, encoder_output: Any
    ) -> list[list[dict[str, Any]]]:
        """faster-whisper's own word timestamps (DTW over cross-attention) for a batch."""
        tokens = [tokenizer.encode(" " + t.strip()) if t.strip() else [] for t in texts]
        # The aligner needs at least one token per item; an empty chunk aligns a dummy and
        # its words are dropped below.
        filler = tokenizer.encode(" .")
        segments = [
            [{"tokens": toks or filler, "seek": 0, "start": 0.0,
              "end": piece.shape[0] / SAMPLE_RATE}]
            for toks, piece in zip(tokens, pieces, strict=True)
        ]
        num_frames = [min(3000, piece.shape[0] // HOP_LENGTH) for piece in pieces]
        options = self.pipeline.options
        self.model.add_word_timestamps(
            segments, tokenizer, encoder_output, num_frames,
            options.prepend_punctuations, options.append_punctuations, 0.0,
        )
        return [
            [w for w in seg[0].get("words", []) if w["word"].strip()] if toks else []
            for seg, toks in zip(segments, tokens, strict=True)
        ]
