"""Gallery: photos, art objects, ownership history, favorites.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 04:44:47.512994
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Generated columns need IMMUTABLE functions; array_to_string is only STABLE (it could
# depend on settings for other element types), but for varchar[] it is immutable in fact.
IMMUTABLE_ARRAY_TO_STRING = """
CREATE FUNCTION immutable_array_to_string(varchar[], text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string($1, $2) $$
"""


def upgrade() -> None:
    op.execute(IMMUTABLE_ARRAY_TO_STRING)
    op.create_table('photos',
    sa.Column('uploader_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('original_key', sa.String(length=300), nullable=False),
    sa.Column('preview_key', sa.String(length=300), nullable=True),
    sa.Column('thumb_key', sa.String(length=300), nullable=True),
    sa.Column('mime', sa.String(length=50), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('original_filename', sa.String(length=255), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('camera', sa.String(length=200), nullable=True),
    sa.Column('placeholder', sa.String(length=200), nullable=True),
    sa.Column('metadata', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('processing','ready','failed')", name=op.f('ck_photos_status_valid')),
    sa.ForeignKeyConstraint(['uploader_id'], ['users.id'], name=op.f('fk_photos_uploader_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos')),
    sa.UniqueConstraint('original_key', name=op.f('uq_photos_original_key'))
    )
    op.create_index('ix_photos_uploader_id_sha256', 'photos', ['uploader_id', 'sha256'], unique=False)
    op.create_table('art_objects',
    sa.Column('photo_id', sa.UUID(), nullable=False),
    sa.Column('owner_id', sa.UUID(), nullable=False),
    sa.Column('creator_id', sa.UUID(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.String(length=40)), server_default=sa.text("'{}'::varchar[]"), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('search', postgresql.TSVECTOR(), sa.Computed("setweight(to_tsvector('simple', coalesce(description, '')), 'B') || setweight(to_tsvector('simple', coalesce(immutable_array_to_string(tags, ' '), '')), 'A')", persisted=True), nullable=False),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('char_length(description) <= 2000', name=op.f('ck_art_objects_description_length')),
    sa.ForeignKeyConstraint(['creator_id'], ['users.id'], name=op.f('fk_art_objects_creator_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_art_objects_owner_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['photo_id'], ['photos.id'], name=op.f('fk_art_objects_photo_id_photos'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_art_objects')),
    sa.UniqueConstraint('photo_id', name=op.f('uq_art_objects_photo_id'))
    )
    op.create_index('ix_art_objects_feed', 'art_objects', ['created_at', 'id'], unique=False, postgresql_where=sa.text('is_public AND deleted_at IS NULL'))
    op.create_index('ix_art_objects_owner_created', 'art_objects', ['owner_id', 'created_at', 'id'], unique=False, postgresql_where=sa.text('deleted_at IS NULL'))
    op.create_index('ix_art_objects_search', 'art_objects', ['search'], unique=False, postgresql_using='gin')
    op.create_table('favorites',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('art_object_id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['art_object_id'], ['art_objects.id'], name=op.f('fk_favorites_art_object_id_art_objects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_favorites_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'art_object_id', name=op.f('pk_favorites'))
    )
    op.create_index('ix_favorites_user_created', 'favorites', ['user_id', 'created_at'], unique=False)
    op.create_table('ownership_history',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('art_object_id', sa.UUID(), nullable=False),
    sa.Column('from_user_id', sa.UUID(), nullable=True),
    sa.Column('to_user_id', sa.UUID(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('created','transfer','trade')", name=op.f('ck_ownership_history_kind_valid')),
    sa.ForeignKeyConstraint(['art_object_id'], ['art_objects.id'], name=op.f('fk_ownership_history_art_object_id_art_objects'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], name=op.f('fk_ownership_history_from_user_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_ownership_history_to_user_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ownership_history'))
    )
    op.create_index('ix_ownership_history_object', 'ownership_history', ['art_object_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ownership_history_object', table_name='ownership_history')
    op.drop_table('ownership_history')
    op.drop_index('ix_favorites_user_created', table_name='favorites')
    op.drop_table('favorites')
    op.drop_index('ix_art_objects_search', table_name='art_objects', postgresql_using='gin')
    op.drop_index('ix_art_objects_owner_created', table_name='art_objects', postgresql_where=sa.text('deleted_at IS NULL'))
    op.drop_index('ix_art_objects_feed', table_name='art_objects', postgresql_where=sa.text('is_public AND deleted_at IS NULL'))
    op.drop_table('art_objects')
    op.drop_index('ix_photos_uploader_id_sha256', table_name='photos')
    op.drop_table('photos')
    op.execute("DROP FUNCTION immutable_array_to_string(varchar[], text)")
