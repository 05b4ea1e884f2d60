"""The assessment domain's entry points (endpoints, jobs and other domains call these)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.assessment import cases, ratings, runs, settings
from linli.assessment import repository as repo
from linli.assessment.schemas import (
    AssessmentOut,
    CaseOut,
    DecideIn,
    HelpTaskOut,
    LeaderRecordOut,
    RatingIn,
    RatingOut,
    RunOut,
    SettingsIn,
    SettingsOut,
)
from linli.checkin import months
from linli.core.errors import BadRequest, Invalid, NotFound
from linli.core.security import Principal
from linli.leader import service as leaders

recent_feedback = ratings.recent_feedback  # (s, tenant_id, leader_id, limit) -> list[RatingOut]


def rate(s: Session, p: Principal, order_id: int, data: RatingIn) -> RatingOut:
    return ratings.rate(s, p, order_id, data)


def feedback(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[RatingOut], str | None]:
    return ratings.feedback_page(s, p, limit, cursor)


def get_settings(s: Session, p: Principal) -> SettingsOut:
    return settings.current(s, p.tenant_id)


def put_settings(s: Session, p: Principal, data: SettingsIn) -> SettingsOut:
    return settings.put(s, p.tenant_id, data)


def run_month(s: Session, p: Principal, month: str) -> RunOut:
    """Operators (re-)run a finished month; the run row lock serialises it with the monthly job."""
    if months.parse(month) >= months.today().replace(day=1):
        raise Invalid("only a finished month can be assessed", code="month_not_over")
    runs.claim(s, p.tenant_id, month, p.user_id)
    run = repo.run_of(s, p.tenant_id, month, lock=True)
    assert run is not None
    return RunOut(month=month, leaders=runs.assess(s, p.tenant_id, month, run))


def run_due(s: Session, tenant_id: int, month: str) -> bool:
    """The monthly job: assess the month once; False if it was already assessed."""
    run = runs.claim(s, tenant_id, month, None)
    if run is None:
        return False
    runs.assess(s, tenant_id, month, run)
    return True


def assessed_tenants(s: Session, month: str) -> set[int]:
    return repo.assessed_tenants(s, month)


def ranking(s: Session, p: Principal, month: str, limit: int,
            cursor: str | None) -> tuple[list[AssessmentOut], str | None]:
    """The month's leaders best first; the cursor is the last rank seen."""
    months.parse(month)
    if cursor and not (cursor.isascii() and cursor.isdigit() and len(cursor) < 10):
        raise BadRequest("cursor is not valid", code="invalid_cursor")
    rows = repo.ranked(s, p.tenant_id, month, int(cursor) if cursor else 0, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return [AssessmentOut.model_validate(r) for r in rows], (str(rows[-1].rank) if more and rows else None)


def my_record(s: Session, p: Principal) -> LeaderRecordOut:
    assert p.leader_id is not None
    return cases.record(s, p.tenant_id, p.leader_id)


def leader_record(s: Session, p: Principal, leader_id: int) -> LeaderRecordOut:
    if not leaders.exists(s, p.tenant_id, leader_id):
        raise NotFound("leader not found", code="leader_not_found")
    return cases.record(s, p.tenant_id, leader_id)


def decide(s: Session, p: Principal, case_id: int, data: DecideIn) -> CaseOut:
    return cases.decide(s, p, case_id, data)


def task_done(s: Session, p: Principal, task_id: int) -> HelpTaskOut:
    return cases.task_done(s, p, task_id)


def latest_by_leader(s: Session, tenant_id: int, leader_ids: list[int]) -> dict[int, AssessmentOut]:
    """leader id -> their newest monthly assessment, for a page of leaders in one query (unassessed: absent)."""
    return {a.leader_id: AssessmentOut.model_validate(a) for a in repo.latest_assessments(s, tenant_id, leader_ids)}


def open_warnings_by_leader(s: Session, tenant_id: int, leader_ids: list[int]) -> dict[int, int]:
    """leader id -> open warning cases, for a page of leaders in one query (none: absent)."""
    return repo.open_case_counts(s, tenant_id, leader_ids, "warning")


def rating_counts(s: Session, tenant_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    """(order ratings given in [start, end), of those bad: 2 stars or fewer) — the bad-review-rate alert."""
    return repo.rating_counts(s, tenant_id, start, end, 2)
