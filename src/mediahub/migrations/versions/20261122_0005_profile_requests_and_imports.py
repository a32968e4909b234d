"""Private-profile access requests, their granted objects, and imports.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 05:14:53.120252
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('profile_requests',
    sa.Column('requester_id', sa.UUID(), nullable=False),
    sa.Column('target_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.CheckConstraint("status IN ('pending','approved','rejected','revoked','expired')", name=op.f('ck_profile_requests_status_valid')),
    sa.CheckConstraint('requester_id <> target_id', name=op.f('ck_profile_requests_not_to_self')),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], name=op.f('fk_profile_requests_requester_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['users.id'], name=op.f('fk_profile_requests_target_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profile_requests'))
    )
    op.create_index('ix_profile_requests_requester', 'profile_requests', ['requester_id', 'created_at'], unique=False)
    op.create_index('ix_profile_requests_target', 'profile_requests', ['target_id', 'created_at'], unique=False)
    op.create_index('uq_profile_requests_live_pair', 'profile_requests', ['requester_id', 'target_id'], unique=True, postgresql_where=sa.text("status IN ('pending','approved')"))
    op.create_table('imports',
    sa.Column('user_id', sa.UUID(), nullable=False),
    sa.Column('art_object_id', sa.UUID(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['art_object_id'], ['art_objects.id'], name=op.f('fk_imports_art_object_id_art_objects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_imports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'art_object_id', name=op.f('pk_imports'))
    )
    op.create_index('ix_imports_user_created', 'imports', ['user_id', 'created_at'], unique=False)
    op.create_table('profile_request_photos',
    sa.Column('request_id', sa.UUID(), nullable=False),
    sa.Column('art_object_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['art_object_id'], ['art_objects.id'], name=op.f('fk_profile_request_photos_art_object_id_art_objects'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['request_id'], ['profile_requests.id'], name=op.f('fk_profile_request_photos_request_id_profile_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('request_id', 'art_object_id', name=op.f('pk_profile_request_photos'))
    )
    op.create_index('ix_profile_request_photos_art_object', 'profile_request_photos', ['art_object_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_profile_request_photos_art_object', table_name='profile_request_photos')
    op.drop_table('profile_request_photos')
    op.drop_index('ix_imports_user_created', table_name='imports')
    op.drop_table('imports')
    op.drop_index('uq_profile_requests_live_pair', table_name='profile_requests', postgresql_where=sa.text("status IN ('pending','approved')"))
    op.drop_index('ix_profile_requests_target', table_name='profile_requests')
    op.drop_index('ix_profile_requests_requester', table_name='profile_requests')
    op.drop_table('profile_requests')
