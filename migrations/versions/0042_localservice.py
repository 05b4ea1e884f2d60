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
    pass


def downgrade() -> None:
    pass
