"""Daily check-in (签到): the month's calendar, the streak, and today's button."""

from __future__ import annotations

import re
from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.checkin import service as checkins
from linli.checkin.schemas import CalendarDay
from linli.core import clock
from linli.core.errors import Conflict
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.member import messages
from linli.web.member.guard import MemberPage
from linli.web.member.templating import render

router = APIRouter()
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])", re.ASCII)
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


@router.get("/me/checkins")
def calendar_page(request: Request, p: MemberPage, s: Db, month: str = "") -> Response:
    return _page(request, p, s, month)


@router.post("/me/checkins")
def check_in(request: Request, p: MemberPage, s: Db) -> Response:
    try:
        checkins.check_in(s, p)
    except Conflict as exc:  # already checked in today (a second tap, another device)
        s.rollback()
        return _page(request, p, s, "", messages.text(exc.code), 409)
    return RedirectResponse("/m/me/checkins", status_code=303)


def _page(request: Request, p: Principal, s: Session, month: str, error: str | None = None,
          status_code: int = 200) -> Response:
    month = month if _MONTH.fullmatch(month) and "1970" <= month[:4] <= "2999" else ""  # else: this month
    cal = checkins.calendar(s, p, month or None)
    first = cal.days[0].day
    today = clock.local(clock.now()).date()
    return render(request, "member/checkins.html", status_code=status_code, p=p, title="每日签到", back="/m/me",
                  cal=cal, weeks=weeks(cal.days), weekdays=WEEKDAYS, today=today, error=error,
                  today_points=next((d.points for d in cal.days if d.day == today), 0),
                  is_this_month=first == today.replace(day=1),
                  prev_month=_month(first - timedelta(days=1)), next_month=_month(first + timedelta(days=31)))


def weeks(days: list[CalendarDay]) -> list[list[CalendarDay | None]]:
    """The month as rows of Monday..Sunday, padded with None before the 1st and after the last day."""
    cells: list[CalendarDay | None] = [None] * days[0].day.weekday() + list(days)
    cells += [None] * (-len(cells) % 7)
    return [cells[i:i + 7] for i in range(0, len(cells), 7)]


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
