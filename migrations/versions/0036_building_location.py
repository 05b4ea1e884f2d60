"""buildings: a location for each building (distances, heatmaps)

Revision ID: 0036_building_location
Revises: 0035_traceability
Create Date: 2026-12-03 12:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0036_building_location'
down_revision = '0035_traceability'
branch_labels = None
depends_on = None

def upgrade() -> None:
    with op.batch_alter_table('buildings') as b:  # none: the building stands at its community's location
        b.add_column(sa.Column('lat', sa.Float(), nullable=True))
        b.add_column(sa.Column('lng', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('buildings') as b:
        b.drop_column('lng')
        b.drop_column('lat')
