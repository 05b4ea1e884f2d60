"""我的智能柜包裹: the parcels waiting for me in a locker with their opening code (the owner only sees it), the
time left, 一键开箱 from the phone, and the ones collected or sent back to the leader."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, NotFound, TooManyRequests
from linli.core.http import Db
from linli.core.security import Principal
from linli.locker import collect, service
from linli.locker.schemas import PARCEL_STATUS_NAMES, SIZE_NAMES
from linli.web.member.guard import MemberPage
from linli.web.member.pages import is_id
from linli.web.member.templating import render

router = APIRouter()


def _page(request: Request, s: Session, p: Principal, status_code: int = 200, **context: object) -> Response:
    rows = service.my_parcels(s, p)
    names = {i: service.locker_point(s, p.tenant_id, i).name for i in {r.pickup_point_id for r in rows}}
    return render(request, "member/locker/parcels.html", status_code=status_code, p=p, title="智能柜取件",
                  tab="me", waiting=[r for r in rows if r.status == "live"],
                  history=[r for r in rows if r.status != "live"], names=names, sizes=SIZE_NAMES,
                  statuses=PARCEL_STATUS_NAMES, **context)


@router.get("/lockers")
def parcels(request: Request, p: MemberPage, s: Db, opened: str = "") -> Response:
    return _page(request, s, p, opened=opened if is_id(opened) else "")


@router.post("/lockers/parcels/{parcel_id}/open")
def open_parcel(request: Request, p: MemberPage, s: Db, parcel_id: str) -> Response:
    if not is_id(parcel_id):
        return _page(request, s, p, 404, error="没有找到该包裹。")
    try:
        collect.collect_mine(s, p, int(parcel_id))
    except NotFound:
        return _page(request, s, p, 404, error="没有找到该包裹。")
    except TooManyRequests:
        return _page(request, s, p, 429, error="尝试次数过多，请稍后再试。")
    except Conflict:
        s.rollback()
        return _page(request, s, p, 409, error="包裹已取出或已退回团长。")
    return RedirectResponse(f"/m/lockers?opened={parcel_id}", status_code=303)
