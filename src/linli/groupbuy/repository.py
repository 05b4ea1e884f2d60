from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from linli.core.listing import Filters, within
from linli.models import Group, GroupBuy, GroupEvent, GroupSeat, Order

LIVE = ("held", "paid", "fulfilled")


def campaign(s: Session, tenant_id: int, campaign_id: int, lock: bool = False) -> GroupBuy | None:
    stmt = select(GroupBuy).where(GroupBuy.tenant_id == tenant_id, GroupBuy.id == campaign_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def campaigns(tenant_id: int) -> Select[Any]:
    return select(GroupBuy).where(GroupBuy.tenant_id == tenant_id)


def hold_unit(s: Session, campaign_id: int) -> bool:
    result = s.execute(update(GroupBuy)
                       .where(GroupBuy.id == campaign_id, GroupBuy.closed_at.is_(None),
                              GroupBuy.held + 1 <= GroupBuy.stock)
                       .values(held=GroupBuy.held + 1))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def release_unit(s: Session, campaign_id: int) -> None:
    s.execute(update(GroupBuy).where(GroupBuy.id == campaign_id).values(held=GroupBuy.held - 1))


def group(s: Session, tenant_id: int, group_id: int, lock: bool = False) -> Group | None:
    stmt = select(Group).where(Group.tenant_id == tenant_id, Group.id == group_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def take_seat(s: Session, group_id: int, now: datetime) -> bool:
    """The guard against overfilling: a seat only while the group is open, in time and not full."""
    result = s.execute(update(Group)
                       .where(Group.id == group_id, Group.status == "open", Group.expires_at > now,
                              Group.seats_taken < Group.size)
                       .values(seats_taken=Group.seats_taken + 1))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def free_seat(s: Session, group_id: int) -> None:
    s.execute(update(Group).where(Group.id == group_id, Group.status == "open")
              .values(seats_taken=Group.seats_taken - 1))


def live_seat(s: Session, group_id: int, member_id: int) -> GroupSeat | None:
    return s.scalar(select(GroupSeat).where(GroupSeat.group_id == group_id, GroupSeat.member_id == member_id,
                                            GroupSeat.status.in_(LIVE)))


def seat_of_order(s: Session, tenant_id: int, order_id: int) -> GroupSeat | None:
    return s.scalar(select(GroupSeat).where(GroupSeat.tenant_id == tenant_id, GroupSeat.order_id == order_id))


def seats(s: Session, group_id: int) -> Sequence[GroupSeat]:
    return s.scalars(select(GroupSeat).where(GroupSeat.group_id == group_id).order_by(GroupSeat.id)).all()


def paid_counts(s: Session, group_ids: Sequence[int]) -> dict[int, int]:
    rows = s.execute(select(GroupSeat.group_id, func.count()).where(
        GroupSeat.group_id.in_(group_ids), GroupSeat.status.in_(("paid", "fulfilled"))).group_by(GroupSeat.group_id))
    return {g: n for g, n in rows}


def add_event(s: Session, tenant_id: int, group_id: int, action: str, member_id: int | None,
              at: datetime, **detail: Any) -> None:
    s.add(GroupEvent(tenant_id=tenant_id, group_id=group_id, action=action, member_id=member_id,
                     detail=detail, at=at))


def events(s: Session, group_id: int) -> Sequence[GroupEvent]:
    return s.scalars(select(GroupEvent).where(GroupEvent.group_id == group_id)
                     .order_by(GroupEvent.at, GroupEvent.id)).all()


def groups_of(s: Session, tenant_id: int, campaign_id: int, status: str | None = None) -> Sequence[Group]:
    stmt = select(Group).where(Group.tenant_id == tenant_id, Group.group_buy_id == campaign_id)
    if status:
        stmt = stmt.where(Group.status == status)
    return s.scalars(stmt.order_by(Group.expires_at)).all()


def status_counts(s: Session, tenant_id: int, campaign_id: int) -> dict[str, int]:
    rows = s.execute(select(Group.status, func.count()).where(
        Group.tenant_id == tenant_id, Group.group_buy_id == campaign_id).group_by(Group.status))
    return {st: n for st, n in rows}


def live_members(s: Session, tenant_id: int, campaign_id: int) -> list[int]:
    rows = s.scalars(select(GroupSeat.member_id).join(Group, Group.id == GroupSeat.group_id).where(
        Group.tenant_id == tenant_id, Group.group_buy_id == campaign_id, GroupSeat.status.in_(LIVE)))
    return list(rows)


def due_groups(s: Session, now: datetime, limit: int) -> list[tuple[int, int]]:
    rows = s.execute(select(Group.tenant_id, Group.id).where(Group.status == "open", Group.expires_at <= now)
                     .order_by(Group.expires_at).limit(limit))
    return [(t, i) for t, i in rows]


# --- read-only queries for groupbuy.reports (figures and listings; every one scoped to a tenant) ---

def active_campaigns(s: Session, tenant_id: int, limit: int) -> list[GroupBuy]:
    """Campaigns still taking new groups, newest first."""
    return list(s.scalars(select(GroupBuy).where(GroupBuy.tenant_id == tenant_id, GroupBuy.closed_at.is_(None))
                          .order_by(GroupBuy.id.desc()).limit(limit)))


def seats_paid(s: Session, tenant_id: int, campaign_id: int) -> int:
    """Seats paid for and not given back (awaiting their group, or fulfilled)."""
    return int(s.scalar(select(func.count(GroupSeat.id)).join(Group, Group.id == GroupSeat.group_id).where(
        Group.tenant_id == tenant_id, Group.group_buy_id == campaign_id,
        GroupSeat.status.in_(("paid", "fulfilled")))) or 0)


def paid_totals(s: Session, tenant_id: int, campaign_id: int) -> tuple[int, int]:
    """(net amount in fen, number of orders) of the campaign's seat orders that were paid (refunds deducted)."""
    row = s.execute(select(func.coalesce(func.sum(Order.payable_fen - Order.refunded_fen), 0), func.count(Order.id))
                    .join(GroupSeat, GroupSeat.order_id == Order.id)
                    .join(Group, Group.id == GroupSeat.group_id)
                    .where(Group.tenant_id == tenant_id, Group.group_buy_id == campaign_id,
                           Order.tenant_id == tenant_id, Order.paid_at.is_not(None))).one()
    return int(row[0]), int(row[1])


def member_seats(s: Session, tenant_id: int, member_id: int, group_ids: Sequence[int]) -> dict[int, int]:
    """group id -> order id of the member's live seat, for those of `group_ids` the member is in."""
    if not group_ids:
        return {}
    rows = s.execute(select(GroupSeat.group_id, GroupSeat.order_id).where(
        GroupSeat.tenant_id == tenant_id, GroupSeat.member_id == member_id, GroupSeat.group_id.in_(group_ids),
        GroupSeat.status.in_(LIVE)))
    return {g: o for g, o in rows}


def console_list(tenant_id: int, f: Filters) -> Select[Any]:
    """The console's group-buy list: created between."""
    return within(campaigns(tenant_id), GroupBuy.created_at, f)


def outcomes(s: Session, tenant_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    rows = {status: int(n) for status, n in s.execute(
        select(Group.status, func.count(Group.id))
        .where(Group.tenant_id == tenant_id, Group.closed_at >= start, Group.closed_at < end,
               Group.status.in_(("succeeded", "failed")))
        .group_by(Group.status))}
    return rows.get("succeeded", 0), rows.get("failed", 0)
