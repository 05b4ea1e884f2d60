"""member lifecycle and tiers

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core import append_only

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

LEDGERS = ("member_stage_history", "growth_entries", "member_tier_history")


def _id() -> sa.Column:
    return sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False)


def _tenant() -> sa.Column:
    return sa.Column('tenant_id', linli.core.db.IdType, nullable=False)


def _at(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, linli.core.db.UTCDateTime(timezone=True), nullable=nullable)


def _tenant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants'))


def _member_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f(f'fk_{table}_member_id_members'))


def upgrade() -> None:
    op.create_table('lifecycle_settings',
    sa.Column('new_days', sa.Integer(), nullable=False),
    sa.Column('silent_days', sa.Integer(), nullable=False),
    sa.Column('dormant_days', sa.Integer(), nullable=False),
    sa.Column('core_days', sa.Integer(), nullable=False),
    sa.Column('core_orders', sa.Integer(), nullable=False),
    _id(), _tenant(),
    sa.CheckConstraint('new_days > 0 and silent_days > 0 and dormant_days > silent_days and core_days > 0 and core_orders > 0', name=op.f('ck_lifecycle_settings_thresholds')),
    _tenant_fk('lifecycle_settings'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lifecycle_settings')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_lifecycle_settings_tenant_id'))
    )
    op.create_table('member_activity',
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    _at('joined_at'), _at('last_order_at', True), _at('last_interaction_at', True), _at('last_active_at'),
    sa.Column('paid_orders', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=12), nullable=False),
    _at('stage_since'),
    _id(), _tenant(),
    sa.CheckConstraint('paid_orders >= 0', name=op.f('ck_member_activity_paid_orders')),
    _member_fk('member_activity'), _tenant_fk('member_activity'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_activity')),
    sa.UniqueConstraint('member_id', name=op.f('uq_member_activity_member_id'))
    )
    op.create_index('ix_member_activity_tenant_stage_active', 'member_activity', ['tenant_id', 'stage', 'last_active_at'], unique=False)
    op.create_table('member_stage_history',
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('from_stage', sa.String(length=12), nullable=True),
    sa.Column('to_stage', sa.String(length=12), nullable=False),
    _at('at'),
    sa.Column('reason', sa.String(length=40), nullable=False),
    _id(), _tenant(),
    _member_fk('member_stage_history'), _tenant_fk('member_stage_history'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_stage_history'))
    )
    op.create_index('ix_member_stage_history_tenant_member', 'member_stage_history', ['tenant_id', 'member_id', 'at'], unique=False)
    op.create_index('ix_member_stage_history_tenant_at', 'member_stage_history', ['tenant_id', 'at'], unique=False)
    op.create_table('tier_programs',
    sa.Column('ladder', sa.JSON(), nullable=False),
    sa.Column('black_card', sa.JSON(), nullable=False),
    sa.Column('growth_per_yuan', sa.Integer(), nullable=False),
    sa.Column('action_growth', sa.JSON(), nullable=False),
    _id(), _tenant(),
    sa.CheckConstraint('growth_per_yuan >= 0', name=op.f('ck_tier_programs_per_yuan')),
    _tenant_fk('tier_programs'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_programs')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_tier_programs_tenant_id'))
    )
    op.create_table('member_tiers',
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('growth', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=12), nullable=False),
    _at('tier_since'),
    sa.Column('black_card', sa.Boolean(), nullable=False),
    sa.Column('black_card_month', sa.String(length=7), nullable=True),
    _id(), _tenant(),
    sa.CheckConstraint('growth >= 0', name=op.f('ck_member_tiers_growth_not_negative')),
    _member_fk('member_tiers'), _tenant_fk('member_tiers'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_tiers')),
    sa.UniqueConstraint('member_id', name=op.f('uq_member_tiers_member_id'))
    )
    op.create_index('ix_member_tiers_tenant_black', 'member_tiers', ['tenant_id', 'black_card'], unique=False)
    op.create_table('growth_entries',
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('delta', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('ref', sa.String(length=80), nullable=False),
    sa.Column('order_id', linli.core.db.IdType, nullable=True),
    _at('at'),
    _id(), _tenant(),
    _member_fk('growth_entries'), _tenant_fk('growth_entries'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_growth_entries')),
    sa.UniqueConstraint('tenant_id', 'ref', name=op.f('uq_growth_entries_tenant_id_ref'))
    )
    op.create_index('ix_growth_entries_tenant_member', 'growth_entries', ['tenant_id', 'member_id', 'at'], unique=False)
    op.create_index('ix_growth_entries_tenant_at', 'growth_entries', ['tenant_id', 'at'], unique=False)
    op.create_table('member_tier_history',
    sa.Column('member_id', linli.core.db.IdType, nullable=False),
    sa.Column('from_tier', sa.String(length=12), nullable=False),
    sa.Column('to_tier', sa.String(length=12), nullable=False),
    _at('at'),
    sa.Column('reason', sa.String(length=40), nullable=False),
    _id(), _tenant(),
    _member_fk('member_tier_history'), _tenant_fk('member_tier_history'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_tier_history'))
    )
    op.create_index('ix_member_tier_history_tenant_member', 'member_tier_history', ['tenant_id', 'member_id', 'at'], unique=False)
    op.create_table('tier_runs',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    _at('at'),
    _id(), _tenant(),
    _tenant_fk('tier_runs'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tier_runs')),
    sa.UniqueConstraint('tenant_id', 'kind', 'period', name=op.f('uq_tier_runs_tenant_id_kind_period'))
    )
    _backfill()
    append_only.install(op.get_bind(), LEDGERS)


def _backfill() -> None:
    """Members that joined before this migration get their activity facts from their orders; the
    lifecycle.recompute job then moves each to its stage (a history row per change)."""
    op.execute("""
        INSERT INTO member_activity (tenant_id, member_id, joined_at, last_order_at, last_interaction_at,
                                     last_active_at, paid_orders, stage, stage_since)
        SELECT m.tenant_id, m.id, m.joined_at, o.last_paid, NULL,
               CASE WHEN o.last_paid IS NOT NULL AND o.last_paid > m.joined_at THEN o.last_paid ELSE m.joined_at END,
               COALESCE(o.n, 0), 'new', m.joined_at
        FROM members m
        LEFT JOIN (SELECT member_id, MAX(paid_at) AS last_paid, COUNT(*) AS n FROM orders
                   WHERE paid_at IS NOT NULL AND status NOT IN ('cancelled', 'refunded')
                   GROUP BY member_id) o ON o.member_id = m.id""")
    op.execute("""
        INSERT INTO member_stage_history (tenant_id, member_id, from_stage, to_stage, at, reason)
        SELECT tenant_id, member_id, NULL, 'new', joined_at, 'joined' FROM member_activity""")


def downgrade() -> None:
    append_only.remove(op.get_bind(), LEDGERS)
    op.drop_table('tier_runs')
    op.drop_index('ix_member_tier_history_tenant_member', table_name='member_tier_history')
    op.drop_table('member_tier_history')
    op.drop_index('ix_growth_entries_tenant_at', table_name='growth_entries')
    op.drop_index('ix_growth_entries_tenant_member', table_name='growth_entries')
    op.drop_table('growth_entries')
    op.drop_index('ix_member_tiers_tenant_black', table_name='member_tiers')
    op.drop_table('member_tiers')
    op.drop_table('tier_programs')
    op.drop_index('ix_member_stage_history_tenant_at', table_name='member_stage_history')
    op.drop_index('ix_member_stage_history_tenant_member', table_name='member_stage_history')
    op.drop_table('member_stage_history')
    op.drop_index('ix_member_activity_tenant_stage_active', table_name='member_activity')
    op.drop_table('member_activity')
    op.drop_table('lifecycle_settings')
