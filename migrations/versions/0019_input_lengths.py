"""input defects: people's names as long as the API accepts (100; users, members and leaders held 60, a 500 on
PostgreSQL); a closed group-buy may hold no units (closing one with no seats broke ck_group_buys_held_bounded);
the stored leader type and tier reasons in Chinese

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03 10:00:00
"""
import sqlalchemy as sa
from alembic import op

from linli.core.migrate import replace_check

revision = '0019'
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


# An active campaign has units set aside; a closed one gives back all that no seat holds, possibly every one.
OLD_CHECK = "stock > 0 and held >= 0 and held <= stock"
NEW_CHECK = "held >= 0 and held <= stock and (stock > 0 or closed_at is not null)"


def _recheck(old: str, new: str) -> None:
    replace_check("group_buys", "ck_group_buys_held_bounded", old, new)


# the reasons stored for a leader's type and tier are shown on the leader pages: Chinese, like the new ones
REWORDED = [("leaders", "type_reason", " (declared on application)", ""),
            ("leaders", "type_reason", " (pickup point is a store)", ""),
            ("leaders", "type_reason", " (≥ 40 % repeat buyers)", "（复购成员 ≥ 40%）"),
            ("leader_tier_history", "reason", "星火计划: activity ", "星火计划：活跃度 "),
            ("leader_tier_history", "reason", ", conversion ", "，转化率 "),
            ("leader_tier_history", "reason", " %, GMV ", "%，成交额 "),
            ("leader_tier_history", "reason", " yuan", " 元")]


def upgrade() -> None:
    _resize(100)
    _recheck(OLD_CHECK, NEW_CHECK)
    for table, column, old, new in REWORDED:
        op.execute(sa.text(f"UPDATE {table} SET {column} = REPLACE({column}, :old, :new) "
                           f"WHERE {column} LIKE :pattern").bindparams(old=old, new=new, pattern=f"%{old}%"))


def downgrade() -> None:
    _recheck(NEW_CHECK, OLD_CHECK)
    _resize(60)
