"""Read-only aggregate SQL for the order reports. Every query is scoped to one tenant."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import String, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import FunctionElement

from linli.models import Order


class shanghai_day(FunctionElement[str]):  # noqa: N801 - used like a SQL function
    """The Asia/Shanghai calendar day of a UTC timestamp, as 'YYYY-MM-DD' text."""

    type = String()
    inherit_cache = True
    name = "shanghai_day"


@compiles(shanghai_day)
def _day_standard(element: shanghai_day, compiler: Any, **kw: Any) -> str:
    # PostgreSQL: the column is timestamptz, so AT TIME ZONE yields the local wall-clock time.
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')"


@compiles(shanghai_day, "sqlite")
def _day_sqlite(element: shanghai_day, compiler: Any, **kw: Any) -> str:
    # SQLite keeps naive UTC text; Asia/Shanghai is UTC+8 all year (no daylight saving since 1991).
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


def _net() -> Any:
    return func.coalesce(func.sum(Order.payable_fen - Order.refunded_fen), 0)


def paid_totals(s: Session, tenant_id: int, since: datetime, until: datetime) -> tuple[int, int]:
    """(net amount in fen, number of orders) of the orders paid in [since, until)."""
    row = s.execute(select(_net(), func.count(Order.id))
                    .where(Order.tenant_id == tenant_id, Order.paid_at >= since, Order.paid_at < until)).one()
    return int(row[0]), int(row[1])


def paid_by_day(s: Session, tenant_id: int, since: datetime, until: datetime) -> dict[date, int]:
    """Net amount in fen of the orders paid in [since, until), by Asia/Shanghai day (days without
    payments are absent)."""
    day = shanghai_day(Order.paid_at)
    rows = s.execute(select(day, _net())
                     .where(Order.tenant_id == tenant_id, Order.paid_at >= since, Order.paid_at < until)
                     .group_by(day))
    return {date.fromisoformat(d): int(v) for d, v in rows}
