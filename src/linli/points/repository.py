from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from linli.models import (
    PointsAccount,
    PointsCatalogItem,
    PointsEntry,
    PointsLot,
    PointsRedemption,
    PointsSettings,
    PointsTransaction,
)


def settings(s: Session, tenant_id: int) -> PointsSettings | None:
    return s.scalar(select(PointsSettings).where(PointsSettings.tenant_id == tenant_id))


def member_account(s: Session, tenant_id: int, member_id: int, lock: bool = False) -> PointsAccount | None:
    stmt = select(PointsAccount).where(PointsAccount.tenant_id == tenant_id, PointsAccount.member_id == member_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return s.scalar(stmt)


def system_account(s: Session, tenant_id: int, code: str) -> PointsAccount | None:
    return s.scalar(select(PointsAccount).where(PointsAccount.tenant_id == tenant_id, PointsAccount.code == code))


def debit(s: Session, tenant_id: int, account_id: int, n: int) -> int | None:
    """Take n from a member account if it holds n; the new balance, or None when it does not."""
    return s.scalar(update(PointsAccount)
                    .where(PointsAccount.tenant_id == tenant_id, PointsAccount.id == account_id,
                           PointsAccount.balance >= n)
                    .values(balance=PointsAccount.balance - n).returning(PointsAccount.balance)
                    .execution_options(synchronize_session=False))


def credit(s: Session, tenant_id: int, account_id: int, n: int) -> int:
    """Add n to a member account; the new balance."""
    new = s.scalar(update(PointsAccount)
                   .where(PointsAccount.tenant_id == tenant_id, PointsAccount.id == account_id)
                   .values(balance=PointsAccount.balance + n).returning(PointsAccount.balance)
                   .execution_options(synchronize_session=False))
    assert new is not None
    return int(new)


def transaction_by_key(s: Session, tenant_id: int, key: str) -> PointsTransaction | None:
    return s.scalar(select(PointsTransaction).where(PointsTransaction.tenant_id == tenant_id,
                                                    PointsTransaction.key == key))


def earned_since(s: Session, tenant_id: int, member_id: int, kind: str, since: datetime) -> int:
    return int(s.scalar(select(func.coalesce(func.sum(PointsTransaction.amount), 0)).where(
        PointsTransaction.tenant_id == tenant_id, PointsTransaction.member_id == member_id,
        PointsTransaction.kind == kind, PointsTransaction.created_at >= since)) or 0)


def by_reference(s: Session, tenant_id: int, member_id: int, reference: str,
                 kinds: Sequence[str]) -> Sequence[PointsTransaction]:
    return s.scalars(select(PointsTransaction).where(
        PointsTransaction.tenant_id == tenant_id, PointsTransaction.reference == reference,
        PointsTransaction.member_id == member_id, PointsTransaction.kind.in_(kinds))
        .order_by(PointsTransaction.id)).all()


def open_lots(s: Session, tenant_id: int, member_id: int) -> Sequence[PointsLot]:
    """Lots with points left, earliest expiry first (the order they are spent in)."""
    return s.scalars(select(PointsLot).where(
        PointsLot.tenant_id == tenant_id, PointsLot.member_id == member_id, PointsLot.remaining > 0)
        .order_by(PointsLot.expires_at, PointsLot.id)).all()


def expiring(s: Session, tenant_id: int, member_id: int, until: datetime) -> list[tuple[datetime, int]]:
    rows = s.execute(select(PointsLot.expires_at, func.sum(PointsLot.remaining)).where(
        PointsLot.tenant_id == tenant_id, PointsLot.member_id == member_id, PointsLot.remaining > 0,
        PointsLot.expires_at <= until).group_by(PointsLot.expires_at).order_by(PointsLot.expires_at))
    return [(at, int(n)) for at, n in rows]


def next_expiry(s: Session, tenant_id: int, member_id: int) -> tuple[datetime, int] | None:
    first = s.scalar(select(func.min(PointsLot.expires_at)).where(
        PointsLot.tenant_id == tenant_id, PointsLot.member_id == member_id, PointsLot.remaining > 0))
    if first is None:
        return None
    got = expiring(s, tenant_id, member_id, first)
    return got[0] if got else None


def due_lots(s: Session, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(tenant_id, member_id) of members holding lots past their expiry."""
    rows = s.execute(select(PointsLot.tenant_id, PointsLot.member_id).where(
        PointsLot.remaining > 0, PointsLot.expires_at <= now).distinct().limit(limit))
    return [(t, m) for t, m in rows]


def member_due_lots(s: Session, tenant_id: int, member_id: int, now: datetime) -> Sequence[PointsLot]:
    return s.scalars(select(PointsLot).where(
        PointsLot.tenant_id == tenant_id, PointsLot.member_id == member_id, PointsLot.remaining > 0,
        PointsLot.expires_at <= now).order_by(PointsLot.expires_at, PointsLot.id)).all()


def entries_page(s: Session, tenant_id: int, account_id: int, limit: int,
                 after: int | None) -> Sequence[tuple[PointsEntry, PointsTransaction]]:
    """An account's legs with their transactions, newest first, limit + 1 (to see if more follow)."""
    stmt = select(PointsEntry, PointsTransaction).join(
        PointsTransaction, PointsTransaction.id == PointsEntry.transaction_id).where(
        PointsEntry.tenant_id == tenant_id, PointsEntry.account_id == account_id)
    if after is not None:
        stmt = stmt.where(PointsEntry.id < after)
    rows = s.execute(stmt.order_by(PointsEntry.id.desc()).limit(limit + 1)).all()
    return [(e, t) for e, t in rows]


def earned_between(s: Session, tenant_id: int, start: datetime, end: datetime,
                   kinds: Sequence[str]) -> dict[int, int]:
    rows = s.execute(select(PointsTransaction.member_id, func.sum(PointsTransaction.amount)).where(
        PointsTransaction.tenant_id == tenant_id, PointsTransaction.kind.in_(kinds),
        PointsTransaction.created_at >= start, PointsTransaction.created_at < end)
        .group_by(PointsTransaction.member_id))
    return {m: int(n) for m, n in rows if n}


def catalog_item(s: Session, tenant_id: int, item_id: int) -> PointsCatalogItem | None:
    return s.scalar(select(PointsCatalogItem).where(PointsCatalogItem.tenant_id == tenant_id,
                                                    PointsCatalogItem.id == item_id))


def catalog_listing(tenant_id: int, active_only: bool) -> Select[Any]:
    stmt = select(PointsCatalogItem).where(PointsCatalogItem.tenant_id == tenant_id)
    return stmt.where(PointsCatalogItem.active.is_(True)) if active_only else stmt


def take_stock(s: Session, tenant_id: int, item_id: int, quantity: int) -> bool:
    """Conditional decrement: false when the item is inactive or has fewer than `quantity` left."""
    done = s.execute(update(PointsCatalogItem).where(
        PointsCatalogItem.tenant_id == tenant_id, PointsCatalogItem.id == item_id,
        PointsCatalogItem.active.is_(True), PointsCatalogItem.stock >= quantity)
        .values(stock=PointsCatalogItem.stock - quantity).execution_options(synchronize_session=False))
    return bool(getattr(done, "rowcount", 0))


def charity_total(s: Session, tenant_id: int, community_id: int) -> tuple[int, int]:
    total, donors = s.execute(select(func.coalesce(func.sum(PointsRedemption.amount), 0),
                                     func.count(func.distinct(PointsRedemption.member_id))).where(
        PointsRedemption.tenant_id == tenant_id, PointsRedemption.kind == "charity",
        PointsRedemption.community_id == community_id)).one()
    return int(total), int(donors)


def ledger_sum(s: Session, tenant_id: int, account_id: int) -> int:
    return int(s.scalar(select(func.coalesce(func.sum(PointsEntry.amount), 0)).where(
        PointsEntry.tenant_id == tenant_id, PointsEntry.account_id == account_id)) or 0)


def redeemed_between(s: Session, tenant_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    n, points = s.execute(select(func.count(PointsRedemption.id), func.coalesce(func.sum(PointsRedemption.amount), 0))
                          .where(PointsRedemption.tenant_id == tenant_id, PointsRedemption.created_at >= start,
                                 PointsRedemption.created_at < end)).one()
    return int(n), int(points)
