"""自动化SOP (journeys): the list with the seed templates, and one journey's page — status, the per-step funnel
(ECharts) and the step builder (one fieldset per step; insert and remove keep the graph connected; every save
is checked whole by the service and makes a new version)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.coupon import service as coupons
from linli.journey import service as journeys
from linli.journey.schemas import FromTemplateIn, JourneyOut, JourneyPatch
from linli.web.console import journey_editor as editor
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, is_partial, render

router = APIRouter()
Short = Annotated[str, Form(max_length=100)]
STATUS = {"draft": "草稿", "active": "运行中", "paused": "已暂停"}
OUTCOMES = {"issued": "已发券", "granted": "已赠积分", "task_created": "已派任务", "waited": "已等待", "true": "是",
            "false": "否", "sent": "已发送", "queued": "排队中", "deferred": "免打扰顺延", "skipped": "未发送",
            "failed": "失败", "skipped:no_leader": "跳过（无团长）", "skipped:coupon_unavailable": "跳过（券已领完）",
            "skipped:unknown_coupon": "跳过（券不存在）", "skipped:no_channel": "跳过（无可用渠道）"}


def outcome_label(code: str) -> str:
    """A step's result in Chinese; a branch's own label (the operator's) as it is."""
    return OUTCOMES.get(code, "跳过" if code.startswith("skipped") else code)


def _coupons(s: Session, p: Principal) -> list[tuple[int, str]]:
    items, _ = coupons.search(s, p, True, 200, None)
    return [(c.id, c.name) for c in items]


def _not_found(request: Request, p: Principal, journey_id: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="journeys", title="未找到",
                  message=f"旅程 {journey_id} 不存在。", back_url="/console/journeys")


@router.get("/journeys")
def journey_list(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _list(request, p, s)


def _list(request: Request, p: Principal, s: Session, error: str | None = None, status_code: int = 200) -> Response:
    items, _ = journeys.search(s, p, None, 200, None)
    rows = [(j, journeys.trigger_label(j.definition["trigger"]), STATUS[j.status]) for j in items]
    return render(request, "console/journeys.html", status_code=status_code, p=p, nav="journeys",
                  title="自动化SOP", rows=rows, templates=journeys.templates(), coupons=_coupons(s, p), error=error)


@router.post("/journeys")
def create_from_template(request: Request, p: ConsoleOperator, s: Db, template: Short = "", name: Short = "",
                         coupon_template_id: Short = "") -> Response:
    try:
        data = FromTemplateIn(template=template, name=name.strip() or None,
                              coupon_template_id=int(coupon_template_id) if is_id(coupon_template_id) else None)
        made = journeys.from_template(s, p, data)
    except Invalid as exc:
        s.rollback()
        return _list(request, p, s, editor.error_text(exc.code), status_code=422)
    except ValueError:
        return _list(request, p, s, editor.error_text("unknown_journey_template"), status_code=422)
    return RedirectResponse(f"/console/journeys/{made.id}", status_code=303)


def _detail(request: Request, p: Principal, s: Session, j: JourneyOut, definition: dict[str, Any] | None = None,
            error: str | None = None, saved: bool = False, status_code: int = 200) -> Response:
    defn = definition or j.definition
    funnel = journeys.funnel(s, p, j.id, None)
    position = {st["id"]: n for n, st in enumerate(defn["steps"], 1)}
    steps = [{"n": position[st["id"]], "st": st, "kind": editor.kind_of(st), "label": journeys.step_label(st)}
             for st in defn["steps"]]
    chart = {"steps": [f"{i}. {f.label}" for i, f in enumerate(funnel.steps, 1)],
             "entered": [f.entered for f in funnel.steps], "completed": [f.completed for f in funnel.steps],
             "converted": [f.converted or 0 for f in funnel.steps]}
    outcomes = {f.step_id: [(outcome_label(k), n) for k, n in f.outcomes.items()] for f in funnel.steps}
    context = dict(p=p, nav="journeys", outcomes=outcomes, title=j.name, j=j, status=STATUS[j.status], steps=steps,
                   funnel=funnel, chart=chart, trigger=journeys.trigger_label(defn["trigger"]), coupons=_coupons(s, p),
                   kinds=editor.KINDS, checks=editor.CHECKS, stages=editor.STAGES, error=error, saved=saved,
                   start=defn["start"])
    if is_partial(request):  # htmx swaps only 2xx answers: the verdict is in the fragment
        return render(request, "console/_journey_steps.html", **context)
    return render(request, "console/journey_detail.html", status_code=status_code, **context)


def _load(s: Session, p: Principal, journey_id: str) -> JourneyOut:
    if not is_id(journey_id):
        raise NotFound("journey not found", code="journey_not_found")
    return journeys.get(s, p, int(journey_id))


@router.get("/journeys/{journey_id}")
def journey_detail(request: Request, p: ConsoleOperator, s: Db, journey_id: str) -> Response:
    try:
        j = _load(s, p, journey_id)
    except NotFound:
        return _not_found(request, p, journey_id)
    return _detail(request, p, s, j)


@router.post("/journeys/{journey_id}/status")
def set_status(request: Request, p: ConsoleOperator, s: Db, journey_id: str,
               status: Annotated[str, Form(max_length=10)] = "") -> Response:
    try:
        j = _load(s, p, journey_id)
    except NotFound:
        return _not_found(request, p, journey_id)
    if status in ("active", "paused"):
        journeys.set_status(s, p, j.id, status)
    return RedirectResponse(f"/console/journeys/{j.id}", status_code=303)


async def _posted(request: Request) -> dict[str, str]:
    """The builder's fields (their names depend on the steps, so they are read as a whole)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str) and len(v) <= 1000}


Posted = Annotated[dict[str, str], Depends(_posted)]


def _save(request: Request, p: Principal, s: Session, j: JourneyOut, defn: dict[str, Any]) -> Response:
    try:
        saved = journeys.update(s, p, j.id, JourneyPatch(definition=defn))
    except Invalid as exc:
        s.rollback()
        return _detail(request, p, s, j, defn, error=editor.error_text(exc.code), status_code=422)
    return _detail(request, p, s, saved, saved=True)


@router.get("/journeys/{journey_id}/steps")
def steps_page(journey_id: str) -> Response:
    """Reloading the page a plain (not htmx) save answered: back to the journey."""
    return RedirectResponse(f"/console/journeys/{journey_id}" if is_id(journey_id) else "/console/journeys",
                            status_code=303)


@router.post("/journeys/{journey_id}/steps")
def save_steps(request: Request, p: ConsoleOperator, s: Db, journey_id: str, form: Posted) -> Response:
    """保存 (the fields as posted), 插入步骤 (insert_kind after insert_after) or 删除 (remove=<step>)."""
    try:
        j = _load(s, p, journey_id)
    except NotFound:
        return _not_found(request, p, journey_id)
    defn = editor.read_form(j.definition, form)
    if form.get("remove"):
        defn = editor.remove(defn, form["remove"])
    elif form.get("insert_kind") in editor.KINDS and form.get("op") == "insert":
        first_coupon = next(iter(_coupons(s, p)), (None, ""))[0]
        defn = editor.insert_after(defn, form.get("insert_after", ""), form["insert_kind"], first_coupon)
    return _save(request, p, s, j, defn)
