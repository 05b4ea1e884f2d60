"""The monthly "社区守护者" TOP10 per community (seed 000: 每月评选TOP10用户授予社区合伙人身份,
享供应链优先采购权).

Contribution = points earned in the month by participation (check-ins, reviews, shares,
invitations, content…), never by spending: the `order_paid` earning is left out, so the title
rewards neighbours who take part rather than who buy most. Ranked per community (the member's
community at award time); equal scores go to the lower member id, i.e. the longer-standing
member (the points bank reports sums, not when each score was reached). A month is awarded
once per tenant: a guardian_runs row with a unique (tenant, month) key marks it done."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.checkin import months
from linli.checkin import repository as repo
from linli.checkin.schemas import GuardianOut, GuardianProgramIn, GuardianProgramOut, GuardiansOut, MyAwardOut
from linli.community import service as communities
from linli.core import clock, outbox
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.member import service as members
from linli.models import GuardianAward, GuardianProgram, GuardianRun
from linli.points import service as points

TOP = 10
NOT_CONTRIBUTION = frozenset({"order_paid"})  # spend is not participation
DEFAULT = GuardianProgramIn()


def program(s: Session, tenant_id: int) -> GuardianProgramOut:
    row = repo.program(s, tenant_id)
    return GuardianProgramOut.model_validate(row if row is not None else DEFAULT)


def set_program(s: Session, p: Principal, data: GuardianProgramIn) -> GuardianProgramOut:
    row = repo.program(s, p.tenant_id)
    if row is None:
        s.add(GuardianProgram(tenant_id=p.tenant_id, **data.model_dump()))
    else:
        for k, v in data.model_dump().items():
            setattr(row, k, v)
    s.flush()
    return program(s, p.tenant_id)


def award_month(s: Session, tenant_id: int, month: str) -> int | None:
    """Award `month` (YYYY-MM) for one tenant; returns the number of awards, or None if the month
    was already awarded (by an earlier or a concurrent run)."""
    start, end = months.bounds(month)
    run = GuardianRun(tenant_id=tenant_id, month=month, awards=0)
    try:
        with s.begin_nested():  # a concurrent run waits here, then finds the month taken
            s.add(run)
    except IntegrityError:
        return None
    earned = _contributions(s, tenant_id, start, end)
    community_of = members.communities_of(s, tenant_id, [m for m, n in earned.items() if n > 0])
    board: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for member_id, community_id in community_of.items():
        board[community_id].append((member_id, earned[member_id]))
    prog = program(s, tenant_id)
    for community_id in sorted(board):
        ranked = sorted(board[community_id], key=lambda e: (-e[1], e[0]))[:TOP]
        for rank, (member_id, contribution) in enumerate(ranked, start=1):
            _award(s, tenant_id, month, community_id, rank, member_id, contribution, prog)
            run.awards += 1
    return run.awards


def _award(s: Session, tenant_id: int, month: str, community_id: int, rank: int, member_id: int,
           contribution: int, prog: GuardianProgramOut) -> None:
    s.add(GuardianAward(tenant_id=tenant_id, month=month, community_id=community_id, member_id=member_id,
                        rank=rank, contribution=contribution, title=prog.title, benefit=prog.benefit,
                        bonus_points=prog.bonus_points, awarded_at=clock.now()))
    if prog.bonus_points > 0:
        points.grant(s, tenant_id, member_id, prog.bonus_points, f"{month} {prog.title}",
                     key=f"guardian:{month}:{member_id}")
    outbox.emit(s, tenant_id, "guardian.awarded", {"member_id": member_id, "month": month,
                                                   "community_id": community_id, "rank": rank})


def _contributions(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    """Every earning in [start, end) less the earnings of spend."""
    total = points.earned_between(s, tenant_id, start, end)
    spend = points.earned_between(s, tenant_id, start, end, sorted(NOT_CONTRIBUTION))
    return {m: n - spend.get(m, 0) for m, n in total.items()}


def community_guardians(s: Session, p: Principal, community_id: int, month: str | None) -> GuardiansOut:
    communities.require_community(s, p.tenant_id, community_id)
    month = month or months.previous(clock.now())
    months.parse(month)
    rows = repo.awards(s, p.tenant_id, month, community_id)
    names = members.names(s, p.tenant_id, [r.member_id for r in rows])
    return GuardiansOut(month=month, community_id=community_id, items=[
        GuardianOut(rank=r.rank, member_id=r.member_id, name=names.get(r.member_id, ""),
                    contribution=r.contribution, title=r.title) for r in rows])


def my_awards(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[MyAwardOut], str | None]:
    assert p.member_id is not None
    rows, nxt = fetch_page(s, repo.awards_of_member(p.tenant_id, p.member_id), GuardianAward.id, limit, cursor)
    return [MyAwardOut.model_validate(r) for r in rows], nxt
