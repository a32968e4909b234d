"""Transcript exports (SRT, WebVTT, plain text, JSON, Word) and the response shapes of OpenAI's
`/v1/audio/transcriptions`. Pure functions from a `Transcript` to bytes: no I/O, no database."""

from __future__ import annotations

import html
import io
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, NamedTuple

import docx
import srt
import webvtt
from docx.shared import RGBColor

from mediahub.transcription.transcript import Segment, Transcript, Word


class ExportFormat(NamedTuple):
    """How an export is served: its media type and file extension."""

    media_type: str
    extension: str


EXPORT_FORMATS = ("srt", "vtt", "txt", "json", "docx")
FORMAT_INFO: dict[str, ExportFormat] = {
    "srt": ExportFormat("application/x-subrip; charset=utf-8", "srt"),
    "vtt": ExportFormat("text/vtt; charset=utf-8", "vtt"),
    "txt": ExportFormat("text/plain; charset=utf-8", "txt"),
    "json": ExportFormat("application/json", "json"),
    "docx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
    ),
}
OPENAI_RESPONSE_FORMATS = ("json", "text", "srt", "vtt", "verbose_json")

# Broadcast subtitle guidelines (BBC, Netflix): 42 characters a line, two lines, a few seconds.
MAX_LINE_CHARS = 42
MAX_CUE_SECONDS = 6.0
# A cue shorter than this flashes by unread; short cues are stretched into the following silence.
MIN_CUE_SECONDS = 0.8
# A very long speaker name may take at most this much of the first line; the text needs the rest.
MAX_PREFIX_CHARS = MAX_LINE_CHARS // 2
CLAUSE_END = (",", ".", ";", ":", "?", "!", "…", "。", "？", "！", "，")
# Characters XML 1.0 forbids; python-docx refuses text containing them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class _Token:
    text: str
    start: float
    end: float


@dataclass
class _Cue:
    start: int  # milliseconds: subtitle formats are millisecond-precise, so compare in ms
    end: int
    lines: list[str]
    speaker: str | None  # display name


def export(
    transcript: Transcript,
    fmt: str,
    *,
    speaker_names: dict[str, str] | None = None,
    title: str | None = None,
) -> bytes:
    """Render the transcript in one of EXPORT_FORMATS."""
    names = speaker_names or {}
    if fmt == "srt":
        return _srt(transcript, names).encode("utf-8")
    if fmt == "vtt":
        return _vtt(transcript, names, title).encode("utf-8")
    if fmt == "txt":
        return _txt(transcript, names, title).encode("utf-8")
    if fmt == "json":
        return _json(transcript, names, title).encode("utf-8")
    if fmt == "docx":
        return _docx(transcript, names, title)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")


def openai_response(
    transcript: Transcript, response_format: str
) -> tuple[bytes | dict[str, Any], str]:
    """The body and media type OpenAI's transcription endpoint returns for `response_format`."""
    # OpenAI's subtitles carry no speakers; clients of this endpoint expect its shapes exactly.
    if response_format == "json":
        return {"text": transcript.text}, "application/json"
    if response_format == "text":
        return (transcript.text + "\n").encode("utf-8"), "text/plain; charset=utf-8"
    if response_format == "srt":
        body = _srt(transcript, {}, with_speakers=False).encode("utf-8")
        return body, "text/plain; charset=utf-8"
    if response_format == "vtt":
        body = _vtt(transcript, {}, None, with_speakers=False).encode("utf-8")
        return body, "text/vtt; charset=utf-8"
    if response_format == "verbose_json":
        return _openai_verbose(transcript), "application/json"
    raise ValueError(
        f"unknown response_format {response_format!r}; "
        f"expected one of {', '.join(OPENAI_RESPONSE_FORMATS)}"
    )


# --- timing -------------------------------------------------------------------------------------


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


def _break_long(token: _Token, width: int) -> list[_Token]:
    # A "word" wider than a line (a URL, a script without spaces) is cut into line-sized pieces.
    if len(token.text) <= width:
        return [token]
    pieces = [token.text[i : i + width] for i in range(0, len(token.text), width)]
    times = _spread(pieces, token.start, token.end)
    return [_Token(p, s, e) for p, (s, e) in zip(pieces, times, strict=True)]


def _tokens(segment: Segment, width: int | None = None) -> list[_Token]:
    texts = segment.text.split()
    if segment.words and len(segment.words) == len(texts):
        # The text is authoritative (it may have been corrected); the words lend it their times.
        times = _word_times(segment.words, segment.start, segment.end)
    else:
        # No words, or the text was edited into a different word count: spread it evenly.
        times = _spread(texts, segment.start, segment.end)
    tokens = [_Token(t, s, e) for t, (s, e) in zip(texts, times, strict=True)]
    if width is None:
        return tokens
    return [piece for token in tokens for piece in _break_long(token, width)]


def _ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


# --- subtitle cues ------------------------------------------------------------------------------


def _wrap(words: list[str], reserve: int) -> list[str] | None:
    """One line, or two balanced lines, within MAX_LINE_CHARS; None when the words do not fit."""
    one = " ".join(words)
    if len(one) + reserve <= MAX_LINE_CHARS:
        return [one]
    best: tuple[int, list[str]] | None = None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        if len(first) + reserve <= MAX_LINE_CHARS and len(second) <= MAX_LINE_CHARS:
            cost = max(len(first) + reserve, len(second))
            if best is None or cost < best[0]:
                best = (cost, [first, second])
    return best[1] if best else None


def _make_cue(tokens: list[_Token], speaker: str | None, reserve: int) -> _Cue:
    texts = [t.text for t in tokens]
    start = _ms(tokens[0].start)
    # One word longer than MAX_CUE_SECONDS (a misaligned word) still gets a readable-length cue.
    end = min(_ms(tokens[-1].end), start + _ms(MAX_CUE_SECONDS))
    return _Cue(start, end, _wrap(texts, reserve) or [" ".join(texts)], speaker)


def _fits(tokens: list[_Token], reserve: int) -> bool:
    duration = tokens[-1].end - tokens[0].start
    return duration <= MAX_CUE_SECONDS and _wrap([t.text for t in tokens], reserve) is not None


def _cut(tokens: list[_Token], reserve: int) -> tuple[list[_Token], list[_Token]]:
    """A full cue split into (cue to emit, carry-over), preferring a clause end in its 2nd half."""
    # Reading is easier when a cue ends where the sentence pauses rather than mid-phrase.
    for k in range(len(tokens) - 2, len(tokens) // 2 - 1, -1):
        if tokens[k].text.endswith(CLAUSE_END) and _fits(tokens[k + 1 :], reserve):
            return tokens[: k + 1], tokens[k + 1 :]
    return tokens, []


def _segment_cues(tokens: list[_Token], speaker: str | None, reserve: int) -> list[_Cue]:
    cues: list[_Cue] = []
    current: list[_Token] = []
    for token in tokens:
        if current and not _fits([*current, token], reserve):
            done, current = _cut(current, reserve)
            cues.append(_make_cue(done, speaker, reserve))
            if current and not _fits([*current, token], reserve):
                cues.append(_make_cue(current, speaker, reserve))
                current = []
        current.append(token)
    if current:
        cues.append(_make_cue(current, speaker, reserve))
    return cues


def _retime(cues: list[_Cue]) -> list[_Cue]:
    """Make cue times monotonic and non-overlapping; stretch short cues into following silence."""
    previous_end = 0
    for i, cue in enumerate(cues):
        cue.start = max(cue.start, previous_end)
        if cue.end - cue.start < _ms(MIN_CUE_SECONDS):
            limit = cues[i + 1].start if i + 1 < len(cues) else cue.start + _ms(MIN_CUE_SECONDS)
            cue.end = max(cue.end, min(cue.start + _ms(MIN_CUE_SECONDS), limit))
        cue.end = max(cue.end, cue.start + 1)  # never zero-length
        previous_end = cue.end
    return cues


def _speaker_name(label: str | None, names: dict[str, str]) -> str | None:
    if label is None:
        return None
    return (names.get(label) or "").strip() or label


def _cues(
    transcript: Transcript, names: dict[str, str], *, with_speakers: bool, prefix_chars: int
) -> list[_Cue]:
    cues: list[_Cue] = []
    for segment in sorted(transcript.segments, key=lambda s: s.start):
        name = _speaker_name(segment.speaker, names) if with_speakers else None
        reserve = min(len(name) + prefix_chars, MAX_PREFIX_CHARS) if name else 0
        tokens = _tokens(segment, MAX_LINE_CHARS - reserve)
        cues.extend(_segment_cues(tokens, name, reserve))
    return _retime(cues)


def _srt(transcript: Transcript, names: dict[str, str], *, with_speakers: bool = True) -> str:
    # "Alice: " takes room on the first line, so it counts against the line limit.
    cues = _cues(transcript, names, with_speakers=with_speakers, prefix_chars=len(": "))
    subtitles = [
        srt.Subtitle(
            index=i,
            start=timedelta(milliseconds=cue.start),
            end=timedelta(milliseconds=cue.end),
            content="\n".join(_prefixed(cue.lines, f"{cue.speaker}: " if cue.speaker else "")),
        )
        for i, cue in enumerate(cues, start=1)
    ]
    return srt.compose(subtitles)


def _prefixed(lines: list[str], prefix: str) -> list[str]:
    return [prefix + lines[0], *lines[1:]]


def _vtt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _vtt(
    transcript: Transcript,
    names: dict[str, str],
    title: str | None,
    *,
    with_speakers: bool = True,
) -> str:
    # The <v> voice tag is not displayed, so it takes no room on the line.
    cues = _cues(transcript, names, with_speakers=with_speakers, prefix_chars=0)
    captions = []
    for cue in cues:
        # webvtt-py writes cue text verbatim; "<" and "&" would otherwise be read as markup.
        lines = [html.escape(line, quote=False) for line in cue.lines]
        voice = f"<v {html.escape(cue.speaker, quote=False)}>" if cue.speaker else ""
        captions.append(
            webvtt.Caption(_vtt_time(cue.start), _vtt_time(cue.end), _prefixed(lines, voice))
        )
    # The header line may carry free text, but never a cue arrow or a line break.
    header = " ".join((title or "").replace("-->", "->").split())
    return webvtt.WebVTT(captions=captions, header_text=header).content


# --- documents ----------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    total = max(0, int(seconds))
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _turns(transcript: Transcript) -> list[tuple[str | None, float, str]]:
    """(speaker label, start, text) per speaker turn; consecutive segments of a speaker joined."""
    turns: list[tuple[str | None, float, list[str]]] = []
    for segment in sorted(transcript.segments, key=lambda s: s.start):
        text = " ".join(segment.text.split())
        if not text:
            continue
        if turns and turns[-1][0] == segment.speaker:
            turns[-1][2].append(text)
        else:
            turns.append((segment.speaker, segment.start, [text]))
    return [(speaker, start, " ".join(texts)) for speaker, start, texts in turns]


def _txt(transcript: Transcript, names: dict[str, str], title: str | None) -> str:
    parts = [f"{title.strip()}\n\n"] if title and title.strip() else []
    for speaker, start, text in _turns(transcript):
        name = _speaker_name(speaker, names)
        header = f"{name} [{_clock(start)}]" if name else f"[{_clock(start)}]"
        parts.append(f"{header}\n{text}\n\n")
    return "".join(parts)


def _speaker_labels(transcript: Transcript) -> list[str]:
    # Declared speakers first, then any label only segments or words mention, in order of use.
    seen = dict.fromkeys(transcript.speakers)
    for segment in transcript.segments:
        for label in [segment.speaker, *(w.speaker for w in segment.words)]:
            if label:
                seen.setdefault(label)
    return list(seen)


def _json(transcript: Transcript, names: dict[str, str], title: str | None) -> str:
    # Dicts are built field by field so the key order is fixed and documented by this code.
    document = {
        "title": title,
        "language": transcript.language,
        "duration": transcript.duration,
        "text": transcript.text,
        "speakers": [
            {"id": label, "name": _speaker_name(label, names)}
            for label in _speaker_labels(transcript)
        ],
        "segments": [
            {
                "id": i,
                "start": segment.start,
                "end": segment.end,
                "text": segment.text,
                "speaker": segment.speaker,
                "speaker_name": _speaker_name(segment.speaker, names),
                "words": [
                    {
                        "word": w.word,
                        "start": w.start,
                        "end": w.end,
                        "score": w.score,
                        "speaker": w.speaker,
                    }
                    for w in segment.words
                ],
            }
            for i, segment in enumerate(transcript.segments)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _docx(transcript: Transcript, names: dict[str, str], title: str | None) -> bytes:
    heading = _xml_safe((title or "").strip() or "Transcript")
    document = docx.Document()
    document.core_properties.title = heading[:255]  # the core properties cap text at 255
    document.core_properties.language = _xml_safe(transcript.language or "")[:255]
    document.add_heading(heading, level=1)
    meta = document.add_paragraph().add_run(
        f"Language: {transcript.language or 'unknown'} · Duration: {_clock(transcript.duration)}"
    )
    meta.italic = True
    for speaker, start, text in _turns(transcript):
        paragraph = document.add_paragraph()
        name = _speaker_name(speaker, names)
        if name:
            paragraph.add_run(_xml_safe(name)).bold = True
            paragraph.add_run(" ")
        stamp = paragraph.add_run(f"[{_clock(start)}]")
        stamp.font.color.rgb = RGBColor(0x66, 0x66, 0x66)
        paragraph.add_run().add_break()
        paragraph.add_run(_xml_safe(text))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- OpenAI -------------------------------------------------------------------------------------


def _openai_verbose(transcript: Transcript) -> dict[str, Any]:
    # Fields this engine does not measure (log-probabilities, compression) are reported as 0.0.
    segments = [
        {
            "id": i,
            "seek": 0,
            "start": round(segment.start, 3),
            "end": round(segment.end, 3),
            "text": segment.text.strip(),
            "tokens": [],
            "temperature": 0.0,
            "avg_logprob": 0.0,
            "compression_ratio": 0.0,
            "no_speech_prob": 0.0,
        }
        for i, segment in enumerate(transcript.segments)
    ]
    words = [
        {"word": token.text, "start": round(token.start, 3), "end": round(token.end, 3)}
        for segment in transcript.segments
        for token in _tokens(segment)
    ]
    return {
        "task": "transcribe",
        "language": transcript.language,
        "duration": transcript.duration,
        "text": transcript.text,
        "segments": segments,
        "words": words,
    }
