"""Per-subscriber delivery state: every subscriber of an event runs in its own transaction with marking its
own delivery done, so one failing handler neither blocks the others nor makes them run again."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select

from linli.core import clock, outbox
from linli.core.outbox import (
    HandlerRegistry,
    OutboxDelivery,
    OutboxEvent,
    dispatch_batch,
    drain,
    fan_out,
    handle_delivery,
)
from linli.tenancy import service as tenancy


def _tenant(db) -> int:
    with db.unit_of_work() as s:
        return tenancy.create_tenant(s, "acme", "Acme", "admin", "password-1").id


def _emit(db, tenant_id: int, n: int, topic: str = "thing.happened") -> None:
    with db.unit_of_work() as s:
        for i in range(n):
            outbox.emit(s, tenant_id, topic, {"n": i})


class Subscribers:
    """Handlers that count their runs and write a row (an event of their own) in their transaction."""

    def __init__(self, failing: dict[str, int]) -> None:
        self.failing = failing  # name -> how many first runs fail (-1: always)
        self.runs: Counter[tuple[str, int]] = Counter()
        self.lock = threading.Lock()

    def make(self, name: str):
        def handler(s, ev):
            with self.lock:
                self.runs[(name, ev.payload["n"])] += 1
                runs = self.runs[(name, ev.payload["n"])]
            outbox.emit(s, ev.tenant_id, f"effect.{name}", {"n": ev.payload["n"]})  # the handler's DB write
            fails = self.failing.get(name, 0)
            if fails < 0 or runs <= fails:
                raise RuntimeError(f"{name} downstream unavailable")
        return handler

    def registry(self, *names: str) -> HandlerRegistry:
        registry = HandlerRegistry()
        for name in names:
            registry.on("thing.happened", name, self.make(name))
        return registry


def _effects(db) -> Counter[tuple[str, int]]:
    with db.unit_of_work() as s:
        rows = s.execute(select(OutboxEvent.topic, OutboxEvent.payload)
                         .where(OutboxEvent.topic.like("effect.%"))).all()
    return Counter((topic.removeprefix("effect."), payload["n"]) for topic, payload in rows)


def _deliveries(db) -> dict[str, OutboxDelivery]:
    with db.unit_of_work() as s:
        return {d.handler: d for d in s.scalars(select(OutboxDelivery))}


def _event(db) -> OutboxEvent:
    with db.unit_of_work() as s:
        return s.scalars(select(OutboxEvent).where(OutboxEvent.topic == "thing.happened")).one()


def test_one_failing_subscriber_does_not_block_the_others(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 1)
    subs = Subscribers({"b": 1})
    registry = subs.registry("a", "b", "c")

    # a and c, and the two events they wrote (no subscribers: done at once); b failed and waits for its retry
    assert drain(db, registry) == 4
    assert _effects(db) == Counter({("a", 0): 1, ("c", 0): 1})  # b's write was rolled back with it
    d = _deliveries(db)
    assert d["a"].processed_at is not None and d["c"].processed_at is not None
    assert d["b"].processed_at is None and d["b"].attempts == 1 and "b downstream unavailable" in d["b"].last_error
    ev = _event(db)
    assert ev.processed_at is None and ev.pending_deliveries == 1 and ev.attempts == 1
    assert ev.available_at == d["b"].available_at > clock.now()


def test_a_retry_runs_only_the_failed_subscriber(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 1)
    subs = Subscribers({"b": 2})
    registry = subs.registry("a", "b", "c")
    drain(db, registry)
    assert drain(db, registry) == 0  # b is backing off
    at = _deliveries(db)["b"].available_at
    with clock.frozen_at(at + timedelta(seconds=1)):
        assert drain(db, registry) == 0  # its second run fails too
    at = _deliveries(db)["b"].available_at
    with clock.frozen_at(at + timedelta(seconds=1)):
        assert drain(db, registry) == 2  # b, and the event it wrote
    assert subs.runs == Counter({("a", 0): 1, ("b", 0): 3, ("c", 0): 1})
    assert _effects(db) == Counter({("a", 0): 1, ("b", 0): 1, ("c", 0): 1})
    d = _deliveries(db)
    assert d["b"].attempts == 2 and d["b"].processed_at is not None
    ev = _event(db)
    assert ev.processed_at is not None and ev.pending_deliveries == 0 and ev.dead_at is None


def test_a_subscriber_is_dead_after_max_attempts_and_the_others_are_done(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 1)
    subs = Subscribers({"b": -1})
    registry = subs.registry("a", "b")
    at = clock.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        with clock.frozen_at(at):
            drain(db, registry)
        at += timedelta(hours=2)
    with clock.frozen_at(at + timedelta(days=1)):
        assert drain(db, registry) == 0
    assert subs.runs == Counter({("a", 0): 1, ("b", 0): outbox.MAX_ATTEMPTS})
    d = _deliveries(db)
    assert d["b"].attempts == outbox.MAX_ATTEMPTS and d["b"].dead_at is not None and d["b"].processed_at is None
    assert d["a"].processed_at is not None and d["a"].dead_at is None
    ev = _event(db)
    assert ev.dead_at is not None and ev.processed_at is None and ev.pending_deliveries == 0
    assert ev.attempts == outbox.MAX_ATTEMPTS
    assert _effects(db) == Counter({("a", 0): 1})


def test_emit_writes_no_delivery_rows_they_are_made_when_the_event_is_claimed(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 3)
    _emit(db, tenant_id, 2, topic="nobody.listens")
    assert _deliveries(db) == {}
    registry = Subscribers({}).registry("a", "b")
    ids, without = fan_out(db, registry, "relay-1", timedelta(minutes=5), 100)
    assert len(ids) == 6 and without == 2
    with db.unit_of_work() as s:
        rows = s.scalars(select(OutboxDelivery).order_by(OutboxDelivery.id)).all()
        assert [(r.handler, r.claimed_by) for r in rows] == [("a", "relay-1"), ("b", "relay-1")] * 3
        events = s.scalars(select(OutboxEvent).order_by(OutboxEvent.id)).all()
        assert [e.pending_deliveries for e in events] == [2, 2, 2, 0, 0]
        assert all(e.fanned_out_at is not None for e in events)
        assert [e.processed_at is not None for e in events] == [False, False, False, True, True]
    assert fan_out(db, registry, "relay-2", timedelta(minutes=5), 100) == ([], 0)  # fanned out once only
    assert drain(db, registry) == 0  # leased to relay-1 (its broker copy is on the way)
    with clock.frozen_at(clock.now() + timedelta(minutes=6)):  # relay-1 never published: the lease runs out
        assert drain(db, registry) == 12  # 6 deliveries and the 6 events they wrote


def test_a_broker_copy_of_a_delivery_runs_once_and_a_backing_off_one_waits(db):
    """Broker messages carry a delivery id and may come more than once (at-least-once)."""
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 1)
    subs = Subscribers({"b": 1})
    registry = subs.registry("a", "b")
    ids, _ = fan_out(db, registry, "relay-1", timedelta(minutes=5), 100)
    a, b = ids
    assert handle_delivery(db, registry, a) is True
    assert handle_delivery(db, registry, a) is False  # duplicate: already done
    assert handle_delivery(db, registry, b) is False  # fails, backs off
    assert handle_delivery(db, registry, b) is False  # a stale copy during the back-off is not a retry
    assert subs.runs == Counter({("a", 0): 1, ("b", 0): 1})
    with clock.frozen_at(_deliveries(db)["b"].available_at + timedelta(seconds=1)):
        assert handle_delivery(db, registry, b) is True
    assert subs.runs == Counter({("a", 0): 1, ("b", 0): 2})
    assert _event(db).processed_at is not None


def test_a_subscriber_this_process_does_not_know_is_kept_for_one_that_does(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 1)
    newer = Subscribers({}).registry("a", "b")
    ids, _ = fan_out(db, newer, "relay-1", timedelta(minutes=5), 100)
    older = Subscribers({}).registry("a")
    assert handle_delivery(db, older, ids[1]) is False
    d = _deliveries(db)["b"]
    assert d.attempts == 1 and "no handler 'b'" in d.last_error and d.dead_at is None
    with clock.frozen_at(d.available_at + timedelta(seconds=1)):
        assert handle_delivery(db, newer, ids[1]) is True


def test_concurrent_workers_run_each_subscriber_of_each_event_exactly_once(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 120)
    subs = Subscribers({"b": 1})
    registry = subs.registry("a", "b", "c")

    def work(w: int) -> int:
        total = 0
        while n := dispatch_batch(db, registry, worker=f"w{w}", limit=9):
            total += n
        return total

    # each count: the deliveries that ran, and the events they wrote (no subscribers: one each)
    at = clock.now()
    clock.set_process_time(at)  # every thread: time stands still, so no back-off of b ends in this round
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            assert sum(pool.map(work, range(4))) == 2 * 240  # a and c; every b failed once
        clock.set_process_time(at + timedelta(minutes=1))  # b's back-off is over
        with ThreadPoolExecutor(max_workers=4) as pool:
            assert sum(pool.map(work, range(4))) == 2 * 120
    finally:
        clock.set_process_time(None)
    assert subs.runs == Counter({**{("a", i): 1 for i in range(120)}, **{("b", i): 2 for i in range(120)},
                                 **{("c", i): 1 for i in range(120)}})
    assert _effects(db) == Counter({(name, i): 1 for name in "abc" for i in range(120)})
    with db.unit_of_work() as s:
        events = s.scalars(select(OutboxEvent).where(OutboxEvent.topic == "thing.happened")).all()
        assert len(events) == 120
        assert all(e.processed_at is not None and e.pending_deliveries == 0 for e in events)


def test_the_embedded_dispatcher_delivers_after_the_commit(db):
    tenant_id = _tenant(db)
    subs = Subscribers({})
    dispatcher = outbox.Dispatcher(db, subs.registry("a", "b"), interval=30.0)  # woken by the commit, not polling
    dispatcher.start()
    try:
        _emit(db, tenant_id, 3)
        deadline = time.monotonic() + 20
        while _effects(db) != Counter({(name, i): 1 for name in "ab" for i in range(3)}):
            assert time.monotonic() < deadline, _effects(db)
            time.sleep(0.05)
    finally:
        dispatcher.stop()
    assert subs.runs == Counter({(name, i): 1 for name in "ab" for i in range(3)})
