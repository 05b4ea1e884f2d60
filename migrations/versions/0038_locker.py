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
    pass


def downgrade() -> None:
    pass
