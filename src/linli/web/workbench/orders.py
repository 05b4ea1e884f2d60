"""订单: the orders at my pickup points, and handing them out against the member's pickup code."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.errors import Conflict, NotFound, TooManyRequests
from linli.core.http import Db, count_failure
from linli.core.security import Principal
from linli.order import pickup
from linli.order import service as orders
from linli.web.console import labels
from linli.web.member.pages import is_id
from linli.web.member.templating import PAGE_SIZE, render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
FILTERS = ("paid", "picked_up", "pending_payment", "refunded", "cancelled")  # 待提货 first: the daily work
CONFLICTS = {"not_ready_for_pickup": "该订单当前不能提货（未支付或已处理）。",
             "not_yet_delivered": "预售商品尚未到货，暂不能提货。"}


def _page(request: Request, s: Db, p: Principal, status: str, cursor: str, status_code: int = 200,
          **context: object) -> Response:
    status = status if status in FILTERS else ""
    rows, nxt = orders.search(s, p, status or None, None, None, PAGE_SIZE, cursor if is_id(cursor) else None)
    filters = [(code, labels.ORDER_STATUSES.get(code, code)) for code in FILTERS]
    return render(request, "workbench/orders.html", status_code=status_code, p=p, title="订单", tab="orders",
                  orders=rows, next_cursor=nxt, status=status, filters=filters, **context)


@router.get("/orders")
def order_list(request: Request, p: LeaderPage, s: Db, status: str = "paid", cursor: str = "",
               done: str = "") -> Response:
    return _page(request, s, p, status, cursor, done=done if is_id(done) else "")


@router.post("/orders/verify")
def verify(request: Request, p: LeaderPage, s: Db, order_id: Annotated[str, Form(max_length=20)] = "",
           code: Annotated[str, Form(max_length=20)] = "") -> Response:
    order_id, code = order_id.strip(), code.strip()
    again = {"order_id": order_id, "code": code}
    if not is_id(order_id) or not (code.isascii() and code.isdigit() and len(code) == 6):
        return _page(request, s, p, "paid", "", 422, error="请填写订单号和 6 位提货码。", **again)
    try:
        pickup.verify(s, p, int(order_id), code)
    except pickup.WrongCode:
        # Counted exactly as the API counts it: the throttle stops guessing after a few wrong codes.
        count_failure(s, [pickup.throttle_key(p.tenant_id, int(order_id))], pickup.WINDOW)
        return _page(request, s, p, "paid", "", 409, error="提货码不正确。", **again)
    except TooManyRequests:
        return _page(request, s, p, "paid", "", 429, error="提货码错误次数过多，请稍后再试。", **again)
    except NotFound:
        return _page(request, s, p, "paid", "", 404, error="没有找到该订单（只能核销本自提点的订单）。", **again)
    except Conflict as e:
        return _page(request, s, p, "paid", "", 409, error=CONFLICTS.get(e.code, "该订单不能提货。"), **again)
    return RedirectResponse(f"/w/orders?{urlencode({'status': 'picked_up', 'done': order_id})}", status_code=303)
