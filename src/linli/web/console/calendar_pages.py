"""社区日历 (community calendar): the month grid with solar terms, festivals, days off, make-up workdays, their
suggested activities and the events; add, edit and delete an event (tenant-wide or one community)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.calendar import service as calendar
from linli.calendar.schemas import EventIn, EventOut
from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.console import campaign_forms as forms
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=1000)]
MonthQ = Annotated[str, Query(max_length=7, pattern=r"^[0-9-]*$")]
ERRORS = {"invalid_window": ("ends_at", "结束时间不能早于开始时间,且活动最长 31 天。"),
          "unknown_community": ("community_id", "所选小区不存在。"),
          "event_cancelled": ("form", "该活动已删除,不能再修改。")}


def month_of(text: str) -> str:
    """A YYYY-MM the calendar accepts, else this month."""
    try:
        return calendar.parse_month(text).strftime("%Y-%m") if len(text) == 7 else _this_month()
    except Invalid:
        return _this_month()


def _this_month() -> str:
    return clock.local(clock.now()).strftime("%Y-%m")


def neighbours(month: str) -> tuple[str, str, str]:
    first = calendar.parse_month(month)
    prev = (first - timedelta(days=1)).replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return prev.strftime("%Y-%m"), nxt.strftime("%Y-%m"), f"{first.year}年{first.month}月"


def _communities(s: Session, p: Principal) -> list[tuple[int, str]]:
    rows, _ = community.search_communities(s, p, None, 200, None)
    return [(c.id, c.name) for c in rows]


def _defaults() -> dict[str, str]:
    start = forms.next_minutes(60)
    end = start + timedelta(hours=2)
    return {"title": "", "starts_at": forms.local_input(start), "ends_at": forms.local_input(end), "place": "",
            "description": "", "community_id": ""}


def _page(request: Request, p: Principal, s: Session, month: str, community_id: str, values: dict[str, str],
          errors: dict[str, str], status_code: int = 200) -> Response:
    cid = int(community_id) if is_id(community_id) else None
    try:
        cal = calendar.month_view(s, p, month, cid)
    except NotFound:
        cal, cid = calendar.month_view(s, p, month, None), None
    prev, nxt, label = neighbours(month)
    weeks = [cal.days[i:i + 7] for i in range(0, len(cal.days), 7)]
    return render(request, "console/calendar.html", status_code=status_code, p=p, nav="calendar", title="社区日历",
                  cal=cal, weeks=weeks, prev=prev, next=nxt, label=label, communities=_communities(s, p),
                  community_id=cid, values=values, errors=errors)


@router.get("/calendar")
def calendar_page(request: Request, p: ConsoleOperator, s: Db, month: MonthQ = "",
                  community_id: Annotated[str, Query(max_length=18)] = "") -> Response:
    return _page(request, p, s, month_of(month), community_id, _defaults(), {})


def _read(v: dict[str, str]) -> tuple[dict[str, Any], forms.FormErrors]:
    errors = forms.FormErrors()
    out: dict[str, Any] = {"title": v["title"].strip(), "place": v["place"].strip(),
                           "description": v["description"].strip(),
                           "community_id": int(v["community_id"]) if is_id(v["community_id"]) else None}
    if not out["title"]:
        errors.add("title", "请填写活动名称。")
    out["starts_at"] = forms.local_time(errors, "starts_at", v["starts_at"], "开始时间")
    out["ends_at"] = forms.local_time(errors, "ends_at", v["ends_at"], "结束时间")
    return out, errors


def _save(s: Session, p: Principal, v: dict[str, str], event_id: int | None) -> tuple[EventOut | None, dict[str, str]]:
    body, errors = _read(v)
    if errors:
        return None, errors.fields
    try:
        data = EventIn.model_validate(body, strict=False)
        saved = (calendar.create_event(s, p, data) if event_id is None
                 else calendar.update_event(s, p, event_id, data))
    except ValidationError:
        return None, {"form": "填写的内容有误(名称最多 100 字,说明最多 1000 字)。"}
    except (Invalid, Conflict, Forbidden) as exc:
        field, message = ERRORS.get(exc.code, ("form", "保存失败,请检查填写的内容。"))
        return None, {field: message}
    return saved, {}


@router.post("/calendar/events")
def create_event(request: Request, p: ConsoleOperator, s: Db, title: Text = "", starts_at: Text = "",
                 ends_at: Text = "", place: Text = "", description: LongText = "", community_id: Text = "") -> Response:
    v = {"title": title, "starts_at": starts_at, "ends_at": ends_at, "place": place, "description": description,
         "community_id": community_id}
    saved, errors = _save(s, p, v, None)
    if saved is None:
        month = starts_at[:7] if len(starts_at) >= 7 else ""
        return _page(request, p, s, month_of(month), "", v, errors, status_code=422)
    month = clock.local(saved.starts_at).strftime("%Y-%m")
    return RedirectResponse(f"/console/calendar?month={month}&saved={saved.id}", status_code=303)


def _event_page(request: Request, p: Principal, s: Session, e: EventOut, values: dict[str, str],
                errors: dict[str, str], status_code: int = 200) -> Response:
    return render(request, "console/calendar_event.html", status_code=status_code, p=p, nav="calendar",
                  title=f"活动 · {e.title}", event=e, values=values, errors=errors, communities=_communities(s, p))


@router.get("/calendar/events/{event_id}")
def event_page(request: Request, p: ConsoleOperator, s: Db, event_id: int) -> Response:
    e = calendar.get_event(s, p, event_id)
    values = {"title": e.title, "starts_at": forms.local_input(e.starts_at), "ends_at": forms.local_input(e.ends_at),
              "place": e.place, "description": e.description, "community_id": str(e.community_id or "")}
    return _event_page(request, p, s, e, values, {})


@router.post("/calendar/events/{event_id}")
def update_event(request: Request, p: ConsoleOperator, s: Db, event_id: int, title: Text = "",
                 starts_at: Text = "", ends_at: Text = "", place: Text = "", description: LongText = "",
                 community_id: Text = "") -> Response:
    v = {"title": title, "starts_at": starts_at, "ends_at": ends_at, "place": place, "description": description,
         "community_id": community_id}
    e = calendar.get_event(s, p, event_id)
    saved, errors = _save(s, p, v, event_id)
    if saved is None:
        s.rollback()
        return _event_page(request, p, s, e, v, errors, status_code=422)
    return RedirectResponse(f"/console/calendar?month={clock.local(saved.starts_at):%Y-%m}", status_code=303)


@router.post("/calendar/events/{event_id}/delete")
def delete_event(p: ConsoleOperator, s: Db, event_id: int) -> Response:
    e = calendar.get_event(s, p, event_id)
    calendar.delete_event(s, p, event_id)
    return RedirectResponse(f"/console/calendar?month={clock.local(e.starts_at):%Y-%m}", status_code=303)
