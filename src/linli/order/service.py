"""Placing, paying for and reading orders."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.catalog import stock
from linli.community import service as community
from linli.config import get_settings
from linli.core import clock
from linli.core.errors import Conflict, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.member import service as members
from linli.models import Order, OrderItem
from linli.order import benefits
from linli.order import repository as repo
from linli.order.events import SYSTEM, Actor, record
from linli.order.schemas import ItemOut, OrderDetailOut, OrderIn, OrderOut, TimelineOut
from linli.payment import service as payment
from linli.pickup import network as pickup_network

# Orders from these sources took product stock themselves, so cancelling or refunding returns it there;
# a campaign (flash sale, group-buy) holds its own units and takes them back itself.
FROM_PRODUCT_STOCK = ("shop", "bundle")


def place(s: Session, p: Principal, data: OrderIn) -> OrderOut:
    quantities: dict[int, int] = {}
    for line in data.items:
        quantities[line.product_id] = quantities.get(line.product_id, 0) + line.quantity
    return place_lines(s, p, quantities, data.pickup_point_id, coupon_id=data.coupon_id,
                       points_to_use=data.points_to_use)


def place_lines(s: Session, p: Principal, quantities: dict[int, int], pickup_point_id: int | None,
                source: str = "shop", source_id: int | None = None, payable_fen: int | None = None,
                coupon_id: int | None = None, points_to_use: int = 0) -> OrderOut:
    """Take product stock for every line or none. `payable_fen` below the list total (a bundle price)
    becomes the order's discount, shared by the lines in proportion when refunding; a coupon and points
    come off after it.

    The hot path of the shop: rows are written with Core (no unit of work) and the response is built from
    the values in hand, so nothing is read back; the product rows are locked last, only until the commit."""
    assert p.member_id is not None
    pickup_point_id = pickup_point_for(s, p, pickup_point_id)
    lines = stock.quote(s, p.tenant_id, quantities.items())
    total = sum(t.unit_price_fen * t.quantity for t in lines)
    order = _new_order(p, pickup_point_id, total, min(total, payable_fen) if payable_fen is not None else total,
                       source, source_id)
    benefits.apply_tier(s, order)
    repo.insert_order(s, order)
    if benefits.apply(s, order, lines, coupon_id, points_to_use):
        repo.save_amounts(s, order)
    items = repo.insert_items(s, order, [(t.product_id, t.name, t.unit_price_fen, t.quantity, t.is_fresh)
                                         for t in lines])
    record(s, order, "created", Actor.of(p), "order.created", total_fen=order.total_fen)
    stock.take(s, p.tenant_id, lines, order.id, p.user_id)  # last: the product rows stay locked until the commit
    return out(order, items, p)


def place_reserved(s: Session, p: Principal, product_id: int, quantity: int, unit_price_fen: int,
                   source: str, source_id: int, pickup_point_id: int | None,
                   deliverable_from: datetime | None = None, deposit_fen: int = 0,
                   balance_due_at: datetime | None = None) -> OrderOut:
    """An order for units a campaign already holds (flash sale, group-buy, presale): no product stock is
    taken here, and the campaign takes its units back when the order is cancelled or refunded. With a
    `deposit_fen` the first payment is the deposit and the rest is due by `balance_due_at`."""
    assert p.member_id is not None
    pickup_point_id = pickup_point_for(s, p, pickup_point_id)
    product = stock.quote(s, p.tenant_id, [(product_id, quantity)])[0]
    amount = unit_price_fen * quantity
    order = _new_order(p, pickup_point_id, amount, amount, source, source_id)
    order.deliverable_from, order.deposit_fen, order.balance_due_at = deliverable_from, deposit_fen, balance_due_at
    repo.insert_order(s, order)
    items = repo.insert_items(s, order, [(product_id, product.name, unit_price_fen, quantity, product.is_fresh)])
    record(s, order, "created", Actor.of(p), "order.created", total_fen=amount)
    return out(order, items, p)


def pickup_point_for(s: Session, p: Principal, pickup_point_id: int | None) -> int:
    """Every order has a pickup point, so its leader can hand it out: the one named (any point of the tenant),
    else the member's default (their chosen point, else their community's first). A point that is paused,
    closed or full takes no new orders: the member chooses another."""
    assert p.member_id is not None
    if pickup_point_id is not None:
        community.pickup_point(s, p.tenant_id, pickup_point_id, as_input=True)
        found: int | None = pickup_point_id
    else:
        found = members.default_pickup_point(s, p.tenant_id, p.member_id)
    if found is None:
        raise Conflict("your community has no pickup point yet; choose one", code="no_pickup_point")
    why = pickup_network.refusal(s, p.tenant_id, found)
    if why is not None:
        raise Conflict(f"pickup point {found} takes no new orders now ({why}); choose another",
                       code="pickup_point_unavailable")
    return found


def _new_order(p: Principal, pickup_point_id: int | None, total_fen: int, payable_fen: int, source: str,
               source_id: int | None) -> Order:
    """A new, unpaid order, not yet written: every column set, so the response can be built from it."""
    assert p.member_id is not None
    now = clock.now()
    return Order(tenant_id=p.tenant_id, member_id=p.member_id, pickup_point_id=pickup_point_id,
                 status="pending_payment", total_fen=total_fen, discount_fen=total_fen - payable_fen,
                 payable_fen=payable_fen, refunded_fen=0, member_discount_fen=0, member_coupon_id=None,
                 coupon_discount_fen=0, points_used=0, points_discount_fen=0, points_withheld_fen=0,
                 pickup_code=None, source=source, source_id=source_id, deliverable_from=None, deposit_fen=0,
                 balance_due_at=None, created_at=now,
                 expires_at=now + timedelta(minutes=get_settings().payment_timeout_minutes),
                 paid_at=None, picked_up_at=None, closed_at=None)


def pay(s: Session, p: Principal, order_id: int) -> Order:
    """Pay in full; or, for an order with a deposit, the deposit first and the balance by its deadline."""
    order = visible(s, p, order_id, lock=True)
    now = clock.now()
    if order.status == "awaiting_balance":
        if order.balance_due_at is not None and order.balance_due_at <= now:
            raise Conflict("the balance was due earlier; the deposit is kept", code="order_expired")
        payment.charge_order(s, p.tenant_id, order.id, order.payable_fen - order.deposit_fen, part="balance")
        _paid(s, order, p)
        return order
    if order.status != "pending_payment":
        raise Conflict(f"order is {order.status}, not awaiting payment", code="not_payable")
    if order.expires_at <= now:
        raise Conflict("the payment window has closed", code="order_expired")
    if order.deposit_fen:
        payment.charge_order(s, p.tenant_id, order.id, order.deposit_fen, part="deposit")
        order.status = "awaiting_balance"
        record(s, order, "deposit_paid", Actor.of(p), "order.deposit_paid", deposit_fen=order.deposit_fen,
               balance_due_at=order.balance_due_at.isoformat() if order.balance_due_at else None)
        return order
    payment.charge_order(s, p.tenant_id, order.id, order.payable_fen)
    _paid(s, order, p)
    return order


def _paid(s: Session, order: Order, p: Principal) -> None:
    # a group-buy seat is paid but waits for its group to fill before it can be fulfilled
    order.status = "awaiting_group" if order.source == "group_buy" else "paid"
    order.paid_at = clock.now()
    order.pickup_code = f"{secrets.randbelow(10**6):06d}"
    record(s, order, "paid", Actor.of(p), "order.paid")


def release_from_group(s: Session, tenant_id: int, order_ids: list[int]) -> int:
    """The group filled: its paid orders can now be fulfilled."""
    done = 0
    for order_id in sorted(order_ids):
        order = repo.get(s, tenant_id, order_id, lock=True)
        if order is not None and order.status == "awaiting_group":
            order.status = "paid"
            record(s, order, "group_succeeded", SYSTEM, "order.group_succeeded")
            done += 1
    return done


def live_quantity(s: Session, tenant_id: int, member_id: int, source: str, source_id: int) -> int:
    """Units a member holds in live (not cancelled or refunded) orders of one campaign."""
    return repo.live_quantity(s, tenant_id, member_id, source, source_id)


def has_paid_order(s: Session, tenant_id: int, member_id: int) -> bool:
    return repo.has_paid_order(s, tenant_id, member_id)


def paid_order_count(s: Session, tenant_id: int, member_id: int) -> int:
    """Orders the member paid for and kept (not cancelled, not refunded in full)."""
    return repo.paid_order_count(s, tenant_id, member_id)


def paid_facts_by_member(s: Session, tenant_id: int) -> dict[int, tuple[datetime, int]]:
    """member id -> (last payment, orders paid and kept), for every member who paid for one."""
    return repo.paid_facts_by_member(s, tenant_id)


def spend_by_member(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    """member id -> fen paid net of refunds, over orders paid in [start, end) and not cancelled."""
    return repo.spend_by_member(s, tenant_id, start, end)


def get(s: Session, p: Principal, order_id: int) -> OrderDetailOut:
    order = visible(s, p, order_id)
    items = repo.items(s, p.tenant_id, [order.id])[order.id]
    base = out(order, items, p)
    events = [TimelineOut.model_validate(e) for e in repo.timeline(s, p.tenant_id, order.id)]
    return OrderDetailOut(**base.model_dump(), timeline=events)


def search(s: Session, p: Principal, status: str | None, member_id: int | None, q: str | None,
           limit: int, cursor: str | None) -> tuple[list[OrderOut], str | None]:
    point_ids = None
    if p.role == "member":
        member_id = p.member_id
    elif p.role == "leader":
        point_ids = community.point_ids_of_leader(s, p.tenant_id, p.leader_id or 0)
    stmt = repo.search(p.tenant_id, status, member_id, point_ids, q)
    rows, nxt = fetch_page(s, stmt, Order.id, limit, cursor)
    items = repo.items(s, p.tenant_id, [o.id for o in rows])
    return [out(o, items[o.id], p) for o in rows], nxt


def search_by_source(s: Session, p: Principal, source: str, source_id: int, limit: int,
                     cursor: str | None) -> tuple[list[OrderOut], str | None]:
    """A campaign's orders (operators: e.g. a presale's orders, tracked apart from the shop's)."""
    rows, nxt = fetch_page(s, repo.by_source(p.tenant_id, source, source_id), Order.id, limit, cursor)
    items = repo.items(s, p.tenant_id, [o.id for o in rows])
    return [out(o, items[o.id], p) for o in rows], nxt


@dataclass(frozen=True)
class OrderState:
    status: str
    payable_fen: int
    refunded_fen: int


def state_of(s: Session, tenant_id: int, order_id: int) -> OrderState | None:
    """Where an order stands, for other domains' reactions to its events (no principal involved)."""
    order = repo.get(s, tenant_id, order_id)
    return None if order is None else OrderState(order.status, order.payable_fen, order.refunded_fen)


@dataclass(frozen=True)
class CommissionFacts:
    """What the commission ledger needs of an order; settle_after: pickup + its return window."""

    pickup_point_id: int | None
    payable_fen: int
    refunded_fen: int
    status: str
    picked_up_at: datetime | None
    has_fresh: bool
    settle_after: datetime | None


def commission_facts(s: Session, tenant_id: int, order_id: int) -> CommissionFacts | None:
    found = repo.commission_facts(s, tenant_id, order_id)
    if found is None:
        return None
    order, fresh = found
    return CommissionFacts(order.pickup_point_id, order.payable_fen, order.refunded_fen, order.status,
                           order.picked_up_at, fresh, _settle_after(order.picked_up_at, fresh))


def _settle_after(picked_up_at: datetime | None, fresh: bool) -> datetime | None:
    if picked_up_at is None:
        return None
    cfg = get_settings()
    return picked_up_at + timedelta(days=cfg.fresh_return_window_days if fresh else cfg.return_window_days)


@dataclass(frozen=True)
class PaidOrder:
    id: int
    paid_at: datetime
    refunded_at: datetime | None  # the last refund, if any
    facts: CommissionFacts


def paid_orders_at_points(s: Session, tenant_id: int, point_ids: Sequence[int]) -> list[PaidOrder]:
    """Every order ever paid at these pickup points, oldest first: what the commission ledger needs to take
    over an order history that never went through events (an import)."""
    return [PaidOrder(oid, paid_at, refunded_at,
                      CommissionFacts(point, pay, ref, status, picked, fresh, _settle_after(picked, fresh)))
            for oid, paid_at, refunded_at, point, pay, ref, status, picked, fresh
            in repo.paid_orders_at_points(s, tenant_id, point_ids)]


def sales_at_points(s: Session, tenant_id: int, point_ids: list[int], start: datetime,
                    end: datetime) -> tuple[int, int, int]:
    """(gmv_fen, orders, distinct buyers) of orders paid in [start, end) at these pickup points."""
    return repo.sales_at_points(s, tenant_id, point_ids, start, end)


@dataclass(frozen=True)
class RatingFacts:
    status: str
    member_id: int
    pickup_point_id: int | None


def rating_facts(s: Session, tenant_id: int, order_id: int) -> RatingFacts | None:
    """Who may rate an order and whom the rating is about (the assessment domain's ratings)."""
    row = repo.rating_facts(s, tenant_id, order_id)
    return None if row is None else RatingFacts(*row)


def gmv_by_point(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    """pickup point id -> fen paid net of refunds, over orders paid in [start, end) and not cancelled."""
    return repo.gmv_by_point(s, tenant_id, start, end)


def picked_up_at_points(s: Session, tenant_id: int, point_ids: list[int]) -> list[tuple[int, int, int, datetime]]:
    """(order id, member id, pickup point id, picked up at) of the orders picked up at these points, by id."""
    return repo.picked_up_at_points(s, tenant_id, point_ids)


def first_buyers_by_point(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    """pickup point id -> members whose first paid (not cancelled) order was paid in [start, end) there."""
    return repo.first_buyers_by_point(s, tenant_id, start, end)


def visible(s: Session, p: Principal, order_id: int, lock: bool = False) -> Order:
    """The owner, the leader of its pickup point, or an operator; anyone else gets 404."""
    order = repo.get(s, p.tenant_id, order_id, lock=lock)
    if order is not None and (
        p.role == "operator"
        or (p.role == "member" and order.member_id == p.member_id)
        or (p.role == "leader" and order.pickup_point_id is not None
            and order.pickup_point_id in community.point_ids_of_leader(s, p.tenant_id, p.leader_id or 0))
    ):
        return order
    raise NotFound("order not found", code="order_not_found")




def out(order: Order, items: list[OrderItem], p: Principal | None = None) -> OrderOut:
    owner = p is not None and p.role == "member" and p.member_id == order.member_id
    return OrderOut(
        id=order.id, status=order.status, member_id=order.member_id, total_fen=order.total_fen,
        discount_fen=order.discount_fen, payable_fen=order.payable_fen, refunded_fen=order.refunded_fen,
        member_discount_fen=order.member_discount_fen, coupon_id=order.member_coupon_id,
        coupon_discount_fen=order.coupon_discount_fen,
        points_used=order.points_used, points_discount_fen=order.points_discount_fen,
        points_withheld_fen=order.points_withheld_fen,
        pickup_point_id=order.pickup_point_id, source=order.source, source_id=order.source_id,
        deliverable_from=order.deliverable_from, deposit_fen=order.deposit_fen, balance_due_at=order.balance_due_at,
        items=[ItemOut.model_validate(i) for i in items],
        created_at=order.created_at, expires_at=order.expires_at, paid_at=order.paid_at,
        picked_up_at=order.picked_up_at, pickup_code=order.pickup_code if owner else None)


@dataclass(frozen=True)
class LeaderFacts:
    """Orders at a leader's pickup points: paid in the window (not cancelled) — count, distinct buyers,
    buyers with ≥ 2 such orders, gmv_fen (payable − refunded); picked_up: handed out in the window."""

    orders: int
    picked_up: int
    buyers: int
    repeat_buyers: int
    gmv_fen: int


def leader_facts(s: Session, tenant_id: int, point_ids: list[int], start: datetime,
                 end: datetime) -> LeaderFacts:
    """Over [start, end) (the all-time figure the ladder needs is leader_gmv)."""
    return LeaderFacts(*repo.leader_facts(s, tenant_id, point_ids, start, end))


def leader_gmv(s: Session, tenant_id: int, point_ids: list[int], end: datetime) -> int:
    """Net sales (paid less refunded, not cancelled) at these points before `end`, since the beginning: the
    ladder's all-time figure, without leader_facts' per-buyer grouping (promotion runs on every payment)."""
    return repo.leader_gmv(s, tenant_id, point_ids, end)


@dataclass(frozen=True)
class AlertCounts:
    """Orders at one pickup point in a window, for the alert metrics: created in it (and of those, cancelled
    now); paid in it and not cancelled (and of those, refunded at least in part), their net gmv_fen and
    distinct buyers."""

    created: int
    cancelled: int
    paid: int
    refunded: int
    gmv_fen: int
    buyers: int


def alert_counts_by_point(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int | None, AlertCounts]:
    """pickup point id (None: orders without one) -> AlertCounts over [start, end)."""
    return {p: AlertCounts(*v) for p, v in repo.alert_counts_by_point(s, tenant_id, start, end).items()}


def awaiting_pickup_by_point(s: Session, tenant_id: int, paid_before: datetime) -> dict[int, int]:
    """pickup point id -> orders paid before `paid_before` (and deliverable by then) still not picked up."""
    return repo.awaiting_pickup_by_point(s, tenant_id, paid_before)


def last_paid_by_point(s: Session, tenant_id: int) -> dict[int, datetime]:
    """pickup point id -> the last payment of a not-cancelled order there."""
    return repo.last_paid_by_point(s, tenant_id)


def buyers_of_product(s: Session, tenant_id: int, product_id: int, start: datetime, end: datetime,
                      point_ids: Sequence[int] | None = None) -> list[int]:
    """Members with a paid or picked-up order holding the product, paid in [start, end) (at these points,
    when given), by id — the members a crisis compensation reaches."""
    return repo.buyers_of_product(s, tenant_id, product_id, start, end, point_ids)
