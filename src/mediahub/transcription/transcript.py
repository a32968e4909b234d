"""The transcript as plain data: what the engine produces, the database stores and exports read.

No heavy imports here: the API, the exporters and the CLI all use these types.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Word:
    """One recognised word with its timing; `score` is the model's confidence (0..1)."""

    word: str
    start: float | None
    end: float | None
    score: float | None = None
    speaker: str | None = None


@dataclass
class Segment:
    """A stretch of speech by one speaker, usually one sentence."""

    start: float
    end: float
    text: str
    speaker: str | None = None
    words: list[Word] = field(default_factory=list)


@dataclass
class Transcript:
    """Everything a transcription run produced."""

    language: str
    duration: float
    segments: list[Segment]
    speakers: list[str] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    # [{"code", "params"}]: what went wrong but left a usable transcript (warnings.py).
    warnings: list[dict[str, Any]] = field(default_factory=list)
    # {speaker label: unit-length mean voice embedding}, when the diarizer gives them.
    centroids: dict[str, list[float]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (without the voice embeddings: they are not a transcript's text)."""
        data = asdict(self)
        data.pop("centroids")
        return data

    @property
    def text(self) -> str:
        """All segment texts joined by spaces."""
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

