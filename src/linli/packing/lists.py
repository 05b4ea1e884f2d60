"""The day's two lists: 备货单 (what to prepare, per product) and 分拣单 (one bag per order, in walking order:
building, then unit). Refunded and cancelled orders are not on them; refunded units are taken off."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from sqlalchemy.orm import Session

from linli.core.security import Principal
from linli.packing import repository as repo
from linli.packing import service
from linli.packing.schemas import Bag, BagItem, PointStock, SortingList, StockLine, StockList

_NUMBER = re.compile(r"(\d+)")
UNKNOWN_HOME = "未登记"


def stock_list(s: Session, p: Principal, day: date, point_id: int | None = None,
               community_id: int | None = None, leader_id: int | None = None) -> StockList:
    orders, lines, names = _day(s, p, day, service.point_scope(s, p, point_id, community_id, leader_id))
    point_of = {o.order_id: o.point_id for o in orders}
    per_point: dict[int, list[repo.LineRow]] = defaultdict(list)
    for line in lines:
        per_point[point_of[line.order_id]].append(line)
    by_point = [PointStock(point_id=pt, point_name=names.get(pt, ""), lines=_stock_lines(rows))
                for pt, rows in sorted(per_point.items(), key=lambda kv: (names.get(kv[0], ""), kv[0]))]
    total = _stock_lines(lines)
    return StockList(day=day, lines=total, by_point=by_point, total_quantity=sum(x.quantity for x in total),
                     total_orders=len({line.order_id for line in lines}))


def sorting_list(s: Session, p: Principal, day: date, point_id: int | None = None,
                 community_id: int | None = None, leader_id: int | None = None) -> SortingList:
    orders, lines, names = _day(s, p, day, service.point_scope(s, p, point_id, community_id, leader_id))
    items: dict[int, list[BagItem]] = defaultdict(list)
    for line in lines:
        items[line.order_id].append(BagItem(product_name=line.product_name, unit=line.unit, quantity=line.quantity))
    residents = repo.residents(s, p.tenant_id, [o.member_id for o in orders if o.order_id in items])
    bags = []
    for o in orders:
        if o.order_id not in items:
            continue  # every line refunded
        r = residents.get(o.member_id)
        bags.append(Bag(order_id=o.order_id, status=o.status, point_id=o.point_id,
                        point_name=names.get(o.point_id, ""), member_id=o.member_id,
                        member_name=r.name if r else "", phone_masked=service.mask_phone(r.phone) if r else "",
                        building=r.building if r else "", unit_no=r.unit_no if r else "",
                        items=items[o.order_id], quantity=sum(i.quantity for i in items[o.order_id])))
    bags.sort(key=_walking_order)
    return SortingList(day=day, bags=bags, total_bags=len(bags), total_quantity=sum(b.quantity for b in bags),
                       picked_up=sum(1 for b in bags if b.status == "picked_up"))


def _day(s: Session, p: Principal, day: date,
         points: list[int] | None) -> tuple[list[repo.OrderRow], list[repo.LineRow], dict[int, str]]:
    if points == []:
        return [], [], {}
    orders = repo.orders_for_day(s, p.tenant_id, points, service.window(day, service.cutoff_minutes(s, p.tenant_id)))
    lines = repo.lines(s, p.tenant_id, [o.order_id for o in orders])
    return orders, lines, repo.point_names(s, p.tenant_id, [o.point_id for o in orders])


def _stock_lines(lines: list[repo.LineRow]) -> list[StockLine]:
    quantity: dict[int, int] = defaultdict(int)
    orders: dict[int, set[int]] = defaultdict(set)
    first: dict[int, repo.LineRow] = {}
    for line in lines:
        quantity[line.product_id] += line.quantity
        orders[line.product_id].add(line.order_id)
        first.setdefault(line.product_id, line)
    out = [StockLine(product_id=pid, product_name=first[pid].product_name, unit=first[pid].unit,
                     quantity=quantity[pid], orders=len(orders[pid])) for pid in quantity]
    return sorted(out, key=lambda x: (-x.quantity, x.product_name, x.product_id))


def natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """3幢 before 10幢, 2单元502 before 2单元1101: numbers compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _NUMBER.split(text) if part)


def _walking_order(b: Bag) -> tuple[object, ...]:
    # point first (an operator's list spans points), unknown homes last, then building, unit, name, order
    return (b.point_name, b.point_id, not b.building, natural(b.building), natural(b.unit_no), b.member_name,
            b.order_id)
