"""A flash sale (秒杀): price, countdown, units left, and buying."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.flashsale import service as flashsales
from linli.flashsale.schemas import PurchaseIn
from linli.web.member import messages
from linli.web.member.guard import MemberPage
from linli.web.member.pages import not_found, path_id
from linli.web.member.templating import render

router = APIRouter()


@router.get("/flash-sales/{sale_id}")
def sale_page(request: Request, p: MemberPage, s: Db, sale_id: str) -> Response:
    return _page(request, p, s, sale_id)


@router.post("/flash-sales/{sale_id}/buy")
def buy(request: Request, p: MemberPage, s: Db, sale_id: str,
        quantity: Annotated[str, Form(max_length=10)] = "1") -> Response:
    try:
        sale = flashsales.get(s, p, path_id(sale_id, "flash sale"))
    except NotFound:
        return not_found(request, p, "秒杀活动不存在。")
    wanted = int(quantity) if quantity.isascii() and quantity.isdigit() else 0
    if not 1 <= wanted <= sale.per_member_limit:
        return _page(request, p, s, sale_id, f"请选择 1–{sale.per_member_limit} 件。", 422)
    try:
        bought = flashsales.purchase(s, p, sale.id, PurchaseIn(quantity=wanted))
    except (Conflict, Invalid) as exc:
        s.rollback()  # nothing of a refused attempt is kept
        return _page(request, p, s, sale_id, messages.flash_sale_error(exc.code, flashsales.get(s, p, sale.id)), 409)
    return RedirectResponse(f"/m/orders/{bought.order_id}", status_code=303)


def _page(request: Request, p: Principal, s: Session, sale_id: str, error: str | None = None,
          status_code: int = 200) -> Response:
    try:
        sale = flashsales.get(s, p, path_id(sale_id, "flash sale"))
    except NotFound:
        return not_found(request, p, "秒杀活动不存在。")
    product = catalog.get_product(s, p, sale.product_id)
    return render(request, "member/flash_sale.html", status_code=status_code, p=p, title="限时秒杀", sale=sale,
                  product=product, error=error, back="/m")
