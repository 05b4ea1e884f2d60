"""即时配送: the member's view of an order's 送货上门 — where it stands, the promised time, the rider's expected
arrival once on the way, and when it arrived."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.delivery import service as delivery
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id
from linli.web.member.templating import render

router = APIRouter()
STEPS = [("awaiting_payment", "待支付"), ("pending", "待配送"), ("out", "配送中"), ("delivered", "已送达")]


@router.get("/deliveries/{order_id}")
def delivery_page(request: Request, p: MemberPage, s: Db, order_id: str) -> Response:
    try:
        if not is_id(order_id):
            raise NotFound("no", code="delivery_not_found")
        d = delivery.for_order(s, p, int(order_id))
    except NotFound:
        return render(request, "member/not_found.html", 404, p=p, title="送货上门", back="/m/orders",
                      message="这个订单没有送货上门。")
    at = {"awaiting_payment": 0, "pending": 1, "batched": 1, "out": 2, "delivered": 3}.get(d.status, -1)
    return render(request, "member/delivery/detail.html", p=p, title="送货上门", back=f"/m/orders/{d.order_id}",
                  d=d, steps=STEPS, at=at)
