"""community calendar: events added by leaders and operators

Revision ID: 0034_calendar
Revises: 0033_alerts
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0034_calendar'
down_revision = '0033_alerts'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('calendar_events',
    sa.Column('community_id', Id, nullable=True),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('starts_at', When, nullable=False),
    sa.Column('ends_at', When, nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=1000), nullable=False),
    sa.Column('leader_id', Id, nullable=True),
    sa.Column('created_by', Id, nullable=False),
    sa.Column('cancelled_at', When, nullable=True),
    sa.Column('created_at', When, nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_calendar_events_window')),
    *_keys('calendar_events', ('community_id', 'communities'), ('leader_id', 'leaders'), ('created_by', 'users')))
    op.create_index('ix_calendar_events_tenant_starts', 'calendar_events', ['tenant_id', 'starts_at'])
    op.create_index('ix_calendar_events_tenant_community_starts', 'calendar_events',
                    ['tenant_id', 'community_id', 'starts_at'])


def downgrade() -> None:
    op.drop_index('ix_calendar_events_tenant_community_starts', table_name='calendar_events')
    op.drop_index('ix_calendar_events_tenant_starts', table_name='calendar_events')
    op.drop_table('calendar_events')
