from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.checkin import service
from linli.checkin.schemas import (
    CalendarOut,
    CheckinOut,
    GuardianProgramIn,
    GuardianProgramOut,
    GuardiansOut,
    MyAwardOut,
)
from linli.core.http import Auth, Db, IdemKey, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit

router = APIRouter(tags=["check-ins"])

# a calendar month in Asia/Shanghai
Month = Annotated[str | None, Query(pattern=r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$", examples=["2026-11"])]


@router.post("/checkins", status_code=201, response_model=CheckinOut)
def check_in(p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, None, 201, lambda: service.check_in(s, p))


@router.get("/me/checkins", response_model=CalendarOut)
def my_calendar(p: MemberP, s: Db, month: Month = None) -> CalendarOut:
    return service.calendar(s, p, month)


@router.get("/communities/{community_id}/guardians", response_model=GuardiansOut)
def community_guardians(community_id: Id, p: Auth, s: Db, month: Month = None) -> GuardiansOut:
    return service.community_guardians(s, p, community_id, month)


@router.get("/me/guardian", response_model=Page[MyAwardOut])
def my_guardian_awards(p: MemberP, s: Db, limit: Limit = 50,
                       cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[MyAwardOut]:
    items, nxt = service.my_awards(s, p, limit, cursor)
    return Page[MyAwardOut](items=items, next_cursor=nxt)


@router.get("/guardian-program", response_model=GuardianProgramOut)
def get_guardian_program(p: Operator, s: Db) -> GuardianProgramOut:
    return service.program(s, p.tenant_id)


@router.put("/guardian-program", response_model=GuardianProgramOut)
def put_guardian_program(data: GuardianProgramIn, p: Operator, s: Db) -> GuardianProgramOut:
    return service.set_program(s, p, data)
