"""Flash sales (秒杀): the list with a create form, and one sale's figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.flashsale import listing as flash_listing
from linli.flashsale import reports
from linli.flashsale import service as flashsales
from linli.flashsale.schemas import FlashSaleIn
from linli.web.console import campaign_forms as forms
from linli.web.console import labels
from linli.web.console.campaign_lists import campaign_list
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source, money
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
FIELDS = ("product_id", "price", "quantity", "per_member_limit", "starts_at", "ends_at")


VIEW = ListView(
    "/console/flash-sales", "秒杀", "秒杀活动", date_label="开始时间",
    columns=[
        Column("活动ID", lambda r, x: r.id),
        Column("商品", lambda r, x: x["names"].get(r.product_id, "")),
        Column("商品ID", lambda r, x: r.product_id),
        Column("秒杀价（元）", lambda r, x: money(r.price_fen)),
        Column("秒杀数量", lambda r, x: r.quantity),
        Column("已售", lambda r, x: r.sold),
        Column("每人限购", lambda r, x: r.per_member_limit),
        Column("开始时间", lambda r, x: r.starts_at),
        Column("结束时间", lambda r, x: r.ends_at),
        Column("状态", lambda r, x: labels.flash_sale_status(r.status)),
    ])
SOURCE = Source(flash_listing.page, flash_listing.export)


@router.get("/flash-sales")
def sale_list(request: Request, p: ConsoleOperator, s: Db) -> Response:
    start = forms.next_minutes()
    values = {"product_id": "", "price": "", "quantity": "", "per_member_limit": "1",
              "starts_at": forms.local_input(start), "ends_at": forms.local_input(forms.next_minutes(60))}
    return _list(request, p, s, values, forms.FormErrors())


@router.post("/flash-sales")
def create_sale(request: Request, p: ConsoleOperator, s: Db, product_id: Text = "", price: Text = "",
                quantity: Text = "", per_member_limit: Text = "", starts_at: Text = "",
                ends_at: Text = "") -> Response:
    values = {"product_id": product_id, "price": price, "quantity": quantity, "per_member_limit": per_member_limit,
              "starts_at": starts_at, "ends_at": ends_at}
    errors = forms.FormErrors()
    data = _read(errors, values)
    if data is not None:
        sale_id = forms.created(s, errors, lambda: flashsales.create(s, p, data), "quantity",
                                f"商品库存不足，无法为秒杀预留 {data.quantity} 件。", "秒杀价")
        if sale_id is not None:
            return RedirectResponse(f"/console/flash-sales/{sale_id}", status_code=303)
    return _list(request, p, s, values, errors, status_code=422)


@router.get("/flash-sales/{sale_id}")
def sale_detail(request: Request, p: ConsoleOperator, s: Db, sale_id: str) -> Response:
    try:
        if not is_id(sale_id):
            raise NotFound("flash sale not found", code="flash_sale_not_found")
        figures = reports.figures(s, p, int(sale_id))
    except NotFound:
        return render(request, "console/not_found.html", status_code=404, p=p, nav="flash_sales", title="未找到",
                      message=f"秒杀活动 {sale_id} 不存在。", back_url="/console/flash-sales")
    product = catalog.get_product(s, p, figures.sale.product_id)
    return render(request, "console/flash_sale_detail.html", p=p, nav="flash_sales",
                  title=f"秒杀 #{figures.sale.id}", f=figures, sale=figures.sale, product=product, labels=labels,
                  statuses=labels.FLASH_SALE_ORDER_STATUSES)


def _read(errors: forms.FormErrors, v: dict[str, str]) -> FlashSaleIn | None:
    product_id = forms.integer(errors, "product_id", v["product_id"], "商品", 1, 10**15)
    if "product_id" in errors.fields:
        errors.fields["product_id"] = "请选择商品。"
    price_fen = forms.fen(errors, "price", v["price"], "秒杀价")
    quantity = forms.integer(errors, "quantity", v["quantity"], "秒杀数量", 1, 10**7)
    limit = forms.integer(errors, "per_member_limit", v["per_member_limit"], "每人限购", 1, 1000)
    starts = forms.local_time(errors, "starts_at", v["starts_at"], "开始时间")
    ends = forms.local_time(errors, "ends_at", v["ends_at"], "结束时间")
    if starts and ends and ends <= starts:
        errors.add("ends_at", "结束时间必须晚于开始时间。")
    if errors or starts is None or ends is None:
        return None
    return FlashSaleIn(product_id=product_id, price_fen=price_fen, quantity=quantity, per_member_limit=limit,
                       starts_at=starts, ends_at=ends)


def _list(request: Request, p: Principal, s: Session, values: dict[str, str], errors: forms.FormErrors,
          status_code: int = 200) -> Response:
    return campaign_list(request, p, s, view=VIEW, source=SOURCE, template="console/flash_sales.html",
                         nav="flash_sales", values=values, errors=errors, status_code=status_code)
