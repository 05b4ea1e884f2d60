"""The demo tenant's leaders, on the full data set as of a fixed day: a commission ledger that equals the
recomputation from the orders, the ladder and three months of assessments with their cases, withdrawals and
applications in every state — and the next monthly run (`run-due` on the 1st) scores, warns and demotes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from linli.core import clock
from linli.core.db import Database
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.models import (
    CommissionWithdrawal,
    ContactNote,
    Leader,
    LeaderApplication,
    LeaderAssessment,
    LeaderCase,
    LeaderTierHistory,
    OrderRating,
)
from linli.schedule import DUE_JOBS
from tests.commission.checks import assert_consistent
from tests.demo.conftest import Demo

TODAY = datetime.fromisoformat("2026-11-25T15:00:00+08:00")
NEXT_RUN = datetime.fromisoformat("2026-12-01T02:00:00+08:00")

pytestmark = pytest.mark.xdist_group("full-demo")  # with the full demo's own test: one load between them


@pytest.fixture(scope="module")
def demo(full_demo_copy: Demo) -> tuple[Database, int]:
    """The full demo as of TODAY, a copy of its own: the monthly run changes it."""
    assert full_demo_copy.at == clock.as_utc(TODAY)
    return full_demo_copy.db, full_demo_copy.counts["tenant_id"]


def _count(s: Any, model: Any, tid: int, *where: Any) -> int:
    return int(s.scalar(select(func.count()).select_from(model).where(model.tenant_id == tid, *where)) or 0)


def test_every_leaders_commission_equals_the_recomputation_from_orders(demo):
    db, tid = demo
    with db.unit_of_work() as s:
        leader_ids = list(s.scalars(select(Leader.id).where(Leader.tenant_id == tid)))
    assert len(leader_ids) >= 40
    for lid in leader_ids:
        assert_consistent(db, tid, lid)


def test_leaders_carry_four_months_of_history(demo):
    db, tid = demo
    with db.unit_of_work() as s:
        tiers = dict(s.execute(select(Leader.tier, func.count()).where(Leader.tenant_id == tid)
                               .group_by(Leader.tier)).all())
        assert tiers.get("none", 0) > 0 and sum(n for t, n in tiers.items() if t != "none") > 0
        assert _count(s, LeaderTierHistory, tid) >= sum(n for t, n in tiers.items() if t != "none")
        assert _count(s, OrderRating, tid) > 300
        months = dict(s.execute(select(LeaderAssessment.month, func.count()).where(LeaderAssessment.tenant_id == tid)
                                .group_by(LeaderAssessment.month)).all())
        assert months == {"2026-08": 40, "2026-09": 40, "2026-10": 40}
        cases = {k for (k,) in s.execute(select(LeaderCase.kind).where(LeaderCase.tenant_id == tid))}
        assert cases == {"warning", "help_plan", "replacement_suggested"}
        withdrawals = dict(s.execute(select(CommissionWithdrawal.status, func.count())
                                     .where(CommissionWithdrawal.tenant_id == tid)
                                     .group_by(CommissionWithdrawal.status)).all())
        assert set(withdrawals) == {"requested", "approved", "rejected"}
        applications = dict(s.execute(select(LeaderApplication.status, func.count())
                                      .where(LeaderApplication.tenant_id == tid)
                                      .group_by(LeaderApplication.status)).all())
        assert applications == {"pending": 3, "rejected": 1}
        assert _count(s, ContactNote, tid) == 5


def test_the_monthly_run_on_the_first_scores_warns_and_changes_tiers(demo):
    db, tid = demo
    with db.unit_of_work() as s:
        changes_before = _count(s, LeaderTierHistory, tid)
    done = run_due(db, DUE_JOBS, build_registry(), NEXT_RUN)
    assert done["assessment.monthly"] == 1
    with db.unit_of_work() as s:
        rows = list(s.scalars(select(LeaderAssessment).where(LeaderAssessment.tenant_id == tid,
                                                             LeaderAssessment.month == "2026-11")))
        assert len(rows) == 40 and sorted(r.rank for r in rows) == list(range(1, 41))
        assert all(0 <= r.total <= 100 for r in rows)
        assert sum(r.warned for r in rows) >= 4  # the bottom 10 %
        demoted = [r for r in rows if r.tier_after != r.tier_before]
        assert demoted and all(r.rank > 32 for r in demoted)  # only the bottom 20 % step down
        assert _count(s, LeaderTierHistory, tid) > changes_before
        assert _count(s, LeaderCase, tid, LeaderCase.month == "2026-11", LeaderCase.kind == "warning") >= 4
    assert run_due(db, DUE_JOBS, build_registry(), NEXT_RUN)["assessment.monthly"] == 0  # once a month
