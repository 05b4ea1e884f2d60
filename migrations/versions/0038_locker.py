"""smart lockers: compartments, deposits with codes and expiry

Revision ID: 0038_locker
Revises: 0037_pickup
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0038_locker'
down_revision = '0037_pickup'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    live = sa.text("status = 'live'")
    op.create_table('locker_settings',
    sa.Column('hold_hours', sa.Integer(), nullable=False),
    sa.Column('remind_hours', sa.Integer(), nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint('hold_hours > 0 AND remind_hours >= 0 AND remind_hours < hold_hours',
                       name=op.f('ck_locker_settings_hours')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_locker_settings_tenant_id')),
    *_keys('locker_settings'))

    op.create_table('locker_compartments',
    sa.Column('pickup_point_id', Id, nullable=False),
    sa.Column('label', sa.String(length=10), nullable=False),
    sa.Column('size', sa.String(length=1), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("size IN ('S', 'M', 'L')", name=op.f('ck_locker_compartments_size')),
    sa.CheckConstraint("status IN ('free', 'occupied', 'out_of_order')", name=op.f('ck_locker_compartments_status')),
    sa.UniqueConstraint('tenant_id', 'pickup_point_id', 'label',
                        name=op.f('uq_locker_compartments_tenant_id_pickup_point_id_label')),
    *_keys('locker_compartments', ('pickup_point_id', 'pickup_points')))
    op.create_index('ix_locker_compartments_tenant_point_status', 'locker_compartments',
                    ['tenant_id', 'pickup_point_id', 'status', 'size'])

    op.create_table('locker_parcels',
    sa.Column('pickup_point_id', Id, nullable=False),
    sa.Column('compartment_id', Id, nullable=False),
    sa.Column('order_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('deposited_by_user_id', Id, nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('deposited_at', When, nullable=False),
    sa.Column('expires_at', When, nullable=False),
    sa.Column('reminded_at', When, nullable=True),
    sa.Column('collected_at', When, nullable=True),
    sa.Column('expired_at', When, nullable=True),
    sa.Column('returned_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("status IN ('live', 'collected', 'expired')", name=op.f('ck_locker_parcels_status')),
    *_keys('locker_parcels', ('pickup_point_id', 'pickup_points'), ('compartment_id', 'locker_compartments'),
           ('order_id', 'orders'), ('member_id', 'members'), ('deposited_by_user_id', 'users')))
    # live parcels: one per compartment, one per order, one per code at a locker
    op.create_index('uq_locker_parcels_live_compartment', 'locker_parcels', ['tenant_id', 'compartment_id'],
                    unique=True, postgresql_where=live, sqlite_where=live)
    op.create_index('uq_locker_parcels_live_order', 'locker_parcels', ['tenant_id', 'order_id'],
                    unique=True, postgresql_where=live, sqlite_where=live)
    op.create_index('uq_locker_parcels_live_code', 'locker_parcels', ['tenant_id', 'pickup_point_id', 'code'],
                    unique=True, postgresql_where=live, sqlite_where=live)
    op.create_index('ix_locker_parcels_tenant_point_status', 'locker_parcels',
                    ['tenant_id', 'pickup_point_id', 'status'])
    op.create_index('ix_locker_parcels_tenant_member', 'locker_parcels', ['tenant_id', 'member_id'])
    op.create_index('ix_locker_parcels_status_expires', 'locker_parcels', ['status', 'expires_at'])


def downgrade() -> None:
    op.drop_table('locker_parcels')
    op.drop_table('locker_compartments')
    op.drop_table('locker_settings')
