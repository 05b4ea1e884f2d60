"""Orders: the searchable list and one order with its lines and timeline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.member import service as members
from linli.order import service as orders
from linli.order.schemas import OrderOut
from linli.web.console.guard import ConsoleOperator
from linli.web.console.labels import ORDER_STATUSES
from linli.web.console.templating import PAGE_SIZE, cursor_param, is_id, list_page, page_url, render

router = APIRouter()


@router.get("/orders")
def order_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "", status: str = "",
               cursor: str = "") -> Response:
    q, status = q.strip().lstrip("#"), status if status in ORDER_STATUSES else ""
    hint: str | None = None
    rows: list[OrderOut] = []
    nxt: str | None = None
    if q and not is_id(q):
        hint = "订单号只包含数字。"
    else:
        rows, nxt = orders.search(s, p, status or None, None, q or None, PAGE_SIZE,
                                  cursor_param(cursor))
    names = members.names(s, p.tenant_id, [o.member_id for o in rows]) if rows else {}
    return list_page(request, p, page="console/orders.html", table="console/_orders_table.html",
                     nav="orders", title="订单", rows=rows, names=names, q=q, status=status, hint=hint,
                     statuses=ORDER_STATUSES, cursor=cursor,
                     next_url=page_url("/console/orders", q=q, status=status, cursor=nxt) if nxt else None,
                     first_url=page_url("/console/orders", q=q, status=status))


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
