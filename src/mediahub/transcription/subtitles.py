"""Subtitle cues from a transcript, following a broadcast style guide (BBC, Netflix): short
lines, few of them, on screen long enough to read, broken where the sentence pauses, and a new
cue whenever the speaker changes. Pure functions from a `Transcript` to cues: no I/O."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from mediahub.transcription.transcript import Segment, Transcript, Word

SENTENCE_END = (".", "?", "!", "…", "。", "？", "！")
CLAUSE_END = (*SENTENCE_END, ",", ";", ":", "—", "，")
# A line or cue reads best broken before these words (the BBC guide's examples, plus a few).
CONJUNCTIONS = frozenset({
    "and", "but", "or", "so", "because", "although", "though", "while", "when", "where", "which",
    "who", "that", "if", "unless", "until", "then", "since", "as", "after", "before",
})
# Speech paused this long is a natural place for a cue to end; twice as long always ends it.
PAUSE_SECONDS = 0.3
FORCED_BREAK_SECONDS = 2.0
# Break costs (in "cues"): a cue ending mid-phrase costs as much as several extra cues.
_BREAK_COST = {"sentence": 0.0, "clause": 1.5, "pause": 2.0, "conjunction": 2.5, "phrase": 6.0}
_SHORT_CUE_COST = 5.0  # the cue cannot stay up for the minimum duration
_FAST_CUE_COST = 10.0  # per 100 % over the reading speed
# In characters of imbalance: the BBC guide puts a phrase kept whole above equal lines.
_LINE_BREAK_PENALTY = 16


@dataclass(frozen=True)
class CueRules:
    """The style guide: line width and count, duration bounds and reading speed."""

    max_line_chars: int = 42
    max_lines: int = 2
    min_seconds: float = 5 / 6  # 20 frames at 24 fps
    max_seconds: float = 7.0
    max_chars_per_second: float = 20.0


DEFAULT_RULES = CueRules()


@dataclass
class Token:
    """One word of subtitle text with its time and speaker label."""

    text: str
    start: float
    end: float
    speaker: str | None = None


@dataclass
class Cue:
    """One subtitle: millisecond times (what SRT/VTT can say), wrapped lines, display name."""

    start: int
    end: int
    lines: list[str]
    speaker: str | None = None
    label: str | None = field(default=None, repr=False)  # the speaker's label, for checks

    @property
    def text(self) -> str:
        """The cue's words on one line."""
        return " ".join(self.lines)


# --- words and their times ----------------------------------------------------------------------


def _word_times(words: list[Word], start: float, end: float) -> list[tuple[float, float]]:
    # Aligners leave some words (numbers, symbols) untimed: interpolate them between neighbours.
    points: list[float | None] = [t for w in words for t in (w.start, w.end)]
    known = [p for p in points if p is not None]
    if points[0] is None:
        points[0] = min([start, *known])
    if points[-1] is None:
        points[-1] = max([end, *known])
    anchors = [(i, p) for i, p in enumerate(points) if p is not None]
    filled = [0.0] * len(points)
    for (left, lo), (right, hi) in zip(anchors, anchors[1:], strict=False):
        for i in range(left, right + 1):
            filled[i] = lo + (hi - lo) * (i - left) / (right - left)
    # Alignment occasionally emits times out of order; everything downstream assumes order.
    for i in range(1, len(filled)):
        filled[i] = max(filled[i], filled[i - 1])
    return list(zip(filled[::2], filled[1::2], strict=True))


def _spread(texts: list[str], start: float, end: float) -> list[tuple[float, float]]:
    # Without word timings, time is shared out by character count: long words take longer to say.
    total = sum(len(t) + 1 for t in texts) or 1
    span = max(end - start, 0.0)
    times, done = [], 0
    for text in texts:
        begin = start + span * done / total
        done += len(text) + 1
        times.append((begin, start + span * done / total))
    return times


def _break_long(token: Token, width: int) -> list[Token]:
    # A "word" wider than a line (a URL, a script without spaces) is cut into line-sized pieces.
    if len(token.text) <= width:
        return [token]
    pieces = [token.text[i : i + width] for i in range(0, len(token.text), width)]
    times = _spread(pieces, token.start, token.end)
    return [Token(p, s, e, token.speaker) for p, (s, e) in zip(pieces, times, strict=True)]


def segment_tokens(segment: Segment, width: int | None = None) -> list[Token]:
    """The segment's words with times; wider than `width` ones cut into pieces."""
    texts = segment.text.split()
    if segment.words and len(segment.words) == len(texts):
        # The text is authoritative (it may have been corrected); the words lend it their times.
        times = _word_times(segment.words, segment.start, segment.end)
    else:
        # No words, or the text was edited into a different word count: spread it evenly.
        times = _spread(texts, segment.start, segment.end)
    tokens = [Token(t, s, e, segment.speaker) for t, (s, e) in zip(texts, times, strict=True)]
    if width is None:
        return tokens
    return [piece for token in tokens for piece in _break_long(token, width)]


# --- line breaking ------------------------------------------------------------------------------


def _good_line_break(words: list[str], i: int) -> bool:
    """Breaking before words[i] keeps a phrase together (after punctuation, before 'and')."""
    return words[i - 1].endswith(CLAUSE_END) or words[i].lower() in CONJUNCTIONS


def _line_count(lengths: list[int], width: int, reserve: int) -> int:
    """Lines a greedy fill needs (greedy is optimal for the count); huge if a word cannot fit."""
    lines, used, room = 1, -1, width - reserve  # used: characters on the line; -1 = empty
    for n in lengths:
        if used + 1 + n <= room:
            used += 1 + n
        elif used < 0 or n > width:
            return 1_000_000
        else:
            lines, used, room = lines + 1, n, width
    return lines


def wrap(words: list[str], width: int, max_lines: int, reserve: int = 0) -> list[str] | None:
    """Fewest lines (<= max_lines, each <= width; the first has `reserve` less), balanced and
    broken at phrase boundaries; None when the words do not fit."""
    lengths = [len(w) for w in words]
    count = _line_count(lengths, width, reserve)
    if count > max_lines:
        return None
    prefix = [0]
    for n in lengths:
        prefix.append(prefix[-1] + n)

    def size(a: int, b: int) -> int:
        return prefix[b] - prefix[a] + (b - a - 1)

    best: tuple[int, list[int]] | None = None
    for cuts in _cut_points(len(words), count):
        bounds = [0, *cuts, len(words)]
        sizes = [size(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]
        sizes[0] += reserve
        if max(sizes) > width:
            continue
        cost = max(sizes) - min(sizes) + sum(
            0 if _good_line_break(words, c) else _LINE_BREAK_PENALTY for c in cuts)
        if best is None or cost < best[0]:
            best = (cost, bounds)
    assert best is not None  # the greedy fill proved one exists
    bounds = best[1]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def _cut_points(n: int, lines: int) -> list[tuple[int, ...]]:
    return list(itertools.combinations(range(1, n), lines - 1))


# --- grouping words into cues -------------------------------------------------------------------


def _break_kind(tokens: list[Token], j: int) -> str:
    """How good a cue end between tokens[j-1] and tokens[j] is."""
    before, after = tokens[j - 1], tokens[j]
    if before.text.endswith(SENTENCE_END):
        return "sentence"
    if before.text.endswith(CLAUSE_END):
        return "clause"
    if after.start - before.end >= PAUSE_SECONDS:
        return "pause"
    if after.text.lower() in CONJUNCTIONS:
        return "conjunction"
    return "phrase"


def _runs(tokens: list[Token]) -> list[list[Token]]:
    """Stretches no cue may cross: a change of speaker or a long pause ends one."""
    runs: list[list[Token]] = []
    for token in tokens:
        if runs and (token.speaker == runs[-1][-1].speaker
                     and token.start - runs[-1][-1].end < FORCED_BREAK_SECONDS):
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


class _Grouper:
    """Optimal cue boundaries for one run (dynamic programming over break points)."""

    def __init__(self, run: list[Token], after: float, rules: CueRules, reserve: int) -> None:
        self.run, self.after, self.rules, self.reserve = run, after, rules, reserve
        self.lengths = [len(t.text) for t in run]
        self.prefix = [0]
        for n in self.lengths:
            self.prefix.append(self.prefix[-1] + n)

    def chars(self, i: int, j: int) -> int:
        return self.prefix[j] - self.prefix[i] + (j - i - 1)

    def cost(self, i: int, j: int) -> float | None:
        """The cost of tokens[i:j] as one cue; None if it breaks a hard rule."""
        run, rules = self.run, self.rules
        span = run[j - 1].end - run[i].start
        single = j - i == 1  # one word (or piece) always makes a cue, however long it is said
        if not single and span > rules.max_seconds:
            return None
        if not single and _line_count(
                self.lengths[i:j], rules.max_line_chars, self.reserve) > rules.max_lines:
            return None
        following = run[j].start if j < len(run) else self.after
        window = max(span, min(following - run[i].start, rules.max_seconds))
        cost = 1.0 if j == len(run) else 1.0 + _BREAK_COST[_break_kind(run, j)]
        if window < rules.min_seconds:
            cost += _SHORT_CUE_COST
        speed = self.chars(i, j) / max(window, 1e-3)
        if speed > rules.max_chars_per_second:
            cost += _FAST_CUE_COST * (speed / rules.max_chars_per_second - 1)
        return cost

    def groups(self) -> list[tuple[int, int]]:
        """(start, end) token indices of each cue."""
        n, limit = len(self.run), self.rules.max_lines * self.rules.max_line_chars
        best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * n
        for j in range(1, n + 1):
            for i in range(j - 1, -1, -1):
                if i < j - 1 and self.chars(i, j) > limit:
                    break
                cost = self.cost(i, j)
                if cost is not None and best[i][0] + cost < best[j][0]:
                    best[j] = (best[i][0] + cost, i)
        bounds, j = [], n
        while j > 0:
            bounds.append((best[j][1], j))
            j = best[j][1]
        return bounds[::-1]


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


def _retime(cues: list[Cue], starts: list[float], ends: list[float], rules: CueRules) -> None:
    """Times from the words, then: monotonic, non-overlapping, long enough to read if the
    following silence allows, never longer than the maximum."""
    previous_end = 0
    for k, cue in enumerate(cues):
        start = max(_ms(starts[k]), previous_end)
        following = max(_ms(starts[k + 1]), start) if k + 1 < len(cues) else None
        reading = math.ceil(1000 * len(cue.text) / rules.max_chars_per_second)
        end = max(_ms(ends[k]), start + _ms(rules.min_seconds), start + reading)
        end = min(end, start + _ms(rules.max_seconds))
        if following is not None and following > start:
            end = min(end, following)
        cue.start, cue.end = start, max(end, start + 1)  # never zero-length
        previous_end = cue.end


def speaker_name(label: str | None, names: dict[str, str]) -> str | None:
    """The name a speaker is shown under: the given name, else the label."""
    if label is None:
        return None
    return (names.get(label) or "").strip() or label


def _shown_name(name: str, prefix: str, width: int) -> str:
    """The name as it fits on the first line: at most half of it, the text needs the rest."""
    room = width // 2 - len(prefix)
    return name if len(name) <= room else name[: max(room - 1, 1)] + "…"


def cues(
    transcript: Transcript,
    rules: CueRules = DEFAULT_RULES,
    *,
    names: dict[str, str] | None = None,
    with_speakers: bool = True,
    name_prefix: str | None = None,
) -> list[Cue]:
    """The transcript as subtitle cues. With `name_prefix` (SRT's ": "), the speaker's name is
    shown as "Name: " on the first line, so it takes room there (a long name is shortened);
    without it the name is metadata (VTT's voice tag) and takes none."""
    names = names or {}
    width = rules.max_line_chars
    tokens: list[Token] = []
    shown: dict[str | None, tuple[str | None, int]] = {}  # label -> (name, room it takes)
    for segment in sorted(transcript.segments, key=lambda s: s.start):
        name = speaker_name(segment.speaker, names) if with_speakers else None
        reserve = 0
        if name and name_prefix is not None:
            name = _shown_name(name, name_prefix, width)
            reserve = len(name) + len(name_prefix)
        shown[segment.speaker] = (name, reserve)
        tokens.extend(segment_tokens(segment, width - reserve))
    runs = _runs(tokens)
    result: list[Cue] = []
    starts: list[float] = []
    ends: list[float] = []
    for r, run in enumerate(runs):
        after = runs[r + 1][0].start if r + 1 < len(runs) else math.inf
        label = run[0].speaker
        name, reserve = shown[label]
        for i, j in _Grouper(run, after, rules, reserve).groups():
            words = [t.text for t in run[i:j]]
            lines = wrap(words, width, rules.max_lines, reserve) or [" ".join(words)]
            result.append(Cue(0, 0, lines, name, label))
            starts.append(run[i].start)
            ends.append(run[j - 1].end)
    _retime(result, starts, ends, rules)
    return result


# --- checking -----------------------------------------------------------------------------------

RULE_NAMES = ("line_chars", "lines", "min_duration", "max_duration", "reading_speed")


def broken_rules(start_ms: int, end_ms: int, lines: list[str], rules: CueRules = DEFAULT_RULES
                 ) -> list[str]:
    """Which of RULE_NAMES one cue breaks (lines as displayed, without markup)."""
    duration = (end_ms - start_ms) / 1000
    chars = len(" ".join(lines))
    checks = {
        "line_chars": all(len(line) <= rules.max_line_chars for line in lines),
        "lines": 1 <= len(lines) <= rules.max_lines,
        "min_duration": duration >= rules.min_seconds - 0.0005,
        "max_duration": duration <= rules.max_seconds + 0.0005,
        "reading_speed": duration > 0 and chars / duration <= rules.max_chars_per_second + 1e-9,
    }
    return [name for name in RULE_NAMES if not checks[name]]
