"""A corpus of generated voices for calibrating voice matching (bench/voices.py and the floor
test): espeak-ng voices, several recordings each, embedded the way transcripts are.

A voice is an espeak-ng language with a timbre variant (m1..m7, f1..f5, ...); its
recordings say different sentences at different speeds. A recording's embedding is the
diarizer's centroid of its one speaker (the vector a transcript's speaker stores), so the
measured rates are those of the product's own vectors.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import speech

SENTENCES_RU = [
    "Доброе утро, начнём еженедельное совещание по планированию.",
    "Сегодня мы обсудим бюджет новой рекламной кампании.",
    "Дизайнеры закончили первый вариант сайта в прошлую пятницу.",
    "Нужно ещё проверить страницу оплаты на старых телефонах.",
    "Пожалуйста, пришлите замечания Марии до конца недели.",
    "Склад сообщил, что доставка стала намного быстрее.",
    "Покупатели просят упростить возврат товаров.",
    "В следующем месяце мы наймём двух инженеров и дизайнера.",
]
# (language, variant): 16 voices, English and Russian, men and women. Not "en-gb": espeak-ng
# ignores a variant on it (every en-gb+X is the same voice); "en" is its British English.
VOICES = [
    ("en-us", "m1"), ("en", "m2"), ("en-gb-scotland", "m3"), ("en-029", "m4"),
    ("en-us", "m5"), ("en", "m6"), ("en-us", "m7"), ("en", "f1"),
    ("en-us", "f2"), ("en-gb-scotland", "f3"), ("en-us", "f4"), ("en", "f5"),
    ("ru", "m1"), ("ru", "m3"), ("ru", "f2"), ("ru", "f4"),
]
SPEEDS = (150, 165, 180, 140, 172)


@dataclass(frozen=True)
class Rates:
    """Share of impostor recordings named (false accepts) and of genuine ones recognised."""

    threshold: float
    false_accept: float
    recognised: float
    impostor_trials: int
    genuine_trials: int


def make_corpus(directory: Path, voices: Sequence[tuple[str, str]] = VOICES,
                recordings: int = 4, sentences: int = 3) -> dict[str, list[Path]]:
    """`recordings` WAV files per voice, each `sentences` different sentences long."""
    corpus: dict[str, list[Path]] = {}
    for language, variant in voices:
        name = f"{language}+{variant}"
        script = SENTENCES_RU if language == "ru" else speech.SENTENCES
        lines = itertools.cycle(script)
        paths = []
        for index in range(recordings):
            said = [next(lines) for _ in range(sentences)]
            target = directory / f"{name}-{index}.wav"
            if not target.exists():
                _say_lines(target, said, name, SPEEDS[index % len(SPEEDS)])
            paths.append(target)
        corpus[name] = paths
    return corpus


def _say_lines(target: Path, lines: list[str], voice: str, speed: int) -> None:
    parts = []
    for k, line in enumerate(lines):
        clip = target.with_suffix(f".{k}.wav")
        speech._say(line, voice, speed + 4 * k, clip)
        parts.append(str(clip))
    speech._run("sox", *parts, str(target))
    for part in parts:
        Path(part).unlink()


def embed(engine: Any, path: Path) -> list[float]:
    """The recording's one speaker's centroid as the diarizer computes it: the unit-length
    mean of the CAM++ vectors of its subsegments. The recordings are clean speech, so the
    whole file is the speech region (a VAD pass would only cost time)."""
    from mediahub.transcription import audio
    from mediahub.transcription.diarize import normalised

    samples = audio.decode(path)
    diarizer = engine.diarizer()
    subsegments = diarizer._diarizer._generate_subsegments(
        [(0.0, len(samples) / audio.SAMPLE_RATE)], None)
    vectors = diarizer._embeddings(samples, subsegments, lambda: False, lambda f: None)
    return [float(x) for x in normalised(vectors.mean(axis=0))]


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def trials(embeddings: dict[str, list[list[float]]]) -> tuple[list[float], list[float]]:
    """(genuine, impostor) similarities: each voice enrolled from its first recording (one
    'remember'), tried with its other recordings and every recording of every other voice."""
    genuine, impostor = [], []
    for name, vectors in embeddings.items():
        profile = vectors[0]
        genuine += [_cosine(profile, v) for v in vectors[1:]]
        impostor += [_cosine(profile, v) for other, vs in embeddings.items() if other != name
                     for v in vs]
    return genuine, impostor


def rates(genuine: list[float], impostor: list[float], threshold: float) -> Rates:
    """The two rates at `threshold`."""
    return Rates(threshold, sum(s >= threshold for s in impostor) / len(impostor),
                 sum(s >= threshold for s in genuine) / len(genuine), len(impostor),
                 len(genuine))


def cosine_pair(embeddings: dict[str, list[list[float]]], a: str, b: str) -> float:
    """Similarity of two voices' first recordings (which voices the matcher finds alike)."""
    return _cosine(embeddings[a][0], embeddings[b][0])
