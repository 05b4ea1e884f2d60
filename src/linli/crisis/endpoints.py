from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Db, IdemKey, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.crisis import compensation, service
from linli.crisis.schemas import (
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CaseStatus,
    CloseIn,
    CompensationIn,
    CompensationOut,
    PreviewOut,
    StepOut,
    StepPatch,
)

router = APIRouter(tags=["crises"])
Cursor = Annotated[str | None, Query(max_length=20)]


@router.post("/crises", status_code=201, response_model=CaseDetailOut)
def open_case(data: CaseIn, p: Operator, s: Db) -> CaseDetailOut:
    return service.open_case(s, p, data)


@router.get("/crises", response_model=Page[CaseOut])
def list_cases(p: Operator, s: Db, status: CaseStatus | None = None, limit: Limit = 50,
               cursor: Cursor = None) -> Page[CaseOut]:
    items, nxt = service.search(s, p, status, limit, cursor)
    return Page[CaseOut](items=items, next_cursor=nxt)


@router.get("/crises/{crisis_id}", response_model=CaseDetailOut)
def get_case(crisis_id: Id, p: Operator, s: Db) -> CaseDetailOut:
    return service.detail(s, p, crisis_id)


@router.patch("/crises/{crisis_id}/steps/{step_id}", response_model=StepOut)
def update_step(crisis_id: Id, step_id: Id, data: StepPatch, p: Operator, s: Db) -> StepOut:
    return service.update_step(s, p, crisis_id, step_id, data)


@router.post("/crises/{crisis_id}/close", response_model=CaseOut)
def close_case(crisis_id: Id, p: Operator, s: Db, data: CloseIn | None = None) -> CaseOut:
    return service.close(s, p, crisis_id, data or CloseIn())


@router.post("/crises/{crisis_id}/compensations/preview", response_model=PreviewOut)
def preview_compensation(crisis_id: Id, data: CompensationIn, p: Operator, s: Db) -> PreviewOut:
    return compensation.preview(s, p, crisis_id, data)


@router.post("/crises/{crisis_id}/compensations", status_code=201, response_model=CompensationOut)
def issue_compensation(crisis_id: Id, data: CompensationIn, p: Operator, s: Db, request: Request,
                       key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: compensation.issue(s, p, crisis_id, data))
