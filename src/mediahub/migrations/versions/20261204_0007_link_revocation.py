"""File links that end with access: art_objects.access_version; purge of deleted files.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('art_objects', sa.Column('access_version', sa.Integer(), nullable=False,
                                           server_default='0'))
    op.add_column('photos', sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_art_objects_deleted_at', 'art_objects', ['deleted_at'], unique=False,
                    postgresql_where=sa.text('deleted_at IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_art_objects_deleted_at', table_name='art_objects',
                  postgresql_where=sa.text('deleted_at IS NOT NULL'))
    op.drop_column('photos', 'purged_at')
    op.drop_column('art_objects', 'access_version')
