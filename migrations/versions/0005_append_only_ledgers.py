"""ledgers are append-only: the database refuses UPDATE and DELETE on them

Revision ID: 0005
Revises: 0004
"""

from alembic import op

from linli.core import append_only

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("stock_movements", "order_events", "refunds", "payments", "group_events")


def upgrade() -> None:
    append_only.install(op.get_bind(), TABLES)


def downgrade() -> None:
    append_only.remove(op.get_bind(), TABLES)
