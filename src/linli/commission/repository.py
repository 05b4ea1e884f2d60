"""Every commission query. Account movements are conditional UPDATEs (checked rowcount) or run under the
account row lock, so no amount ever goes below zero, on PostgreSQL and SQLite alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.orm import Session

from linli.core.listing import Filters, within
from linli.models import CommissionAccount, CommissionEntry, CommissionOrder, CommissionWithdrawal


def account(s: Session, tenant_id: int, leader_id: int, lock: bool = False) -> CommissionAccount | None:
    stmt = select(CommissionAccount).where(CommissionAccount.tenant_id == tenant_id,
                                           CommissionAccount.leader_id == leader_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return s.scalar(stmt)


def order(s: Session, tenant_id: int, order_id: int) -> CommissionOrder | None:
    return s.scalar(select(CommissionOrder).where(CommissionOrder.tenant_id == tenant_id,
                                                  CommissionOrder.order_id == order_id)
                    .execution_options(populate_existing=True))


def entry_by_key(s: Session, tenant_id: int, key: str) -> CommissionEntry | None:
    return s.scalar(select(CommissionEntry).where(CommissionEntry.tenant_id == tenant_id, CommissionEntry.key == key))


def hold(s: Session, tenant_id: int, leader_id: int, amount: int) -> bool:
    """available → held, only when available covers it."""
    res = s.execute(update(CommissionAccount)
                    .where(CommissionAccount.tenant_id == tenant_id, CommissionAccount.leader_id == leader_id,
                           CommissionAccount.available_fen >= amount)
                    .values(available_fen=CommissionAccount.available_fen - amount,
                            held_fen=CommissionAccount.held_fen + amount)
                    .execution_options(synchronize_session=False))
    return res.rowcount == 1  # type: ignore[attr-defined]


def unhold(s: Session, tenant_id: int, leader_id: int, amount: int, paid_out: bool) -> bool:
    """held → withdrawn (paid out) or held → available (rejected)."""
    values: dict[str, Any] = {"held_fen": CommissionAccount.held_fen - amount}
    if paid_out:
        values["withdrawn_fen"] = CommissionAccount.withdrawn_fen + amount
    else:
        values["available_fen"] = CommissionAccount.available_fen + amount
    res = s.execute(update(CommissionAccount)
                    .where(CommissionAccount.tenant_id == tenant_id, CommissionAccount.leader_id == leader_id,
                           CommissionAccount.held_fen >= amount)
                    .values(**values).execution_options(synchronize_session=False))
    return res.rowcount == 1  # type: ignore[attr-defined]


def decide(s: Session, tenant_id: int, withdrawal_id: int, status: str, by: int, at: datetime,
           reason: str | None) -> bool:
    """requested → approved | rejected, once (a concurrent decision loses)."""
    res = s.execute(update(CommissionWithdrawal)
                    .where(CommissionWithdrawal.tenant_id == tenant_id, CommissionWithdrawal.id == withdrawal_id,
                           CommissionWithdrawal.status == "requested")
                    .values(status=status, decided_by=by, decided_at=at, reason=reason)
                    .execution_options(synchronize_session=False))
    return res.rowcount == 1  # type: ignore[attr-defined]


def withdrawal(s: Session, tenant_id: int, withdrawal_id: int) -> CommissionWithdrawal | None:
    return s.scalar(select(CommissionWithdrawal).where(CommissionWithdrawal.tenant_id == tenant_id,
                                                       CommissionWithdrawal.id == withdrawal_id)
                    .execution_options(populate_existing=True))


def withdrawals(tenant_id: int, status: str | None, leader_id: int | None) -> Select[Any]:
    stmt = select(CommissionWithdrawal).where(CommissionWithdrawal.tenant_id == tenant_id)
    if status:
        stmt = stmt.where(CommissionWithdrawal.status == status)
    if leader_id is not None:
        stmt = stmt.where(CommissionWithdrawal.leader_id == leader_id)
    return stmt


def entries(tenant_id: int, leader_id: int) -> Select[Any]:
    return select(CommissionEntry).where(CommissionEntry.tenant_id == tenant_id,
                                         CommissionEntry.leader_id == leader_id)


def due_orders(s: Session, at: datetime, limit: int) -> list[tuple[int, int]]:
    rows = s.execute(select(CommissionOrder.tenant_id, CommissionOrder.order_id)
                     .where(CommissionOrder.settled.is_(False), CommissionOrder.settle_after <= at)
                     .order_by(CommissionOrder.settle_after).limit(limit))
    return [(t, o) for t, o in rows]


def sums_by_kind(s: Session, tenant_id: int, leader_id: int, start: datetime | None,
                 end: datetime) -> dict[str, int]:
    stmt = select(CommissionEntry.kind, func.sum(CommissionEntry.amount_fen)).where(
        CommissionEntry.tenant_id == tenant_id, CommissionEntry.leader_id == leader_id,
        CommissionEntry.created_at < end)
    if start is not None:
        stmt = stmt.where(CommissionEntry.created_at >= start)
    return {k: int(v or 0) for k, v in s.execute(stmt.group_by(CommissionEntry.kind))}


def accrued_orders(s: Session, tenant_id: int, leader_id: int, start: datetime, end: datetime) -> int:
    return int(s.scalar(select(func.count(func.distinct(CommissionEntry.order_id))).where(
        CommissionEntry.tenant_id == tenant_id, CommissionEntry.leader_id == leader_id,
        CommissionEntry.kind == "accrual", CommissionEntry.created_at >= start,
        CommissionEntry.created_at < end)) or 0)


def orders_of(s: Session, tenant_id: int, leader_id: int) -> list[CommissionOrder]:
    return list(s.scalars(select(CommissionOrder).where(CommissionOrder.tenant_id == tenant_id,
                                                        CommissionOrder.leader_id == leader_id)))


def order_ids(s: Session, tenant_id: int) -> set[int]:
    """The orders the ledger already holds."""
    return set(s.scalars(select(CommissionOrder.order_id).where(CommissionOrder.tenant_id == tenant_id)))


def insert_history(s: Session, orders: list[dict[str, Any]], entries: list[dict[str, Any]]) -> None:
    if orders:
        s.execute(insert(CommissionOrder), orders)
    if entries:
        s.execute(insert(CommissionEntry), entries)


def console_withdrawals(tenant_id: int, f: Filters) -> Select[Any]:
    """The withdrawals queue: status, leader, requested between."""
    return within(withdrawals(tenant_id, f.status, f.leader_id), CommissionWithdrawal.created_at, f)
