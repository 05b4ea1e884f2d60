"""scenario campaigns (场景活动) with recipients, A/B experiments (variants, exposures), community pilots

Revision ID: 0028_campaign
Revises: 0027_journey
Create Date: 2026-12-03 06:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0028_campaign'
down_revision = '0027_journey'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('scenario_campaigns',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('scenario', sa.String(length=20), nullable=False),
    sa.Column('segment_id', Id, nullable=False),
    sa.Column('starts_at', When, nullable=False),
    sa.Column('ends_at', When, nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('link_kind', sa.String(length=12), nullable=False),
    sa.Column('link_id', Id, nullable=True),
    sa.Column('coupon_template_id', Id, nullable=True),
    sa.Column('community_ids', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('scope_revision', sa.Integer(), nullable=False),
    sa.Column('built_revision', sa.Integer(), nullable=False),
    sa.Column('launched_at', When, nullable=True),
    sa.Column('finished_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint("status IN ('draft', 'scheduled', 'running', 'ended', 'cancelled')",
                       name=op.f('ck_scenario_campaigns_status')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_scenario_campaigns_window')),
    sa.CheckConstraint("link_kind IN ('none', 'product', 'group_buy', 'flash_sale')",
                       name=op.f('ck_scenario_campaigns_link_kind')),
    *_keys('scenario_campaigns', ('coupon_template_id', 'coupon_templates')))
    op.create_index('ix_scenario_campaigns_tenant_status', 'scenario_campaigns', ['tenant_id', 'status'])
    op.create_index('ix_scenario_campaigns_tenant_starts', 'scenario_campaigns', ['tenant_id', 'starts_at'])

    op.create_table('experiments',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('campaign_id', Id, nullable=True),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('conversion_days', sa.Integer(), nullable=False),
    sa.Column('community_ids', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', When, nullable=True),
    sa.Column('stopped_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("status IN ('draft', 'running', 'stopped')", name=op.f('ck_experiments_status')),
    sa.CheckConstraint('conversion_days BETWEEN 1 AND 90', name=op.f('ck_experiments_conversion_days')),
    sa.UniqueConstraint('tenant_id', 'campaign_id', name=op.f('uq_experiments_tenant_id_campaign_id')),
    *_keys('experiments', ('campaign_id', 'scenario_campaigns')))
    op.create_index('ix_experiments_tenant_status', 'experiments', ['tenant_id', 'status'])

    op.create_table('experiment_variants',
    sa.Column('experiment_id', Id, nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_control', sa.Boolean(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=True),
    sa.Column('body', sa.String(length=1000), nullable=True),
    sa.Column('coupon_template_id', Id, nullable=True),
    sa.CheckConstraint('weight BETWEEN 1 AND 100', name=op.f('ck_experiment_variants_weight')),
    sa.UniqueConstraint('tenant_id', 'experiment_id', 'code',
                        name=op.f('uq_experiment_variants_tenant_id_experiment_id_code')),
    *_keys('experiment_variants', ('experiment_id', 'experiments'), ('coupon_template_id', 'coupon_templates')))

    op.create_table('campaign_recipients',
    sa.Column('campaign_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('variant_id', Id, nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('sent_at', When, nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'skipped')", name=op.f('ck_campaign_recipients_status')),
    sa.UniqueConstraint('tenant_id', 'campaign_id', 'member_id',
                        name=op.f('uq_campaign_recipients_tenant_id_campaign_id_member_id')),
    *_keys('campaign_recipients', ('campaign_id', 'scenario_campaigns'), ('member_id', 'members'),
           ('variant_id', 'experiment_variants')))
    op.create_index('ix_campaign_recipients_tenant_campaign_status', 'campaign_recipients',
                    ['tenant_id', 'campaign_id', 'status'])

    op.create_table('experiment_exposures',
    sa.Column('experiment_id', Id, nullable=False),
    sa.Column('variant_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('exposed_at', When, nullable=False),
    sa.Column('convert_by', When, nullable=False),
    sa.Column('converted_at', When, nullable=True),
    sa.Column('order_id', Id, nullable=True),
    sa.UniqueConstraint('tenant_id', 'experiment_id', 'member_id',
                        name=op.f('uq_experiment_exposures_tenant_id_experiment_id_member_id')),
    *_keys('experiment_exposures', ('experiment_id', 'experiments'), ('variant_id', 'experiment_variants'),
           ('member_id', 'members'), ('order_id', 'orders')))
    op.create_index('ix_experiment_exposures_tenant_member_convert', 'experiment_exposures',
                    ['tenant_id', 'member_id', 'convert_by'])
    op.create_index('ix_experiment_exposures_tenant_experiment_variant', 'experiment_exposures',
                    ['tenant_id', 'experiment_id', 'variant_id'])

    op.create_table('pilots',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('campaign_id', Id, nullable=True),
    sa.Column('experiment_id', Id, nullable=True),
    sa.Column('community_ids', sa.JSON(), nullable=False),
    sa.Column('starts_at', When, nullable=False),
    sa.Column('ends_at', When, nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('review_note', sa.String(length=500), nullable=True),
    sa.Column('reviewed_at', When, nullable=True),
    sa.Column('rollout_community_ids', sa.JSON(), nullable=True),
    sa.Column('closed_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.CheckConstraint("status IN ('pilot', 'reviewed', 'rolled_out', 'abandoned')", name=op.f('ck_pilots_status')),
    sa.CheckConstraint('(campaign_id IS NULL) <> (experiment_id IS NULL)', name=op.f('ck_pilots_one_subject')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_pilots_window')),
    *_keys('pilots', ('campaign_id', 'scenario_campaigns'), ('experiment_id', 'experiments')))
    op.create_index('ix_pilots_tenant_status', 'pilots', ['tenant_id', 'status'])


def downgrade() -> None:
    for name in ('pilots', 'experiment_exposures', 'campaign_recipients', 'experiment_variants', 'experiments',
                 'scenario_campaigns'):
        op.drop_table(name)
