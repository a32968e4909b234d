"""Request and response bodies of /api/transcriptions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from mediahub.core.error_codes import ErrorCode
from mediahub.core.errors import (
    BadRequest,
    PayloadTooLarge,
    Unauthorized,
    Unprocessable,
    UnsupportedMediaType,
)

# Whisper's language codes (faster_whisper.tokenizer), kept here so the API needs no ML import.
LANGUAGES = frozenset({
    "af", "am", "ar", "as", "az", "ba", "be", "bg", "bn", "bo", "br", "bs", "ca", "cs", "cy",
    "da", "de", "el", "en", "es", "et", "eu", "fa", "fi", "fo", "fr", "gl", "gu", "ha", "haw",
    "he", "hi", "hr", "ht", "hu", "hy", "id", "is", "it", "ja", "jw", "ka", "kk", "km", "kn",
    "ko", "la", "lb", "ln", "lo", "lt", "lv", "mg", "mi", "mk", "ml", "mn", "mr", "ms", "mt",
    "my", "ne", "nl", "nn", "no", "oc", "pa", "pl", "ps", "pt", "ro", "ru", "sa", "sd", "si",
    "sk", "sl", "sn", "so", "sq", "sr", "su", "sv", "sw", "ta", "te", "tg", "th", "tk", "tl",
    "tr", "tt", "uk", "ur", "uz", "vi", "yi", "yo", "zh", "yue",
})

Status = Literal["queued", "running", "done", "failed", "cancelled"]

# The refusals of a submission (here and at the OpenAI-compatible endpoint), for OpenAPI.
SUBMIT_ERRORS = {**BadRequest.openapi(), **Unauthorized.openapi(), **PayloadTooLarge.openapi(),
                 **UnsupportedMediaType.openapi(), **Unprocessable.openapi()}


class SubmitOptions(BaseModel):
    """Options of a submission (multipart form fields next to `file`)."""

    language: str | None = Field(default=None, description="ISO 639-1 code; empty = detect")
    diarize: bool = True
    min_speakers: int | None = Field(default=None, ge=1, le=20)
    max_speakers: int | None = Field(default=None, ge=1, le=20)
    model: str | None = Field(default=None, max_length=200,
                              description="empty: the default for the language")
    word_timestamps: bool = True
    task: Literal["transcribe", "translate"] = Field(
        default="transcribe", description="translate: English text from any language")

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().lower()
            if value in ("", "auto"):
                return None
            if value not in LANGUAGES:
                raise ValueError(f"unknown language {value!r}; use an ISO 639-1 code or 'auto'")
        return value

    @field_validator("model", mode="before")
    @classmethod
    def _model(cls, value: object) -> object:
        return value.strip() or None if isinstance(value, str) else value

    @model_validator(mode="after")
    def _speaker_range(self) -> SubmitOptions:
        if self.min_speakers and self.max_speakers and self.min_speakers > self.max_speakers:
            raise ValueError("min_speakers must not exceed max_speakers")
        return self


class TranscriptionModel(BaseModel):
    """A model a submission may choose; `default_for` lists the language codes (and "auto":
    detection) for which it is picked when no model is chosen."""

    name: str
    languages: list[str]
    size_bytes: int | None = Field(description="on disk; null when the workers have not said")
    relative_speed: float | None = Field(description="decoding speed relative to tiny (1.0)")
    default_for: list[str]


class TranscriptionModels(BaseModel):
    """The models the workers have installed (the default first)."""

    items: list[TranscriptionModel]


class Progress(BaseModel):
    """Where a running job is; percent is overall (0..100), eta when it can be estimated."""

    stage: str | None
    percent: float
    eta_seconds: float | None = None


class WordOut(BaseModel):
    """A word with its timing; `speaker` is a speaker id of this transcript."""

    word: str
    start: float | None
    end: float | None
    score: float | None = None
    speaker: int | None = None


class SegmentOut(BaseModel):
    """A segment of the transcript."""

    id: int
    start: float
    end: float
    text: str
    speaker: int | None
    edited: bool
    words: list[WordOut]


class SpeakerOut(BaseModel):
    """A voice of the transcript; `color` is a stable palette index. `voice_id` is the
    owner's voice profile that named it (None: none matched), `confidence` that match's
    cosine similarity."""

    id: int
    label: str
    name: str
    color: int
    voice_id: uuid.UUID | None = None
    confidence: float | None = None


class WarningOut(BaseModel):
    """Something the user should know about a usable result: a stable code with parameters
    (no_speech; truncated: decoded_seconds, declared_seconds; diarization_failed,
    diarization_cancelled: error; diarization_timeout: seconds)."""

    code: str
    params: dict[str, Any] = Field(default_factory=dict)


class TranscriptionSummary(BaseModel):
    """A transcription in lists."""

    id: uuid.UUID
    filename: str | None
    title: str | None = Field(description="the name its owner gave it; null: show filename")
    status: Status
    progress: Progress
    language: str | None
    duration: float | None
    media_duration: float
    model: str | None
    error: str | None
    error_code: ErrorCode | None = Field(
        None, description="Why it failed, as a code from the error catalogue (if known).")
    options: dict[str, Any]
    created_at: datetime
    completed_at: datetime | None
    warnings: list[WarningOut] = Field(default_factory=list)


class TranscriptionOut(TranscriptionSummary):
    """One transcription with its transcript."""

    mime: str
    size: int
    has_video: bool
    media_url: str
    metrics: dict[str, Any]
    segments: list[SegmentOut]
    speakers: list[SpeakerOut]


class TranscriptionPage(BaseModel):
    """A page of the caller's transcriptions, newest first."""

    items: list[TranscriptionSummary]
    next_cursor: str | None


class Submitted(BaseModel):
    """Answer to a submission."""

    id: uuid.UUID
    status: Status


class SegmentUpdate(BaseModel):
    """Correct a segment: its text (timing kept) and/or its speaker."""

    text: str | None = Field(default=None, min_length=1, max_length=10_000)
    speaker: int | None = Field(default=None, description="a speaker id of this transcript")
    new_speaker: str | None = Field(
        default=None, min_length=1, max_length=100,
        description="move the segment to a new speaker of this name (not with `speaker`)")


class TranscriptionUpdate(BaseModel):
    """Rename a transcription; `title: null` shows the file name again."""

    # Bounded here so no body is unbounded; the real limit (200) answers `title.too_long`.
    title: str | None = Field(max_length=1000)


class SpeakerUpdate(BaseModel):
    """Rename a speaker; `remember` also keeps the voice as one of your voice profiles (or
    teaches the profile it already matched another recording of it)."""

    name: str = Field(min_length=1, max_length=100)
    remember: bool = False


class VoiceOut(BaseModel):
    """One of your remembered voices; `samples` counts the recordings it was learned from."""

    id: uuid.UUID
    name: str
    samples: int
    created_at: datetime


class VoiceList(BaseModel):
    """Your voice profiles, oldest first."""

    items: list[VoiceOut]


class VoiceUpdate(BaseModel):
    """Rename a voice profile."""

    name: str = Field(min_length=1, max_length=100)


class SpeakerMerge(BaseModel):
    """Move every segment and word of speaker `source` to `target`, then drop `source`."""

    source: int = Field(alias="from")
    target: int = Field(alias="into")

    model_config = {"populate_by_name": True}


class SearchHit(BaseModel):
    """A matching segment; `snippet` is HTML-escaped text with matches in <mark>."""

    transcription_id: uuid.UUID
    filename: str | None
    title: str = Field(description="the recording's name as shown: its title or file name")
    segment_id: int
    start: float
    end: float
    speaker: str | None = Field(description="the speaker's display name")
    speaker_id: int | None = Field(description="the speaker's id (as in SegmentOut.speaker)")
    snippet: str


class SearchResults(BaseModel):
    """Best matches first."""

    items: list[SearchHit]
