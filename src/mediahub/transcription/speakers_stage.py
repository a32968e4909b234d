"""The diarization stage: the diarizer on a background thread within a time budget, its
speakers given to the words; and diarization alone on a recording whose ASR stage is kept.

Diarization alone has two callers: a worker killed after transcribing resumes here instead
of transcribing again, and "find speakers again" re-runs only this stage (the kept segments,
with any corrections the user made, get their speakers anew). A diarizer that fails or runs
out of time leaves the words without speakers and a warning, never a failed transcript.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mediahub.transcription import audio as media
from mediahub.transcription.asr import AsrChunk
from mediahub.transcription.audio import Cancelled
from mediahub.transcription.diarize import Diarizer, SpeakerHint
from mediahub.transcription.parallel import Background
from mediahub.transcription.segments import speakers_in_order, split_chunk
from mediahub.transcription.transcript import Segment, Transcript
from mediahub.transcription.vad import SpeechMap

if TYPE_CHECKING:
    from mediahub.transcription.engine import Engine, ProgressFn, TranscribeOptions

log = logging.getLogger(__name__)
StopFn = Callable[[], bool]

class DiarizationTimeout(Exception):
    """Diarization took longer than its budget."""


def wait_for_turns(background: Diarization, progress: Callable[[str, float], None],
               budget: float, warnings: list[dict[str, Any]]) -> Any:
    """The diarizer's turns; None (and a warning) if it failed or ran out of time.
    Cancelled (the job's cancel) is raised: that is the user's decision, not a fault."""
    deadline = time.monotonic() + budget

    def poll() -> None:
        progress("diarizing", background.fraction)
        if time.monotonic() > deadline:
            raise DiarizationTimeout

    try:
        return background.result(poll=poll)
    except Cancelled:
        raise
    except DiarizationTimeout:
        log.warning("diarization gave up after %.0f s", budget)
        warnings.append({"code": "diarization_timeout", "params": {"seconds": round(budget)}})
    except Exception:  # noqa: BLE001 - the words are worth keeping without speakers
        log.exception("diarization failed; the transcript is kept without speakers")
        warnings.append({"code": "diarization_failed", "params": {}})
    return None


class Diarization(Background):
    """The diarizer's turns for the speech regions, computed on a background thread."""

    def __init__(self, diarizer: Diarizer, audio: Any, speech: SpeechMap, hint: SpeakerHint,
                 should_stop: StopFn) -> None:
        self.fraction = 0.0

        def work(stop: StopFn) -> Any:
            return diarizer.turns(audio, hint, stop, regions=speech.regions,
                                  on_progress=self._moved)

        super().__init__(work, should_stop)

    def _moved(self, fraction: float) -> None:
        self.fraction = fraction


def centroids_of(turns: Any) -> dict[str, list[float]]:
    """The diarizer's voice embeddings per speaker, as plain lists (none from some backends)."""
    return {str(label): [float(x) for x in vector]
            for label, vector in turns.attrs.get("centroids", {}).items()}


def assign_speakers(decoded: list[AsrChunk], turns: Any) -> None:
    """Label every word with whisperx.assign_word_speakers (in place)."""
    import whisperx

    if turns.empty:
        return
    result = whisperx.assign_word_speakers(
        turns, {"segments": [_as_dict(c.segment) for c in decoded]}, fill_nearest=True)
    for chunk, labelled in zip(decoded, result["segments"], strict=True):
        chunk.segment.speaker = labelled.get("speaker")
        for word, item in zip(chunk.segment.words, labelled["words"], strict=True):
            word.speaker = item.get("speaker")
        _fill_untimed_speakers(chunk.segment)


def _as_dict(segment: Segment) -> dict[str, Any]:
    """The shape assign_word_speakers reads; untimed words carry no 'start' (it skips them)."""
    words = []
    for w in segment.words:
        item: dict[str, Any] = {"word": w.word}
        if w.start is not None and w.end is not None:
            item.update(start=w.start, end=w.end)
        words.append(item)
    return {"start": segment.start, "end": segment.end, "text": segment.text, "words": words}


def _fill_untimed_speakers(segment: Segment) -> None:
    """Words without timing take the previous word's speaker (or the segment's)."""
    current = segment.speaker
    for word in segment.words:
        if word.speaker is None:
            word.speaker = current
        current = word.speaker


def diarize_segments(engine: Engine, source: media.Source, segments: list[Segment],
                     options: TranscribeOptions, report: ProgressFn, should_stop: StopFn,
                     max_seconds: float | None) -> Transcript:
    """Decode, find speech, diarize, and give `segments` their speakers (see the module)."""
    from mediahub.transcription.progress import StageProgress, run_speed

    progress = StageProgress(["decoding", "vad", "diarizing", "saving"], report)
    began = time.perf_counter()
    diarizer = engine.diarizer()
    with progress.timed("decoding"):
        audio = media.decode(source, lambda f: progress("decoding", f),
                             max_seconds=max_seconds, should_stop=should_stop)
    engine._check(should_stop)
    with progress.timed("vad"):
        speech = engine.vad().speech(audio, on_progress=lambda f: progress("vad", f),
                                     should_stop=should_stop)
    warnings: list[dict[str, Any]] = []
    turns = None
    if diarizer is None:
        warnings.append({"code": "diarization_off", "params": {}})
    else:
        background = Diarization(diarizer, audio, speech,
                                  SpeakerHint(options.min_speakers, options.max_speakers),
                                  should_stop)
        try:
            with progress.timed("diarizing"):
                turns = wait_for_turns(background, progress, engine.diarization_budget(
                    len(audio) / media.SAMPLE_RATE), warnings)
        finally:
            background.stop()
    centroids: dict[str, list[float]] = {}
    if turns is not None:
        segments = _with_speakers(segments, turns)
        centroids = centroids_of(turns)
    duration = len(audio) / media.SAMPLE_RATE
    speakers = speakers_in_order(segments)
    metrics = {"stages": progress.timings, "resumed_at": "diarizing",
               "diarization": engine.config.diarization,
               **run_speed(time.perf_counter() - began, duration)}
    return Transcript(language="", duration=round(duration, 3), segments=segments,
                      speakers=speakers, metrics=metrics, warnings=warnings,
                      centroids={k: v for k, v in centroids.items() if k in speakers})


def _with_speakers(segments: list[Segment], turns: Any) -> list[Segment]:
    """Segments labelled word by word, split where the speaker changes."""
    for segment in segments:  # the previous run's labels mean nothing to this one
        segment.speaker = None
        for word in segment.words:
            word.speaker = None
    chunks = [AsrChunk(segment=s, raw_words=[(" " if k else "") + w.word.strip()
                                             for k, w in enumerate(s.words)])
              for s in segments]
    assign_speakers(chunks, turns)
    return [piece for chunk in chunks for piece in split_chunk(chunk.segment, chunk.raw_words)]
