"""leader commission ledger

Revision ID: 0016
Revises: 0015
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core import append_only

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

LEDGER = ("commission_entries",)


def _id() -> sa.Column:
    return sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False)


def _tenant() -> sa.Column:
    return sa.Column('tenant_id', linli.core.db.IdType, nullable=False)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, linli.core.db.UTCDateTime(timezone=True), nullable=nullable)


def _fk(table: str, col: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([col], [f'{target}.id'], name=op.f(f'fk_{table}_{col}_{target}'))


def upgrade() -> None:
    op.create_table('commission_accounts',
    sa.Column('leader_id', linli.core.db.IdType, nullable=False),
    sa.Column('pending_fen', sa.BigInteger(), nullable=False),
    sa.Column('available_fen', sa.BigInteger(), nullable=False),
    sa.Column('held_fen', sa.BigInteger(), nullable=False),
    sa.Column('withdrawn_fen', sa.BigInteger(), nullable=False),
    sa.Column('owed_fen', sa.BigInteger(), nullable=False),
    _at('created_at'), _id(), _tenant(),
    sa.CheckConstraint('pending_fen >= 0 AND available_fen >= 0 AND held_fen >= 0 AND withdrawn_fen >= 0 '
                       'AND owed_fen >= 0', name=op.f('ck_commission_accounts_amounts_not_negative')),
    _fk('commission_accounts', 'leader_id', 'leaders'), _fk('commission_accounts', 'tenant_id', 'tenants'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_accounts')),
    sa.UniqueConstraint('tenant_id', 'leader_id', name=op.f('uq_commission_accounts_tenant_id_leader_id'))
    )
    op.create_table('commission_orders',
    sa.Column('order_id', linli.core.db.IdType, nullable=False),
    sa.Column('leader_id', linli.core.db.IdType, nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('payable_fen', sa.BigInteger(), nullable=False),
    sa.Column('accrued_fen', sa.BigInteger(), nullable=False),
    sa.Column('reversed_fen', sa.BigInteger(), nullable=False),
    sa.Column('settled', sa.Boolean(), nullable=False),
    _at('settle_after', True), _at('created_at'), _id(), _tenant(),
    sa.CheckConstraint('reversed_fen >= 0 AND reversed_fen <= accrued_fen',
                       name=op.f('ck_commission_orders_reversed_in_range')),
    _fk('commission_orders', 'order_id', 'orders'), _fk('commission_orders', 'leader_id', 'leaders'),
    _fk('commission_orders', 'tenant_id', 'tenants'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_orders')),
    sa.UniqueConstraint('tenant_id', 'order_id', name=op.f('uq_commission_orders_tenant_id_order_id'))
    )
    op.create_index('ix_commission_orders_due', 'commission_orders', ['settled', 'settle_after'], unique=False)
    op.create_index('ix_commission_orders_leader', 'commission_orders', ['tenant_id', 'leader_id'], unique=False)
    op.create_table('commission_entries',
    sa.Column('leader_id', linli.core.db.IdType, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('bucket', sa.String(length=20), nullable=True),
    sa.Column('owed_fen', sa.BigInteger(), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=True),
    sa.Column('order_id', linli.core.db.IdType, nullable=True),
    sa.Column('withdrawal_id', linli.core.db.IdType, nullable=True),
    _at('created_at'), _id(), _tenant(),
    _fk('commission_entries', 'leader_id', 'leaders'), _fk('commission_entries', 'order_id', 'orders'),
    _fk('commission_entries', 'tenant_id', 'tenants'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_entries')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_commission_entries_tenant_id_key'))
    )
    op.create_index('ix_commission_entries_leader_at', 'commission_entries', ['tenant_id', 'leader_id', 'created_at'],
                    unique=False)
    op.create_table('commission_withdrawals',
    sa.Column('leader_id', linli.core.db.IdType, nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('decided_by', linli.core.db.IdType, nullable=True),
    _at('created_at'), _at('decided_at', True), _id(), _tenant(),
    sa.CheckConstraint('amount_fen > 0', name=op.f('ck_commission_withdrawals_amount_positive')),
    sa.CheckConstraint("status in ('requested', 'approved', 'rejected')",
                       name=op.f('ck_commission_withdrawals_status')),
    _fk('commission_withdrawals', 'leader_id', 'leaders'), _fk('commission_withdrawals', 'tenant_id', 'tenants'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commission_withdrawals'))
    )
    op.create_index('ix_commission_withdrawals_status', 'commission_withdrawals', ['tenant_id', 'status'],
                    unique=False)
    op.create_index('ix_commission_withdrawals_leader', 'commission_withdrawals', ['tenant_id', 'leader_id'],
                    unique=False)
    append_only.install(op.get_bind(), LEDGER)


def downgrade() -> None:
    append_only.remove(op.get_bind(), LEDGER)
    for index, table in (('ix_commission_withdrawals_leader', 'commission_withdrawals'),
                         ('ix_commission_withdrawals_status', 'commission_withdrawals'),
                         ('ix_commission_entries_leader_at', 'commission_entries'),
                         ('ix_commission_orders_leader', 'commission_orders'),
                         ('ix_commission_orders_due', 'commission_orders')):
        op.drop_index(index, table_name=table)
    for table in ('commission_withdrawals', 'commission_entries', 'commission_orders', 'commission_accounts'):
        op.drop_table(table)
