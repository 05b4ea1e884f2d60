"""people's names as long as the API accepts (100): users, members and leaders held 60, a 500 on PostgreSQL

Revision ID: 0019b
Revises: 0018
Create Date: 2026-12-03 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019b'
down_revision = '0018'
branch_labels = None
depends_on = None

# A leader takes the member's name on approval, and the user row carries it too: all three agree.
NAMED = ("users", "members", "leaders")


def _resize(length: int) -> None:
    # SQLite does not enforce VARCHAR lengths; rebuilding these much-referenced tables there would gain nothing.
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in NAMED:
        op.alter_column(table, "name", type_=sa.String(length=length), existing_nullable=False)


def upgrade() -> None:
    _resize(100)


def downgrade() -> None:
    _resize(60)
