"""Coupons (优惠券): templates with their total / claimed / used figures, a create form, one template's
page, and switching a template off or on."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.core.security import Principal
from linli.coupon import listing as coupon_listing
from linli.coupon import service as coupons
from linli.coupon.schemas import CouponIn
from linli.web.console import campaign_forms as forms
from linli.web.console import labels, listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source, money
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
FIELDS = ("name", "discount", "min_spend", "total", "per_member_limit", "valid_from", "valid_to", "valid_days")


VIEW = ListView(
    "/console/coupons", "优惠券", "优惠券", search="搜索优惠券名称",
    columns=[
        Column("优惠券ID", lambda c, x: c.id),
        Column("名称", lambda c, x: c.name),
        Column("立减（元）", lambda c, x: money(c.discount_fen) if c.percent_off is None else None),
        Column("折扣", lambda c, x: labels.discount(c.percent_off) if c.percent_off is not None else ""),
        Column("门槛（元）", lambda c, x: money(c.min_spend_fen)),
        Column("总量", lambda c, x: c.total),
        Column("已领", lambda c, x: c.claimed),
        Column("已用", lambda c, x: c.used),
        Column("每人限领", lambda c, x: c.per_member_limit),
        Column("生效时间", lambda c, x: c.valid_from),
        Column("截止时间", lambda c, x: c.valid_to),
        Column("领取后有效天数", lambda c, x: c.valid_days),
        Column("状态", lambda c, x: "发放中" if c.active else "已停用"),
    ])
SOURCE = Source(coupon_listing.page, coupon_listing.export)


@router.get("/coupons")
def coupon_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "") -> Response:
    values = dict.fromkeys(FIELDS, "") | {"per_member_limit": "1", "min_spend": "0", "valid_days": "30",
                                         "valid_from": forms.local_input(forms.next_minutes())}
    return _list(request, p, s, values, forms.FormErrors(), q=q)


@router.post("/coupons")
def create_coupon(request: Request, p: ConsoleOperator, s: Db, name: Text = "", discount: Text = "",
                  min_spend: Text = "", total: Text = "", per_member_limit: Text = "", valid_from: Text = "",
                  valid_to: Text = "", valid_days: Text = "") -> Response:
    values = {"name": name, "discount": discount, "min_spend": min_spend, "total": total,
              "per_member_limit": per_member_limit, "valid_from": valid_from, "valid_to": valid_to,
              "valid_days": valid_days}
    errors = forms.FormErrors()
    data = _read(errors, values)
    if data is None:
        return _list(request, p, s, values, errors, status_code=422)
    coupon = coupons.create(s, p, data)
    return RedirectResponse(f"/console/coupons/{coupon.id}", status_code=303)


@router.get("/coupons/{coupon_id}")
def coupon_detail(request: Request, p: ConsoleOperator, s: Db, coupon_id: str) -> Response:
    try:
        if not is_id(coupon_id):
            raise NotFound("coupon not found", code="coupon_not_found")
        coupon = coupons.get(s, p, int(coupon_id))
    except NotFound:
        return render(request, "console/not_found.html", status_code=404, p=p, nav="coupons", title="未找到",
                      message=f"优惠券 {coupon_id} 不存在。", back_url="/console/coupons")
    return render(request, "console/coupon_detail.html", p=p, nav="coupons", title=f"优惠券 #{coupon.id}",
                  c=coupon)


@router.post("/coupons/{coupon_id}/active")
def set_active(request: Request, p: ConsoleOperator, s: Db, coupon_id: str,
               active: Annotated[str, Form(max_length=5)] = "") -> Response:
    try:
        if not is_id(coupon_id):
            raise NotFound("coupon not found", code="coupon_not_found")
        coupons.set_active(s, p, int(coupon_id), active == "1")
    except NotFound:
        return render(request, "console/not_found.html", status_code=404, p=p, nav="coupons", title="未找到",
                      message=f"优惠券 {coupon_id} 不存在。", back_url="/console/coupons")
    return RedirectResponse(f"/console/coupons/{coupon_id}", status_code=303)


def _read(errors: forms.FormErrors, v: dict[str, str]) -> CouponIn | None:
    name = v["name"].strip()
    if not name:
        errors.add("name", "请填写优惠券名称。")
    discount_fen = forms.fen(errors, "discount", v["discount"], "立减金额")
    min_spend_fen = forms.fen(errors, "min_spend", v["min_spend"], "使用门槛") \
        if v["min_spend"].strip() not in ("", "0", "0.0", "0.00") else 0
    if not errors.fields.get("discount") and min_spend_fen and discount_fen >= min_spend_fen:
        errors.add("discount", "立减金额必须小于使用门槛。")
    total = forms.integer(errors, "total", v["total"], "发放总量", 1, 10**8)
    limit = forms.integer(errors, "per_member_limit", v["per_member_limit"], "每人限领", 1, 100)
    starts = forms.local_time(errors, "valid_from", v["valid_from"], "生效时间") if v["valid_from"].strip() else None
    ends = forms.local_time(errors, "valid_to", v["valid_to"], "截止时间") if v["valid_to"].strip() else None
    days = forms.optional_integer(errors, "valid_days", v["valid_days"], "领取后有效天数", 1, 3650)
    if ends is None and days is None and "valid_to" not in errors.fields and "valid_days" not in errors.fields:
        errors.add("valid_days", "请填写截止时间或领取后有效天数（至少一项）。")
    if starts and ends and ends <= starts:
        errors.add("valid_to", "截止时间必须晚于生效时间。")
    if errors:
        return None
    data: dict[str, Any] = {"name": name, "discount_fen": discount_fen, "min_spend_fen": min_spend_fen,
                            "total": total, "per_member_limit": limit, "valid_from": starts, "valid_to": ends,
                            "valid_days": days}
    try:
        return CouponIn.model_validate(data)
    except ValidationError:  # the form checks the same rules; kept so a rule added later still shows
        errors.add("form", "创建失败，请检查填写的内容。")
        return None


def _list(request: Request, p: Principal, s: Session, values: dict[str, str], errors: forms.FormErrors,
          status_code: int = 200, q: str = "") -> Response:
    return listing.answer(request, p, s, VIEW, listing.read(request, VIEW, q), SOURCE, template="console/coupons.html",
                          nav="coupons", status_code=status_code, values=values, errors=errors.fields)
