"""Ownership exchange: QR trades and transfers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 05:08:27.719532
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('trades',
    sa.Column('token', sa.String(length=16), nullable=False),
    sa.Column('owner_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.UUID(), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.CheckConstraint("status IN ('open','claimed','cancelled','expired')", name=op.f('ck_trades_status_valid')),
    sa.ForeignKeyConstraint(['claimed_by'], ['users.id'], name=op.f('fk_trades_claimed_by_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_trades_owner_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trades')),
    sa.UniqueConstraint('token', name=op.f('uq_trades_token'))
    )
    op.create_index('ix_trades_owner_created', 'trades', ['owner_id', 'created_at'], unique=False)
    op.create_table('trade_items',
    sa.Column('trade_id', sa.UUID(), nullable=False),
    sa.Column('art_object_id', sa.UUID(), nullable=False),
    sa.ForeignKeyConstraint(['art_object_id'], ['art_objects.id'], name=op.f('fk_trade_items_art_object_id_art_objects'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['trade_id'], ['trades.id'], name=op.f('fk_trade_items_trade_id_trades'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('trade_id', 'art_object_id', name=op.f('pk_trade_items'))
    )
    op.create_index('ix_trade_items_art_object', 'trade_items', ['art_object_id'], unique=False)
    op.create_table('transfers',
    sa.Column('art_object_id', sa.UUID(), nullable=False),
    sa.Column('from_user_id', sa.UUID(), nullable=False),
    sa.Column('to_user_id', sa.UUID(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.UUID(), nullable=False),
    sa.CheckConstraint("status IN ('pending','accepted','declined','cancelled','expired')", name=op.f('ck_transfers_status_valid')),
    sa.CheckConstraint('from_user_id <> to_user_id', name=op.f('ck_transfers_not_to_self')),
    sa.ForeignKeyConstraint(['art_object_id'], ['art_objects.id'], name=op.f('fk_transfers_art_object_id_art_objects'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['from_user_id'], ['users.id'], name=op.f('fk_transfers_from_user_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['to_user_id'], ['users.id'], name=op.f('fk_transfers_to_user_id_users'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfers'))
    )
    op.create_index('ix_transfers_from_user', 'transfers', ['from_user_id', 'created_at'], unique=False)
    op.create_index('ix_transfers_to_user', 'transfers', ['to_user_id', 'created_at'], unique=False)
    op.create_index('uq_transfers_pending_object', 'transfers', ['art_object_id'], unique=True, postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_index('uq_transfers_pending_object', table_name='transfers', postgresql_where=sa.text("status = 'pending'"))
    op.drop_index('ix_transfers_to_user', table_name='transfers')
    op.drop_index('ix_transfers_from_user', table_name='transfers')
    op.drop_table('transfers')
    op.drop_index('ix_trade_items_art_object', table_name='trade_items')
    op.drop_table('trade_items')
    op.drop_index('ix_trades_owner_created', table_name='trades')
    op.drop_table('trades')
