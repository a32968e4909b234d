"""Transcriptions, their speakers and segments (full-text searchable).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 06:08:48.205776
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('transcriptions',
    sa.Column('owner_id', sa.UUID(), nullable=False),
    sa.Column('job_run_id', sa.UUID(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=True),
    sa.Column('media_key', sa.String(length=300), nullable=False),
    sa.Column('mime', sa.String(length=50), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('has_video', sa.Boolean(), nullable=False),
    sa.Column('media_duration', sa.Float(), nullable=False),
    sa.Column('options', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('model', sa.String(length=200), nullable=True),
    sa.Column('metrics', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['job_run_id'], ['job_runs.id'], name=op.f('fk_transcriptions_job_run_id_job_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_transcriptions_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcriptions')),
    sa.UniqueConstraint('media_key', name=op.f('uq_transcriptions_media_key'))
    )
    op.create_index('ix_transcriptions_owner_created', 'transcriptions', ['owner_id', 'created_at', 'id'], unique=False)
    op.create_table('transcript_speakers',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('transcription_id', sa.UUID(), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('color', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['transcription_id'], ['transcriptions.id'], name=op.f('fk_transcript_speakers_transcription_id_transcriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_speakers')),
    sa.UniqueConstraint('transcription_id', 'label', name=op.f('uq_transcript_speakers_transcription_id_label'))
    )
    op.create_table('transcript_segments',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('transcription_id', sa.UUID(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start', sa.Float(), nullable=False),
    sa.Column('end', sa.Float(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('speaker_id', sa.BigInteger(), nullable=True),
    sa.Column('words', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('edited', sa.Boolean(), nullable=False),
    sa.Column('search', postgresql.TSVECTOR(), sa.Computed("to_tsvector('simple', text)", persisted=True), nullable=False),
    sa.CheckConstraint('"end" >= start', name=op.f('ck_transcript_segments_time_order')),
    sa.ForeignKeyConstraint(['speaker_id'], ['transcript_speakers.id'], name=op.f('fk_transcript_segments_speaker_id_transcript_speakers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['transcription_id'], ['transcriptions.id'], name=op.f('fk_transcript_segments_transcription_id_transcriptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_segments')),
    sa.UniqueConstraint('transcription_id', 'position', name=op.f('uq_transcript_segments_transcription_id_position'))
    )
    op.create_index('ix_transcript_segments_search', 'transcript_segments', ['search'], unique=False, postgresql_using='gin')


def downgrade() -> None:
    op.drop_index('ix_transcript_segments_search', table_name='transcript_segments', postgresql_using='gin')
    op.drop_table('transcript_segments')
    op.drop_table('transcript_speakers')
    op.drop_index('ix_transcriptions_owner_created', table_name='transcriptions')
    op.drop_table('transcriptions')
