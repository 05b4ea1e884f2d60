"""A/B实验: the list, an experiment added to a draft scenario campaign (A = its own message, B = a new one),
and the results page — per arm exposed, converted, rate, lift, the 95 % interval and p-value, the winner
only when significant — with an ECharts bar chart of the conversion rates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from linli.campaign import experiments
from linli.campaign.schemas import ExperimentIn, ResultsOut
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=1000)]
STATUS = {"draft": "未开始", "running": "进行中", "stopped": "已停止"}


def _not_found(request: Request, p: Principal, what: str) -> Response:
    return render(request, "console/not_found.html", status_code=404, p=p, nav="experiments", title="未找到",
                  message=f"实验 {what} 不存在。", back_url="/console/experiments")


@router.get("/experiments")
def experiment_list(request: Request, p: ConsoleOperator, s: Db) -> Response:
    rows, _ = experiments.search(s, p, None, 200, None)
    return render(request, "console/experiments.html", p=p, nav="experiments", title="A/B实验", rows=rows,
                  status=STATUS)


@router.post("/experiments")
def create_experiment(request: Request, p: ConsoleOperator, s: Db, campaign_id: Text = "", name: Text = "",
                      weight_b: Text = "50", conversion_days: Text = "7", title_b: Text = "",
                      body_b: LongText = "", coupon_b: Text = "") -> Response:
    """From a draft campaign's page: A is the campaign's message (the control), B the new one."""
    back = f"/console/scenario-campaigns/{campaign_id}" if is_id(campaign_id) else "/console/scenario-campaigns"
    try:
        b = int(weight_b) if weight_b.strip().isdigit() else 0
        days = int(conversion_days) if conversion_days.strip().isdigit() else 0
        data = ExperimentIn.model_validate({
            "name": name.strip() or "文案实验", "campaign_id": int(campaign_id) if is_id(campaign_id) else None,
            "conversion_days": days, "variants": [
                {"code": "A", "name": "A 组（原文案）", "weight": 100 - b, "is_control": True},
                {"code": "B", "name": "B 组（新文案）", "weight": b, "title": title_b.strip() or None,
                 "body": body_b.strip() or None, "coupon_template_id": int(coupon_b) if is_id(coupon_b) else None}]})
        made = experiments.create(s, p, data)
    except (Invalid, Conflict, ValidationError):
        s.rollback()
        return RedirectResponse(f"{back}?experiment_error=1", status_code=303)
    return RedirectResponse(f"/console/experiments/{made.id}", status_code=303)


def chart_of(res: ResultsOut) -> dict[str, list[object]]:
    return {"arms": [f"{v.code} {v.name}" for v in res.variants],
            "rates": [round(v.rate * 100, 2) for v in res.variants],
            "exposed": [v.exposed for v in res.variants], "converted": [v.converted for v in res.variants]}


@router.get("/experiments/{experiment_id}")
def experiment_detail(request: Request, p: ConsoleOperator, s: Db, experiment_id: str) -> Response:
    try:
        if not is_id(experiment_id):
            raise NotFound("experiment not found", code="experiment_not_found")
        e = experiments.get(s, p, int(experiment_id))
    except NotFound:
        return _not_found(request, p, experiment_id)
    res = experiments.results(s, p, e.id)
    winner = next((v for v in res.variants if v.code == res.winner), None)
    return render(request, "console/experiment_detail.html", p=p, nav="experiments", title=e.name, e=e, res=res,
                  status=STATUS[e.status], winner=winner, chart=chart_of(res))


@router.post("/experiments/{experiment_id}/{action}")
def experiment_action(request: Request, p: ConsoleOperator, s: Db, experiment_id: str, action: str) -> Response:
    """开始 / 停止 a standalone experiment."""
    if not is_id(experiment_id) or action not in ("start", "stop"):
        return _not_found(request, p, experiment_id)
    try:
        (experiments.start if action == "start" else experiments.stop)(s, p, int(experiment_id))
    except NotFound:
        return _not_found(request, p, experiment_id)
    except Conflict:
        s.rollback()
    return RedirectResponse(f"/console/experiments/{experiment_id}", status_code=303)
