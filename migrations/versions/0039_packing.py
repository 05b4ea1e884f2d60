"""packing and sorting lists, pickup scans: the tenant's daily cut-off (the lists and scans themselves read
the orders; they need no table of their own)

Revision ID: 0039_packing
Revises: 0038_locker
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0039_packing'
down_revision = '0038_locker'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table('packing_settings',
    sa.Column('cutoff_minutes', sa.Integer(), nullable=False),
    sa.Column('updated_at', When, nullable=False),
    sa.CheckConstraint('cutoff_minutes > 0 AND cutoff_minutes <= 1440',
                       name=op.f('ck_packing_settings_cutoff_in_day')),
    sa.UniqueConstraint('tenant_id', name=op.f('uq_packing_settings_tenant_id')),
    *_keys('packing_settings'))


def downgrade() -> None:
    op.drop_table('packing_settings')
