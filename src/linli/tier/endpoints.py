from __future__ import annotations

from fastapi import APIRouter

from linli.core.http import Db, MemberP, Operator
from linli.core.schemas import Id
from linli.tier import reviews, service
from linli.tier.schemas import BlackCardRunOut, MemberTierOut, MyTierOut, ProgramIn, ProgramOut

router = APIRouter(tags=["tiers"])


@router.get("/tiers", response_model=ProgramOut)
def get_tiers(p: Operator, s: Db) -> ProgramOut:
    return service.program(s, p.tenant_id)


@router.put("/tiers", response_model=ProgramOut)
def put_tiers(data: ProgramIn, p: Operator, s: Db) -> ProgramOut:
    return service.set_program(s, p, data)


@router.post("/tiers/black-card/recompute", response_model=BlackCardRunOut)
def recompute_black_card(p: Operator, s: Db) -> BlackCardRunOut:
    return reviews.black_card_now(s, p)


@router.get("/me/tier", response_model=MyTierOut)
def my_tier(p: MemberP, s: Db) -> MyTierOut:
    return service.mine(s, p)


@router.get("/members/{member_id}/tier", response_model=MemberTierOut)
def member_tier(member_id: Id, p: Operator, s: Db) -> MemberTierOut:
    return service.of_member(s, p, member_id)
