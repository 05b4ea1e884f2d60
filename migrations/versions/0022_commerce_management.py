"""console commerce management: product images, stock-adjustment notes, flash-sale revisions

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no table rebuild): stock_movements keeps its append-only triggers
    op.add_column('products', sa.Column('image', sa.String(length=80), nullable=True))
    op.add_column('stock_movements', sa.Column('note', sa.String(length=200), nullable=False,
                                               server_default=''))
    op.add_column('flash_sales', sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    op.drop_column('flash_sales', 'revision')
    op.drop_column('stock_movements', 'note')
    op.drop_column('products', 'image')
