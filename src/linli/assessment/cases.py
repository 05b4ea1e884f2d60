"""Consequences of a bad month, each an auditable case: a warning every warned month; from the 2nd
consecutive warning a help plan with tasks on the weakest metrics; from the Nth (replace_after) a
replacement suggestion that an operator decides (keep with a note, or replace)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.assessment import repository as repo
from linli.assessment import scoring
from linli.assessment.schemas import AssessmentOut, CaseEventOut, CaseOut, DecideIn, HelpTaskOut, LeaderRecordOut
from linli.checkin import months
from linli.core import clock, outbox
from linli.core.errors import Conflict, NotFound
from linli.core.security import Principal
from linli.models import HelpTask, LeaderCase, LeaderCaseEvent


def _previous(month: str) -> str:
    return months.month_of(months.parse(month) - timedelta(days=1))


def _event(s: Session, case: LeaderCase, action: str, p: Principal | None, note: str | None = None) -> None:
    s.add(LeaderCaseEvent(tenant_id=case.tenant_id, case_id=case.id, action=action,
                          actor_user_id=p.user_id if p else None, actor_role=p.role if p else "system", note=note))


def _open(s: Session, tenant_id: int, leader_id: int, month: str, kind: str, streak: int, note: str) -> LeaderCase:
    case = LeaderCase(tenant_id=tenant_id, leader_id=leader_id, month=month, kind=kind, status="open",
                      streak=streak, note=note)
    s.add(case)
    s.flush()
    _event(s, case, "opened", None, note)
    outbox.emit(s, tenant_id, f"leader.{kind}", {"leader_id": leader_id, "month": month, "case_id": case.id,
                                                 "streak": streak})
    return case


def open_cases(s: Session, tenant_id: int, month: str, warned: Sequence[scoring.Score], replace_after: int) -> None:
    """Idempotent per (leader, month, kind): a re-run finds the cases it opened the first time."""
    before = repo.cases_of_month(s, tenant_id, _previous(month))
    now = repo.cases_of_month(s, tenant_id, month)
    for sc in warned:
        lid = sc.facts.leader_id
        if (lid, "warning") in now:
            continue
        prev = before.get((lid, "warning"))
        streak = prev.streak + 1 if prev else 1
        _open(s, tenant_id, lid, month, "warning", streak,
              f"{month} 考核 {sc.total} 分，第 {sc.rank} 名：连续第 {streak} 个月预警")
        if streak >= replace_after:
            _open(s, tenant_id, lid, month, "replacement_suggested", streak,
                  f"连续 {streak} 个月预警，建议运营评估是否更换团长")
        elif streak >= 2:
            plan = _open(s, tenant_id, lid, month, "help_plan", streak, f"连续 {streak} 个月预警，启动帮扶计划")
            for metric in scoring.weakest(sc):
                s.add(HelpTask(tenant_id=tenant_id, case_id=plan.id, leader_id=lid, metric=metric,
                               text=scoring.TASKS[metric]))
    s.flush()


def decide(s: Session, p: Principal, case_id: int, data: DecideIn) -> CaseOut:
    """Replacing only records the operator's decision (and emits leader.replacement_decided for the
    leader domain); it does not deactivate the leader or move their pickup points."""
    case = repo.case(s, p.tenant_id, case_id, lock=True)
    if case is None:
        raise NotFound("case not found", code="case_not_found")
    if case.kind != "replacement_suggested":
        raise Conflict("only replacement suggestions are decided", code="not_decidable")
    if case.status != "open":
        raise Conflict("this case is already decided", code="already_decided")
    case.status = "kept" if data.decision == "keep" else "replaced"
    case.decided_at = clock.now()
    _event(s, case, f"decided_{data.decision}", p, data.note or None)
    outbox.emit(s, p.tenant_id, "leader.replacement_decided", {"leader_id": case.leader_id, "case_id": case.id,
                                                               "decision": data.decision})
    s.flush()
    return _cases(s, p.tenant_id, [case])[0]


def task_done(s: Session, p: Principal, task_id: int) -> HelpTaskOut:
    task = repo.task(s, p.tenant_id, task_id, lock=True)
    if task is None or task.leader_id != p.leader_id:
        raise NotFound("help task not found", code="help_task_not_found")
    if task.done_at is not None:
        raise Conflict("this task is already done", code="already_done")
    task.done_at = clock.now()
    case = repo.case(s, p.tenant_id, task.case_id, lock=True)
    assert case is not None
    _event(s, case, "task_done", p, task.text)
    if all(t.done_at is not None for t in repo.tasks_of(s, p.tenant_id, [case.id])):
        case.status = "done"
        _event(s, case, "plan_done", p)
    s.flush()
    return HelpTaskOut.model_validate(task)


def _cases(s: Session, tenant_id: int, rows: Sequence[LeaderCase]) -> list[CaseOut]:
    ids = [c.id for c in rows]
    events: dict[int, list[CaseEventOut]] = {i: [] for i in ids}
    tasks: dict[int, list[HelpTaskOut]] = {i: [] for i in ids}
    for e in repo.events_of(s, tenant_id, ids):
        events[e.case_id].append(CaseEventOut.model_validate(e))
    for t in repo.tasks_of(s, tenant_id, ids):
        tasks[t.case_id].append(HelpTaskOut.model_validate(t))
    return [CaseOut.model_validate(c).model_copy(update={"events": events[c.id], "tasks": tasks[c.id]})
            for c in rows]


def record(s: Session, tenant_id: int, leader_id: int, limit: int = 24) -> LeaderRecordOut:
    rows = repo.assessments_of_leader(s, tenant_id, leader_id, limit)
    return LeaderRecordOut(
        leader_id=leader_id, assessments=[AssessmentOut.model_validate(a) for a in rows],
        cases=_cases(s, tenant_id, repo.cases_of_leader(s, tenant_id, leader_id, limit * 3)))
