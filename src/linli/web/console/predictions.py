"""参与预测: pick a group-buy, flash sale or presale and see the members most likely to join it, for targeting."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from linli.core.http import Db
from linli.core.schemas import NO_NUL
from linli.prediction import service as prediction
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import render

router = APIRouter()
KINDS = {"group_buy": "拼团", "flash_sale": "秒杀", "presale": "预售"}
LIMIT = 50


@router.get("/predictions")
def predictions_page(request: Request, p: ConsoleOperator, s: Db,
                     campaign: Annotated[str, Query(max_length=40, pattern=NO_NUL)] = "") -> Response:
    choices = prediction.campaign_choices(s, p)
    kind, _, raw = campaign.partition(":")
    chosen = None
    error = None
    if campaign:
        if kind not in KINDS or not raw.isdigit() or not 0 < int(raw) < 2**62:
            error = "请选择一个活动。"
        else:
            chosen = prediction.likely_participants(s, p, kind, int(raw), LIMIT)  # unknown: the 404 page
    return render(request, "console/predictions.html", status_code=422 if error else 200, p=p, nav="predictions",
                  title="参与预测", choices=choices, kinds=KINDS, campaign=campaign, chosen=chosen, error=error,
                  limit=LIMIT)
