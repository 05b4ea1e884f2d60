from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Db, IdemKey, Operator, idempotent, require
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.core.security import Principal
from linli.journey import service
from linli.journey.schemas import (
    FromTemplateIn,
    FunnelOut,
    JourneyIn,
    JourneyOut,
    JourneyPatch,
    LeaderTaskOut,
    Status,
    TaskDoneIn,
    TemplateOut,
)

router = APIRouter(tags=["journeys"])
Cursor = Annotated[str | None, Query(max_length=20)]
LeaderP = Annotated[Principal, Depends(require("leader"))]
Version = Annotated[int | None, Query(ge=1, le=1_000_000)]


@router.get("/journey-templates", response_model=list[TemplateOut])
def list_templates(p: Operator) -> list[TemplateOut]:
    return service.templates()


@router.post("/journeys", status_code=201, response_model=JourneyOut)
def create_journey(data: JourneyIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p, data))


@router.post("/journeys/from-template", status_code=201, response_model=JourneyOut)
def create_from_template(data: FromTemplateIn, p: Operator, s: Db, request: Request,
                         key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.from_template(s, p, data))


@router.get("/journeys", response_model=Page[JourneyOut])
def list_journeys(p: Operator, s: Db, status: Status | None = None, limit: Limit = 50,
                  cursor: Cursor = None) -> Page[JourneyOut]:
    items, nxt = service.search(s, p, status, limit, cursor)
    return Page[JourneyOut](items=items, next_cursor=nxt)


@router.get("/journeys/{journey_id}", response_model=JourneyOut)
def get_journey(journey_id: Id, p: Operator, s: Db) -> JourneyOut:
    return service.get(s, p, journey_id)


@router.patch("/journeys/{journey_id}", response_model=JourneyOut)
def patch_journey(journey_id: Id, data: JourneyPatch, p: Operator, s: Db) -> JourneyOut:
    return service.update(s, p, journey_id, data)


@router.post("/journeys/{journey_id}/activate", response_model=JourneyOut)
def activate_journey(journey_id: Id, p: Operator, s: Db) -> JourneyOut:
    return service.set_status(s, p, journey_id, "active")


@router.post("/journeys/{journey_id}/pause", response_model=JourneyOut)
def pause_journey(journey_id: Id, p: Operator, s: Db) -> JourneyOut:
    return service.set_status(s, p, journey_id, "paused")


@router.get("/journeys/{journey_id}/funnel", response_model=FunnelOut)
def journey_funnel(journey_id: Id, p: Operator, s: Db, version: Version = None) -> FunnelOut:
    return service.funnel(s, p, journey_id, version)


@router.get("/leader/tasks", response_model=Page[LeaderTaskOut])
def my_tasks(p: LeaderP, s: Db, done: bool | None = None, limit: Limit = 50,
             cursor: Cursor = None) -> Page[LeaderTaskOut]:
    items, nxt = service.tasks(s, p, done, limit, cursor)
    return Page[LeaderTaskOut](items=items, next_cursor=nxt)


@router.post("/leader/tasks/{leader_task_id}/done", response_model=LeaderTaskOut)
def task_done(leader_task_id: Id, p: LeaderP, s: Db, data: TaskDoneIn | None = None) -> LeaderTaskOut:
    return service.task_done(s, p, leader_task_id, data or TaskDoneIn())
