"""Several real `linli worker` processes share the outbox through a real broker (RabbitMQ, Redis) and a
PostgreSQL database: one is killed mid-run, a relay dies between its commit and its publish, every message is
delivered a second time, and still every event's effect happens exactly once. RabbitMQ and Redis are the
ones .ci/run starts; when they are not there these tests fail (they never skip)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pika
import pytest
import redis
from sqlalchemy import func, select, text

from linli.core import outbox
from linli.core.broker import connect
from linli.core.db import Database
from linli.core.migrate import upgrade
from linli.core.outbox import OutboxDelivery, fan_out
from linli.tenancy import service as tenancy
from tests.conftest import _drop_pg, _pg_database
from tests.core import broker_handlers

ROOT = Path(__file__).resolve().parents[2]
AMQP_URL = os.environ.get("LINLI_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
REDIS_URL = os.environ.get("LINLI_TEST_BROKER_REDIS_URL", "redis://127.0.0.1:6379/15")
BROKERS = {"rabbitmq": AMQP_URL, "redis": REDIS_URL}
REPUBLISH_S = 3  # the workers' LINLI_BROKER_REPUBLISH_SECONDS (and Redis reclaim): short, for the test


@pytest.fixture
def pg() -> Iterator[Database]:
    url = _pg_database("broker")
    upgrade(url)
    db = Database(url, pool_size=5, max_overflow=5)
    with db.engine.begin() as conn:
        conn.execute(text(broker_handlers.EFFECTS_DDL))
    yield db
    db.dispose()
    _drop_pg(url)


@pytest.fixture(params=sorted(BROKERS))
def broker(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """(broker URL, a queue or stream name of this test's own); removed afterwards."""
    url, queue = BROKERS[request.param], f"linli-test-{uuid.uuid4().hex[:12]}"
    connect(url, queue).close()  # a broker that is not there fails the test here, at once
    yield url, queue
    if url.startswith("amqp"):
        conn = pika.BlockingConnection(pika.URLParameters(url))
        conn.channel().queue_delete(queue)
        conn.close()
    else:
        redis.Redis.from_url(url).delete(queue)


def _worker(db: Database, url: str, queue: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LINLI_DATABASE_URL": db.url, "LINLI_BROKER_URL": url, "LINLI_BROKER_QUEUE": queue,
           "LINLI_BROKER_REPUBLISH_SECONDS": str(REPUBLISH_S), "LINLI_BROKER_RECLAIM_SECONDS": str(REPUBLISH_S),
           "LINLI_BROKER_PREFETCH": "8", "LINLI_VAR_DIR": str(log.parent), "LINLI_LOG_JSON": "false",
           "LINLI_LOG_LEVEL": "WARNING",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("LINLI_REDIS_URL", None)
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "linli.cli", "worker", "--idle", "0.1",
                                 "--registry", "tests.core.broker_handlers:build_registry"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _emit(db: Database, tenant_id: int, keys: range) -> None:
    for start in range(keys.start, keys.stop, 25):  # several commits, as requests would make them
        with db.unit_of_work() as s:
            for n in range(start, min(start + 25, keys.stop)):
                outbox.emit(s, tenant_id, broker_handlers.TOPIC, {"n": n, "key": f"k{n}"})


def _effects(db: Database) -> list[tuple[str, str, int]]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT key, handler, pid FROM broker_effects"))]


def _wait(what: str, done: Callable[[], bool], timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs)
            pytest.fail(f"timed out waiting for {what}\n{tails}")
        time.sleep(0.1)


def _broker_empty(url: str, queue: str) -> bool:
    if url.startswith("amqp"):
        conn = pika.BlockingConnection(pika.URLParameters(url))
        try:
            q = conn.channel().queue_declare(queue, durable=True, passive=True)
            return q.method.message_count == 0 and q.method.consumer_count > 0
        finally:
            conn.close()
    r = redis.Redis.from_url(url)
    return r.xlen(queue) == 0 and r.xpending(queue, "workers")["pending"] == 0


def test_workers_share_the_outbox_and_a_killed_worker_loses_and_repeats_nothing(pg, broker, tmp_path):
    url, queue = broker
    with pg.unit_of_work() as s:
        tenant_id = tenancy.create_tenant(s, "acme", "Acme", "admin", "password-1").id
    total = 300
    # a relay that committed its fan-out and died before publishing: those deliveries must still happen
    _emit(pg, tenant_id, range(0, 20))
    orphaned, _ = fan_out(pg, broker_handlers.build_registry(), "relay:died", timedelta(seconds=REPUBLISH_S), 100)
    assert len(orphaned) == 40

    logs = [tmp_path / f"worker{i}.log" for i in range(3)]
    workers = [_worker(pg, url, queue, log) for log in logs]
    try:
        _emit(pg, tenant_id, range(20, 120))
        first = workers[0].pid
        _wait("the first worker at work", lambda: any(pid == first for _, _, pid in _effects(pg)), 60, logs)
        workers[0].kill()  # SIGKILL, mid-run: no goodbye, its unacknowledged messages go to the others
        assert workers[0].wait(10) == -signal.SIGKILL
        _emit(pg, tenant_id, range(120, total))

        _wait("every effect", lambda: len(_effects(pg)) >= 2 * total, 120, logs)
        _wait("the broker to empty", lambda: _broker_empty(url, queue), 30, logs)
        # at-least-once: every delivery comes a second time, and changes nothing
        with pg.unit_of_work() as s:
            ids = list(s.scalars(select(OutboxDelivery.id)))
        b = connect(url, queue)
        b.publish([str(i) for i in ids])
        b.close()
        _wait("the duplicates to be consumed", lambda: _broker_empty(url, queue), 30, logs)

        effects = _effects(pg)
        assert Counter((key, handler) for key, handler, _ in effects) == Counter(
            {(f"k{n}", handler): 1 for n in range(total) for handler in ("effect", "flaky")})
        pids = Counter(pid for _, _, pid in effects)
        assert len(pids) >= 2 and first in pids, pids  # the work was shared, the killed worker's too
        with pg.unit_of_work() as s:
            pending = s.scalar(select(func.count()).select_from(OutboxDelivery)
                               .where(OutboxDelivery.processed_at.is_(None)))
            retried = s.scalar(select(func.count()).select_from(OutboxDelivery)
                               .where(OutboxDelivery.attempts == 1))
        assert pending == 0
        assert retried == len(range(0, total, 7))  # only flaky's failures ran again, not "effect"
    finally:
        for w in workers[1:]:
            w.send_signal(signal.SIGTERM)
        codes = [w.wait(20) for w in workers[1:]]
    assert codes == [0, 0], [p.read_text()[-2000:] for p in logs[1:]]


def test_the_relay_publishes_after_its_commit_and_gives_back_what_the_broker_refused(db):
    """In-process, on RabbitMQ: one message per new event naming its deliveries; a publish the broker refuses
    (its queue was deleted: unroutable) leaves the deliveries free for the next round, not leased for
    LINLI_BROKER_REPUBLISH_SECONDS."""
    from linli.config import get_settings
    from linli.core.broker.relay import Relay, handle_message

    with db.unit_of_work() as s:
        tenant_id = tenancy.create_tenant(s, "acme", "Acme", "admin", "password-1").id
    runs: Counter[tuple[str, int]] = Counter()
    registry = outbox.HandlerRegistry()
    for name in ("a", "b"):
        registry.on("thing.happened", name, lambda _s, ev, name=name: runs.update([(name, ev.payload["n"])]))
    queue = f"linli-test-{uuid.uuid4().hex[:12]}"
    settings = get_settings().model_copy(update={"broker_url": AMQP_URL, "broker_queue": queue})
    relay = Relay(db, registry, settings)
    admin = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    try:
        with db.unit_of_work() as s:
            for n in range(3):
                outbox.emit(s, tenant_id, "thing.happened", {"n": n})
        assert relay.step() == 6
        bodies: list[str] = []
        consumer = connect(AMQP_URL, queue)
        handle = handle_message(db, registry)
        deadline = time.monotonic() + 30  # a message that never comes fails the asserts below, not hangs
        consumer.consume(lambda body: (bodies.append(body), handle(body)),
                         lambda: len(bodies) == 3 or time.monotonic() > deadline)
        consumer.close()
        assert bodies == ["1,2", "3,4", "5,6"]
        assert runs == Counter({(name, n): 1 for name in "ab" for n in range(3)})

        admin.channel().queue_delete(queue)
        with db.unit_of_work() as s:
            outbox.emit(s, tenant_id, "thing.happened", {"n": 3})
        with pytest.raises(pika.exceptions.UnroutableError):
            relay.step()
        with db.unit_of_work() as s:
            refused = s.scalars(select(OutboxDelivery).where(OutboxDelivery.processed_at.is_(None))).all()
            assert [(d.id, d.claimed_by) for d in refused] == [(7, None), (8, None)]
        assert relay.step() == 2  # at once (a new connection declares the queue again), one by one now
        consumer = connect(AMQP_URL, queue)
        consumer.consume(lambda body: (bodies.append(body), handle(body)),
                         lambda: len(bodies) == 5 or time.monotonic() > deadline + 30)
        consumer.close()
        assert bodies[3:] == ["7", "8"] and runs[("a", 3)] == runs[("b", 3)] == 1
    finally:
        relay.close()
        admin.channel().queue_delete(queue)
        admin.close()
