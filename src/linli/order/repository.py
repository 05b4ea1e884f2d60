from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, insert, inspect, select, update
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.core.listing import Filters, within
from linli.models import Order, OrderEvent, OrderItem, Refund


def get(s: Session, tenant_id: int, order_id: int, lock: bool = False) -> Order | None:
    stmt = select(Order).where(Order.tenant_id == tenant_id, Order.id == order_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def items(s: Session, tenant_id: int, order_ids: Sequence[int]) -> dict[int, list[OrderItem]]:
    out: dict[int, list[OrderItem]] = {i: [] for i in order_ids}
    rows = s.scalars(select(OrderItem).where(OrderItem.tenant_id == tenant_id,
                                             OrderItem.order_id.in_(order_ids)).order_by(OrderItem.id))
    for it in rows:
        out[it.order_id].append(it)
    return out


def item_lines(s: Session, tenant_id: int, order_ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
    """order id -> its lines as (product name, quantity), read as plain rows (exports)."""
    out: dict[int, list[tuple[str, int]]] = {i: [] for i in order_ids}
    rows = s.execute(select(OrderItem.order_id, OrderItem.product_name, OrderItem.quantity)
                     .where(OrderItem.tenant_id == tenant_id, OrderItem.order_id.in_(order_ids))
                     .order_by(OrderItem.id))
    for order_id, name, quantity in rows:
        out[order_id].append((name, quantity))
    return out


def timeline(s: Session, tenant_id: int, order_id: int) -> Sequence[OrderEvent]:
    return s.scalars(select(OrderEvent).where(OrderEvent.tenant_id == tenant_id,
                                              OrderEvent.order_id == order_id)
                     .order_by(OrderEvent.at, OrderEvent.id)).all()


# The order path's inserts, built once (constructing a statement costs more than running it here)
_orders = table(Order)
_INSERT_ORDER = insert(_orders).returning(_orders.c.id)
_INSERT_ITEMS = insert(table(OrderItem)).returning(table(OrderItem).c.id, sort_by_parameter_order=True)
_INSERT_EVENT = insert(table(OrderEvent))


def insert_order(s: Session, order: Order) -> None:
    """Write a new order with Core (no unit of work) and set its id; the object stays out of the session."""
    values = {k: v for k, v in inspect(order).dict.items() if k != "id"}
    order.id = s.execute(_INSERT_ORDER, values).scalar_one()


def save_amounts(s: Session, order: Order) -> None:
    """A new order's amounts after its coupon and points (see insert_order)."""
    s.execute(update(_orders).where(_orders.c.id == order.id).values(
        discount_fen=order.discount_fen, payable_fen=order.payable_fen, member_coupon_id=order.member_coupon_id,
        coupon_discount_fen=order.coupon_discount_fen, points_used=order.points_used,
        points_discount_fen=order.points_discount_fen))


def insert_items(s: Session, order: Order, lines: Sequence[tuple[int, str, int, int, bool]]) -> list[OrderItem]:
    """(product_id, product_name, unit_price_fen, quantity, is_fresh) lines of a new order, in one Core
    executemany returning the ids; the items are returned out of the session, as written."""
    rows = [{"tenant_id": order.tenant_id, "order_id": order.id, "product_id": product_id,
             "product_name": name, "unit_price_fen": price, "quantity": quantity, "amount_fen": price * quantity,
             "is_fresh": fresh, "refunded_quantity": 0} for product_id, name, price, quantity, fresh in lines]
    ids = s.execute(_INSERT_ITEMS, rows).scalars().all()
    return [OrderItem(id=i, **row) for i, row in zip(ids, rows, strict=True)]


def add_event(s: Session, tenant_id: int, order_id: int, action: str, actor_user_id: int | None,
              actor_role: str, at: datetime, detail: dict[str, Any] | None = None) -> None:
    s.execute(_INSERT_EVENT, {  # Core: written at once, no unit-of-work bookkeeping
        "tenant_id": tenant_id, "order_id": order_id, "action": action, "actor_user_id": actor_user_id,
        "actor_role": actor_role, "detail": detail or {}, "at": at})


def add_refund(s: Session, refund: Refund) -> None:
    s.add(refund)


def search(tenant_id: int, status: str | None, member_id: int | None,
           point_ids: Sequence[int] | None, q: str | None) -> Select[Any]:
    stmt = select(Order).where(Order.tenant_id == tenant_id)
    if status:
        stmt = stmt.where(Order.status == status)
    if member_id:
        stmt = stmt.where(Order.member_id == member_id)
    if point_ids is not None:
        stmt = stmt.where(Order.pickup_point_id.in_(point_ids))
    if q and q.isascii() and q.isdigit() and len(q) < 19:  # "²".isdigit() is true too
        stmt = stmt.where(Order.id == int(q))
    return stmt


def overdue(s: Session, status: str, deadline: str, now: datetime, limit: int) -> list[tuple[int, int]]:
    """(tenant, order) of orders in `status` whose `deadline` column (expires_at, balance_due_at) has passed."""
    column = getattr(Order, deadline)
    rows = s.execute(select(Order.tenant_id, Order.id).where(Order.status == status, column <= now)
                     .order_by(column).limit(limit))
    return [(t, i) for t, i in rows]


def has_paid_order(s: Session, tenant_id: int, member_id: int) -> bool:
    return s.scalar(select(Order.id).where(Order.tenant_id == tenant_id, Order.member_id == member_id,
                                           Order.paid_at.is_not(None)).limit(1)) is not None


def paid_order_count(s: Session, tenant_id: int, member_id: int) -> int:
    return int(s.scalar(select(func.count()).select_from(Order).where(
        Order.tenant_id == tenant_id, Order.member_id == member_id, Order.paid_at.is_not(None),
        Order.status.not_in(("cancelled", "refunded")))) or 0)


def paid_facts_by_member(s: Session, tenant_id: int) -> dict[int, tuple[datetime, int]]:
    rows = s.execute(select(Order.member_id, func.max(Order.paid_at), func.count())
                     .where(Order.tenant_id == tenant_id, Order.paid_at.is_not(None),
                            Order.status.not_in(("cancelled", "refunded")))
                     .group_by(Order.member_id))
    return {m: (at, int(n)) for m, at, n in rows if at is not None}  # max() keeps the column type: aware UTC


def spend_by_member(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    rows = s.execute(select(Order.member_id, func.sum(Order.payable_fen - Order.refunded_fen))
                     .where(Order.tenant_id == tenant_id, Order.paid_at >= start, Order.paid_at < end,
                            Order.status != "cancelled")
                     .group_by(Order.member_id))
    return {m: int(v or 0) for m, v in rows}


def live_quantity(s: Session, tenant_id: int, member_id: int, source: str, source_id: int) -> int:
    total = s.scalar(select(func.coalesce(func.sum(OrderItem.quantity - OrderItem.refunded_quantity), 0))
                     .join(Order, Order.id == OrderItem.order_id)
                     .where(Order.tenant_id == tenant_id, Order.member_id == member_id, Order.source == source,
                            Order.source_id == source_id,
                            Order.status.in_(("pending_payment", "awaiting_balance", "paid", "awaiting_group",
                                              "picked_up"))))
    return int(total or 0)


def by_source(tenant_id: int, source: str, source_id: int) -> Select[Any]:
    return select(Order).where(Order.tenant_id == tenant_id, Order.source == source, Order.source_id == source_id)


def commission_facts(s: Session, tenant_id: int, order_id: int) -> tuple[Order, bool] | None:
    """The order and whether it has fresh lines (its return window is the fresh one)."""
    order = get(s, tenant_id, order_id)
    if order is None:
        return None
    fresh = s.scalar(select(OrderItem.id).where(OrderItem.tenant_id == tenant_id, OrderItem.order_id == order_id,
                                                OrderItem.is_fresh.is_(True)).limit(1)) is not None
    return order, fresh


def sales_at_points(s: Session, tenant_id: int, point_ids: Sequence[int], start: datetime,
                    end: datetime) -> tuple[int, int, int]:
    """(gmv = payable − refunded, orders, distinct buyers) of orders paid in [start, end) at the points."""
    if not point_ids:
        return 0, 0, 0
    row = s.execute(select(func.coalesce(func.sum(Order.payable_fen - Order.refunded_fen), 0), func.count(),
                           func.count(func.distinct(Order.member_id)))
                    .where(Order.tenant_id == tenant_id, Order.pickup_point_id.in_(point_ids),
                           Order.paid_at >= start, Order.paid_at < end, Order.status != "cancelled")).one()
    return int(row[0]), int(row[1]), int(row[2])


def leader_facts(s: Session, tenant_id: int, point_ids: Sequence[int], start: datetime,
                 end: datetime) -> tuple[int, int, int, int, int]:
    """(paid orders, picked up, distinct buyers, repeat buyers, gmv_fen) at these points, see service."""
    if not point_ids:
        return 0, 0, 0, 0, 0
    at_points = (Order.tenant_id == tenant_id, Order.pickup_point_id.in_(list(point_ids)))
    paid = [*at_points, Order.paid_at >= start, Order.paid_at < end, Order.status != "cancelled"]
    per_member = (select(Order.member_id, func.count(Order.id).label("n"),
                         func.sum(Order.payable_fen - Order.refunded_fen).label("net"))
                  .where(*paid).group_by(Order.member_id).subquery())
    orders, buyers, repeat, gmv = s.execute(select(
        func.coalesce(func.sum(per_member.c.n), 0), func.count(per_member.c.member_id),
        func.coalesce(func.sum(case((per_member.c.n >= 2, 1), else_=0)), 0),
        func.coalesce(func.sum(per_member.c.net), 0))).one()
    picked = [*at_points, Order.picked_up_at >= start, Order.picked_up_at < end]
    picked_up = s.scalar(select(func.count(Order.id)).where(*picked)) or 0
    return int(orders), int(picked_up), int(buyers), int(repeat), int(gmv)


def leader_gmv(s: Session, tenant_id: int, point_ids: Sequence[int], end: datetime) -> int:
    if not point_ids:
        return 0
    return int(s.scalar(select(func.coalesce(func.sum(Order.payable_fen - Order.refunded_fen), 0))
                        .where(Order.tenant_id == tenant_id, Order.pickup_point_id.in_(list(point_ids)),
                               Order.paid_at.is_not(None), Order.paid_at < end, Order.status != "cancelled")) or 0)


def rating_facts(s: Session, tenant_id: int, order_id: int) -> tuple[str, int, int | None] | None:
    row = s.execute(select(Order.status, Order.member_id, Order.pickup_point_id)
                    .where(Order.tenant_id == tenant_id, Order.id == order_id)).first()
    return None if row is None else (row[0], row[1], row[2])


def gmv_by_point(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    rows = s.execute(select(Order.pickup_point_id, func.sum(Order.payable_fen - Order.refunded_fen))
                     .where(Order.tenant_id == tenant_id, Order.paid_at >= start, Order.paid_at < end,
                            Order.status != "cancelled", Order.pickup_point_id.is_not(None))
                     .group_by(Order.pickup_point_id))
    return {p: int(v or 0) for p, v in rows if p is not None}


def picked_up_at_points(s: Session, tenant_id: int, point_ids: list[int]) -> list[tuple[int, int, int, datetime]]:
    rows = s.execute(select(Order.id, Order.member_id, Order.pickup_point_id, Order.picked_up_at)
                     .where(Order.tenant_id == tenant_id, Order.status == "picked_up",
                            Order.pickup_point_id.in_(point_ids))
                     .order_by(Order.id))
    return [(o, m, p, at) for o, m, p, at in rows if p is not None and at is not None]


def first_buyers_by_point(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    first = (select(Order.member_id.label("member_id"), func.min(Order.paid_at).label("at"))
             .where(Order.tenant_id == tenant_id, Order.paid_at.is_not(None), Order.status != "cancelled")
             .group_by(Order.member_id)
             .having(func.min(Order.paid_at) >= start, func.min(Order.paid_at) < end).subquery())
    rows = s.execute(select(Order.pickup_point_id, func.count(func.distinct(Order.member_id)))
                     .join(first, (first.c.member_id == Order.member_id) & (first.c.at == Order.paid_at))
                     .where(Order.tenant_id == tenant_id, Order.pickup_point_id.is_not(None))
                     .group_by(Order.pickup_point_id))
    return {p: int(n) for p, n in rows if p is not None}


def paid_orders_at_points(s: Session, tenant_id: int, point_ids: Sequence[int]) -> list[Any]:
    """(id, paid_at, last refund at, pickup_point_id, payable, refunded, status, picked_up_at, has fresh lines)
    of the orders ever paid at these points, oldest first."""
    if not point_ids:
        return []
    fresh = (select(OrderItem.id).where(OrderItem.tenant_id == tenant_id, OrderItem.order_id == Order.id,
                                        OrderItem.is_fresh.is_(True)).exists())
    refunded_at = (select(func.max(Refund.created_at)).where(Refund.tenant_id == tenant_id, Refund.order_id == Order.id)
                   .scalar_subquery())
    return list(s.execute(
        select(Order.id, Order.paid_at, refunded_at, Order.pickup_point_id, Order.payable_fen, Order.refunded_fen,
               Order.status, Order.picked_up_at, fresh)
        .where(Order.tenant_id == tenant_id, Order.pickup_point_id.in_(point_ids), Order.paid_at.is_not(None))
        .order_by(Order.id)).all())


def console_list(tenant_id: int, f: Filters, point_ids: Sequence[int] | None) -> Select[Any]:
    """The console's order list: status, order number, the created or paid date range, pickup points (a
    community's or a leader's)."""
    stmt = search(tenant_id, f.status, None, point_ids, f.q)
    return within(stmt, Order.paid_at if f.on == "paid" else Order.created_at, f)


def alert_counts_by_point(s: Session, tenant_id: int, start: datetime,
                          end: datetime) -> dict[int | None, tuple[int, int, int, int, int, int]]:
    """point -> (created, cancelled, paid, refunded, gmv_fen, buyers) for the alert metrics, see service."""
    out: dict[int | None, list[int]] = {}
    created = s.execute(select(Order.pickup_point_id, func.count(Order.id),
                               func.sum(case((Order.status == "cancelled", 1), else_=0)))
                        .where(Order.tenant_id == tenant_id, Order.created_at >= start, Order.created_at < end)
                        .group_by(Order.pickup_point_id))
    for point, n, cancelled in created:
        out.setdefault(point, [0] * 6)[0:2] = [int(n), int(cancelled or 0)]
    paid = s.execute(select(Order.pickup_point_id, func.count(Order.id),
                            func.sum(case((Order.refunded_fen > 0, 1), else_=0)),
                            func.sum(Order.payable_fen - Order.refunded_fen), func.count(Order.member_id.distinct()))
                     .where(Order.tenant_id == tenant_id, Order.paid_at >= start, Order.paid_at < end,
                            Order.status != "cancelled")
                     .group_by(Order.pickup_point_id))
    for point, n, refunded, gmv, buyers in paid:
        out.setdefault(point, [0] * 6)[2:6] = [int(n), int(refunded or 0), int(gmv or 0), int(buyers)]
    return {p: (v[0], v[1], v[2], v[3], v[4], v[5]) for p, v in out.items()}


def awaiting_pickup_by_point(s: Session, tenant_id: int, paid_before: datetime | None = None,
                             point_id: int | None = None) -> dict[int, int]:
    """pickup point id -> paid orders there not picked up yet (paid before `paid_before` and deliverable by then,
    when given; at one point, when given)."""
    stmt = (select(Order.pickup_point_id, func.count(Order.id))
            .where(Order.tenant_id == tenant_id, Order.status == "paid", Order.pickup_point_id.is_not(None))
            .group_by(Order.pickup_point_id))
    if paid_before is not None:
        stmt = stmt.where(Order.paid_at < paid_before,
                          (Order.deliverable_from.is_(None)) | (Order.deliverable_from < paid_before))
    if point_id is not None:
        stmt = stmt.where(Order.pickup_point_id == point_id)
    return {p: int(n) for p, n in s.execute(stmt) if p is not None}


def awaiting_rows(s: Session, tenant_id: int, point_ids: Sequence[int] | None, paid_from: datetime | None,
                  paid_until: datetime | None) -> list[tuple[int, int, int, datetime | None]]:
    """(order, member, point, paid_at) of paid orders not picked up yet, by id."""
    stmt = (select(Order.id, Order.member_id, Order.pickup_point_id, Order.paid_at)
            .where(Order.tenant_id == tenant_id, Order.status == "paid", Order.pickup_point_id.is_not(None))
            .order_by(Order.id))
    if point_ids is not None:
        stmt = stmt.where(Order.pickup_point_id.in_(list(point_ids)))
    if paid_from is not None:
        stmt = stmt.where(Order.paid_at >= paid_from)
    if paid_until is not None:
        stmt = stmt.where(Order.paid_at < paid_until)
    return [(o, m, p, at) for o, m, p, at in s.execute(stmt) if p is not None]


def move_if_waiting(s: Session, tenant_id: int, order_id: int, from_point_id: int, to_point_id: int) -> bool:
    """Move a paid order to another point if it is still at `from_point_id`: one conditional UPDATE, so of two
    movers at once only one moves it."""
    result = s.execute(update(Order)
                      .where(Order.tenant_id == tenant_id, Order.id == order_id, Order.status == "paid",
                             Order.pickup_point_id == from_point_id)
                      .values(pickup_point_id=to_point_id)
                      .execution_options(synchronize_session=False))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def last_paid_by_point(s: Session, tenant_id: int) -> dict[int, datetime]:
    rows = s.execute(select(Order.pickup_point_id, func.max(Order.paid_at))
                     .where(Order.tenant_id == tenant_id, Order.paid_at.is_not(None),
                            Order.status != "cancelled", Order.pickup_point_id.is_not(None))
                     .group_by(Order.pickup_point_id))
    return {p: at for p, at in rows if p is not None and at is not None}


def buyers_of_product(s: Session, tenant_id: int, product_id: int, start: datetime, end: datetime,
                      point_ids: Sequence[int] | None) -> list[int]:
    stmt = (select(Order.member_id).join(OrderItem, (OrderItem.order_id == Order.id)
                                         & (OrderItem.tenant_id == Order.tenant_id))
            .where(Order.tenant_id == tenant_id, OrderItem.product_id == product_id,
                   Order.status.in_(("paid", "picked_up")), Order.paid_at >= start, Order.paid_at < end)
            .distinct().order_by(Order.member_id))
    if point_ids is not None:
        stmt = stmt.where(Order.pickup_point_id.in_(list(point_ids)))
    return list(s.scalars(stmt))
