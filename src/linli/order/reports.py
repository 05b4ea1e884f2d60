"""Read-only sales figures for the operator console. Days are Asia/Shanghai days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Forbidden
from linli.core.security import Principal
from linli.order import report_queries as q


@dataclass(frozen=True)
class Today:
    gmv_fen: int  # payable minus refunded, of the orders paid today
    orders: int  # orders paid today


@dataclass(frozen=True)
class DayGmv:
    day: date
    gmv_fen: int


def today(s: Session, p: Principal) -> Today:
    _operator_only(p)
    start = clock.today_start_local()
    gmv, count = q.paid_totals(s, p.tenant_id, start, start + timedelta(days=1))
    return Today(gmv_fen=gmv, orders=count)


def daily_gmv(s: Session, p: Principal, days: int = 30) -> list[DayGmv]:
    """One entry per day for the last `days` days, today last; days without sales are 0."""
    _operator_only(p)
    today_start = clock.today_start_local()
    first = today_start - timedelta(days=days - 1)
    by_day = q.paid_by_day(s, p.tenant_id, first, today_start + timedelta(days=1))
    first_day = clock.local(first).date()
    wanted = [first_day + timedelta(days=i) for i in range(days)]
    return [DayGmv(day=d, gmv_fen=by_day.get(d, 0)) for d in wanted]


def _operator_only(p: Principal) -> None:
    if p.role != "operator":
        raise Forbidden("tenant-wide figures are for operators", code="forbidden")
