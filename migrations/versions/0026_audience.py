"""audience (人群): tags, segments, member tags, segment members, RFM, runs, interactions

Revision ID: 0026_audience
Revises: 0025_messaging
Create Date: 2026-12-03 06:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0026_audience'
down_revision = '0025_messaging'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('tags',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('rule', sa.Text(), nullable=False),
    sa.Column('ast', sa.JSON(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'code', name=op.f('uq_tags_tenant_id_code')),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_tags_tenant_id_name')),
    *_keys('tags'))

    op.create_table('segments',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('archived_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'name', name=op.f('uq_segments_tenant_id_name')),
    *_keys('segments'))

    op.create_table('member_tags',
    sa.Column('tag_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('since', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'tag_id', 'member_id', name=op.f('uq_member_tags_tenant_id_tag_id_member_id')),
    *_keys('member_tags', ('tag_id', 'tags'), ('member_id', 'members')))
    op.create_index('ix_member_tags_tenant_member', 'member_tags', ['tenant_id', 'member_id'])

    op.create_table('segment_members',
    sa.Column('segment_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('since', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'segment_id', 'member_id',
                        name=op.f('uq_segment_members_tenant_id_segment_id_member_id')),
    *_keys('segment_members', ('segment_id', 'segments'), ('member_id', 'members')))
    op.create_index('ix_segment_members_tenant_member', 'segment_members', ['tenant_id', 'member_id'])

    op.create_table('member_rfm',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('r', sa.Integer(), nullable=False),
    sa.Column('f', sa.Integer(), nullable=False),
    sa.Column('m', sa.Integer(), nullable=False),
    sa.Column('rfm_class', sa.String(length=12), nullable=False),
    sa.Column('recency_days', sa.Integer(), nullable=False),
    sa.Column('frequency', sa.Integer(), nullable=False),
    sa.Column('monetary_fen', sa.BigInteger(), nullable=False),
    sa.Column('computed_at', When, nullable=False),
    sa.CheckConstraint('r between 0 and 5 and f between 0 and 5 and m between 0 and 5',
                       name=op.f('ck_member_rfm_scores')),
    sa.UniqueConstraint('tenant_id', 'member_id', name=op.f('uq_member_rfm_tenant_id_member_id')),
    *_keys('member_rfm', ('member_id', 'members')))
    op.create_index('ix_member_rfm_tenant_class', 'member_rfm', ['tenant_id', 'rfm_class'])

    op.create_table('audience_runs',
    sa.Column('at', When, nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('tags', sa.Integer(), nullable=False),
    sa.Column('tags_added', sa.BigInteger(), nullable=False),
    sa.Column('tags_removed', sa.BigInteger(), nullable=False),
    sa.Column('segment_changes', sa.BigInteger(), nullable=False),
    sa.Column('cutpoints', sa.JSON(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('created_at', When, nullable=False),
    *_keys('audience_runs'))
    op.create_index('ix_audience_runs_tenant_at', 'audience_runs', ['tenant_id', 'at'])

    op.create_table('member_interactions',
    sa.Column('event_id', Id, nullable=False),
    sa.Column('member_id', Id, nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', 'event_id', name=op.f('uq_member_interactions_tenant_id_event_id')),
    *_keys('member_interactions', ('member_id', 'members')))
    op.create_index('ix_member_interactions_tenant_member_at', 'member_interactions', ['tenant_id', 'member_id', 'at'])


def downgrade() -> None:
    for name in ('member_interactions', 'audience_runs', 'member_rfm', 'segment_members', 'member_tags',
                 'segments', 'tags'):
        op.drop_table(name)
