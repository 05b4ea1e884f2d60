from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from linli.calendar import service
from linli.calendar.schemas import CalendarOut, EventIn, EventOut, UpcomingOut
from linli.core.http import Auth, Db, LeaderOrOperator, require
from linli.core.schemas import Id, MonthQuery
from linli.core.security import Principal

router = APIRouter(tags=["calendar"])
AnyRole = Annotated[Principal, Depends(require("operator", "leader", "member"))]


@router.get("/calendar", response_model=CalendarOut)
def month_calendar(p: AnyRole, s: Db, month: MonthQuery, community_id: Id | None = None) -> CalendarOut:
    """The month: solar terms, festivals, days off, make-up workdays and the events the caller may see."""
    return service.month_view(s, p, month, community_id)


@router.get("/calendar/upcoming", response_model=UpcomingOut)
def upcoming(p: AnyRole, s: Db) -> UpcomingOut:
    return service.upcoming(s, p)


@router.post("/calendar/events", status_code=201, response_model=EventOut)
def create_event(data: EventIn, p: LeaderOrOperator, s: Db) -> EventOut:
    return service.create_event(s, p, data)


@router.get("/calendar/events/{event_id}", response_model=EventOut)
def get_event(event_id: Id, p: Auth, s: Db) -> EventOut:
    return service.get_event(s, p, event_id)


@router.put("/calendar/events/{event_id}", response_model=EventOut)
def update_event(event_id: Id, data: EventIn, p: LeaderOrOperator, s: Db) -> EventOut:
    return service.update_event(s, p, event_id, data)


@router.delete("/calendar/events/{event_id}", status_code=204)
def delete_event(event_id: Id, p: LeaderOrOperator, s: Db) -> Response:
    service.delete_event(s, p, event_id)
    return Response(status_code=204)
