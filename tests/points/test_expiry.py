"""Lots expire at the configured instant through run-due; spending takes the earliest-expiring first."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.models import PointsLot, PointsTransaction
from linli.points import service
from linli.schedule import DUE_JOBS
from tests.points.checks import assert_consistent

AT = datetime(2026, 3, 5, 10, 0, tzinfo=clock.SHANGHAI)


def _due(bank, at):
    return run_due(bank.db, DUE_JOBS, build_registry(), at)


def test_default_expiry_is_the_end_of_the_next_year(bank):
    m, _ = bank.member()
    with clock.frozen_at(AT):
        bank.run(service.earn, m, "review", "r:1")
    with bank.db.unit_of_work() as s:
        lot = s.scalar(select(PointsLot).where(PointsLot.member_id == m))
        assert clock.local(lot.expires_at) == datetime(2027, 12, 31, 23, 59, 59, tzinfo=clock.SHANGHAI)
    end = datetime(2027, 12, 31, 23, 59, 59, tzinfo=clock.SHANGHAI)
    assert _due(bank, end - timedelta(seconds=1))["points.expire"] == 0
    assert bank.balance(m) == 10
    assert _due(bank, end)["points.expire"] == 1
    assert bank.balance(m) == 0
    assert _due(bank, end + timedelta(days=1))["points.expire"] == 0  # nothing expires twice
    with bank.db.unit_of_work() as s:
        kinds = s.scalars(select(PointsTransaction.kind).where(PointsTransaction.member_id == m)
                          .order_by(PointsTransaction.id)).all()
    assert kinds == ["review", "expire"]
    assert_consistent(bank.db, bank.t.tenant_id)


def test_earliest_expiring_lots_are_spent_first(bank):
    m, _ = bank.member()
    with clock.frozen_at(AT):
        bank.run(service.grant, m, 100, "x", "late")  # expires 2027-12-31
        bank.rules(expiry="days", expiry_days=10)
        bank.run(service.grant, m, 100, "x", "early")  # expires 2026-03-15, earlier though granted later
        bank.run(service.take_back, m, 150, "spend", "spend:1")
    assert _due(bank, AT + timedelta(days=10))["points.expire"] == 0  # the early lot was spent in full
    assert bank.balance(m) == 50
    assert _due(bank, datetime(2027, 12, 31, 23, 59, 59, tzinfo=clock.SHANGHAI))["points.expire"] == 1
    assert bank.balance(m) == 0
    assert_consistent(bank.db, bank.t.tenant_id)


def test_touching_an_account_expires_its_due_lots_first(bank):
    m, _ = bank.member()
    bank.rules(expiry="days", expiry_days=1)
    with clock.frozen_at(AT):
        bank.run(service.grant, m, 100, "x", "g:1")
    with clock.frozen_at(AT + timedelta(days=2)):
        assert bank.run(service.take_back, m, 100, "x", "tb:1") == 0  # the 100 are gone, though no job ran
        bank.run(service.grant, m, 30, "x", "g:2")
        assert bank.balance(m) == 30
    assert_consistent(bank.db, bank.t.tenant_id)


def test_expiry_by_cli(bank):
    from click.testing import CliRunner

    from linli.cli import main

    m, _ = bank.member()
    bank.rules(expiry="days", expiry_days=30)
    with clock.frozen_at(AT):
        bank.run(service.grant, m, 40, "x", "g:1")
    at = (AT + timedelta(days=30)).isoformat()
    result = CliRunner().invoke(main, ["run-due", "--at", at])  # the runtime is the test database
    assert result.exit_code == 0, result.output
    assert "points.expire: 1" in result.output
    assert bank.balance(m) == 0
    assert_consistent(bank.db, bank.t.tenant_id)
