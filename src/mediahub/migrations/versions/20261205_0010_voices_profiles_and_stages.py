"""Voice profiles (voice_profiles, voice_samples), speaker embeddings and matches, stage results.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'voice_profiles',
        sa.Column('owner_id', sa.UUID(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('centroid', postgresql.ARRAY(sa.Float()), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'),
                  nullable=False),
        sa.Column('id', sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'],
                                name=op.f('fk_voice_profiles_owner_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_profiles')),
    )
    op.create_index('ix_voice_profiles_owner', 'voice_profiles', ['owner_id', 'created_at'])
    op.add_column('transcript_speakers',
                  sa.Column('embedding', postgresql.ARRAY(sa.Float()), nullable=True))
    op.add_column('transcript_speakers', sa.Column('voice_id', sa.UUID(), nullable=True))
    op.add_column('transcript_speakers', sa.Column('voice_confidence', sa.Float(), nullable=True))
    op.create_foreign_key(op.f('fk_transcript_speakers_voice_id_voice_profiles'),
                          'transcript_speakers', 'voice_profiles', ['voice_id'], ['id'],
                          ondelete='SET NULL')
    op.create_table(
        'voice_samples',
        sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column('voice_id', sa.UUID(), nullable=False),
        sa.Column('speaker_id', sa.BigInteger(), nullable=True),
        sa.Column('negative', sa.Boolean(), nullable=False),
        sa.Column('embedding', postgresql.ARRAY(sa.Float()), nullable=False),
        sa.ForeignKeyConstraint(['voice_id'], ['voice_profiles.id'],
                                name=op.f('fk_voice_samples_voice_id_voice_profiles'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['speaker_id'], ['transcript_speakers.id'],
                                name=op.f('fk_voice_samples_speaker_id_transcript_speakers'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_voice_samples')),
    )
    op.create_index('ix_voice_samples_voice', 'voice_samples', ['voice_id'])
    op.add_column('transcriptions', sa.Column(
        'warnings', postgresql.JSONB(astext_type=sa.Text()), nullable=False,
        server_default=sa.text("'[]'::jsonb")))
    op.add_column('transcriptions', sa.Column('asr_run_id', sa.UUID(), nullable=True))


def downgrade() -> None:
    op.drop_column('transcriptions', 'asr_run_id')
    op.drop_column('transcriptions', 'warnings')
    op.drop_index('ix_voice_samples_voice', table_name='voice_samples')
    op.drop_table('voice_samples')
    op.drop_constraint(op.f('fk_transcript_speakers_voice_id_voice_profiles'),
                       'transcript_speakers', type_='foreignkey')
    op.drop_column('transcript_speakers', 'voice_confidence')
    op.drop_column('transcript_speakers', 'voice_id')
    op.drop_column('transcript_speakers', 'embedding')
    op.drop_index('ix_voice_profiles_owner', table_name='voice_profiles')
    op.drop_table('voice_profiles')
