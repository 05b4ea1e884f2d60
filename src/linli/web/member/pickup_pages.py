"""我的自提点: the points near the member's home with the walk to each, hours and status (暂停 / 已满), and
choosing one as their own (member.service.choose_pickup_point)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Invalid
from linli.core.http import Db
from linli.core.security import Principal
from linli.member import service as members
from linli.pickup import nearby
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id
from linli.web.member.templating import render

router = APIRouter()
KINDS = {"leader_home": "团长家", "store": "门店", "locker": "智能柜", "warehouse": "前置仓"}


def _page(request: Request, s: Session, p: Principal, status_code: int = 200, **context: object) -> Response:
    return render(request, "member/pickup/points.html", status_code=status_code, p=p, title="我的自提点", tab="me",
                  points=nearby.for_member(s, p), kinds=KINDS, **context)


@router.get("/pickup-points")
def points(request: Request, p: MemberPage, s: Db, chosen: str = "") -> Response:
    return _page(request, s, p, chosen=chosen == "1")


@router.post("/pickup-points/choose")
def choose(request: Request, p: MemberPage, s: Db, point_id: Annotated[str, Form(max_length=20)] = "") -> Response:
    if not is_id(point_id):
        return _page(request, s, p, 422, error="请选择一个自提点。")
    shown = {n.point.id: n for n in nearby.for_member(s, p)}
    if int(point_id) in shown and shown[int(point_id)].label != "营业中":
        return _page(request, s, p, 409, error=f"该自提点{shown[int(point_id)].label}，请选择其他自提点。")
    try:
        members.choose_pickup_point(s, p, int(point_id))
    except Invalid:
        s.rollback()
        return _page(request, s, p, 404, error="没有找到该自提点。")
    return RedirectResponse("/m/pickup-points?chosen=1", status_code=303)
