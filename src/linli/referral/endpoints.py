from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Db, IdemKey, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.referral import service
from linli.referral.schemas import BindIn, MyReferralOut, ProgramIn, ProgramOut, ReferralOut, ReviewIn

router = APIRouter(tags=["referrals"])
Status = Literal["registered", "qualifying", "qualified", "flagged", "void"]


@router.get("/me/referral", response_model=MyReferralOut)
def my_referral(p: MemberP, s: Db) -> MyReferralOut:
    return service.mine(s, p)


@router.post("/referrals", status_code=201, response_model=ReferralOut)
def bind_referral(data: BindIn, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.bind(s, p, data))


@router.get("/referrals", response_model=Page[ReferralOut])
def list_referrals(p: Operator, s: Db, status: Status | None = None, limit: Limit = 50,
                   cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[ReferralOut]:
    items, nxt = service.search(s, p, status, limit, cursor)
    return Page[ReferralOut](items=items, next_cursor=nxt)


@router.post("/referrals/{referral_id}/review", response_model=ReferralOut)
def review_referral(referral_id: Id, data: ReviewIn, p: Operator, s: Db) -> ReferralOut:
    return service.review(s, p, referral_id, data.approve)


@router.get("/referral-program", response_model=ProgramOut)
def get_program(p: Operator, s: Db) -> ProgramOut:
    return service.program(s, p.tenant_id)


@router.put("/referral-program", response_model=ProgramOut)
def put_program(data: ProgramIn, p: Operator, s: Db) -> ProgramOut:
    return service.set_program(s, p, data)
