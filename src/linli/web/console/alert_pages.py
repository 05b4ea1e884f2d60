"""预警中心 (the alert centre: filters, pages, 确认 / 解决, the value against its threshold, 立即检测) and
预警阈值 (each metric's threshold, minimum sample and switch)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from linli.alert import service as alerts
from linli.alert.catalogue import METRICS, SCOPE_LABELS, STATUS_LABELS, WINDOW_LABELS
from linli.alert.schemas import ActionIn, ThresholdIn
from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
PAGE_SIZE = 20
Filter = Annotated[str, Query(max_length=40, pattern=r"^[a-z_0-9]*$")]
Note = Annotated[str, Form(max_length=500)]
Field = Annotated[str, Form(max_length=40)]


@router.get("/alerts")
def alert_centre(request: Request, p: ConsoleOperator, s: Db, status: Filter = "", metric: Filter = "",
                 community_id: Filter = "", page: Filter = "1", notice: Filter = "") -> Response:
    status = status if status in STATUS_LABELS else ""
    metric = metric if metric in METRICS else ""
    cid = int(community_id) if is_id(community_id) else None
    found = alerts.page(s, p, status or None, metric or None, cid, int(page) if is_id(page) else 1, PAGE_SIZE)
    communities, _ = community.search_communities(s, p, None, 200, None)
    return render(request, "console/alerts.html", p=p, nav="alerts", title="预警中心", found=found,
                  summary=alerts.summary(s, p.tenant_id), metrics=METRICS, scopes=SCOPE_LABELS,
                  windows=WINDOW_LABELS, statuses=STATUS_LABELS, communities=communities,
                  f={"status": status, "metric": metric, "community_id": str(cid or "")},
                  notice={"evaluated": "已完成检测。", "done": "已更新。", "conflict": "该预警状态已变化，请刷新。"}
                  .get(notice))


@router.post("/alerts/evaluate")
def evaluate_now(p: ConsoleOperator, s: Db) -> Response:
    alerts.evaluate(s, p.tenant_id, clock.now())
    return RedirectResponse("/console/alerts?notice=evaluated", status_code=303)


@router.post("/alerts/{alert_id}/{action}")
def act(p: ConsoleOperator, s: Db, alert_id: str, action: str, note: Note = "") -> Response:
    if not is_id(alert_id) or action not in ("acknowledge", "resolve"):
        return RedirectResponse("/console/alerts", status_code=303)
    try:
        do = alerts.acknowledge if action == "acknowledge" else alerts.resolve
        do(s, p, int(alert_id), ActionIn(note=note.strip()))
    except (Conflict, NotFound):
        s.rollback()
        return RedirectResponse("/console/alerts?notice=conflict", status_code=303)
    return RedirectResponse("/console/alerts?notice=done", status_code=303)


def _thresholds(request: Request, p: ConsoleOperator, s: Db, errors: dict[str, str] | None = None,
                saved: str = "", status_code: int = 200) -> Response:
    return render(request, "console/alert_thresholds.html", status_code=status_code, p=p, nav="alert_thresholds",
                  title="预警阈值", rows=alerts.thresholds(s, p.tenant_id), metrics=METRICS, scopes=SCOPE_LABELS,
                  windows=WINDOW_LABELS, errors=errors or {}, saved=saved)


@router.get("/alerts/thresholds")
def thresholds_page(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _thresholds(request, p, s)


@router.post("/alerts/thresholds")
def save_threshold(request: Request, p: ConsoleOperator, s: Db, metric: Field = "", threshold: Field = "",
                   min_base: Field = "0", enabled: Field = "") -> Response:
    if metric not in METRICS:
        return _thresholds(request, p, s, {"form": "请选择指标。"}, status_code=422)
    try:
        value = float(threshold)
        data = ThresholdIn(threshold=value, min_base=int(min_base or "0"), enabled=enabled == "on")
        alerts.set_threshold(s, p, metric, data)
    except (ValueError, ValidationError, Invalid):
        s.rollback()
        top = METRICS[metric].max_threshold
        return _thresholds(request, p, s, {metric: f"阈值须为 0 到 {top:g} 之间的数，最小样本须为非负整数。"},
                           status_code=422)
    return _thresholds(request, p, s, saved=metric)
