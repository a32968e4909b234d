"""Transcription: uploaded recordings, their transcripts (segments with words) and speakers.

A transcription's life cycle (queued → running → done | failed | cancelled), progress and
error live in its current `job_runs` row, the one record of background work; this table
keeps what the recording is and what the run produced.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from mediahub.core.models import Base, Timestamps, UUIDPrimaryKey


class Transcription(UUIDPrimaryKey, Timestamps, Base):
    """One recording submitted for transcription, and the results of its latest run."""

    __tablename__ = "transcriptions"
    __table_args__ = (
        Index("ix_transcriptions_owner_created", "owner_id", "created_at", "id"),
    )

    owner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    job_run_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("job_runs.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The name its owner gave it; None shows the file name.
    title: Mapped[str | None] = mapped_column(String(200), nullable=True)
    media_key: Mapped[str] = mapped_column(String(300), nullable=False, unique=True)
    mime: Mapped[str] = mapped_column(String(50), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    has_video: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    media_duration: Mapped[float] = mapped_column(Float, nullable=False)
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    # Results of the latest successful run.
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)
    duration: Mapped[float | None] = mapped_column(Float, nullable=True)
    model: Mapped[str | None] = mapped_column(String(200), nullable=True)
    metrics: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, default=dict, server_default=sql_text("'{}'::jsonb")
    )
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # [{"code", "params"}]: what the user should know about the result (no_speech, ...).
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list, server_default=sql_text("'[]'::jsonb")
    )
    # The job run whose finished ASR stage the segments hold (kept before diarization starts,
    # so a worker killed then resumes at diarization instead of transcribing again).
    asr_run_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)


class TranscriptSpeaker(Base):
    """A voice in one transcript: the diarizer's label and the name a person gave it."""

    __tablename__ = "transcript_speakers"
    __table_args__ = (UniqueConstraint("transcription_id", "label"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    transcription_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("transcriptions.id", ondelete="CASCADE"), nullable=False
    )
    label: Mapped[str] = mapped_column(String(50), nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    color: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The diarizer's L2-normalised mean voice embedding: "remember" needs no recomputation.
    embedding: Mapped[list[float] | None] = mapped_column(ARRAY(Float), nullable=True)
    voice_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("voice_profiles.id", ondelete="SET NULL"), nullable=True
    )
    voice_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)


class VoiceProfile(UUIDPrimaryKey, Base):
    """A voice its owner named and asked to be remembered; private to that owner."""

    __tablename__ = "voice_profiles"
    __table_args__ = (Index("ix_voice_profiles_owner", "owner_id", "created_at"),)

    owner_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    # The mean of the samples, re-averaged whenever one is added (matching reads only this).
    centroid: Mapped[list[float]] = mapped_column(ARRAY(Float), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class VoiceSample(Base):
    """One embedding of a profile: positive (the voice) or negative (a wrong match undone)."""

    __tablename__ = "voice_samples"
    __table_args__ = (Index("ix_voice_samples_voice", "voice_id"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    voice_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("voice_profiles.id", ondelete="CASCADE"), nullable=False
    )
    speaker_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("transcript_speakers.id", ondelete="SET NULL"), nullable=True
    )
    negative: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    embedding: Mapped[list[float]] = mapped_column(ARRAY(Float), nullable=False)


class TranscriptSegment(Base):
    """One segment (usually a sentence by one speaker) with its words and their timings."""

    __tablename__ = "transcript_segments"
    __table_args__ = (
        UniqueConstraint("transcription_id", "position"),
        Index("ix_transcript_segments_search", "search", postgresql_using="gin"),
        CheckConstraint('"end" >= start', name="time_order"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    transcription_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("transcriptions.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    start: Mapped[float] = mapped_column(Float, nullable=False)
    end: Mapped[float] = mapped_column(Float, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    speaker_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("transcript_speakers.id", ondelete="SET NULL"), nullable=True
    )
    # [{"word", "start", "end", "score", "speaker_id"}]: read and written with the segment.
    words: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list, server_default=sql_text("'[]'::jsonb")
    )
    edited: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # 'simple' config like the gallery: no stemming surprises across languages.
    search: Mapped[str] = mapped_column(
        TSVECTOR, Computed("to_tsvector('simple', text)", persisted=True)
    )
