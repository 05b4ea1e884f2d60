from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from linli.assessment import service
from linli.assessment.schemas import (
    AssessmentOut,
    CaseOut,
    DecideIn,
    HelpTaskOut,
    LeaderRecordOut,
    Month,
    RatingIn,
    RatingOut,
    RunIn,
    RunOut,
    SettingsIn,
    SettingsOut,
)
from linli.core.http import Db, MemberP, Operator, require
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.core.security import Principal

router = APIRouter(tags=["assessment"])
LeaderP = Annotated[Principal, Depends(require("leader"))]
Cursor = Annotated[str | None, Query(max_length=20)]


@router.post("/orders/{order_id}/rating", status_code=201, response_model=RatingOut)
def rate_order(order_id: Id, data: RatingIn, p: MemberP, s: Db) -> RatingOut:
    return service.rate(s, p, order_id, data)


@router.get("/leader/feedback", response_model=Page[RatingOut])
def my_feedback(p: LeaderP, s: Db, limit: Limit = 20, cursor: Cursor = None) -> Page[RatingOut]:
    items, nxt = service.feedback(s, p, limit, cursor)
    return Page[RatingOut](items=items, next_cursor=nxt)


@router.get("/leader/assessments", response_model=LeaderRecordOut)
def my_assessments(p: LeaderP, s: Db) -> LeaderRecordOut:
    return service.my_record(s, p)


@router.post("/leader/help-tasks/{task_id}/done", response_model=HelpTaskOut)
def help_task_done(task_id: Id, p: LeaderP, s: Db) -> HelpTaskOut:
    return service.task_done(s, p, task_id)


@router.get("/assessments/settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsOut:
    return service.get_settings(s, p)


@router.put("/assessments/settings", response_model=SettingsOut)
def put_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsOut:
    return service.put_settings(s, p, data)


@router.post("/assessments/run", response_model=RunOut)
def run_assessment(data: RunIn, p: Operator, s: Db) -> RunOut:
    return service.run_month(s, p, data.month)


@router.get("/assessments", response_model=Page[AssessmentOut])
def ranking(month: Month, p: Operator, s: Db, limit: Limit = 50, cursor: Cursor = None) -> Page[AssessmentOut]:
    items, nxt = service.ranking(s, p, month, limit, cursor)
    return Page[AssessmentOut](items=items, next_cursor=nxt)


@router.get("/leaders/{leader_id}/assessments", response_model=LeaderRecordOut)
def leader_assessments(leader_id: Id, p: Operator, s: Db) -> LeaderRecordOut:
    return service.leader_record(s, p, leader_id)


@router.post("/leader-cases/{case_id}/decide", response_model=CaseOut)
def decide_case(case_id: Id, data: DecideIn, p: Operator, s: Db) -> CaseOut:
    return service.decide(s, p, case_id, data)
