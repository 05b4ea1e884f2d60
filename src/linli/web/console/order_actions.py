"""Customer-service actions on one order in the console: cancel, and refund in full with a reason.

They call the same order services as the API (`POST /orders/{id}/cancel`, `/refund`), as the operator, who may
refund outside the return window. A refusal rolls back and shows the order page with the reason in Chinese."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import LinliError, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.member import service as members
from linli.order import cancellation, refunds
from linli.order import service as orders
from linli.order.schemas import RefundIn
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Reason = Annotated[str, Form(max_length=400)]
MESSAGES = {
    "not_cancellable": "该订单当前状态不能取消（只能取消待支付、待付尾款和已支付未提货的订单）。",
    "not_refundable": "该订单当前状态不能退款（只能为已支付、待成团或已提货的订单退款）。",
    "refund_exceeds_quantity": "该订单已全部退款，没有可退的商品。",
    "refund_failed": "支付渠道退款失败，订单未改变，请稍后重试。",
    "return_window_closed": "已超过退货期限。",
}


@router.post("/orders/{order_id}/cancel")
def cancel_order(request: Request, p: ConsoleOperator, s: Db, order_id: str, reason: Reason = "") -> Response:
    if not is_id(order_id):
        return _not_found(request, p, order_id)
    try:
        cancellation.cancel(s, p, int(order_id), reason.strip()[:200] or "客服取消")
    except NotFound:
        return _not_found(request, p, order_id)
    except LinliError as exc:
        return _refused(request, p, s, int(order_id), exc)
    return RedirectResponse(f"/console/orders/{order_id}?done=cancelled", status_code=303)


@router.post("/orders/{order_id}/refund")
def refund_order(request: Request, p: ConsoleOperator, s: Db, order_id: str, reason: Reason = "") -> Response:
    if not is_id(order_id):
        return _not_found(request, p, order_id)
    reason = reason.strip()
    if not reason:
        return _page(request, p, s, int(order_id), "请填写退款原因。", 422)
    try:
        refunds.refund(s, p, int(order_id), RefundIn(reason=reason[:200]))  # no lines: all that is left
    except NotFound:
        return _not_found(request, p, order_id)
    except LinliError as exc:
        return _refused(request, p, s, int(order_id), exc)
    return RedirectResponse(f"/console/orders/{order_id}?done=refunded", status_code=303)


def _refused(request: Request, p: Principal, s: Session, order_id: int, exc: LinliError) -> Response:
    s.rollback()  # nothing the refused action began is kept
    return _page(request, p, s, order_id, MESSAGES.get(exc.code, f"操作失败（{exc.code}）。"), 409)


def _page(request: Request, p: Principal, s: Session, order_id: int, error: str, status_code: int) -> Response:
    """The order page (as `orders.order_detail` shows it) with the refusal above the actions."""
    try:
        order = orders.get(s, p, order_id)
    except NotFound:
        return _not_found(request, p, str(order_id))
    name = members.names(s, p.tenant_id, [order.member_id]).get(order.member_id, "")
    return render(request, "console/order_detail.html", status_code=status_code, p=p, nav="orders",
                  title=f"订单 {order.id}", order=order, member_name=name, action_error=error)


def _not_found(request: Request, p: Principal, order_id: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="orders", title="未找到",
                  message=f"订单 {order_id} 不存在。", back_url="/console/orders")
