"""One flash sale's operator actions in the console: edit its terms before it starts, and stop it (结束)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core.errors import LinliError, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.flashsale import editing, reports
from linli.flashsale.schemas import FlashSaleEdit, FlashSaleOut
from linli.web.console import campaign_forms as forms
from linli.web.console import labels
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
# service refusals -> (form field, message)
MESSAGES = {
    "price_not_below_list": ("price", "秒杀价必须低于商品原价。"),
    "insufficient_stock": ("quantity", "商品库存不足，无法增加秒杀数量。"),
    "product_off_shelf": ("quantity", "商品已下架，不能增加秒杀数量。"),
    "invalid_window": ("ends_at", "结束时间必须晚于开始时间，且晚于现在。"),
    "flash_sale_started": ("form", "活动已开始或已有人抢购，不能再修改，只能结束。"),
    "flash_sale_closed": ("form", "活动已结束。"),
}


@router.post("/flash-sales/{sale_id}/edit")
def edit_sale(request: Request, p: ConsoleOperator, s: Db, sale_id: str, price: Text = "", quantity: Text = "",
              per_member_limit: Text = "", starts_at: Text = "", ends_at: Text = "") -> Response:
    if not is_id(sale_id):
        return _not_found(request, p, sale_id)
    values = {"price": price, "quantity": quantity, "per_member_limit": per_member_limit,
              "starts_at": starts_at, "ends_at": ends_at}
    errors = forms.FormErrors()
    price_fen = forms.fen(errors, "price", price, "秒杀价")
    units = forms.integer(errors, "quantity", quantity, "秒杀数量", 1, 10**7)
    limit = forms.integer(errors, "per_member_limit", per_member_limit, "每人限购", 1, 1000)
    starts = forms.local_time(errors, "starts_at", starts_at, "开始时间")
    ends = forms.local_time(errors, "ends_at", ends_at, "结束时间")
    if starts and ends and ends <= starts:
        errors.add("ends_at", "结束时间必须晚于开始时间。")
    if not errors:
        try:
            editing.edit(s, p, int(sale_id), FlashSaleEdit(price_fen=price_fen, quantity=units, per_member_limit=limit,
                                                           starts_at=starts, ends_at=ends))
            return RedirectResponse(f"/console/flash-sales/{sale_id}?done=saved", status_code=303)
        except NotFound:
            return _not_found(request, p, sale_id)
        except LinliError as exc:
            s.rollback()  # nothing the refused edit began is kept
            field, message = MESSAGES.get(exc.code, ("form", "修改失败，请检查填写的内容。"))
            errors.add(field, message)
    return _page(request, p, s, int(sale_id), values, errors, 422)


@router.post("/flash-sales/{sale_id}/stop")
def stop_sale(request: Request, p: ConsoleOperator, s: Db, sale_id: str) -> Response:
    if not is_id(sale_id):
        return _not_found(request, p, sale_id)
    try:
        editing.stop(s, p, int(sale_id))
    except NotFound:
        return _not_found(request, p, sale_id)
    except LinliError as exc:
        s.rollback()
        errors = forms.FormErrors()
        errors.add("form", MESSAGES.get(exc.code, ("form", "操作失败。"))[1])
        return _page(request, p, s, int(sale_id), None, errors, 409)
    return RedirectResponse(f"/console/flash-sales/{sale_id}?done=stopped", status_code=303)


def edit_values(sale: FlashSaleOut) -> dict[str, str]:
    """The edit form filled with the sale's terms."""
    return {"price": f"{sale.price_fen // 100}.{sale.price_fen % 100:02d}", "quantity": str(sale.quantity),
            "per_member_limit": str(sale.per_member_limit), "starts_at": forms.local_input(sale.starts_at),
            "ends_at": forms.local_input(sale.ends_at)}


def _page(request: Request, p: Principal, s: Session, sale_id: int, values: dict[str, str] | None,
          errors: forms.FormErrors, status_code: int) -> Response:
    """The sale's page (as `flashsales.sale_detail` shows it) with the form's errors."""
    try:
        figures = reports.figures(s, p, sale_id)
    except NotFound:
        return _not_found(request, p, str(sale_id))
    context: dict[str, Any] = {"f": figures, "sale": figures.sale, "labels": labels,
                               "statuses": labels.FLASH_SALE_ORDER_STATUSES, "errors": errors.fields,
                               "values": values or edit_values(figures.sale)}
    return render(request, "console/flash_sale_detail.html", status_code=status_code, p=p, nav="flash_sales",
                  title=f"秒杀 #{figures.sale.id}", product=catalog.get_product(s, p, figures.sale.product_id),
                  **context)


def _not_found(request: Request, p: Principal, sale_id: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="flash_sales", title="未找到",
                  message=f"秒杀活动 {sale_id} 不存在。", back_url="/console/flash-sales")
