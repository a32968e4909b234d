"""Exports read back with the libraries that parse them: srt, webvtt-py, python-docx, json."""

from __future__ import annotations

import html
import io
import json

import docx
import pytest
import srt
import webvtt

from mediahub.transcription.export import (
    EXPORT_FORMATS,
    FORMAT_INFO,
    export,
    openai_response,
)
from mediahub.transcription.transcript import Segment, Transcript, Word

# The subtitle rules, stated here rather than imported so a changed constant fails the tests.
MAX_LINE_CHARS = 42
MAX_CUE_SECONDS = 7.0
NAMES = {"SPEAKER_00": "Alice", "SPEAKER_01": "Борис"}
LONG_ENGLISH = (
    "so what we are going to do today is walk through the whole release plan from the first "
    "build to the final sign off and make sure every team knows exactly which part of the "
    "work belongs to them and when it has to be finished because last time we lost a week"
)
LONG_RUSSIAN = (
    "Сегодня мы обсудим план выпуска новой версии продукта, распределим задачи между командами "
    "и договоримся о сроках, чтобы в этот раз никто не остался без работы и ничего не потерялось"
)


def timed_words(text: str, start: float, step: float, speaker: str | None = None) -> list[Word]:
    """Words of `text`, each `step` seconds long, back to back from `start`."""
    return [
        Word(w, round(start + i * step, 3), round(start + (i + 1) * step - 0.05, 3), 0.9, speaker)
        for i, w in enumerate(text.split())
    ]


def make_transcript() -> Transcript:
    hello = timed_words("Hello everyone, welcome to the meeting.", 0.5, 0.4, "SPEAKER_00")
    hello[3].start = hello[3].end = None  # aligners leave some words untimed
    long_words = timed_words(LONG_ENGLISH, 20.0, 0.35, "SPEAKER_00")
    return Transcript(
        language="ru",
        duration=75.0,
        speakers=["SPEAKER_00", "SPEAKER_01"],
        segments=[
            Segment(0.5, 2.9, "Hello everyone, welcome to the meeting.", "SPEAKER_00", hello),
            Segment(
                3.5,
                5.5,
                "Привет всем, рад вас слышать.",
                "SPEAKER_01",
                timed_words("Привет всем, рад вас слышать.", 3.5, 0.4, "SPEAKER_01"),
            ),
            # No words at all: the text is spread over the segment's time span.
            Segment(6.0, 19.0, LONG_RUSSIAN, "SPEAKER_01"),
            Segment(20.0, long_words[-1].end or 0.0, LONG_ENGLISH, "SPEAKER_00", long_words),
            Segment(50.0, 53.0, "Thanks, that is all from the unknown side.", "SPEAKER_02"),
            Segment(60.0, 62.0, "Nobody knows who said this.", None),
            Segment(63.0, 64.0, "   ", None),  # blank text makes no cue
        ],
    )


def expected_tokens(transcript: Transcript) -> list[tuple[str, str | None]]:
    """Every word of the transcript, in time order, with its speaker's display name."""
    return [
        (word, NAMES.get(s.speaker, s.speaker) if s.speaker else None)
        for s in sorted(transcript.segments, key=lambda s: s.start)
        for word in s.text.split()
    ]


def assert_cue_rules(cues: list[tuple[float, float, list[str]]]) -> None:
    """Line length, line count, duration, and monotonic non-overlapping times."""
    previous_end = 0.0
    for start, end, lines in cues:
        assert 1 <= len(lines) <= 2, lines
        assert all(0 < len(line) <= MAX_LINE_CHARS for line in lines), lines
        assert start < end, (start, end, lines)
        assert end - start <= MAX_CUE_SECONDS + 1e-6, (start, end, lines)
        assert start >= previous_end, (previous_end, start, lines)
        previous_end = end


def assert_words_round_trip(
    cues: list[tuple[str | None, list[str]]], expected: list[tuple[str, str | None]]
) -> None:
    """All words appear once, in order, each in a cue labelled with its own speaker."""
    remaining = list(expected)
    for speaker, lines in cues:
        for word in " ".join(lines).split():
            assert remaining, f"extra word {word!r}"
            want_word, want_speaker = remaining.pop(0)
            assert (word, speaker) == (want_word, want_speaker)
    assert not remaining, f"missing words {remaining[:5]}"


def parse_srt(body: bytes) -> list[srt.Subtitle]:
    return list(srt.parse(body.decode("utf-8")))


def split_srt_speaker(content: str) -> tuple[str | None, list[str]]:
    lines = content.split("\n")
    for name in [*NAMES.values(), "SPEAKER_02"]:
        if lines[0].startswith(f"{name}: "):
            return name, lines
    return None, lines


def parse_vtt(body: bytes) -> list[webvtt.Caption]:
    return webvtt.from_buffer(io.StringIO(body.decode("utf-8"))).captions


# --- SRT ----------------------------------------------------------------------------------------


def test_srt_cues_obey_length_duration_and_ordering_rules():
    subtitles = parse_srt(export(make_transcript(), "srt", speaker_names=NAMES))
    assert len(subtitles) > 8  # long segments were split
    assert [s.index for s in subtitles] == list(range(1, len(subtitles) + 1))
    assert_cue_rules(
        [(s.start.total_seconds(), s.end.total_seconds(), s.content.split("\n")) for s in subtitles]
    )


def test_srt_keeps_every_word_in_order_with_speaker_prefixes():
    transcript = make_transcript()
    subtitles = parse_srt(export(transcript, "srt", speaker_names=NAMES))
    cues = []
    for subtitle in subtitles:
        speaker, lines = split_srt_speaker(subtitle.content)
        if speaker:
            lines[0] = lines[0].removeprefix(f"{speaker}: ")
        cues.append((speaker, lines))
    assert_words_round_trip(cues, expected_tokens(transcript))


def test_srt_cue_times_come_from_word_timings():
    transcript = make_transcript()
    subtitles = parse_srt(export(transcript, "srt", speaker_names=NAMES))
    assert subtitles[0].start.total_seconds() == pytest.approx(0.5)
    assert subtitles[0].end.total_seconds() == pytest.approx(2.85)  # last word's end
    long_segment = transcript.segments[3]
    word_starts = {round(w.start or 0, 3) for w in long_segment.words}
    word_ends = {round(w.end or 0, 3) for w in long_segment.words}
    inside = [s for s in subtitles if 20.0 <= s.start.total_seconds() < 49.0]
    assert len(inside) >= 3
    assert all(s.start.total_seconds() in word_starts for s in inside)
    assert all(s.end.total_seconds() in word_ends for s in inside)


def test_srt_spreads_a_segment_without_words_over_its_span():
    transcript = make_transcript()
    subtitles = parse_srt(export(transcript, "srt", speaker_names=NAMES))
    spread = [s for s in subtitles if 6.0 <= s.start.total_seconds() < 19.0]
    assert len(spread) >= 3
    assert spread[0].start.total_seconds() == pytest.approx(6.0)
    assert spread[-1].end.total_seconds() == pytest.approx(19.0, abs=0.01)
    assert all(s.content.startswith("Борис: ") for s in spread)


def test_cues_prefer_to_end_at_a_clause_boundary():
    text = (
        "After a long week of testing we finally shipped the release on Friday, "
        "and the whole team went home early"
    )
    words = timed_words(text, 0.0, 0.3)
    transcript = Transcript(
        language="en", duration=9.0, segments=[Segment(0.0, 9.0, text, None, words)]
    )
    subtitles = parse_srt(export(transcript, "srt"))
    # Filling greedily would have pulled "and" into the first cue.
    assert [s.content for s in subtitles] == [
        "After a long week of testing we\nfinally shipped the release on Friday,",
        "and the whole team went home early",
    ]


def test_srt_falls_back_to_label_and_omits_unknown_speaker():
    subtitles = parse_srt(export(make_transcript(), "srt", speaker_names=NAMES))
    by_text = {s.content.split("\n")[0]: s for s in subtitles}
    assert any(line.startswith("SPEAKER_02: Thanks") for line in by_text)
    nobody = [s for s in subtitles if "Nobody" in s.content]
    assert nobody and nobody[0].content.startswith("Nobody knows")


def test_unnamed_speakers_are_named_in_the_recordings_language():
    def said(language: str) -> Transcript:
        return Transcript(language=language, duration=4.0, speakers=["SPEAKER_00", "SPEAKER_01"],
                          segments=[Segment(0.0, 1.5, "Привет.", "SPEAKER_00",
                                            timed_words("Привет.", 0.0, 0.5, "SPEAKER_00")),
                                    Segment(2.0, 3.5, "Здравствуйте.", "SPEAKER_01",
                                            timed_words("Здравствуйте.", 2.0, 0.5, "SPEAKER_01"))])

    names = {"SPEAKER_00": "Speaker 1", "SPEAKER_01": "Speaker Anna"}
    russian = export(said("ru"), "srt", speaker_names=names).decode()
    assert "Говорящий 1: Привет." in russian and "Speaker 1" not in russian
    assert "Speaker Anna: Здравствуйте." in russian  # a name somebody typed is kept
    assert "Говорящий 1" in export(said("ru"), "txt", speaker_names=names).decode()
    assert "Speaker 1: Привет." in export(said("en"), "srt", speaker_names=names).decode()


def test_srt_without_speaker_names_uses_labels():
    subtitles = parse_srt(export(make_transcript(), "srt"))
    assert subtitles[0].content.startswith("SPEAKER_00: Hello")


def test_overlapping_segments_do_not_produce_overlapping_cues():
    transcript = Transcript(
        language="en",
        duration=10.0,
        segments=[
            Segment(0.0, 4.0, "first speaker talks over the second one", "A"),
            Segment(2.0, 5.0, "second speaker interrupts", "B"),
            Segment(5.0, 5.0, "instant", "A"),  # zero-length: still shown, never empty
        ],
    )
    subtitles = parse_srt(export(transcript, "srt"))
    assert_cue_rules(
        [(s.start.total_seconds(), s.end.total_seconds(), s.content.split("\n")) for s in subtitles]
    )
    assert subtitles[-1].content == "A: instant"


def test_word_longer_than_a_line_is_cut_into_pieces():
    url = "https://example.com/" + "a" * 100
    transcript = Transcript(
        language="en", duration=5.0, segments=[Segment(0.0, 5.0, f"see {url} now", "A")]
    )
    subtitles = parse_srt(export(transcript, "srt"))
    lines = [line for s in subtitles for line in s.content.split("\n")]
    assert all(len(line) <= MAX_LINE_CHARS for line in lines), lines
    joined = "".join(line.removeprefix("A: ").replace(" ", "") for line in lines)
    assert joined == f"see{url}now"


def test_single_word_longer_than_max_duration_is_capped():
    transcript = Transcript(
        language="en",
        duration=20.0,
        segments=[Segment(0.0, 20.0, "Mmm", None, [Word("Mmm", 1.0, 19.0)])],
    )
    (subtitle,) = parse_srt(export(transcript, "srt"))
    assert subtitle.start.total_seconds() == pytest.approx(1.0)
    assert subtitle.end.total_seconds() == pytest.approx(1.0 + MAX_CUE_SECONDS)


def test_words_without_any_times_still_make_valid_cues():
    text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    words = [Word(w, None, None) for w in text.split()]
    transcript = Transcript(
        language="en", duration=10.0, segments=[Segment(2.0, 10.0, text, None, words)]
    )
    subtitles = parse_srt(export(transcript, "srt"))
    assert_cue_rules(
        [(s.start.total_seconds(), s.end.total_seconds(), s.content.split("\n")) for s in subtitles]
    )
    assert subtitles[0].start.total_seconds() == pytest.approx(2.0)
    assert subtitles[-1].end.total_seconds() == pytest.approx(10.0)
    assert " ".join(s.content.replace("\n", " ") for s in subtitles) == text


def test_edited_text_with_a_different_word_count_is_still_exported():
    words = timed_words("helo wrld", 0.0, 1.0)
    transcript = Transcript(
        language="en",
        duration=2.0,
        segments=[Segment(0.0, 2.0, "Hello, dear world.", None, words)],
    )
    (subtitle,) = parse_srt(export(transcript, "srt"))
    assert subtitle.content == "Hello, dear world."


def test_empty_transcript_exports_in_every_format():
    transcript = Transcript(language="en", duration=0.0, segments=[])
    for fmt in EXPORT_FORMATS:
        assert isinstance(export(transcript, fmt), bytes)
    assert json.loads(export(transcript, "json"))["segments"] == []
    assert parse_srt(export(transcript, "srt")) == []
    assert parse_vtt(export(transcript, "vtt")) == []


# --- WebVTT -------------------------------------------------------------------------------------


def test_vtt_cues_obey_rules_and_carry_voice_tags():
    transcript = make_transcript()
    body = export(transcript, "vtt", speaker_names=NAMES, title="Планёрка")
    assert body.decode("utf-8").startswith("WEBVTT Планёрка\n")
    captions = parse_vtt(body)
    texts = [[html.unescape(line) for line in c.text.split("\n")] for c in captions]
    assert_cue_rules(
        [(c.start_in_seconds, c.end_in_seconds, t) for c, t in zip(captions, texts, strict=True)]
    )
    assert [c.start for c in captions][0] == "00:00:00.500"
    assert_words_round_trip(
        [
            (html.unescape(c.voice) if c.voice else None, t)
            for c, t in zip(captions, texts, strict=True)
        ],
        expected_tokens(transcript),
    )


def test_vtt_escapes_markup_in_names_and_text():
    transcript = Transcript(
        language="en",
        duration=3.0,
        segments=[Segment(0.0, 3.0, "if a<b & c>d then", "S")],
    )
    body = export(transcript, "vtt", speaker_names={"S": "Tom & <Jerry>"})
    (caption,) = parse_vtt(body)
    assert html.unescape(caption.voice) == "Tom & <Jerry>"
    assert html.unescape(caption.text) == "if a<b & c>d then"


def test_vtt_title_cannot_break_the_header():
    transcript = Transcript(language="en", duration=1.0, segments=[Segment(0.0, 1.0, "hi", None)])
    body = export(transcript, "vtt", title="a --> b\nWEBVTT")
    assert body.decode().split("\n")[0] == "WEBVTT a -> b WEBVTT"
    assert [c.text for c in parse_vtt(body)] == ["hi"]


# --- TXT, JSON, DOCX ----------------------------------------------------------------------------


def test_txt_groups_consecutive_segments_into_speaker_turns():
    body = export(make_transcript(), "txt", speaker_names=NAMES, title="Meeting").decode("utf-8")
    assert body.startswith(
        "Meeting\n\nAlice [00:00:00]\nHello everyone, welcome to the meeting.\n\n"
    )
    assert f"Борис [00:00:03]\nПривет всем, рад вас слышать. {LONG_RUSSIAN}\n\n" in body
    assert f"Alice [00:00:20]\n{LONG_ENGLISH}\n\n" in body
    assert "SPEAKER_02 [00:00:50]\nThanks" in body
    assert body.endswith("[00:01:00]\nNobody knows who said this.\n\n")
    assert body.count("[00:") == 5


def test_json_holds_the_full_transcript_in_utf8_with_stable_keys():
    transcript = make_transcript()
    body = export(transcript, "json", speaker_names=NAMES)
    assert "Привет".encode() in body  # UTF-8, not \u escapes
    assert body == export(transcript, "json", speaker_names=NAMES)
    data = json.loads(body)
    assert list(data) == ["title", "language", "duration", "text", "speakers", "segments"]
    assert data["language"] == "ru" and data["duration"] == 75.0
    assert data["speakers"] == [
        {"id": "SPEAKER_00", "name": "Alice"},
        {"id": "SPEAKER_01", "name": "Борис"},
        {"id": "SPEAKER_02", "name": "SPEAKER_02"},
    ]
    first = data["segments"][0]
    assert list(first) == ["id", "start", "end", "text", "speaker", "speaker_name", "words"]
    assert first["speaker_name"] == "Alice"
    assert list(first["words"][0]) == ["word", "start", "end", "score", "speaker"]
    assert first["words"][3] == {
        "word": "to",
        "start": None,
        "end": None,
        "score": 0.9,
        "speaker": "SPEAKER_00",
    }
    assert len(data["segments"]) == len(transcript.segments)
    assert data["segments"][2]["words"] == []


def test_docx_has_title_metadata_and_bold_speaker_turns():
    body = export(make_transcript(), "docx", speaker_names=NAMES, title="Планёрка")
    document = docx.Document(io.BytesIO(body))
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "Планёрка"
    assert paragraphs[0].style.name.startswith("Heading")
    assert document.core_properties.title == "Планёрка"
    assert "ru" in paragraphs[1].text and "00:01:15" in paragraphs[1].text
    turns = paragraphs[2:]
    assert len(turns) == 5
    assert turns[1].runs[0].text == "Борис" and turns[1].runs[0].bold
    assert "[00:00:03]" in turns[1].text and LONG_RUSSIAN in turns[1].text
    assert turns[4].text.startswith("[00:01:00]")  # no speaker, no name
    assert not any(run.bold for run in turns[4].runs)


def test_docx_drops_characters_xml_cannot_hold():
    transcript = Transcript(
        language="en", duration=1.0, segments=[Segment(0.0, 1.0, "bell\x07 here", None)]
    )
    document = docx.Document(io.BytesIO(export(transcript, "docx")))
    assert "bell here" in document.paragraphs[-1].text


# --- formats and dispatch -----------------------------------------------------------------------


def test_every_format_has_a_media_type_and_extension():
    assert set(FORMAT_INFO) == set(EXPORT_FORMATS)
    for fmt in EXPORT_FORMATS:
        assert FORMAT_INFO[fmt].extension == fmt
        assert "/" in FORMAT_INFO[fmt].media_type
    assert FORMAT_INFO["vtt"].media_type.startswith("text/vtt")


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError, match="unknown export format"):
        export(make_transcript(), "pdf")
    with pytest.raises(ValueError, match="unknown response_format"):
        openai_response(make_transcript(), "xml")


# --- OpenAI -------------------------------------------------------------------------------------


def test_openai_json_and_text():
    transcript = make_transcript()
    body, media_type = openai_response(transcript, "json")
    assert body == {"text": transcript.text} and media_type == "application/json"
    body, media_type = openai_response(transcript, "text")
    assert body == (transcript.text + "\n").encode() and media_type.startswith("text/plain")


def test_openai_subtitles_have_no_speakers():
    transcript = make_transcript()
    body, _ = openai_response(transcript, "srt")
    assert isinstance(body, bytes)
    subtitles = parse_srt(body)
    assert subtitles[0].content.startswith("Hello everyone")
    assert_words_round_trip(
        [(None, s.content.split("\n")) for s in subtitles],
        [(word, None) for word, _ in expected_tokens(transcript)],
    )
    body, media_type = openai_response(transcript, "vtt")
    assert isinstance(body, bytes) and media_type.startswith("text/vtt")
    assert all(c.voice is None for c in parse_vtt(body))


def test_openai_verbose_json_shape():
    transcript = make_transcript()
    body, media_type = openai_response(transcript, "verbose_json")
    assert media_type == "application/json" and isinstance(body, dict)
    json.dumps(body)  # serialisable as is
    assert list(body) == ["task", "language", "duration", "text", "segments", "words"]
    assert body["task"] == "transcribe" and body["text"] == transcript.text
    segment = body["segments"][1]
    assert segment == {
        "id": 1,
        "seek": 0,
        "start": 3.5,
        "end": 5.5,
        "text": "Привет всем, рад вас слышать.",
        "tokens": [],
        "temperature": 0.0,
        "avg_logprob": 0.0,
        "compression_ratio": 0.0,
        "no_speech_prob": 0.0,
    }
    words = body["words"]
    assert [w["word"] for w in words] == [w for w, _ in expected_tokens(transcript)]
    assert all(list(w) == ["word", "start", "end"] for w in words)
    starts = [w["start"] for w in words]
    assert starts == sorted(starts)
    # The untimed word "to" sits between "welcome" (ends 1.65) and "the" (starts 2.1).
    untimed = words[3]
    assert untimed["word"] == "to"
    assert 1.65 <= untimed["start"] < untimed["end"] <= 2.1
