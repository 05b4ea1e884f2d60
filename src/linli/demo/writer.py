"""Writes the planned order history with Core executemany: orders, their lines, their timeline,
payments and the sandbox provider's book, refunds, the stock ledger and the final stock."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, update
from sqlalchemy.orm import Session

from linli.demo.history import PlannedOrder, Product
from linli.demo.ledger import Ledger
from linli.models import (
    Order,
    OrderEvent,
    OrderItem,
    Payment,
    Refund,
    SandboxTransaction,
    StockMovement,
)
from linli.models import (
    Product as ProductRow,
)

CHUNK = 5000
Tick = Callable[[str, int], None]


@dataclass
class Ids:
    """Database ids of what the plans refer to by index."""

    tenant: int
    admin_user: int
    communities: list[int]
    members: list[int]
    member_users: list[int]
    points: list[int]
    point_pickers: list[tuple[int, str]]  # (user id, role) of whoever hands out at each point
    products: list[int]


def write_history(s: Session, ids: Ids, orders: list[PlannedOrder], products: list[Product],
                  ledger: Ledger, tick: Tick) -> None:
    order_ids = _insert_returning(s, Order, [_order_row(ids, o) for o in orders], tick, "订单")
    item_rows = [_item_row(ids, oid, o, li, products) for oid, o in zip(order_ids, orders, strict=True)
                 for li in range(len(o.lines))]
    flat_item_ids = _insert_returning(s, OrderItem, item_rows, tick, "订单明细")
    item_ids: list[list[int]] = []
    k = 0
    for o in orders:
        item_ids.append(flat_item_ids[k:k + len(o.lines)])
        k += len(o.lines)

    events: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    sandbox: list[dict[str, Any]] = []
    refunds: list[dict[str, Any]] = []
    for oid, o, items in zip(order_ids, orders, item_ids, strict=True):
        _order_money_and_timeline(ids, oid, o, items, events, payments, sandbox, refunds)
    events.sort(key=lambda r: r["at"])
    sandbox.sort(key=lambda r: r["created_at"])
    _insert(s, OrderEvent.__table__, events, tick, "订单时间线")
    _insert(s, Payment.__table__, payments, tick, "支付记录")
    _insert(s, SandboxTransaction.__table__, sandbox, tick, "支付流水")
    _insert(s, Refund.__table__, refunds, tick, "退款记录")

    movements = []
    for m in ledger.movements:
        owner = orders[m.order] if m.order is not None else None
        movements.append({
            "tenant_id": ids.tenant, "product_id": ids.products[m.product], "delta": m.delta, "reason": m.reason,
            "order_id": order_ids[m.order] if m.order is not None else None,
            "actor_user_id": _actor_user(ids, owner, m.actor), "created_at": m.at})
    _insert(s, StockMovement.__table__, movements, tick, "库存流水")

    products_table: Table = ProductRow.__table__  # type: ignore[assignment]
    stmt = (products_table.update().where(products_table.c.id == bindparam("b_id"))
            .values(stock=bindparam("b_stock")))
    s.execute(stmt, [{"b_id": pid, "b_stock": stock} for pid, stock in zip(ids.products, ledger.final,
                                                                            strict=True)])


def row_count(orders: list[PlannedOrder], ledger: Ledger) -> int:
    """How many rows write_history inserts (for the progress bar)."""
    n = len(ledger.movements)
    for o in orders:
        n += 2 + len(o.lines)  # the order, its created event, its lines
        if o.paid_at is not None:
            n += 3  # paid event, payment, charge
        if o.picked_up_at is not None:
            n += 1  # picked_up event
        if o.closing is not None:
            n += 1 if o.closing.kind == "timeout" else 3  # event, refund, sandbox refund
    return n


def _order_row(ids: Ids, o: PlannedOrder) -> dict[str, Any]:
    c = o.closing
    refunded = c.amount_fen if c is not None else 0
    closed = c.at if c is not None and o.status in ("cancelled", "refunded") else None
    return {"tenant_id": ids.tenant, "member_id": ids.members[o.member], "pickup_point_id": ids.points[o.point],
            "status": o.status, "total_fen": o.total_fen, "discount_fen": 0, "payable_fen": o.total_fen,
            "refunded_fen": refunded, "pickup_code": o.pickup_code, "created_at": o.created_at,
            "expires_at": o.expires_at, "paid_at": o.paid_at, "picked_up_at": o.picked_up_at,
            "closed_at": closed}


def _item_row(ids: Ids, order_id: int, o: PlannedOrder, li: int, products: list[Product]) -> dict[str, Any]:
    line = o.lines[li]
    p = products[line.product]
    c = o.closing
    refunded = line.quantity if c is not None and c.kind != "timeout" and li in c.lines else 0
    return {"tenant_id": ids.tenant, "order_id": order_id, "product_id": ids.products[line.product],
            "product_name": p.name, "unit_price_fen": line.unit_price_fen, "quantity": line.quantity,
            "amount_fen": line.amount_fen, "is_fresh": p.is_fresh, "refunded_quantity": refunded}


def _order_money_and_timeline(ids: Ids, oid: int, o: PlannedOrder, items: list[int], events: list[Any],
                              payments: list[Any], sandbox: list[Any], refunds: list[Any]) -> None:
    t = ids.tenant
    member_user = ids.member_users[o.member]

    def event(at: Any, action: str, user: int | None, role: str, detail: dict[str, Any]) -> None:
        events.append({"tenant_id": t, "order_id": oid, "action": action, "actor_user_id": user,
                       "actor_role": role, "detail": detail, "at": at})

    event(o.created_at, "created", member_user, "member", {"total_fen": o.total_fen})
    if o.paid_at is not None:
        event(o.paid_at, "paid", member_user, "member", {})
        payments.append({"tenant_id": t, "order_id": oid, "provider": "sandbox", "provider_ref": o.charge_ref,
                         "amount_fen": o.total_fen, "created_at": o.paid_at})
        sandbox.append({"kind": "charge", "request_key": f"t{t}:order:{oid}:charge", "reference": o.charge_ref,
                        "amount_fen": o.total_fen, "created_at": o.paid_at})
    if o.picked_up_at is not None:
        user, role = ids.point_pickers[o.point]
        event(o.picked_up_at, "picked_up", user, role, {})
    c = o.closing
    if c is None:
        return
    if c.kind == "timeout":
        event(c.at, "cancelled", None, "system", {"reason": c.reason, "refunded_fen": 0})
        return
    actor_user = _actor_user(ids, o, c.actor)
    if c.kind == "cancel":
        key = f"t{t}:order:{oid}:cancel"
        event(c.at, "cancelled", actor_user, c.actor, {"reason": c.reason, "refunded_fen": c.amount_fen})
    else:
        key = f"t{t}:order:{oid}:refund:{2 if o.picked_up_at is None else 3}"  # timeline length so far
        lines = [{"item_id": items[i], "product_id": ids.products[o.lines[i].product],
                  "quantity": o.lines[i].quantity} for i in c.lines]
        full = c.kind == "refund"
        event(c.at, "refunded" if full else "partially_refunded", actor_user, c.actor,
              {"amount_fen": c.amount_fen, "full": full, "reason": c.reason, "lines": lines})
    sandbox.append({"kind": "refund", "request_key": key, "reference": c.provider_ref,
                    "amount_fen": c.amount_fen, "created_at": c.at})
    refunds.append({"tenant_id": t, "order_id": oid, "amount_fen": c.amount_fen, "reason": c.reason,
                    "lines": [{"item_id": items[i], "quantity": o.lines[i].quantity} for i in c.lines],
                    "provider_ref": c.provider_ref, "actor_user_id": actor_user, "created_at": c.at})


def _actor_user(ids: Ids, o: PlannedOrder | None, actor: str) -> int | None:
    if actor == "member" and o is not None:
        return ids.member_users[o.member]
    if actor == "operator":
        return ids.admin_user
    return None


def _insert(s: Session, table: Any, rows: Sequence[dict[str, Any]], tick: Tick, label: str) -> None:
    for k in range(0, len(rows), CHUNK):
        chunk = rows[k:k + CHUNK]
        s.execute(table.insert(), chunk)
        tick(label, len(chunk))


def _insert_returning(s: Session, model: Any, rows: Sequence[dict[str, Any]], tick: Tick,
                      label: str) -> list[int]:
    """Insert and return the new ids in the order of the rows."""
    out: list[int] = []
    for k in range(0, len(rows), CHUNK):
        chunk = rows[k:k + CHUNK]
        table = model.__table__
        result = s.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), chunk)
        out.extend(result.scalars())
        tick(label, len(chunk))
    return out


def draw_pickup_codes(s: Session, order_ids: list[int], rng: random.Random) -> None:
    """Codes from the seeded RNG (as the history's), so the same seed gives the same demo."""
    if not order_ids:
        return
    table: Any = Order.__table__
    s.execute(update(table).where(table.c.id == bindparam("b_id"), table.c.pickup_code.is_not(None))
              .values(pickup_code=bindparam("b_code")),
              [{"b_id": oid, "b_code": f"{rng.randrange(10**6):06d}"} for oid in sorted(order_ids)])
