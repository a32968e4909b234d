"""Transcript exports (SRT, WebVTT, plain text, JSON, Word) and the response shapes of OpenAI's
`/v1/audio/transcriptions`. Pure functions from a `Transcript` to bytes: no I/O, no database."""

from __future__ import annotations

import html
import io
import json
import re
from datetime import timedelta
from typing import Any, NamedTuple

import docx
import srt
import webvtt
from docx.shared import RGBColor

from mediahub.transcription.subtitles import (
    DEFAULT_RULES,
    CueRules,
    cues,
    segment_tokens,
    speaker_name,
)
from mediahub.transcription.transcript import Transcript


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

# A speaker nobody named is stored as "Speaker N" (the web app shows it in its reader's
# language); a file speaks the recording's language instead.
_UNNAMED = re.compile(r"Speaker (\d+)")
SPEAKER_WORD = {"ru": "Говорящий"}

# Characters XML 1.0 forbids; python-docx refuses text containing them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export(
    transcript: Transcript,
    fmt: str,
    *,
    speaker_names: dict[str, str] | None = None,
    title: str | None = None,
    rules: CueRules = DEFAULT_RULES,
) -> bytes:
    """Render the transcript in one of EXPORT_FORMATS; subtitles follow `rules`."""
    names = in_language(speaker_names or {}, transcript.language)
    if fmt == "srt":
        return _srt(transcript, names, rules).encode("utf-8")
    if fmt == "vtt":
        return _vtt(transcript, names, title, rules).encode("utf-8")
    if fmt == "txt":
        return _txt(transcript, names, title).encode("utf-8")
    if fmt == "json":
        return _json(transcript, names, title).encode("utf-8")
    if fmt == "docx":
        return _docx(transcript, names, title)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")


def in_language(names: dict[str, str], language: str | None) -> dict[str, str]:
    """The names with unnamed speakers ("Speaker 2") put in the recording's language."""
    word = SPEAKER_WORD.get(language or "")
    if word is None:
        return names
    shown = {}
    for label, name in names.items():
        unnamed = _UNNAMED.fullmatch(name)
        shown[label] = f"{word} {unnamed.group(1)}" if unnamed else name
    return shown


def openai_response(
    transcript: Transcript, response_format: str, *, task: str = "transcribe"
) -> tuple[bytes | dict[str, Any], str]:
    """The body and media type OpenAI's transcription (or translation) endpoint returns for
    `response_format`."""
    # OpenAI's subtitles carry no speakers; clients of this endpoint expect its shapes exactly.
    if response_format == "json":
        return {"text": transcript.text}, "application/json"
    if response_format == "text":
        return (transcript.text + "\n").encode("utf-8"), "text/plain; charset=utf-8"
    if response_format == "srt":
        body = _srt(transcript, {}, DEFAULT_RULES, with_speakers=False).encode("utf-8")
        return body, "text/plain; charset=utf-8"
    if response_format == "vtt":
        body = _vtt(transcript, {}, None, DEFAULT_RULES, with_speakers=False).encode("utf-8")
        return body, "text/vtt; charset=utf-8"
    if response_format == "verbose_json":
        return {**_openai_verbose(transcript), "task": task}, "application/json"
    raise ValueError(
        f"unknown response_format {response_format!r}; "
        f"expected one of {', '.join(OPENAI_RESPONSE_FORMATS)}"
    )


def _srt(transcript: Transcript, names: dict[str, str], rules: CueRules, *,
         with_speakers: bool = True) -> str:
    # "Alice: " takes room on the first line, so it counts against the line limit.
    subtitles = [
        srt.Subtitle(
            index=i,
            start=timedelta(milliseconds=cue.start),
            end=timedelta(milliseconds=cue.end),
            content="\n".join(_prefixed(cue.lines, f"{cue.speaker}: " if cue.speaker else "")),
        )
        for i, cue in enumerate(
            cues(transcript, rules, names=names, with_speakers=with_speakers, name_prefix=": "),
            start=1,
        )
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
    rules: CueRules,
    *,
    with_speakers: bool = True,
) -> str:
    captions = []
    # The <v> voice tag is not displayed, so it takes no room on the line.
    for cue in cues(transcript, rules, names=names, with_speakers=with_speakers):
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
        name = speaker_name(speaker, names)
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
            {"id": label, "name": speaker_name(label, names)}
            for label in _speaker_labels(transcript)
        ],
        "segments": [
            {
                "id": i,
                "start": segment.start,
                "end": segment.end,
                "text": segment.text,
                "speaker": segment.speaker,
                "speaker_name": speaker_name(segment.speaker, names),
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
        name = speaker_name(speaker, names)
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
        for token in segment_tokens(segment)
    ]
    return {
        "task": "transcribe",
        "language": transcript.language,
        "duration": transcript.duration,
        "text": transcript.text,
        "segments": segments,
        "words": words,
    }
