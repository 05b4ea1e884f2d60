"""After the sale, on the order's page: asking for a refund (申请退款, with a reason; the order service keeps the
return windows — 30 days after pickup, 15 with fresh goods) and rating a picked-up order (the stars score the
leader of its pickup point)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from linli.assessment import ratings
from linli.assessment.schemas import RatingIn
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.order import refunds
from linli.order.schemas import RefundIn
from linli.web.member import shop_text
from linli.web.member.guard import MemberPage
from linli.web.member.orders import REASONS, order_page_with
from linli.web.member.pages import not_found, path_id

router = APIRouter()


@router.post("/orders/{order_id}/refund")
def ask_refund(request: Request, p: MemberPage, s: Db, order_id: str,
               reason: Annotated[str, Form(max_length=200)] = "",
               detail: Annotated[str, Form(max_length=200)] = "") -> Response:
    reason, detail = reason.strip(), detail.strip()
    if reason not in REASONS:
        return order_page_with(request, p, s, order_id, "请选择退款原因。", 422)
    text = f"{reason}：{detail}" if detail else reason
    try:
        refunds.refund(s, p, path_id(order_id, "order"), RefundIn(reason=text[:200]))
    except NotFound:
        return not_found(request, p, "订单不存在。")
    except (Conflict, Invalid) as exc:
        s.rollback()
        return order_page_with(request, p, s, order_id, shop_text.text(exc.code), exc.status)
    return RedirectResponse(f"/m/orders/{order_id}?refunded=1", status_code=303)


@router.post("/orders/{order_id}/rating")
def rate(request: Request, p: MemberPage, s: Db, order_id: str,
         stars: Annotated[str, Form(max_length=1)] = "",
         comment: Annotated[str, Form(max_length=500)] = "") -> Response:
    if stars not in ("1", "2", "3", "4", "5"):
        return order_page_with(request, p, s, order_id, "请选择 1–5 星。", 422)
    try:
        data = RatingIn(stars=int(stars), comment=comment.strip() or None)
    except ValueError:
        return order_page_with(request, p, s, order_id, "评价内容太长了。", 422)
    try:
        ratings.rate(s, p, path_id(order_id, "order"), data)
    except NotFound:
        return not_found(request, p, "订单不存在。")
    except Conflict as exc:
        s.rollback()
        return order_page_with(request, p, s, order_id, shop_text.text(exc.code), exc.status)
    return RedirectResponse(f"/m/orders/{order_id}", status_code=303)
