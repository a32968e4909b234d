"""Turn ASR chunks (up to 30 s, several speakers) into readable segments: one sentence by one
speaker each, timed by their words. Pure functions, unit-tested without a model."""

from __future__ import annotations

from collections import Counter

from mediahub.transcription.transcript import Segment, Word

SENTENCE_END = (".", "?", "!", "…", "。", "？", "！")
# A pause this long inside a sentence starts a new segment (subtitles and editing both like it).
MAX_PAUSE_SECONDS = 2.0
# Aligners emit zero-length words (start == end, even end < start); nothing is said in 0 ms.
MIN_WORD_SECONDS = 0.02


def repair_word_times(words: list[Word]) -> list[Word]:
    """Give every timed word end > start, in place: MIN_WORD_SECONDS where the next word leaves
    room, else up to its start (at least 1 ms); untimed words are left to the exporters."""
    timed = [w for w in words if w.start is not None and w.end is not None]
    previous_end: float | None = None
    for k, word in enumerate(timed):
        start, end = float(word.start or 0.0), float(word.end or 0.0)  # both set: filtered
        if end - start < MIN_WORD_SECONDS:
            following = timed[k + 1].start if k + 1 < len(timed) else None
            if previous_end is not None and (following is None or previous_end <= following):
                start = max(start, previous_end)  # a zero-length run spreads out, in order
            end = start + MIN_WORD_SECONDS
            if following is not None and following < end:
                # The next word starts at once: 1 ms (overlapping it at worst by that much).
                end = max(following, start + 0.001)
            word.start, word.end = round(start, 3), round(max(end, start + 0.001), 3)
        previous_end = word.end
    return words


def _majority(speakers: list[str | None]) -> str | None:
    known = [s for s in speakers if s]
    return Counter(known).most_common(1)[0][0] if known else None


def _segment(words: list[tuple[str, Word]], fallback: Segment) -> Segment:
    starts = [w.start for _, w in words if w.start is not None]
    ends = [w.end for _, w in words if w.end is not None]
    text = "".join(raw for raw, _ in words).strip()
    return Segment(
        start=min(starts) if starts else fallback.start,
        end=max(ends) if ends else fallback.end,
        text=text,
        speaker=_majority([w.speaker for _, w in words]) or fallback.speaker,
        words=[w for _, w in words],
    )


def _breaks_before(previous: Word, word: Word) -> bool:
    if word.speaker and previous.speaker and word.speaker != previous.speaker:
        return True
    return (
        previous.end is not None
        and word.start is not None
        and word.start - previous.end > MAX_PAUSE_SECONDS
    )


def split_chunk(chunk: Segment, raw_words: list[str]) -> list[Segment]:
    """Split one chunk at sentence ends, speaker changes and long pauses.

    `raw_words` are the words as the model spelled them (leading spaces kept), parallel to
    `chunk.words`, so joined text keeps the model's spacing (and works for scripts without
    spaces).
    """
    if not chunk.words:
        return [chunk] if chunk.text.strip() else []
    pieces: list[Segment] = []
    current: list[tuple[str, Word]] = []
    for raw, word in zip(raw_words, chunk.words, strict=True):
        if current and _breaks_before(current[-1][1], word):
            pieces.append(_segment(current, chunk))
            current = []
        current.append((raw, word))
        if word.word.rstrip().endswith(SENTENCE_END):
            pieces.append(_segment(current, chunk))
            current = []
    if current:
        pieces.append(_segment(current, chunk))
    return pieces


def speakers_in_order(segments: list[Segment]) -> list[str]:
    """Speaker labels in order of first appearance."""
    seen: dict[str, None] = {}
    for segment in segments:
        for label in [segment.speaker, *(w.speaker for w in segment.words)]:
            if label:
                seen.setdefault(label, None)
    return list(seen)
