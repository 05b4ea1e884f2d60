"""presale deposits (a deposit now, the balance by a deadline); flash-sale early access by tier

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

import linli.core.db

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("presales", sa.Column("deposit_fen", sa.BigInteger(), nullable=True))
    op.add_column("presales", sa.Column("balance_due_at", linli.core.db.UTCDateTime(timezone=True), nullable=True))
    op.add_column("orders", sa.Column("deposit_fen", sa.BigInteger(), server_default="0", nullable=False))
    op.add_column("orders", sa.Column("balance_due_at", linli.core.db.UTCDateTime(timezone=True), nullable=True))
    op.create_index("ix_orders_balance_due", "orders", ["status", "balance_due_at"], unique=False)
    op.add_column("flash_sales", sa.Column("tier_early_access", sa.Boolean(), server_default=sa.false(),
                                           nullable=False))


def downgrade() -> None:
    op.drop_index("ix_orders_balance_due", table_name="orders")
    for table, column in (("flash_sales", "tier_early_access"), ("orders", "balance_due_at"), ("orders", "deposit_fen"),
                          ("presales", "balance_due_at"), ("presales", "deposit_fen")):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
