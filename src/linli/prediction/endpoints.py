from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from linli.core.http import Db, Operator
from linli.core.schemas import Id, Limit
from linli.prediction import service
from linli.prediction.schemas import CampaignKind, ParticipationOut

router = APIRouter(tags=["prediction"])


@router.get("/predictions/participation", response_model=ParticipationOut)
def participation(p: Operator, s: Db, kind: Annotated[CampaignKind, Query()],
                  campaign_id: Annotated[Id, Query(alias="id")], limit: Annotated[Limit, Query()] = 50
                  ) -> ParticipationOut:
    """The members most likely to join a group-buy, flash sale or presale (`kind` and `id`), for targeting:
    scored as of the campaign's start by a model trained on the campaigns that started before it."""
    return service.likely_participants(s, p, kind, campaign_id, limit)
