"""批次追溯 (traceability): the batch list with the create form; one batch's page with its chain of entries, the
add-entry form, 校验链路 and the QR code to download (it opens the public trace page /t/{token})."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, Invalid
from linli.core.http import Db
from linli.core.security import Principal
from linli.traceability import qr
from linli.traceability import service as trace
from linli.traceability.schemas import STAGES, BatchIn, EntryIn
from linli.web.console import campaign_forms as forms
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=500)]
ERRORS = {"batch_code_taken": ("code", "批次号已被使用。"), "unknown_product": ("product_id", "所选商品不存在。"),
          "entry_before_previous": ("occurred_at", "时间不能早于上一条记录。"),
          "entry_in_future": ("occurred_at", "时间不能晚于现在。"),
          "batch_closed": ("form", "该批次已售罄,链路已封存。"), "chain_moved": ("form", "有人同时添加了记录,请重试。")}
BATCH_FIELDS = ("code", "product_id", "origin", "producer", "produced_on", "quantity", "unit", "inspection_no", "notes")


def _list(request: Request, p: Principal, s: Session, values: dict[str, str], errors: dict[str, str],
          status_code: int = 200) -> Response:
    rows, _ = trace.search(s, p, None, None, 200, None)
    return render(request, "console/batches.html", status_code=status_code, p=p, nav="batches", title="批次追溯",
                  rows=rows, values=values, errors=errors, products=forms.product_choices(s, p))


@router.get("/batches")
def batch_list(request: Request, p: ConsoleOperator, s: Db) -> Response:
    values = dict.fromkeys(BATCH_FIELDS, "") | {"unit": "箱"}
    return _list(request, p, s, values, {})


def _fail(exc: Invalid | Conflict) -> dict[str, str]:
    field, message = ERRORS.get(exc.code, ("form", "保存失败,请检查填写的内容。"))
    return {field: message}


@router.post("/batches")
def create_batch(request: Request, p: ConsoleOperator, s: Db, code: Text = "", product_id: Text = "",
                 origin: Text = "", producer: Text = "", produced_on: Text = "", quantity: Text = "",
                 unit: Text = "", inspection_no: Text = "", notes: LongText = "") -> Response:
    v = {"code": code, "product_id": product_id, "origin": origin, "producer": producer, "produced_on": produced_on,
         "quantity": quantity, "unit": unit, "inspection_no": inspection_no, "notes": notes}
    errors = forms.FormErrors()
    for name, label in (("code", "批次号"), ("origin", "产地"), ("producer", "生产者"), ("produced_on", "生产日期")):
        if not v[name].strip():
            errors.add(name, f"请填写{label}。")
    if not is_id(product_id):
        errors.add("product_id", "请选择商品。")
    amount = forms.integer(errors, "quantity", quantity, "数量", 0, 10**9)
    if errors:
        return _list(request, p, s, v, errors.fields, status_code=422)
    body: dict[str, Any] = {**{k: v[k].strip() for k in BATCH_FIELDS}, "product_id": int(product_id),
                            "quantity": amount, "unit": v["unit"].strip() or "件"}
    try:
        made = trace.create(s, p, BatchIn.model_validate(body, strict=False))
    except ValidationError:
        message = "填写的内容有误:批次号只能用字母、数字、- 和 _,日期格式为 2026-09-01。"
        return _list(request, p, s, v, {"form": message}, status_code=422)
    except (Invalid, Conflict) as exc:
        s.rollback()
        return _list(request, p, s, v, _fail(exc), status_code=422)
    return RedirectResponse(f"/console/batches/{made.id}", status_code=303)


def _detail(request: Request, p: Principal, s: Session, batch_id: int, values: dict[str, str],
            errors: dict[str, str], status_code: int = 200, verified: bool = False) -> Response:
    b = trace.get(s, p, batch_id)
    return render(request, "console/batch_detail.html", status_code=status_code, p=p, nav="batches",
                  title=f"批次 {b.code}", b=b, stages=STAGES, values=values, errors=errors, verified=verified,
                  public_url=str(request.base_url).rstrip("/") + b.trace_url)


def _entry_defaults() -> dict[str, str]:
    return {"stage": "transport", "occurred_at": forms.local_input(forms.next_minutes(-1)), "place": "",
            "operator": "", "details": ""}


@router.get("/batches/{batch_id}")
def batch_page(request: Request, p: ConsoleOperator, s: Db, batch_id: int, verify: str = "") -> Response:
    return _detail(request, p, s, batch_id, _entry_defaults(), {}, verified=verify == "1")


@router.post("/batches/{batch_id}/entries")
def add_entry(request: Request, p: ConsoleOperator, s: Db, batch_id: int, stage: Text = "", occurred_at: Text = "",
              place: Text = "", operator: Text = "", details: LongText = "") -> Response:
    v = {"stage": stage, "occurred_at": occurred_at, "place": place, "operator": operator, "details": details}
    errors = forms.FormErrors()
    if stage not in STAGES:
        errors.add("stage", "请选择环节。")
    at = forms.local_time(errors, "occurred_at", occurred_at, "时间")
    if errors:
        return _detail(request, p, s, batch_id, v, errors.fields, status_code=422)
    try:
        trace.append(s, p, batch_id, EntryIn.model_validate(
            {"stage": stage, "occurred_at": at, "place": place.strip(), "operator": operator.strip(),
             "details": details.strip()}, strict=False))
    except ValidationError:
        return _detail(request, p, s, batch_id, v, {"form": "填写的内容有误。"}, status_code=422)
    except (Invalid, Conflict) as exc:
        s.rollback()
        return _detail(request, p, s, batch_id, v, _fail(exc), status_code=422)
    return RedirectResponse(f"/console/batches/{batch_id}", status_code=303)


@router.get("/batches/{batch_id}/qr.png")
def batch_qr(request: Request, p: ConsoleOperator, s: Db, batch_id: int) -> Response:
    b = trace.get(s, p, batch_id)
    url = str(request.base_url).rstrip("/") + b.trace_url
    return Response(qr.png(url), media_type="image/png",
                    headers={"Content-Disposition": f'attachment; filename="batch-{b.code}.png"'})
