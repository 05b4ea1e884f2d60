"""Every member runs every step exactly once: redelivered events, repeated runs and concurrent runners
(threads with their own connections: real row locks on PostgreSQL) change nothing twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from linli.core import clock
from linli.core.outbox import Event, OutboxEvent
from linli.journey import handlers, jobs
from linli.models import JourneyEnrolment, JourneyStepRun, LeaderTask, MemberCoupon, PointsTransaction
from tests.journey.helpers import coupon, due, joined_at, journey, member_id_of

STEPS = ["coupon", "points", "task", "wait", "ordered", "again"]


def _definition(coupon_id: int) -> dict:
    return {"trigger": {"kind": "event", "topic": "member.joined"}, "steps": [
        {"id": "coupon", "type": "action", "action": "issue_coupon", "template_id": coupon_id, "next": "points"},
        {"id": "points", "type": "action", "action": "grant_points", "amount": 50, "next": "task"},
        {"id": "task", "type": "action", "action": "leader_task", "title": "问候新邻居", "next": "wait"},
        {"id": "wait", "type": "wait", "hours": 2, "next": "ordered"},
        {"id": "ordered", "type": "condition", "check": {"kind": "has_ordered"}, "if_true": None,
         "if_false": "again"},
        {"id": "again", "type": "action", "action": "grant_points", "amount": 10, "next": None}]}


def _count(t, model, *where) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.tenant_id == t.tenant_id, *where)))


def _joined_events(t) -> list[Event]:
    with t.db.unit_of_work() as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.tenant_id == t.tenant_id,
                                                   OutboxEvent.topic == "member.joined").order_by(OutboxEvent.id))
        return [Event(r.id, r.tenant_id, r.topic, r.payload, r.created_at) for r in rows]


def _step_events(t) -> list[Event]:
    with t.db.unit_of_work() as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.tenant_id == t.tenant_id,
                                                   OutboxEvent.topic == "journey.step_due"))
        return [Event(r.id, r.tenant_id, r.topic, r.payload, r.created_at) for r in rows]


def _assert_once_each(t, n: int, c: int) -> None:
    assert _count(t, JourneyEnrolment) == n
    assert _count(t, JourneyStepRun) == n * len(STEPS)
    assert _count(t, JourneyStepRun, JourneyStepRun.status == "done") == n * len(STEPS)
    assert _count(t, MemberCoupon, MemberCoupon.template_id == c) == n
    assert _count(t, PointsTransaction, PointsTransaction.kind == "grant") == 2 * n
    assert _count(t, LeaderTask) == n


def test_concurrent_enrolment_and_runners_do_each_step_once(make):
    t = make.tenant()
    t.leader()
    c = coupon(t)
    journey(t, _definition(c))
    hs = t.members(12)
    start = joined_at(t, member_id_of(t, hs[0]))
    joined = _joined_events(t)
    assert len(joined) == 12

    def enrol_all(_: int) -> None:  # four deliveries of every member.joined, at once
        with clock.frozen_at(start + timedelta(minutes=1)):
            for ev in joined:
                with t.db.unit_of_work() as s:
                    handlers.on_trigger(s, ev)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(enrol_all, range(4)))
    assert _count(t, JourneyEnrolment) == 12

    def runner(i: int) -> int:
        at = start + timedelta(hours=3)
        with clock.frozen_at(at):
            if i % 3 == 2:  # the worker's path: the step_due events, delivered again and again
                done = 0
                for _ in range(3):
                    for ev in _step_events(t):
                        with t.db.unit_of_work() as s:
                            handlers.on_step_due(s, ev)
                        done += 1
                return done
            return sum(jobs.run_due(t.db, at) for _ in range(3))

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(runner, range(6)))
    due(t, start + timedelta(hours=3))  # whatever the racing runners left (a run skipped while locked)
    _assert_once_each(t, 12, c)
    for _ in range(2):
        due(t, start + timedelta(hours=5))
    _assert_once_each(t, 12, c)


def test_a_failed_step_is_retried_without_repeating_the_steps_before(make, monkeypatch):
    t = make.tenant()
    t.leader()
    c = coupon(t)
    journey(t, _definition(c))
    m, _ = t.member()
    start = joined_at(t, m["id"])
    from linli.journey import actions

    real = actions._leader_task
    calls = {"n": 0}

    def flaky(*a, **kw):
        calls["n"] += 1
        if calls["n"] <= 2:  # the worker's attempt and the due job's
            raise RuntimeError("the leader service is down")
        return real(*a, **kw)

    monkeypatch.setattr(actions, "_leader_task", flaky)
    due(t, start + timedelta(minutes=1))
    assert _count(t, LeaderTask) == 0
    with t.db.unit_of_work() as s:
        run = s.scalar(select(JourneyStepRun).where(JourneyStepRun.tenant_id == t.tenant_id,
                                                    JourneyStepRun.step_id == "task"))
        assert run.status == "pending" and run.attempts == 1 and "leader service is down" in run.last_error
    due(t, start + timedelta(hours=3))
    _assert_once_each(t, 1, c)


def test_processes_run_due_and_workers_at_once_do_each_step_once(make, db):
    """Two `linli run-due --at` processes and a `linli worker` at once on one PostgreSQL database (process
    start-up dominates the time: few processes)."""
    import os
    import signal
    import subprocess
    import sys

    import pytest

    if db.dialect != "postgresql":
        pytest.skip("processes share one database server: PostgreSQL")
    t = make.tenant()
    t.leader()
    c = coupon(t)
    journey(t, _definition(c))
    hs = t.members(10)
    start = joined_at(t, member_id_of(t, hs[0]))
    env = {**os.environ, "LINLI_DATABASE_URL": db.url, "LINLI_LOG_LEVEL": "WARNING"}
    env.pop("LINLI_BROKER_URL", None)
    linli = [sys.executable, "-m", "linli.cli"]
    workers = [subprocess.Popen([*linli, "worker", "--idle", "0.05"], env=env, stderr=subprocess.DEVNULL)
               for _ in range(1)]
    try:
        at = (start + timedelta(hours=3)).isoformat()
        racing = [subprocess.Popen([*linli, "run-due", "--at", at], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True) for _ in range(2)]
        outs = [p.communicate(timeout=300) for p in racing]
        assert all(p.returncode == 0 for p in racing), outs
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            w.wait(30)
    due(t, start + timedelta(hours=3))
    _assert_once_each(t, 10, c)
