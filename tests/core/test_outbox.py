"""The outbox: events leave only after commit, each is handled once even with several workers,
and a failing handler is retried later without losing the event."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from linli.core import clock, outbox
from linli.core.outbox import HandlerRegistry, OutboxEvent, dispatch_batch, drain
from linli.tenancy import service as tenancy


def _tenant(db) -> int:
    with db.unit_of_work() as s:
        return tenancy.create_tenant(s, "acme", "Acme", "admin", "password-1").id


def _emit(db, tenant_id: int, n: int) -> None:
    with db.unit_of_work() as s:
        for i in range(n):
            outbox.emit(s, tenant_id, "thing.happened", {"n": i})


def test_rolled_back_transaction_emits_nothing(db):
    tenant_id = _tenant(db)
    with pytest.raises(RuntimeError), db.unit_of_work() as s:
        outbox.emit(s, tenant_id, "thing.happened", {"n": 1})
        raise RuntimeError("business rule failed")
    with db.unit_of_work() as s:
        assert s.scalars(select(OutboxEvent)).all() == []


def test_several_workers_handle_each_event_exactly_once(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 300)
    seen: Counter[int] = Counter()
    lock = threading.Lock()

    def handler(_s, ev):
        with lock:
            seen[ev.payload["n"]] += 1

    registry = HandlerRegistry()
    registry.on("thing.happened", "count", handler)

    def work(w: int) -> int:
        total = 0
        while n := dispatch_batch(db, registry, worker=f"w{w}", limit=7):
            total += n
        return total

    with ThreadPoolExecutor(max_workers=4) as pool:
        per_worker = list(pool.map(work, range(4)))
    assert sum(per_worker) == 300
    assert seen == Counter({i: 1 for i in range(300)})
    with db.unit_of_work() as s:
        assert all(e.processed_at is not None for e in s.scalars(select(OutboxEvent)))


def test_failing_handler_is_retried_later_and_others_continue(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 3)
    calls: Counter[int] = Counter()

    def flaky(_s, ev):
        calls[ev.payload["n"]] += 1
        if ev.payload["n"] == 1 and calls[1] == 1:
            raise RuntimeError("downstream unavailable")

    registry = HandlerRegistry()
    registry.on("thing.happened", "flaky", flaky)
    assert drain(db, registry) == 2  # event 1 failed and waits for its retry
    with db.unit_of_work() as s:
        failed = s.scalar(select(OutboxEvent).where(OutboxEvent.processed_at.is_(None)))
        assert failed.attempts == 1 and "downstream unavailable" in failed.last_error
        retry_at = failed.available_at
    assert drain(db, registry) == 0  # not due yet
    with clock.frozen_at(retry_at + timedelta(seconds=1)):
        assert drain(db, registry) == 1
    assert calls == {0: 1, 1: 2, 2: 1}


def test_event_is_dead_after_max_attempts(db):
    tenant_id = _tenant(db)
    _emit(db, tenant_id, 1)

    def broken(_s, _ev):
        raise ValueError("bug")

    registry = HandlerRegistry()
    registry.on("thing.happened", "broken", broken)
    at = clock.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        with clock.frozen_at(at):
            dispatch_batch(db, registry)
        at += timedelta(hours=2)
    with db.unit_of_work() as s:
        ev = s.scalar(select(OutboxEvent))
        assert ev.attempts == outbox.MAX_ATTEMPTS and ev.dead_at is not None
    with clock.frozen_at(at + timedelta(days=1)):
        assert dispatch_batch(db, registry) == 0


def test_order_events_reach_subscribers(make):
    t = make.tenant()
    product = t.product(stock=5)
    _, mh = t.member()
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}]}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    topics: list[str] = []
    registry = HandlerRegistry()
    registry.on("*", "record", lambda _s, ev: topics.append(ev.topic))
    drain(t.db, registry)
    assert topics == ["member.joined", "order.created", "order.paid"]
