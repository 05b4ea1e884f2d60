"""points bank

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core import append_only

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

LEDGERS = ("points_transactions", "points_entries")


def upgrade() -> None:
    op.create_table('points_settings',
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column('tenant_id', linli.core.db.IdType, nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_points_settings_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_settings')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_points_settings_tenant_id'))
    )
    op.create_table('points_accounts',
    sa.Column('member_id', linli.core.db.IdType, nullable=True),
    sa.Column('code', sa.String(length=30), nullable=True),
    sa.Column('is_system', sa.Boolean(), nullable=False),
    sa.Column('balance', sa.BigInteger(), nullable=False),
    sa.Column('created_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column('tenant_id', linli.core.db.IdType, nullable=False),
    sa.CheckConstraint('is_system OR balance >= 0', name=op.f('ck_points_accounts_balance_not_negative')),
    sa.CheckConstraint('(member_id IS NULL) <> (code IS NULL)', name=op.f('ck_points_accounts_member_or_code')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_points_accounts_member_id_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_points_accounts_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_accounts')),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_points_accounts_tenant_id_code')),
    sa.UniqueConstraint('tenant_id', 'member_id', name=op.f('uq_points_accounts_tenant_id_member_id'))
    )
    op.create_table('points_transactions',
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('created_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column('tenant_id', linli.core.db.IdType, nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_points_transactions_member_id_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_points_transactions_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_transactions')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_points_transactions_tenant_id_key'))
    )
    op.create_index('ix_points_transactions_member_kind_at', 'points_transactions', ['tenant_id', 'member_id', 'kind', 'created_at'], unique=False)
    op.create_index('ix_points_transactions_reference', 'points_transactions', ['tenant_id', 'reference', 'kind'], unique=False)
    op.create_index('ix_points_transactions_tenant_at', 'points_transactions', ['tenant_id', 'created_at'], unique=False)
    op.create_table('points_entries',
    sa.Column('transaction_id', linli.core.db.IdType, nullable=False),
    sa.Column('account_id', linli.core.db.IdType, nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('balance_after', sa.BigInteger(), nullable=True),
    sa.Column('created_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column('tenant_id', linli.core.db.IdType, nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['points_accounts.id'], name=op.f('fk_points_entries_account_id_points_accounts')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_points_entries_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['transaction_id'], ['points_transactions.id'], name=op.f('fk_points_entries_transaction_id_points_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_entries'))
    )
    op.create_index('ix_points_entries_account', 'points_entries', ['tenant_id', 'account_id', 'id'], unique=False)
    op.create_index('ix_points_entries_transaction', 'points_entries', ['transaction_id'], unique=False)
    op.create_table('points_lots',
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('transaction_id', linli.core.db.IdType, nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('remaining', sa.BigInteger(), nullable=False),
    sa.Column('expires_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column('tenant_id', linli.core.db.IdType, nullable=False),
    sa.CheckConstraint('remaining >= 0 AND remaining <= amount', name=op.f('ck_points_lots_remaining_in_range')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_points_lots_member_id_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_points_lots_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['transaction_id'], ['points_transactions.id'], name=op.f('fk_points_lots_transaction_id_points_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_lots'))
    )
    op.create_index('ix_points_lots_due', 'points_lots', ['expires_at', 'remaining'], unique=False)
    op.create_index('ix_points_lots_member_expiry', 'points_lots', ['tenant_id', 'member_id', 'expires_at'], unique=False)
    op.create_table('points_catalog_items',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('points_cost', sa.BigInteger(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column('tenant_id', linli.core.db.IdType, nullable=False),
    sa.CheckConstraint('points_cost > 0', name=op.f('ck_points_catalog_items_points_cost_positive')),
    sa.CheckConstraint('stock >= 0', name=op.f('ck_points_catalog_items_stock_not_negative')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_points_catalog_items_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_catalog_items'))
    )
    op.create_index('ix_points_catalog_items_tenant_active', 'points_catalog_items', ['tenant_id', 'active'], unique=False)
    op.create_table('points_redemptions',
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('item_id', linli.core.db.IdType, nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('value_fen', sa.BigInteger(), nullable=True),
    sa.Column('community_id', linli.core.db.IdType, nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('transaction_id', linli.core.db.IdType, nullable=False),
    sa.Column('created_at', linli.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
    sa.Column('tenant_id', linli.core.db.IdType, nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_points_redemptions_community_id_communities')),
    sa.ForeignKeyConstraint(['item_id'], ['points_catalog_items.id'], name=op.f('fk_points_redemptions_item_id_points_catalog_items')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_points_redemptions_member_id_members')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_points_redemptions_tenant_id_tenants')),
    sa.ForeignKeyConstraint(['transaction_id'], ['points_transactions.id'], name=op.f('fk_points_redemptions_transaction_id_points_transactions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_redemptions'))
    )
    op.create_index('ix_points_redemptions_charity', 'points_redemptions', ['tenant_id', 'kind', 'community_id'], unique=False)
    op.create_index('ix_points_redemptions_member', 'points_redemptions', ['tenant_id', 'member_id'], unique=False)
    append_only.install(op.get_bind(), LEDGERS)


def downgrade() -> None:
    append_only.remove(op.get_bind(), LEDGERS)
    op.drop_index('ix_points_redemptions_member', table_name='points_redemptions')
    op.drop_index('ix_points_redemptions_charity', table_name='points_redemptions')
    op.drop_table('points_redemptions')
    op.drop_index('ix_points_catalog_items_tenant_active', table_name='points_catalog_items')
    op.drop_table('points_catalog_items')
    op.drop_index('ix_points_lots_member_expiry', table_name='points_lots')
    op.drop_index('ix_points_lots_due', table_name='points_lots')
    op.drop_table('points_lots')
    op.drop_index('ix_points_entries_transaction', table_name='points_entries')
    op.drop_index('ix_points_entries_account', table_name='points_entries')
    op.drop_table('points_entries')
    op.drop_index('ix_points_transactions_tenant_at', table_name='points_transactions')
    op.drop_index('ix_points_transactions_reference', table_name='points_transactions')
    op.drop_index('ix_points_transactions_member_kind_at', table_name='points_transactions')
    op.drop_table('points_transactions')
    op.drop_table('points_accounts')
    op.drop_table('points_settings')
