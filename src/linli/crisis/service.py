"""Crisis cases: opened from an alert or by hand with the playbook's steps, steps assigned and marked done,
overdue steps counted, the case closed; the case page's detail (compensations, recipients, follow-ups)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.alert import service as alerts
from linli.alert.schemas import ActionIn
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.crisis import repository as repo
from linli.crisis.playbook import TEMPLATE
from linli.crisis.schemas import (
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CloseIn,
    CompensationOut,
    RecipientOut,
    StepOut,
    StepPatch,
)
from linli.member import service as members
from linli.models import CrisisCase, CrisisStep
from linli.tenancy import service as tenancy

RECIPIENTS_SHOWN = 200


def open_case(s: Session, p: Principal, data: CaseIn) -> CaseDetailOut:
    """A new case with the playbook's steps, each owned by the operator who opened it until reassigned.
    From an alert: the alert must exist, and an open one is acknowledged with a note naming the case."""
    if data.alert_id is not None:
        try:
            alerts.brief(s, p.tenant_id, data.alert_id)
        except NotFound:
            raise Invalid("alert_id: no such alert", code="unknown_alert") from None
    now = clock.now()
    case = CrisisCase(tenant_id=p.tenant_id, title=data.title.strip(), severity=data.severity,
                      description=data.description, alert_id=data.alert_id, post_id=data.post_id, status="open",
                      opened_by=p.user_id, created_at=now, close_note="")
    if not case.title:
        raise Invalid("title must not be blank", code="invalid_title")
    s.add(case)
    s.flush()
    for i, (offset, title) in enumerate(TEMPLATE, start=1):
        s.add(CrisisStep(tenant_id=p.tenant_id, case_id=case.id, position=i, title=title,
                         owner_user_id=p.user_id, due_at=now + offset, note=""))
    s.flush()
    if data.alert_id is not None and alerts.brief(s, p.tenant_id, data.alert_id).status == "open":
        alerts.acknowledge(s, p, data.alert_id, ActionIn(note=f"已启动危机处理 #{case.id}"))
    return detail(s, p, case.id)


def require(s: Session, tenant_id: int, case_id: int, lock: bool = False) -> CrisisCase:
    case = repo.get(s, tenant_id, case_id, lock)
    if case is None:
        raise NotFound("crisis case not found", code="crisis_not_found")
    return case


def _step_out(st: CrisisStep) -> StepOut:
    return StepOut(id=st.id, position=st.position, title=st.title, owner_user_id=st.owner_user_id, due_at=st.due_at,
                   done_at=st.done_at, done_by=st.done_by, note=st.note,
                   overdue=st.done_at is None and st.due_at < clock.now())


def _case_out(case: CrisisCase, overdue: int) -> CaseOut:
    return CaseOut(id=case.id, title=case.title, severity=case.severity, description=case.description,
                   alert_id=case.alert_id, post_id=case.post_id, status=case.status,  # type: ignore[arg-type]
                   opened_by=case.opened_by, created_at=case.created_at, closed_at=case.closed_at,
                   close_note=case.close_note, overdue_steps=overdue)


def search(s: Session, p: Principal, status: str | None, limit: int,
           cursor: str | None) -> tuple[list[CaseOut], str | None]:
    rows, nxt = fetch_page(s, repo.search(p.tenant_id, status), CrisisCase.id, limit, cursor)
    overdue = repo.overdue_counts(s, p.tenant_id, [c.id for c in rows], clock.now())
    return [_case_out(c, overdue.get(c.id, 0)) for c in rows], nxt


def detail(s: Session, p: Principal, case_id: int) -> CaseDetailOut:
    case = require(s, p.tenant_id, case_id)
    steps = [_step_out(st) for st in repo.steps(s, p.tenant_id, case.id)]
    rows = repo.recipients(s, p.tenant_id, case.id, RECIPIENTS_SHOWN)
    names = members.names(s, p.tenant_id, [r.member_id for r in rows])
    _, f3, f7 = repo.recipient_count(s, p.tenant_id, case.id)
    base = _case_out(case, sum(1 for st in steps if st.overdue))
    return CaseDetailOut(
        **base.model_dump(), steps=steps,
        compensations=[CompensationOut.model_validate(c) for c in repo.compensations(s, p.tenant_id, case.id)],
        recipients=[RecipientOut(member_id=r.member_id, member_name=names.get(r.member_id, ""),
                                 member_coupon_id=r.member_coupon_id, points=r.points, issued_at=r.issued_at,
                                 followup_3d_at=r.followup_3d_at, followup_7d_at=r.followup_7d_at) for r in rows],
        followups_sent={"3": f3, "7": f7})


def update_step(s: Session, p: Principal, case_id: int, step_id: int, data: StepPatch) -> StepOut:
    require(s, p.tenant_id, case_id)
    st = repo.step(s, p.tenant_id, step_id)
    if st is None or st.case_id != case_id:
        raise NotFound("step not found", code="step_not_found")
    if data.owner_user_id is not None:
        if data.owner_user_id not in {uid for uid, _ in tenancy.operators(s, p.tenant_id)}:
            raise Invalid("owner_user_id: not an operator of this tenant", code="unknown_owner")
        st.owner_user_id = data.owner_user_id
    if data.note is not None:
        st.note = data.note
    if data.done is True and st.done_at is None:
        st.done_at, st.done_by = clock.now(), p.user_id
    elif data.done is False:
        st.done_at, st.done_by = None, None
    s.flush()
    return _step_out(st)


def close(s: Session, p: Principal, case_id: int, data: CloseIn) -> CaseOut:
    case = require(s, p.tenant_id, case_id, lock=True)
    if case.status == "closed":
        raise Conflict("the case is closed already", code="crisis_closed")
    case.status, case.closed_at, case.closed_by, case.close_note = "closed", clock.now(), p.user_id, data.note
    s.flush()
    return _case_out(case, 0)


def operators(s: Session, p: Principal) -> list[tuple[int, str]]:
    """Who may own a step (the case page's choice)."""
    return tenancy.operators(s, p.tenant_id)
