"""orders carry the member's tier discount, coupon and points; refunds record points value withheld

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ORDER_COLUMNS = ("member_discount_fen", "coupon_discount_fen", "points_used", "points_discount_fen", "points_withheld_fen")


def upgrade() -> None:
    op.add_column("orders", sa.Column("member_coupon_id", linli.core.db.IdType, nullable=True))
    for name in ORDER_COLUMNS:
        op.add_column("orders", sa.Column(name, sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("refunds", sa.Column("points_withheld_fen", sa.BigInteger(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("refunds") as batch:
        batch.drop_column("points_withheld_fen")
    with op.batch_alter_table("orders") as batch:
        for name in ("member_coupon_id", *ORDER_COLUMNS):
            batch.drop_column(name)
