"""local services: merchants, services, time slots, bookings, ratings

Revision ID: 0042_localservice
Revises: 0041_insight
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0042_localservice'
down_revision = '0041_insight'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('ls_merchants',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint('rating_sum >= 0 AND rating_count >= 0', name=op.f('ck_ls_merchants_rating')),
    *_keys('ls_merchants'))
    op.create_index('ix_ls_merchants_tenant_category', 'ls_merchants', ['tenant_id', 'category'])

    op.create_table('ls_merchant_communities',
    sa.Column('merchant_id', Id, nullable=False),
    sa.Column('community_id', Id, nullable=False),
    sa.UniqueConstraint('tenant_id', 'merchant_id', 'community_id',
                        name=op.f('uq_ls_merchant_communities_tenant_id_merchant_id_community_id')),
    *_keys('ls_merchant_communities', ('merchant_id', 'ls_merchants'), ('community_id', 'communities')))
    op.create_index('ix_ls_merchant_communities_tenant_community', 'ls_merchant_communities',
                    ['tenant_id', 'community_id'])

    op.create_table('ls_services',
    sa.Column('merchant_id', Id, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('price_fen', sa.BigInteger(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint('price_fen >= 0', name=op.f('ck_ls_services_price')),
    sa.CheckConstraint('duration_minutes > 0 AND capacity > 0', name=op.f('ck_ls_services_positive')),
    *_keys('ls_services', ('merchant_id', 'ls_merchants')))
    op.create_index('ix_ls_services_tenant_merchant', 'ls_services', ['tenant_id', 'merchant_id'])

    op.create_table('ls_schedules',
    sa.Column('service_id', Id, nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'service_id', 'weekday', 'start_minute',
                        name=op.f('uq_ls_schedules_tenant_id_service_id_weekday_start_minute')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6 AND start_minute BETWEEN 0 AND 1439',
                       name=op.f('ck_ls_schedules_when')),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_ls_schedules_capacity')),
    *_keys('ls_schedules', ('service_id', 'ls_services')))
    op.create_index('ix_ls_schedules_tenant_active', 'ls_schedules', ['tenant_id', 'active'])

    op.create_table('ls_slots',
    sa.Column('service_id', Id, nullable=False),
    sa.Column('merchant_id', Id, nullable=False),
    sa.Column('schedule_id', Id, nullable=True),
    sa.Column('starts_at', When, nullable=False),
    sa.Column('ends_at', When, nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'service_id', 'starts_at',
                        name=op.f('uq_ls_slots_tenant_id_service_id_starts_at')),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity AND capacity > 0', name=op.f('ck_ls_slots_seats')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_ls_slots_status')),
    *_keys('ls_slots', ('service_id', 'ls_services'), ('merchant_id', 'ls_merchants'),
           ('schedule_id', 'ls_schedules')))
    op.create_index('ix_ls_slots_tenant_starts', 'ls_slots', ['tenant_id', 'starts_at'])

    op.create_table('ls_bookings',
    sa.Column('slot_id', Id, nullable=False),
    sa.Column('live_slot_id', Id, nullable=True),
    sa.Column('service_id', Id, nullable=False),
    sa.Column('merchant_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('community_id', Id, nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('price_fen', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('starts_at', When, nullable=False),
    sa.Column('ends_at', When, nullable=False),
    sa.Column('cancelled_at', When, nullable=True),
    sa.Column('cancelled_by', sa.String(length=10), nullable=True),
    sa.Column('cancel_reason', sa.String(length=200), nullable=True),
    sa.Column('completed_at', When, nullable=True),
    sa.Column('reminded_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'member_id', 'live_slot_id',
                        name=op.f('uq_ls_bookings_tenant_id_member_id_live_slot_id')),
    sa.CheckConstraint("status IN ('confirmed', 'cancelled', 'completed')", name=op.f('ck_ls_bookings_status')),
    sa.CheckConstraint('seats > 0', name=op.f('ck_ls_bookings_seats')),
    sa.CheckConstraint("cancelled_by IS NULL OR cancelled_by IN ('member', 'operator')",
                       name=op.f('ck_ls_bookings_cancelled_by')),
    *_keys('ls_bookings', ('slot_id', 'ls_slots'), ('service_id', 'ls_services'), ('merchant_id', 'ls_merchants'),
           ('member_id', 'members'), ('community_id', 'communities')))
    op.create_index('ix_ls_bookings_tenant_created', 'ls_bookings', ['tenant_id', 'created_at'])
    op.create_index('ix_ls_bookings_tenant_status_starts', 'ls_bookings', ['tenant_id', 'status', 'starts_at'])
    op.create_index('ix_ls_bookings_tenant_slot', 'ls_bookings', ['tenant_id', 'slot_id'])
    op.create_index('ix_ls_bookings_tenant_member', 'ls_bookings', ['tenant_id', 'member_id'])

    op.create_table('ls_ratings',
    sa.Column('booking_id', Id, nullable=False),
    sa.Column('merchant_id', Id, nullable=False),
    sa.Column('service_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=False),
    sa.Column('comment_visible', sa.Boolean(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'booking_id', name=op.f('uq_ls_ratings_tenant_id_booking_id')),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_ls_ratings_stars')),
    *_keys('ls_ratings', ('booking_id', 'ls_bookings'), ('merchant_id', 'ls_merchants'),
           ('service_id', 'ls_services'), ('member_id', 'members')))
    op.create_index('ix_ls_ratings_tenant_merchant', 'ls_ratings', ['tenant_id', 'merchant_id', 'created_at'])


def downgrade() -> None:
    for name in ('ls_ratings', 'ls_bookings', 'ls_slots', 'ls_schedules', 'ls_services', 'ls_merchant_communities',
                 'ls_merchants'):
        op.drop_table(name)
