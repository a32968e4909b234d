"""Search with stems: art_objects.search adds 'russian' (Russian and English stems) to 'simple'.

A generated column's expression cannot be altered, so the column (and its GIN index) is
dropped and added again; PostgreSQL computes it for every existing row.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TAGS = "coalesce(immutable_array_to_string(tags, ' '), '')"
SEARCH_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(description, '')) || "
    "to_tsvector('russian', coalesce(description, '')), 'B') || "
    f"setweight(to_tsvector('simple', {_TAGS}) || to_tsvector('russian', {_TAGS}), 'A')"
)
SIMPLE_VECTOR = (
    "setweight(to_tsvector('simple', coalesce(description, '')), 'B') || "
    f"setweight(to_tsvector('simple', {_TAGS}), 'A')"
)


def _search_column(expression: str) -> None:
    op.drop_index('ix_art_objects_search', table_name='art_objects', postgresql_using='gin')
    op.drop_column('art_objects', 'search')
    op.add_column('art_objects', sa.Column(
        'search', postgresql.TSVECTOR(), sa.Computed(expression, persisted=True),
        nullable=False))
    op.create_index('ix_art_objects_search', 'art_objects', ['search'], unique=False,
                    postgresql_using='gin')


def upgrade() -> None:
    _search_column(SEARCH_VECTOR)


def downgrade() -> None:
    _search_column(SIMPLE_VECTOR)
