from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from linli.core.http import Db, MemberP, Operator
from linli.core.schemas import Id
from linli.recommend import service
from linli.recommend.schemas import ItemKind, RecommendationsOut, SettingsIn, SettingsOut

router = APIRouter(tags=["recommendations"])
Count = Annotated[int, Query(ge=1, le=50)]


@router.get("/recommendations", response_model=RecommendationsOut)
def my_recommendations(p: MemberP, s: Db, kind: ItemKind = "product", limit: Count = 10) -> RecommendationsOut:
    """The signed-in member's products (on shelf, in stock) or posts, best first, each with its reasons."""
    return service.for_me(s, p, kind, limit)


@router.get("/members/{member_id}/recommendations", response_model=RecommendationsOut)
def member_recommendations(member_id: Id, p: Operator, s: Db, kind: ItemKind = "product",
                           limit: Count = 10) -> RecommendationsOut:
    return service.for_member(s, p, member_id, kind, limit)


@router.get("/recommend-settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsIn:
    return service.current_settings(s, p)


@router.put("/recommend-settings", response_model=SettingsOut)
def put_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsIn:
    return service.replace_settings(s, p, data)
