"""pickup network: point status and closures, order assignments

Revision ID: 0037_pickup
Revises: 0036_building_location
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0037_pickup'
down_revision = '0036_building_location'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
