from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from linli.alert import service
from linli.alert.schemas import (
    ActionIn,
    AlertOut,
    AlertStatus,
    EvaluateOut,
    MetricOut,
    SummaryOut,
    ThresholdOut,
    ThresholdPut,
)
from linli.core import clock
from linli.core.http import Db, Operator
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit

router = APIRouter(tags=["alerts"])
Cursor = Annotated[str | None, Query(max_length=20)]
MetricKey = Annotated[str, Query(max_length=40, pattern=r"^[a-z_]{1,40}$")]


@router.get("/alerts", response_model=Page[AlertOut])
def list_alerts(p: Operator, s: Db, status: AlertStatus | None = None, metric: MetricKey | None = None,
                community_id: Id | None = None, limit: Limit = 50, cursor: Cursor = None) -> Page[AlertOut]:
    items, nxt = service.search(s, p, status, metric, community_id, limit, cursor)
    return Page[AlertOut](items=items, next_cursor=nxt)


@router.get("/alerts/summary", response_model=SummaryOut)
def alert_summary(p: Operator, s: Db) -> SummaryOut:
    return service.summary(s, p.tenant_id)


@router.get("/alerts/metrics", response_model=list[MetricOut])
def alert_metrics(p: Operator) -> list[MetricOut]:
    return service.metrics()


@router.get("/alerts/thresholds", response_model=list[ThresholdOut])
def get_thresholds(p: Operator, s: Db) -> list[ThresholdOut]:
    return service.thresholds(s, p.tenant_id)


@router.put("/alerts/thresholds", response_model=ThresholdOut)
def put_threshold(data: ThresholdPut, p: Operator, s: Db) -> ThresholdOut:
    """One metric's threshold, minimum sample and switch (the tenant's own settings)."""
    return service.set_threshold(s, p, data.metric, data)


@router.post("/alerts/evaluate", response_model=EvaluateOut)
def evaluate_now(p: Operator, s: Db) -> EvaluateOut:
    """Evaluate every metric now (the hourly job does the same)."""
    return EvaluateOut(raised=service.evaluate(s, p.tenant_id, clock.now()))


@router.get("/alerts/{alert_id}", response_model=AlertOut)
def get_alert(alert_id: Id, p: Operator, s: Db) -> AlertOut:
    return service.get(s, p, alert_id)


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertOut)
def acknowledge(alert_id: Id, p: Operator, s: Db, data: ActionIn | None = None) -> AlertOut:
    return service.acknowledge(s, p, alert_id, data or ActionIn())


@router.post("/alerts/{alert_id}/resolve", response_model=AlertOut)
def resolve(alert_id: Id, p: Operator, s: Db, data: ActionIn | None = None) -> AlertOut:
    return service.resolve(s, p, alert_id, data or ActionIn())
