"""neighbourhood insight: heatmaps, assortment advice, stock turnover

Revision ID: 0041_insight
Revises: 0040_delivery
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db
from linli.core.migrate import tenant_keys as _keys

revision = '0041_insight'
down_revision = '0040_delivery'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
