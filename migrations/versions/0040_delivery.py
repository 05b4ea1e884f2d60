"""micro-warehouse delivery: riders, batches, routes, promised and actual times

Revision ID: 0040_delivery
Revises: 0039_packing
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0040_delivery'
down_revision = '0039_packing'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('delivery_warehouses',
    sa.Column('pickup_point_id', Id, nullable=False),
    sa.Column('radius_m', sa.Integer(), nullable=False),
    sa.Column('promise_minutes', sa.Integer(), nullable=False),
    sa.Column('max_batch', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint('radius_m > 0 AND promise_minutes > 0 AND max_batch > 0',
                       name=op.f('ck_delivery_warehouses_positive')),
    sa.UniqueConstraint('tenant_id', 'pickup_point_id', name=op.f('uq_delivery_warehouses_tenant_id_pickup_point_id')),
    *_keys('delivery_warehouses', ('pickup_point_id', 'pickup_points')))

    op.create_table('delivery_riders',
    sa.Column('warehouse_id', Id, nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    *_keys('delivery_riders', ('warehouse_id', 'pickup_points')))
    op.create_index('ix_delivery_riders_tenant_warehouse', 'delivery_riders', ['tenant_id', 'warehouse_id'])

    op.create_table('delivery_batches',
    sa.Column('warehouse_id', Id, nullable=False),
    sa.Column('rider_id', Id, nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('stops', sa.Integer(), nullable=False),
    sa.Column('total_distance_m', sa.Integer(), nullable=False),
    sa.Column('planned_seconds', sa.Integer(), nullable=False),
    sa.Column('solver', sa.String(length=20), nullable=False),
    sa.Column('created_by', Id, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('departed_at', When, nullable=True),
    sa.Column('finished_at', When, nullable=True),
    sa.CheckConstraint("status IN ('planned', 'out', 'done')", name=op.f('ck_delivery_batches_status')),
    *_keys('delivery_batches', ('warehouse_id', 'pickup_points'), ('rider_id', 'delivery_riders'),
           ('created_by', 'users')))
    op.create_index('ix_delivery_batches_tenant_warehouse_created', 'delivery_batches',
                    ['tenant_id', 'warehouse_id', 'created_at'])

    op.create_table('deliveries',
    sa.Column('order_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('warehouse_id', Id, nullable=False),
    sa.Column('building_id', Id, nullable=False),
    sa.Column('address', sa.String(length=120), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.Column('distance_m', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('promise_minutes', sa.Integer(), nullable=False),
    sa.Column('promised_at', When, nullable=True),
    sa.Column('batch_id', Id, nullable=True),
    sa.Column('stop_seq', sa.Integer(), nullable=True),
    sa.Column('eta_offset_s', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('delivered_at', When, nullable=True),
    sa.Column('failed_at', When, nullable=True),
    sa.Column('failure_reason', sa.String(length=200), nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("status IN ('awaiting_payment', 'pending', 'batched', 'out', 'delivered', 'failed', "
                       "'cancelled')", name=op.f('ck_deliveries_status')),
    sa.CheckConstraint("status NOT IN ('batched', 'out', 'delivered') OR batch_id IS NOT NULL",
                       name=op.f('ck_deliveries_batched')),
    sa.UniqueConstraint('tenant_id', 'order_id', name=op.f('uq_deliveries_tenant_id_order_id')),
    *_keys('deliveries', ('order_id', 'orders'), ('member_id', 'members'), ('warehouse_id', 'pickup_points'),
           ('building_id', 'buildings'), ('batch_id', 'delivery_batches')))
    op.create_index('ix_deliveries_tenant_warehouse_status', 'deliveries', ['tenant_id', 'warehouse_id', 'status'])
    op.create_index('ix_deliveries_tenant_batch', 'deliveries', ['tenant_id', 'batch_id'])
    op.create_index('ix_deliveries_tenant_member', 'deliveries', ['tenant_id', 'member_id'])
    op.create_index('ix_deliveries_tenant_created', 'deliveries', ['tenant_id', 'created_at'])


def downgrade() -> None:
    op.drop_table('deliveries')
    op.drop_table('delivery_batches')
    op.drop_table('delivery_riders')
    op.drop_table('delivery_warehouses')
