"""危机处理: the case list with the opening form (prefilled from an alert), and a case's page — the playbook
(owners, 完成, overdue steps), the compensation generator with its preview (htmx), the members compensated
and their 3-day / 7-day follow-ups, 结案."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.alert import service as alerts
from linli.catalog import service as catalog
from linli.community import service as community
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.crisis import compensation
from linli.crisis import service as crises
from linli.crisis.playbook import SEVERITY_LABELS
from linli.crisis.schemas import CaseIn, CloseIn, CompensationIn, StepPatch
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Short = Annotated[str, Form(max_length=100)]
Long = Annotated[str, Form(max_length=2000)]
ERRORS = {
    "unknown_product": "商品不存在。", "unknown_batch": "批次不存在。",
    "batch_product_mismatch": "该批次不属于所选商品。",
    "window_required": "请填写起止时间（或选择有销售时间的批次）。", "invalid_window": "结束时间须晚于开始时间。",
    "unknown_community": "小区不存在。", "unknown_coupon_template": "优惠券不存在。",
    "coupon_unavailable": "优惠券已停用或余量不足，请换一张券或补充数量。", "crisis_closed": "案件已结案。",
    "unknown_alert": "关联的预警不存在。", "unknown_owner": "负责人须是本租户的运营人员。",
}
COMP_FIELDS = ("product_id", "batch_id", "since", "until", "community_id", "kind", "coupon_template_id", "points",
               "message")


def _error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "填写的内容不完整或有误（补偿券须选择优惠券，积分补偿须填写积分数）。"
    return ERRORS.get(getattr(exc, "code", ""), "操作失败，请检查填写的内容。")


@router.get("/crises")
def crisis_list(request: Request, p: ConsoleOperator, s: Db,
                alert_id: Annotated[str, Query(max_length=18)] = "") -> Response:
    prefill = {"title": "", "description": "", "alert_id": "", "severity": "1"}
    if is_id(alert_id):
        try:
            a = alerts.brief(s, p.tenant_id, int(alert_id))
            prefill = {"title": f"{a.label}:{a.scope_name}"[:100], "alert_id": str(a.id), "severity": "1",
                       "description": f"{a.label} {a.value:g}{a.unit}(阈值 {a.comparator} {a.threshold:g}{a.unit})"}
        except NotFound:
            pass
    return _list(request, p, s, prefill)


def _list(request: Request, p: Principal, s: Session, values: dict[str, str], error: str | None = None,
          status_code: int = 200) -> Response:
    rows, _ = crises.search(s, p, None, 200, None)
    return render(request, "console/crises.html", status_code=status_code, p=p, nav="crises", title="危机处理",
                  rows=rows, values=values, error=error, severities=SEVERITY_LABELS)


@router.post("/crises")
def open_case(request: Request, p: ConsoleOperator, s: Db, title: Short = "", severity: Short = "1",
              description: Long = "", alert_id: Short = "") -> Response:
    values = {"title": title, "severity": severity, "description": description, "alert_id": alert_id}
    try:
        data = CaseIn.model_validate({"title": title.strip(), "severity": int(severity) if is_id(severity) else 0,
                                      "description": description.strip(),
                                      "alert_id": int(alert_id) if is_id(alert_id) else None}, strict=False)
        case = crises.open_case(s, p, data)
    except (ValidationError, Invalid) as exc:
        s.rollback()
        message = "请填写标题并选择级别。" if isinstance(exc, ValidationError) else _error(exc)
        return _list(request, p, s, values, message, 422)
    return RedirectResponse(f"/console/crises/{case.id}", status_code=303)


def _detail(request: Request, p: Principal, s: Session, case_id: str, notice: str | None = None,
            error: str | None = None, values: dict[str, str] | None = None, status_code: int = 200) -> Response:
    if not is_id(case_id):
        raise NotFound("crisis case not found", code="crisis_not_found")
    case = crises.detail(s, p, int(case_id))
    products, _ = catalog.search_products(s, p, None, None, 200, None)
    templates, _ = coupons.search(s, p, True, 200, None)
    communities, _ = community.search_communities(s, p, None, 200, None)
    owners = dict(crises.operators(s, p))
    return render(request, "console/crisis_detail.html", status_code=status_code, p=p, nav="crises",
                  title=f"危机处理 #{case.id}", case=case, severities=SEVERITY_LABELS, owners=owners,
                  products=products, coupon_templates=templates, communities=communities, notice=notice,
                  error=error, values=values or {"kind": "coupon", "points": "0"})


def _not_found(request: Request, p: Principal, case_id: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="crises", title="未找到",
                  message=f"危机处理案件 {case_id} 不存在。", back_url="/console/crises")


@router.get("/crises/{case_id}")
def case_page(request: Request, p: ConsoleOperator, s: Db, case_id: str,
              notice: Annotated[str, Query(max_length=20)] = "") -> Response:
    try:
        return _detail(request, p, s, case_id, {"issued": "补偿已发放。", "step": "步骤已更新。"}.get(notice))
    except NotFound:
        return _not_found(request, p, case_id)


@router.post("/crises/{case_id}/steps/{step_id}")
def update_step(request: Request, p: ConsoleOperator, s: Db, case_id: str, step_id: str, owner_user_id: Short = "",
                done: Short = "", note: Short = "") -> Response:
    if not (is_id(case_id) and is_id(step_id)):
        return _not_found(request, p, case_id)
    try:
        crises.update_step(s, p, int(case_id), int(step_id), StepPatch(
            owner_user_id=int(owner_user_id) if is_id(owner_user_id) else None,
            done={"1": True, "0": False}.get(done), note=note.strip() or None))
    except NotFound:
        return _not_found(request, p, case_id)
    except Invalid as exc:
        s.rollback()
        return _detail(request, p, s, case_id, error=_error(exc), status_code=422)
    return RedirectResponse(f"/console/crises/{case_id}?notice=step", status_code=303)


def _criteria(form: dict[str, str]) -> CompensationIn:
    body: dict[str, Any] = {k: (v.strip() or None) for k, v in form.items()}
    body["kind"] = form["kind"] if form["kind"] in ("coupon", "points") else "coupon"
    body["points"] = int(form["points"]) if is_id(form["points"]) else 0
    body["message"] = form["message"].strip()
    if body["kind"] == "points":
        body["coupon_template_id"] = None
    return CompensationIn.model_validate(body, strict=False)


@router.post("/crises/{case_id}/compensations/preview")
def preview(request: Request, p: ConsoleOperator, s: Db, case_id: str, product_id: Short = "", batch_id: Short = "",
            since: Short = "", until: Short = "", community_id: Short = "", kind: Short = "coupon",
            coupon_template_id: Short = "", points: Short = "0", message: Long = "") -> Response:
    form = dict(zip(COMP_FIELDS, (product_id, batch_id, since, until, community_id, kind, coupon_template_id, points,
                                  message), strict=True))
    try:
        if not is_id(case_id):
            raise NotFound("crisis case not found", code="crisis_not_found")
        found, error = compensation.preview(s, p, int(case_id), _criteria(form)), None
    except (ValidationError, Invalid, NotFound) as exc:
        found, error = None, _error(exc)
    return render(request, "console/_crisis_preview.html", p=p, found=found, error=error)


@router.post("/crises/{case_id}/compensations")
def issue(request: Request, p: ConsoleOperator, s: Db, case_id: str, product_id: Short = "", batch_id: Short = "",
          since: Short = "", until: Short = "", community_id: Short = "", kind: Short = "coupon",
          coupon_template_id: Short = "", points: Short = "0", message: Long = "") -> Response:
    form = dict(zip(COMP_FIELDS, (product_id, batch_id, since, until, community_id, kind, coupon_template_id, points,
                                  message), strict=True))
    if not is_id(case_id):
        return _not_found(request, p, case_id)
    try:
        compensation.issue(s, p, int(case_id), _criteria(form))
    except NotFound as exc:
        s.rollback()
        if getattr(exc, "code", "") == "crisis_not_found":
            return _not_found(request, p, case_id)
        return _detail(request, p, s, case_id, error=_error(exc), values=form, status_code=422)
    except (ValidationError, Invalid, Conflict) as exc:
        s.rollback()
        return _detail(request, p, s, case_id, error=_error(exc), values=form, status_code=422)
    return RedirectResponse(f"/console/crises/{case_id}?notice=issued", status_code=303)


@router.post("/crises/{case_id}/close")
def close(request: Request, p: ConsoleOperator, s: Db, case_id: str, note: Short = "") -> Response:
    if not is_id(case_id):
        return _not_found(request, p, case_id)
    try:
        crises.close(s, p, int(case_id), CloseIn(note=note.strip()))
    except NotFound:
        return _not_found(request, p, case_id)
    except Conflict as exc:
        s.rollback()
        return _detail(request, p, s, case_id, error=_error(exc), status_code=409)
    return RedirectResponse(f"/console/crises/{case_id}", status_code=303)
