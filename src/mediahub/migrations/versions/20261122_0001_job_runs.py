"""Job runs: the durable record of every background job.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 03:24:36.704074
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('job_runs',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.UUID(), nullable=True),
    sa.Column('kwargs', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=50), nullable=True),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('result', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('queued','running','done','failed','cancelled')", name=op.f('ck_job_runs_status_valid')),
    sa.CheckConstraint('percent >= 0 AND percent <= 100', name=op.f('ck_job_runs_percent_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('key', name=op.f('uq_job_runs_key'))
    )
    op.create_index(op.f('ix_job_runs_owner_id'), 'job_runs', ['owner_id'], unique=False)
    op.create_index('ix_job_runs_status_updated_at', 'job_runs', ['status', 'updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_job_runs_status_updated_at', table_name='job_runs')
    op.drop_index(op.f('ix_job_runs_owner_id'), table_name='job_runs')
    op.drop_table('job_runs')
