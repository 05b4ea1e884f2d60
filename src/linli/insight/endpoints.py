"""HTTP for insight (邻里洞察): heatmap matrices, activity per building, sales per H3 cell, assortment advice and
stock turnover, each for the `days` ending now. Operators only; read-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from linli.core.http import Db, Operator
from linli.core.schemas import Id
from linli.insight import service
from linli.insight.schemas import AdviceOut, Dimension, GeoOut, MatrixOut, Metric, TurnoverOut

router = APIRouter(prefix="/insight", tags=["insight"])
Days = Annotated[int, Query(ge=1, le=366)]
CommunityFilter = Annotated[Id | None, Query()]


@router.get("/heatmap", response_model=MatrixOut)
def heatmap(p: Operator, s: Db, dimension: Dimension = "building", metric: Metric = "sales_fen",
            community_id: CommunityFilter = None, days: Days = service.DEFAULT_DAYS) -> MatrixOut:
    return service.heatmap_matrix(s, p, dimension, metric, community_id, days)


@router.get("/activity", response_model=MatrixOut)
def activity(p: Operator, s: Db, community_id: CommunityFilter = None,
             days: Days = service.DEFAULT_DAYS) -> MatrixOut:
    return service.activity(s, p, community_id, days)


@router.get("/geo", response_model=GeoOut)
def geo(p: Operator, s: Db, days: Days = service.DEFAULT_DAYS,
        resolution: Annotated[int, Query(ge=7, le=12)] = service.H3_RESOLUTION) -> GeoOut:
    return service.geo(s, p, days, resolution)


@router.get("/assortment", response_model=AdviceOut)
def assortment(p: Operator, s: Db, community_id: Annotated[Id, Query()],
               days: Days = service.DEFAULT_DAYS) -> AdviceOut:
    return service.assortment(s, p, community_id, days)


@router.get("/turnover", response_model=TurnoverOut)
def turnover(p: Operator, s: Db, days: Days = service.DEFAULT_DAYS) -> TurnoverOut:
    return service.stock_turnover(s, p, days)
