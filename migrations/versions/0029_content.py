"""content: posts (UGC/PGC, recipes, reviews), polls and co-creation votes, likes, favourites, comments

Revision ID: 0029_content
Revises: 0028_campaign
Create Date: 2026-12-03 09:00:00
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import linli.core.db  # noqa: F401
from linli.core.migrate import tenant_keys as _keys  # noqa: F401

revision = '0029_content'
down_revision = '0028_campaign'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
