"""coupons

Revision ID: 0010
Revises: 0009
"""
from typing import Any

import sqlalchemy as sa
from alembic import op

import linli.core.db

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _id(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, linli.core.db.IdType, nullable=nullable)


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, linli.core.db.UTCDateTime(timezone=True), nullable=nullable)


def _keys(table: str) -> list[Any]:
    return [
        sa.Column('id', linli.core.db.IdType, autoincrement=True, nullable=False),
        _id('tenant_id'),
        sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f(f'fk_{table}_tenant_id_tenants')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    ]


def upgrade() -> None:
    op.create_table('coupon_templates',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('discount_fen', sa.BigInteger(), nullable=False),
    sa.Column('percent_off', sa.Integer(), nullable=True),
    sa.Column('max_discount_fen', sa.BigInteger(), nullable=True),
    sa.Column('min_spend_fen', sa.BigInteger(), nullable=False),
    sa.Column('category_ids', sa.JSON(), nullable=True),
    sa.Column('product_ids', sa.JSON(), nullable=True),
    sa.Column('new_member_only', sa.Boolean(), nullable=False),
    sa.Column('tier_only', sa.JSON(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('claimed', sa.Integer(), nullable=False),
    sa.Column('per_member_limit', sa.Integer(), nullable=False),
    _at('valid_from'),
    _at('valid_to'),
    sa.Column('valid_days', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    _at('created_at', nullable=False),
    *_keys('coupon_templates'),
    sa.CheckConstraint('claimed >= 0 AND claimed <= total', name=op.f('ck_coupon_templates_claimed_within_total')),
    sa.CheckConstraint('total > 0 AND per_member_limit > 0', name=op.f('ck_coupon_templates_limits_positive')),
    sa.CheckConstraint("(kind = 'fixed' AND discount_fen > 0) OR (kind = 'percent' AND percent_off BETWEEN 1 AND 99)",
                       name=op.f('ck_coupon_templates_benefit')),
    sa.CheckConstraint('min_spend_fen >= 0', name=op.f('ck_coupon_templates_min_spend_not_negative')),
    sa.CheckConstraint('valid_to IS NOT NULL OR valid_days IS NOT NULL', name=op.f('ck_coupon_templates_validity')),
    )
    op.create_index('ix_coupon_templates_tenant_active', 'coupon_templates', ['tenant_id', 'active'], unique=False)

    op.create_table('member_coupons',
    _id('template_id'),
    _id('member_id'),
    sa.Column('claim_no', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('issue_key', sa.String(length=120), nullable=True),
    _at('valid_from', nullable=False),
    _at('valid_to', nullable=False),
    _at('claimed_at', nullable=False),
    _at('used_at'),
    _id('order_id', nullable=True),
    sa.Column('discount_fen', sa.BigInteger(), nullable=True),
    *_keys('member_coupons'),
    sa.ForeignKeyConstraint(['template_id'], ['coupon_templates.id'],
                            name=op.f('fk_member_coupons_template_id_coupon_templates')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_coupons_member_id_members')),
    sa.UniqueConstraint('template_id', 'member_id', 'claim_no',
                        name=op.f('uq_member_coupons_template_id_member_id_claim_no')),
    sa.UniqueConstraint('tenant_id', 'issue_key', name=op.f('uq_member_coupons_tenant_id_issue_key')),
    sa.CheckConstraint('claim_no >= 1', name=op.f('ck_member_coupons_claim_no_positive')),
    sa.CheckConstraint("status IN ('available', 'used', 'expired')", name=op.f('ck_member_coupons_status')),
    sa.CheckConstraint("source IN ('claim', 'issue', 'event', 'geo')", name=op.f('ck_member_coupons_source')),
    sa.CheckConstraint("(status = 'used') = (order_id IS NOT NULL)", name=op.f('ck_member_coupons_used_has_order')),
    )
    op.create_index('ix_member_coupons_tenant_member_status', 'member_coupons', ['tenant_id', 'member_id', 'status'],
                    unique=False)
    op.create_index('ix_member_coupons_tenant_order', 'member_coupons', ['tenant_id', 'order_id'], unique=False)
    op.create_index('ix_member_coupons_expiry', 'member_coupons', ['status', 'valid_to'], unique=False)

    op.create_table('geo_spots',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.Column('radius_m', sa.Integer(), nullable=False),
    _id('coupon_template_id'),
    sa.Column('active', sa.Boolean(), nullable=False),
    _at('created_at', nullable=False),
    *_keys('geo_spots'),
    sa.ForeignKeyConstraint(['coupon_template_id'], ['coupon_templates.id'],
                            name=op.f('fk_geo_spots_coupon_template_id_coupon_templates')),
    sa.CheckConstraint("kind IN ('partner', 'pickup_point')", name=op.f('ck_geo_spots_kind')),
    sa.CheckConstraint('radius_m > 0', name=op.f('ck_geo_spots_radius_positive')),
    )
    op.create_index('ix_geo_spots_tenant_active', 'geo_spots', ['tenant_id', 'active'], unique=False)

    op.create_table('geo_checkins',
    _id('spot_id'),
    _id('member_id'),
    _id('member_coupon_id', nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.Column('distance_m', sa.Integer(), nullable=False),
    _at('created_at', nullable=False),
    *_keys('geo_checkins'),
    sa.ForeignKeyConstraint(['spot_id'], ['geo_spots.id'], name=op.f('fk_geo_checkins_spot_id_geo_spots')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_geo_checkins_member_id_members')),
    sa.ForeignKeyConstraint(['member_coupon_id'], ['member_coupons.id'],
                            name=op.f('fk_geo_checkins_member_coupon_id_member_coupons')),
    sa.UniqueConstraint('spot_id', 'member_id', name=op.f('uq_geo_checkins_spot_id_member_id')),
    )
    op.create_index('ix_geo_checkins_tenant_member', 'geo_checkins', ['tenant_id', 'member_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_geo_checkins_tenant_member', table_name='geo_checkins')
    op.drop_table('geo_checkins')
    op.drop_index('ix_geo_spots_tenant_active', table_name='geo_spots')
    op.drop_table('geo_spots')
    op.drop_index('ix_member_coupons_expiry', table_name='member_coupons')
    op.drop_index('ix_member_coupons_tenant_order', table_name='member_coupons')
    op.drop_index('ix_member_coupons_tenant_member_status', table_name='member_coupons')
    op.drop_table('member_coupons')
    op.drop_index('ix_coupon_templates_tenant_active', table_name='coupon_templates')
    op.drop_table('coupon_templates')
