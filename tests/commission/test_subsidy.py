"""营销费用补贴: the monthly marketing subsidy of the tier a leader held when the month was assessed, credited
once to available on the 1st, shown on the statement, part of the ledger identity."""

from __future__ import annotations

from sqlalchemy import select

from linli.checkin import months
from linli.core.outbox import drain
from linli.events import build_registry
from linli.models import CommissionEntry
from tests.assessment.test_monthly import _month_after, _run, _tenant_with_leaders
from tests.commission.checks import assert_consistent


def _account(t, h):
    return t.client.get("/api/v1/leader/commission", headers=h).json()


def test_the_tier_subsidy_is_credited_once_when_the_month_is_assessed(make):
    t = make.tenant()
    ls = _tenant_with_leaders(t, n=3)  # all 社区管家: 200 yuan a month by default
    newcomer_id, _, newcomer_h = t.leader()  # 新团长: no subsidy
    r = t.client.put("/api/v1/leader-tiers", headers=t.op, json={"items": [
        {"tier": "none", "commission_bp": 500, "training_access": False, "priority_selection": False,
         "marketing_subsidy_fen": 0}]})
    assert r.status_code == 200
    before = {lid: _account(t, h)["available_fen"] for lid, h in ls}
    month = months.month_of(months.today())
    _run(t, month)
    _run(t, month)  # the job again: nothing twice
    drain(t.db, build_registry())
    for lid, h in ls:
        acc = _account(t, h)
        assert acc["available_fen"] == before[lid] + 20_000, lid
        statement = t.client.get("/api/v1/leader/statements", params={"month": _month_after(month)},
                                 headers=h).json()
        assert statement["subsidy_fen"] == 20_000
        assert statement["closing_fen"] == (statement["opening_fen"] + statement["accrued_fen"]
                                            - statement["reversed_fen"] + 20_000 - statement["withdrawn_fen"])
        assert_consistent(t.db, t.tenant_id, lid)
    assert _account(t, newcomer_h)["available_fen"] == 0
    with t.db.unit_of_work() as s:
        subsidies = list(s.scalars(select(CommissionEntry).where(CommissionEntry.tenant_id == t.tenant_id,
                                                                 CommissionEntry.kind == "subsidy")))
    assert sorted(e.leader_id for e in subsidies) == sorted(lid for lid, _ in ls)
    assert {e.created_at for e in subsidies} == {months.bounds(month)[1]}  # dated when the month was assessed
    assert newcomer_id not in {e.leader_id for e in subsidies}


def test_a_subsidy_pays_off_a_debt_first(make):
    from linli.commission import ledger

    t = make.tenant()
    leader_id, _, h = t.leader()
    with t.db.unit_of_work() as s:
        acc = ledger.lock(s, t.tenant_id, leader_id)
        acc.owed_fen = 5_000  # as a reversal after settlement would leave it
    at = months.bounds(months.month_of(months.today()))[0]
    with t.db.unit_of_work() as s:
        assert ledger.credit_subsidy(s, t.tenant_id, leader_id, "2026-10", 20_000, at) == 20_000
        assert ledger.credit_subsidy(s, t.tenant_id, leader_id, "2026-10", 20_000, at) == 0
    acc = _account(t, h)
    assert (acc["owed_fen"], acc["available_fen"]) == (0, 15_000)
