"""社区反馈: what the members of my community told the kiosk, and where each stands (read-only; operators
answer in the console)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from linli.core.http import Db
from linli.feedback import service as feedback
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
STATUS = {"open": "待响应", "processing": "处理中", "resolved": "待回访", "closed": "已关闭"}


@router.get("/feedback")
def community_feedback(request: Request, p: LeaderPage, s: Db) -> Response:
    return render(request, "workbench/feedback.html", p=p, title="社区反馈", tab="home",
                  tickets=feedback.about_my_community(s, p), statuses=STATUS)
