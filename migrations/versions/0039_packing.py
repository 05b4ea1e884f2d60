"""packing and sorting lists, pickup scans

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
    pass


def downgrade() -> None:
    pass
