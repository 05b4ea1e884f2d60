"""recommendation: member behaviour events (view, dwell, like, favourite, comment, share, purchase)

Revision ID: 0030_recommend
Revises: 0029_content
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db  # noqa: F401
from linli.core.migrate import tenant_keys as _keys

revision = '0030_recommend'
down_revision = '0029_content'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('behaviour_events',
    sa.Column('member_id', Id, nullable=False),
    sa.Column('item_kind', sa.String(length=8), nullable=False),
    sa.Column('item_id', Id, nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('dwell_ms', sa.Integer(), nullable=True),
    sa.Column('community_id', Id, nullable=True),
    sa.Column('order_id', Id, nullable=True),
    sa.Column('at', When, nullable=False),
    sa.CheckConstraint("item_kind IN ('product', 'post')", name=op.f('ck_behaviour_events_item_kind')),
    sa.CheckConstraint("action IN ('view', 'dwell', 'like', 'favourite', 'comment', 'share', 'purchase')",
                       name=op.f('ck_behaviour_events_action')),
    sa.CheckConstraint('dwell_ms IS NULL OR dwell_ms >= 0', name=op.f('ck_behaviour_events_dwell_ms')),
    sa.UniqueConstraint('tenant_id', 'order_id', 'item_id',
                        name=op.f('uq_behaviour_events_tenant_id_order_id_item_id')),
    *_keys('behaviour_events', ('member_id', 'members')))
    op.create_index('ix_behaviour_events_tenant_at', 'behaviour_events', ['tenant_id', 'at'])
    op.create_index('ix_behaviour_events_tenant_member_at', 'behaviour_events', ['tenant_id', 'member_id', 'at'])

    op.create_table('recommend_settings',
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_recommend_settings_tenant_id')),
    *_keys('recommend_settings'))


def downgrade() -> None:
    op.drop_table('recommend_settings')
    op.drop_index('ix_behaviour_events_tenant_member_at', table_name='behaviour_events')
    op.drop_index('ix_behaviour_events_tenant_at', table_name='behaviour_events')
    op.drop_table('behaviour_events')
