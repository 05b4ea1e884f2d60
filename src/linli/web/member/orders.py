"""My orders: the list, one order with its pickup code and timeline, and paying (sandbox)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.assessment import ratings
from linli.community import service as community
from linli.core.errors import LinliError, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.groupbuy import reports as group_reports
from linli.order import service as orders
from linli.order.refunds import REFUNDABLE
from linli.packing import qr
from linli.packing import service as packing
from linli.web.member import messages
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id, not_found, path_id
from linli.web.member.templating import PAGE_SIZE, render

router = APIRouter()
REASONS = ("不想要了", "商品质量问题", "商品与描述不符", "少件/漏发", "其他")  # 退款原因 to choose from


@router.get("/orders")
def order_list(request: Request, p: MemberPage, s: Db, cursor: str = "") -> Response:
    rows, nxt = orders.search(s, p, None, None, None, PAGE_SIZE, cursor if is_id(cursor) else None)
    return render(request, "member/orders.html", p=p, title="我的订单", tab="orders", rows=rows, cursor=cursor,
                  next_url=f"/m/orders?cursor={nxt}" if nxt else None)


@router.get("/orders/{order_id}")
def order_page(request: Request, p: MemberPage, s: Db, order_id: str) -> Response:
    return _page(request, p, s, order_id)


@router.get("/orders/{order_id}/pickup-qr.png")
def pickup_qr(request: Request, p: MemberPage, s: Db, order_id: str) -> Response:
    """The pickup QR code of my order awaiting pickup: a fresh signed token at each view, for my eyes only."""
    try:
        token = packing.pickup_token(s, p, path_id(order_id, "order"))
    except LinliError:
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    return Response(qr.png(token.token), media_type="image/png",
                    headers={"Cache-Control": "private, no-store"})


@router.post("/orders/{order_id}/pay")
def pay(request: Request, p: MemberPage, s: Db, order_id: str) -> Response:
    try:
        order = orders.pay(s, p, path_id(order_id, "order"))
    except NotFound:
        return not_found(request, p, "订单不存在。")
    except LinliError as exc:
        s.rollback()
        return _page(request, p, s, order_id, messages.text(exc.code), 409)
    return RedirectResponse(f"/m/orders/{order.id}", status_code=303)


def order_page_with(request: Request, p: Principal, s: Session, order_id: str, error: str,
                    status_code: int) -> Response:
    """The order's page again with what went wrong (a refused refund or rating)."""
    return _page(request, p, s, order_id, error, status_code)


def _page(request: Request, p: Principal, s: Session, order_id: str, error: str | None = None,
          status_code: int = 200) -> Response:
    try:
        order = orders.get(s, p, path_id(order_id, "order"))  # only the member's own orders
    except NotFound:
        return not_found(request, p, "订单不存在。")
    group_id = group_reports.group_of_order(s, p, order.id) if order.source == "group_buy" else None
    point = community.pickup_point(s, p.tenant_id, order.pickup_point_id) if order.pickup_point_id else None
    refundable = order.status in REFUNDABLE and order.payable_fen > order.refunded_fen + order.points_withheld_fen
    rating = ratings.rating_of(s, p, order.id) if order.status == "picked_up" else None
    return render(request, "member/order.html", status_code=status_code, p=p, title="订单详情",
                  order=order, group_id=group_id, error=error, back="/m/orders", point=point,
                  refundable=refundable, reasons=REASONS, rating=rating,
                  refunded=request.query_params.get("refunded") == "1")
