"""社区日历 (workbench): this month's solar terms, festivals, days off and events of my communities, with the
suggested activities, and 添加活动 for one of my communities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.calendar import service as calendar
from linli.calendar.schemas import EventIn
from linli.community import service as community
from linli.core import clock
from linli.core.errors import Forbidden, Invalid
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.console import campaign_forms as forms
from linli.web.console.calendar_pages import month_of, neighbours
from linli.web.member.pages import is_id
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
Text = Annotated[str, Form(max_length=100)]
LongText = Annotated[str, Form(max_length=1000)]


def _page(request: Request, p: Principal, s: Session, month: str, values: dict[str, str], errors: dict[str, str],
          status_code: int = 200) -> Response:
    cal = calendar.month_view(s, p, month)
    days = [d for d in cal.days if d.in_month and (d.marks or d.events)]
    mine = calendar.communities_of(s, p) or []
    names = [(c.id, c.name) for c in community.communities_by_ids(s, p.tenant_id, mine)]
    prev, nxt, label = neighbours(month)
    return render(request, "workbench/community_calendar.html", status_code=status_code, p=p, title="社区日历",
                  tab="calendar", cal=cal, days=days, prev=prev, next=nxt, label=label, communities=names,
                  values=values, errors=errors)


@router.get("/community-calendar")
def community_calendar(request: Request, p: LeaderPage, s: Db,
                       month: Annotated[str, Query(max_length=7, pattern=r"^[0-9-]*$")] = "") -> Response:
    start = forms.next_minutes(60)
    values = {"title": "", "starts_at": forms.local_input(start), "ends_at": forms.local_input(start),
              "place": "", "description": "", "community_id": ""}
    return _page(request, p, s, month_of(month), values, {})


@router.post("/community-calendar/events")
def add_event(request: Request, p: LeaderPage, s: Db, title: Text = "", starts_at: Text = "", ends_at: Text = "",
              place: Text = "", description: LongText = "", community_id: Text = "") -> Response:
    v = {"title": title, "starts_at": starts_at, "ends_at": ends_at, "place": place, "description": description,
         "community_id": community_id}
    errors = forms.FormErrors()
    if not title.strip():
        errors.add("title", "请填写活动名称。")
    start = forms.local_time(errors, "starts_at", starts_at, "开始时间")
    end = forms.local_time(errors, "ends_at", ends_at, "结束时间")
    month = month_of(starts_at[:7])
    if errors:
        return _page(request, p, s, month, v, errors.fields, status_code=422)
    body = {"title": title.strip(), "starts_at": start, "ends_at": end, "place": place.strip(),
            "description": description.strip(), "community_id": int(community_id) if is_id(community_id) else None}
    try:
        saved = calendar.create_event(s, p, EventIn.model_validate(body, strict=False))
    except ValidationError:
        return _page(request, p, s, month, v, {"form": "填写的内容有误。"}, status_code=422)
    except (Invalid, Forbidden) as exc:
        message = {"invalid_window": "结束时间不能早于开始时间,且活动最长 31 天。",
                   "not_your_community": "只能为自己负责的小区添加活动。"}.get(exc.code, "保存失败。")
        return _page(request, p, s, month, v, {"form": message}, status_code=422)
    return RedirectResponse(f"/w/community-calendar?month={clock.local(saved.starts_at):%Y-%m}", status_code=303)
