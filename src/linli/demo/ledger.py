"""Replays the planned orders against stock, in time order, and plans the stock ledger:
the initial stock, the 06:00 restocks, every order's take and every cancellation's or refund's
put-back. The ledger's deltas sum exactly to each product's final stock, and the running stock
never goes below zero at any point in time."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from linli.core import clock
from linli.demo.history import DAYS, PlannedOrder, Product

RESTOCK_HOUR = 6  # the morning delivery from the warehouse


@dataclass
class Movement:
    at: datetime
    product: int
    delta: int
    reason: str  # restock | order | cancel | refund
    order: int | None  # index into the planned orders
    actor: str  # member | operator | system


@dataclass
class Ledger:
    initial: list[int]
    final: list[int]
    movements: list[Movement]  # in time order, after the initial stock


def simulate(orders: list[PlannedOrder], products: list[Product], now: datetime) -> Ledger:
    demand = [0] * len(products)
    for o in orders:
        for line in o.lines:
            demand[line.product] += line.quantity
    target = []
    for p, sold in zip(products, demand, strict=True):
        days_of_cover, floor = (3, 20) if p.is_fresh else (10, 40)
        target.append(_round10(sold / DAYS * days_of_cover + floor))
    low = [t * 0.35 for t in target]
    stock = list(target)

    # (at, order index, step, product, delta, reason, actor); step orders a take before its put-back
    events: list[tuple[datetime, int, int, int, int, str, str]] = []
    for i, o in enumerate(orders):
        for line in o.lines:
            events.append((o.created_at, i, 0, line.product, -line.quantity, "order", "member"))
        c = o.closing
        if c is not None:
            reason = "cancel" if c.kind in ("timeout", "cancel") else "refund"
            for li in c.restock:
                line = o.lines[li]
                events.append((c.at, i, 1, line.product, line.quantity, reason, c.actor))
    events.sort(key=lambda e: (e[0], e[1], e[2], e[3]))

    movements: list[Movement] = []
    mornings = _mornings(orders[0].created_at if orders else now, now)

    def deliveries(until: datetime) -> None:
        while mornings and mornings[0] <= until:
            morning = mornings.pop(0)
            for p in range(len(products)):
                if stock[p] < low[p]:
                    added = _round10(target[p] - stock[p])
                    stock[p] += added
                    movements.append(Movement(morning, p, added, "restock", None, "operator"))

    for at, i, _step, product, delta, reason, actor in events:
        deliveries(at)
        if stock[product] + delta < 0:  # sold out before the morning delivery: an extra one
            added = _round10(target[product] - stock[product] - delta)
            stock[product] += added
            movements.append(Movement(at, product, added, "restock", None, "operator"))
        stock[product] += delta
        movements.append(Movement(at, product, delta, reason, i, actor))
    deliveries(now)
    return Ledger(initial=target, final=stock, movements=movements)


def _mornings(first: datetime, now: datetime) -> list[datetime]:
    day = clock.today_start_local(first) + timedelta(hours=RESTOCK_HOUR)
    out = []
    while day <= now:
        out.append(day)
        day += timedelta(days=1)
    return out


def _round10(x: float) -> int:
    return max(10, int(math.ceil(x / 10.0)) * 10)
