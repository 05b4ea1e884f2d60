"""团长课堂: the basic guides for every leader, the advanced ones with the tier's training access."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core.http import Db
from linli.leader import training
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()


@router.get("/training")
def courses(request: Request, p: LeaderPage, s: Db) -> Response:
    return render(request, "workbench/training.html", p=p, title="团长课堂", back="/w",
                  courses=training.courses(s, p))
