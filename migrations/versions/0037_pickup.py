"""pickup network: point status and closures, order assignments

Revision ID: 0037_pickup
Revises: 0036_building_location
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0037_pickup'
down_revision = '0036_building_location'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('pickup_settings',
    sa.Column('max_distance_m', sa.Integer(), nullable=False),
    sa.Column('preference_penalty_m', sa.Integer(), nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint('max_distance_m > 0 AND preference_penalty_m >= 0', name=op.f('ck_pickup_settings_positive')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_pickup_settings_tenant_id')),
    *_keys('pickup_settings'))

    op.create_table('pickup_point_states',
    sa.Column('pickup_point_id', Id, nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('daily_capacity', sa.Integer(), nullable=True),
    sa.Column('changed_at', When, nullable=False),
    sa.CheckConstraint("status IN ('open', 'paused', 'closed')", name=op.f('ck_pickup_point_states_status')),
    sa.CheckConstraint('daily_capacity IS NULL OR daily_capacity > 0',
                       name=op.f('ck_pickup_point_states_capacity_positive')),
    sa.UniqueConstraint('tenant_id', 'pickup_point_id', name=op.f('uq_pickup_point_states_tenant_id_pickup_point_id')),
    *_keys('pickup_point_states', ('pickup_point_id', 'pickup_points')))

    op.create_table('pickup_hours',
    sa.Column('pickup_point_id', Id, nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens_minute', sa.Integer(), nullable=False),
    sa.Column('closes_minute', sa.Integer(), nullable=False),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_pickup_hours_weekday')),
    sa.CheckConstraint('opens_minute >= 0 AND opens_minute < closes_minute AND closes_minute <= 1440',
                       name=op.f('ck_pickup_hours_span')),
    sa.UniqueConstraint('tenant_id', 'pickup_point_id', 'weekday',
                        name=op.f('uq_pickup_hours_tenant_id_pickup_point_id_weekday')),
    *_keys('pickup_hours', ('pickup_point_id', 'pickup_points')))

    op.create_table('pickup_closures',
    sa.Column('pickup_point_id', Id, nullable=False),
    sa.Column('starts_at', When, nullable=False),
    sa.Column('ends_at', When, nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('reassigned_at', When, nullable=True),
    sa.Column('created_by', Id, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_pickup_closures_range')),
    *_keys('pickup_closures', ('pickup_point_id', 'pickup_points'), ('created_by', 'users')))
    op.create_index('ix_pickup_closures_tenant_point_starts', 'pickup_closures',
                    ['tenant_id', 'pickup_point_id', 'starts_at'])
    op.create_index('ix_pickup_closures_due', 'pickup_closures', ['reassigned_at', 'starts_at'])

    op.create_table('pickup_assignment_runs',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('pickup_point_id', Id, nullable=True),
    sa.Column('considered', sa.Integer(), nullable=False),
    sa.Column('moved', sa.Integer(), nullable=False),
    sa.Column('kept', sa.Integer(), nullable=False),
    sa.Column('unplaced', sa.Integer(), nullable=False),
    sa.Column('total_distance_m', sa.Integer(), nullable=False),
    sa.Column('solver', sa.String(length=30), nullable=False),
    sa.Column('created_by', Id, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint('moved >= 0 AND unplaced >= 0 AND kept >= 0', name=op.f('ck_pickup_assignment_runs_counts')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_pickup_assignment_runs_tenant_id_key')),
    *_keys('pickup_assignment_runs', ('pickup_point_id', 'pickup_points'), ('created_by', 'users')))
    op.create_index('ix_pickup_assignment_runs_tenant_created', 'pickup_assignment_runs', ['tenant_id', 'created_at'])

    op.create_table('pickup_assignment_moves',
    sa.Column('run_id', Id, nullable=False),
    sa.Column('order_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('from_point_id', Id, nullable=False),
    sa.Column('to_point_id', Id, nullable=True),
    sa.Column('distance_m', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.CheckConstraint("outcome IN ('moved', 'unplaced')", name=op.f('ck_pickup_assignment_moves_outcome')),
    sa.UniqueConstraint('tenant_id', 'run_id', 'order_id',
                        name=op.f('uq_pickup_assignment_moves_tenant_id_run_id_order_id')),
    *_keys('pickup_assignment_moves', ('run_id', 'pickup_assignment_runs'), ('order_id', 'orders'),
           ('member_id', 'members'), ('from_point_id', 'pickup_points'), ('to_point_id', 'pickup_points')))
    op.create_index('ix_pickup_assignment_moves_tenant_order', 'pickup_assignment_moves', ['tenant_id', 'order_id'])


def downgrade() -> None:
    for name in ('pickup_assignment_moves', 'pickup_assignment_runs', 'pickup_closures', 'pickup_hours',
                 'pickup_point_states', 'pickup_settings'):
        op.drop_table(name)
