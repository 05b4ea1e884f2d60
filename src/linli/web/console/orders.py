"""Orders: the filtered list (with export) and one order with its lines and timeline."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.listing import Filters, Numbered
from linli.core.schemas import PageSearch
from linli.core.security import Principal
from linli.member import service as members
from linli.order import listing as order_listing
from linli.order import service as orders
from linli.order.schemas import OrderOut
from linli.web.console import labels, listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.labels import ORDER_STATUSES
from linli.web.console.listing import Column, ListView, Source, money
from linli.web.console.templating import is_id, render

router = APIRouter()


VIEW = ListView(
    "/console/orders", "订单", "订单", date_label="下单时间", statuses=ORDER_STATUSES, community=True, leader=True,
    paid_date=True, search="搜索订单号", sums={"payable_fen": "应付合计", "refunded_fen": "已退款合计"},
    columns=[
        Column("订单号", lambda o, x: o.id),
        Column("会员", lambda o, x: x["names"].get(o.member_id, "")),
        Column("会员ID", lambda o, x: o.member_id),
        Column("状态", lambda o, x: labels.status(o.status)),
        Column("商品", lambda o, x: "、".join(f"{i.product_name}×{i.quantity}" for i in o.items)),
        Column("商品金额（元）", lambda o, x: money(o.total_fen)),
        Column("优惠（元）", lambda o, x: money(o.discount_fen)),
        Column("应付（元）", lambda o, x: money(o.payable_fen)),
        Column("已退款（元）", lambda o, x: money(o.refunded_fen)),
        Column("来源", lambda o, x: labels.SOURCES.get(o.source, o.source)),
        Column("自提点ID", lambda o, x: o.pickup_point_id),
        Column("下单时间", lambda o, x: o.created_at),
        Column("支付时间", lambda o, x: o.paid_at),
        Column("提货时间", lambda o, x: o.picked_up_at),
    ])
SOURCE = Source(order_listing.page, order_listing.export)


@router.get("/orders")
def order_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "") -> Response:
    q = q.strip().lstrip("#")
    digits = not q or is_id(q)  # an order number is digits: say so rather than show every order
    params = listing.read(request, VIEW, q)
    return listing.answer(request, p, s, VIEW, params, SOURCE if digits else NOTHING, template="console/orders.html",
                          table="console/_orders_table.html", nav="orders", lookup=_names(s, p),
                          hint=None if digits else "订单号只包含数字。")


def _names(s: Session, p: Principal) -> listing.Lookup:
    def lookup(rows: Sequence[OrderOut]) -> dict[str, Any]:
        return {"names": members.names(s, p.tenant_id, [o.member_id for o in rows]) if rows else {}}
    return lookup


def _nothing(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[OrderOut]:
    return Numbered([], 0, 1, size)


def _no_batches(s: Session, p: Principal, f: Filters) -> Iterator[list[OrderOut]]:
    return iter(())


NOTHING = Source(_nothing, _no_batches)


@router.get("/orders/{order_id}")
def order_detail(request: Request, p: ConsoleOperator, s: Db, order_id: str) -> Response:
    try:
        if not is_id(order_id):
            raise NotFound("order not found", code="order_not_found")
        order = orders.get(s, p, int(order_id))
    except NotFound:
        return render(request, "console/not_found.html", status_code=404, p=p, nav="orders",
                      title="未找到", message=f"订单 {order_id} 不存在。", back_url="/console/orders")
    name = members.names(s, p.tenant_id, [order.member_id]).get(order.member_id, "")
    return render(request, "console/order_detail.html", p=p, nav="orders", title=f"订单 {order.id}",
                  order=order, member_name=name)
