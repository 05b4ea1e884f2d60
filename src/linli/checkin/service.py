"""Daily check-in (签到). One credit per member per Asia/Shanghai day, decided by the unique key
(member_id, day): a burst of taps inserts one row, the rest answer 409. The streak counts the
consecutive days ending today; every streak_days-th day (points rules, default 7) earns a bonus.
The monthly "社区守护者" TOP10 lives in linli.checkin.guardians, re-exported here for other domains."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.checkin import months
from linli.checkin import repository as repo
from linli.checkin.guardians import award_month, community_guardians, my_awards, program, set_program
from linli.checkin.schemas import CalendarDay, CalendarOut, CheckinOut
from linli.core.errors import Conflict
from linli.core.security import Principal
from linli.lifecycle import service as lifecycle
from linli.models import Checkin
from linli.points import service as points

__all__ = ["award_month", "calendar", "check_in", "community_guardians", "my_awards", "program", "set_program"]


def check_in(s: Session, p: Principal) -> CheckinOut:
    assert p.member_id is not None
    member_id, day = p.member_id, months.today()
    if repo.checkin_on(s, p.tenant_id, member_id, day) is not None:
        raise _already()
    before = repo.checkin_on(s, p.tenant_id, member_id, day - timedelta(days=1))
    row = Checkin(tenant_id=p.tenant_id, member_id=member_id, day=day,
                  streak=before.streak + 1 if before else 1, points=0)
    try:
        with s.begin_nested():  # on PostgreSQL a concurrent insert waits here for the first to commit
            s.add(row)
    except IntegrityError as exc:
        raise _already() from exc
    credited = points.earn(s, p.tenant_id, member_id, "checkin", f"checkin:{member_id}:{day}", reason="每日签到")
    if row.streak % points.rules(s, p.tenant_id).streak_days == 0:  # every 7th day by default
        credited += points.earn(s, p.tenant_id, member_id, "checkin_streak", f"checkin-streak:{member_id}:{day}",
                                reason=f"连续签到{row.streak}天")
    row.points = credited
    lifecycle.record_interaction(s, p.tenant_id, member_id, "checkin")
    return CheckinOut(day=day, streak=row.streak, points=credited)


def calendar(s: Session, p: Principal, month: str | None) -> CalendarOut:
    assert p.member_id is not None
    today = months.today()
    month = month or months.month_of(today)
    days = months.days(month)
    rows = {r.day: r for r in repo.checkins_between(s, p.tenant_id, p.member_id, days[0], days[-1])}
    latest = repo.checkin_on(s, p.tenant_id, p.member_id, today) \
        or repo.checkin_on(s, p.tenant_id, p.member_id, today - timedelta(days=1))
    return CalendarOut(
        month=month,
        days=[CalendarDay(day=d, checked_in=d in rows, points=rows[d].points if d in rows else 0) for d in days],
        streak=latest.streak if latest else 0,  # a streak ending yesterday is still alive today
        checked_in_today=latest is not None and latest.day == today)


def _already() -> Conflict:
    return Conflict("you have already checked in today", code="already_checked_in")


def counts_by_member(s: Session, tenant_id: int, month: str) -> dict[int, int]:
    """member id -> days checked in during the month (Asia/Shanghai), for leader assessment."""
    days = months.days(month)
    return repo.counts_by_member(s, tenant_id, days[0], days[-1])
