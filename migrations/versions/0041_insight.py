"""neighbourhood insight: heatmaps, assortment advice, stock turnover

Revision ID: 0041_insight
Revises: 0040_delivery
Create Date: 2026-12-03 12:00:00
"""
import linli.core.db

revision = '0041_insight'
down_revision = '0040_delivery'
branch_labels = None
depends_on = None

Id = linli.core.db.IdType
When = linli.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    # No tables: every insight answer is computed at request time from the owning domains' rows (in DuckDB);
    # on the full demo a heatmap takes ~0.1-0.3 s, so no snapshot table is kept yet.
    pass


def downgrade() -> None:
    pass
