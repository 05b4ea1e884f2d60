"""Leader commission: accounts, entries, monthly statements and what other domains may ask."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.commission import backfill, ledger
from linli.commission import repository as repo
from linli.commission.schemas import AccountOut, CommissionOut, EntryOut, StatementOut
from linli.core import clock
from linli.core.errors import Forbidden, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.leader import service as leaders
from linli.models import CommissionEntry


def leader_of(p: Principal) -> int:
    if p.role != "leader" or p.leader_id is None:
        raise Forbidden("this needs role: leader", code="forbidden")
    return p.leader_id


def require_leader(s: Session, tenant_id: int, leader_id: int) -> None:
    if not leaders.exists(s, tenant_id, leader_id):
        raise NotFound("leader not found", code="leader_not_found")


def account_of(s: Session, tenant_id: int, leader_id: int) -> AccountOut:
    acc = repo.account(s, tenant_id, leader_id)
    if acc is None:
        return AccountOut(leader_id=leader_id, pending_fen=0, available_fen=0, held_fen=0, withdrawn_fen=0,
                          owed_fen=0)
    return AccountOut.model_validate(acc)


def commission_between(s: Session, tenant_id: int, leader_id: int, start: datetime, end: datetime) -> int:
    """Accrued − reversed in [start, end)."""
    sums = repo.sums_by_kind(s, tenant_id, leader_id, start, end)
    return sums.get("accrual", 0) - sums.get("reversal", 0)


def commission(s: Session, tenant_id: int, leader_id: int, limit: int, cursor: str | None) -> CommissionOut:
    rows, nxt = fetch_page(s, repo.entries(tenant_id, leader_id), CommissionEntry.id, limit, cursor)
    return CommissionOut(**account_of(s, tenant_id, leader_id).model_dump(),
                         entries=[EntryOut.model_validate(r) for r in rows], next_cursor=nxt)


def on_order_event(s: Session, tenant_id: int, order_id: int) -> None:
    ledger.sync_order(s, tenant_id, order_id)


def settle_order(s: Session, tenant_id: int, order_id: int) -> int:
    return ledger.settle_order(s, tenant_id, order_id)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """[first instant, first instant of the next month) of a YYYY-MM month in Asia/Shanghai, as UTC."""
    try:
        start = datetime.strptime(month + "-01", "%Y-%m-%d").replace(tzinfo=clock.SHANGHAI)
    except ValueError as e:
        raise Invalid("month must be YYYY-MM", code="invalid_month") from e
    end = (start + timedelta(days=32)).replace(day=1)
    return clock.as_utc(start), clock.as_utc(end)


def statement(s: Session, tenant_id: int, leader_id: int, month: str | None) -> StatementOut:
    """Balance = accrued − reversed + subsidies − paid out (what the leader has earned and not yet received)."""
    require_leader(s, tenant_id, leader_id)
    month = month or clock.local(clock.now()).strftime("%Y-%m")
    start, end = month_bounds(month)
    before = repo.sums_by_kind(s, tenant_id, leader_id, None, start)
    during = repo.sums_by_kind(s, tenant_id, leader_id, start, end)
    opening = (before.get("accrual", 0) - before.get("reversal", 0) + before.get("subsidy", 0)
               - before.get("payout", 0))
    accrued, reversed_, withdrawn = during.get("accrual", 0), during.get("reversal", 0), during.get("payout", 0)
    subsidy = during.get("subsidy", 0)
    return StatementOut(leader_id=leader_id, month=month, opening_fen=opening, accrued_fen=accrued,
                        reversed_fen=reversed_, subsidy_fen=subsidy, settled_fen=during.get("settle", 0),
                        withdrawn_fen=withdrawn, closing_fen=opening + accrued - reversed_ + subsidy - withdrawn,
                        orders=repo.accrued_orders(s, tenant_id, leader_id, start, end))


def take_over_history(s: Session, tenant_id: int, now: datetime) -> int:
    """Ledger rows for paid orders that never went through events (an import); see commission.backfill."""
    return backfill.backfill(s, tenant_id, now)


def pay_subsidy(s: Session, tenant_id: int, leader_id: int, month: str, tier: str, at: datetime) -> int:
    """The marketing subsidy of `tier` for `month` (the tier the leader held when the month was assessed)."""
    return ledger.credit_subsidy(s, tenant_id, leader_id, month,
                                 leaders.benefits(s, tenant_id)[tier].marketing_subsidy_fen, at)
