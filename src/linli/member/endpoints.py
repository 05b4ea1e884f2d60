from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Db, IdemKey, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, Search
from linli.member import service
from linli.member.schemas import MemberIn, MemberOut, PickupChoiceIn, PickupChoiceOut

router = APIRouter(tags=["members"])


@router.post("/members", status_code=201, response_model=MemberOut)
def create_member(data: MemberIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p.tenant_id, data))


@router.get("/members", response_model=Page[MemberOut])
def list_members(p: Operator, s: Db, q: Search = None,
                 community_id: Id | None = None, limit: Limit = 50,
                 cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[MemberOut]:
    items, nxt = service.search(s, p, q, community_id, limit, cursor)
    return Page[MemberOut](items=items, next_cursor=nxt)


@router.get("/members/{member_id}", response_model=MemberOut)
def get_member(member_id: Id, p: Operator, s: Db) -> MemberOut:
    return service.get(s, p, member_id)


@router.get("/me/pickup-point", response_model=PickupChoiceOut)
def my_pickup_point(p: MemberP, s: Db) -> PickupChoiceOut:
    return service.pickup_choice(s, p)


@router.put("/me/pickup-point", response_model=PickupChoiceOut)
def choose_pickup_point(data: PickupChoiceIn, p: MemberP, s: Db) -> PickupChoiceOut:
    return service.choose_pickup_point(s, p, data.pickup_point_id)
