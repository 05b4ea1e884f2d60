"""智能柜 in the leader's workbench: for each of my lockers the paid orders still to put in (choose a size,
放入), the parcels waiting in it, and the expired parcels to take back (已取回)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.locker import deposit, service
from linli.locker.schemas import COMPARTMENT_STATUS_NAMES, SIZE_NAMES, DepositIn
from linli.web.member.pages import is_id
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
ERRORS = {"no_free_compartment": "这个尺寸已没有空闲格口，请换一个尺寸。", "already_in_locker": "该订单已在柜中。",
          "not_ready_for_pickup": "该订单当前不能放入（未支付或已处理）。", "not_yet_delivered": "预售商品尚未到货。",
          "order_not_at_locker": "该订单不在这个智能柜自提。", "parcel_not_expired": "该包裹不需要取回。"}


def _page(request: Request, s: Session, p: Principal, status_code: int = 200, **context: object) -> Response:
    lockers = []
    for x in service.overview(s, p):
        lockers.append({"locker": x, "awaiting": deposit.awaiting(s, p, x.pickup_point_id),
                        "parcels": service.parcels_at(s, p, x.pickup_point_id, ["live"])})
    return render(request, "workbench/locker/lockers.html", status_code=status_code, p=p, title="智能柜",
                  tab="lockers", lockers=lockers, expired=service.to_take_back(s, p), sizes=SIZE_NAMES,
                  box_statuses=COMPARTMENT_STATUS_NAMES, **context)


@router.get("/lockers")
def lockers_page(request: Request, p: LeaderPage, s: Db, done: str = "", label: str = "") -> Response:
    return _page(request, s, p, done=done if is_id(done) else "", label=label if label.isdigit() else "",
                 back=request.query_params.get("back", "") if is_id(request.query_params.get("back", "")) else "")


@router.post("/lockers/{point_id}/deposit")
def put_in(request: Request, p: LeaderPage, s: Db, point_id: str, order_id: Annotated[str, Form(max_length=20)] = "",
           size: Annotated[str, Form(max_length=2)] = "") -> Response:
    if not is_id(point_id) or not is_id(order_id) or size not in SIZE_NAMES:
        return _page(request, s, p, 422, error="请选择订单和格口尺寸。")
    try:
        data = DepositIn.model_validate({"order_id": int(order_id), "size": size})
        parcel = deposit.deposit(s, p, int(point_id), data)
        label = service.outs(s, p.tenant_id, [parcel])[0].compartment_label
    except NotFound:
        s.rollback()
        return _page(request, s, p, 404, error="没有找到该智能柜或订单。")
    except Conflict as e:
        s.rollback()
        return _page(request, s, p, 409, error=ERRORS.get(e.code or "", "放入失败。"))
    return RedirectResponse(f"/w/lockers?done={order_id}&label={label}", status_code=303)


@router.post("/lockers/parcels/{parcel_id}/taken-back")
def take_back(request: Request, p: LeaderPage, s: Db, parcel_id: str) -> Response:
    if not is_id(parcel_id):
        return _page(request, s, p, 404, error="没有找到该包裹。")
    try:
        service.taken_back(s, p, int(parcel_id))
    except NotFound:
        return _page(request, s, p, 404, error="没有找到该包裹。")
    except Conflict as e:
        s.rollback()
        return _page(request, s, p, 409, error=ERRORS.get(e.code or "", "操作失败。"))
    return RedirectResponse(f"/w/lockers?back={parcel_id}", status_code=303)
