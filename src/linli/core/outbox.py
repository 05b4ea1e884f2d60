"""Transactional outbox: events are written in the same transaction as the change and handled
after commit, by the in-process dispatcher, by any number of `linli worker` processes polling the
database, or through a broker (core/broker).

Every subscriber of an event has its own delivery row (outbox_deliveries): one handler runs in its own
transaction together with marking its delivery done, so its effects and "done" commit atomically, and a
failing handler backs off and retries alone while the event's other subscribers complete. emit() only
writes the event (it is on the hot order path); the delivery rows are made later, when the event is
"fanned out" by whoever claims it (a polling worker, drain(), or the broker relay)."""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    case,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from linli.core import clock
from linli.core.db import Base, Database, IdType, UTCDateTime, table

log = logging.getLogger("linli.outbox")

MAX_ATTEMPTS = 12
LEASE = timedelta(seconds=60)


class OutboxEvent(Base):
    """The event, and a summary of its deliveries: processed_at once every subscriber is done, dead_at once
    one of them gave up; attempts, last_error and available_at follow the latest failing subscriber."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        # only the events not fanned out yet: the index stays tiny however long the table grows
        Index("ix_outbox_events_unfanned", "id", postgresql_where=text("fanned_out_at IS NULL"),
              sqlite_where=text("fanned_out_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(IdType, ForeignKey("tenants.id"), index=True)
    topic: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    available_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))  # unused since 0024 (deliveries are leased)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    fanned_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    pending_deliveries: Mapped[int] = mapped_column(default=0, server_default="0")


class OutboxDelivery(Base):
    """One subscriber's delivery of one event."""

    __tablename__ = "outbox_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "handler"),
        Index("ix_outbox_deliveries_pending", "id", postgresql_where=text("processed_at IS NULL AND dead_at IS NULL"),
              sqlite_where=text("processed_at IS NULL AND dead_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(IdType, ForeignKey("tenants.id"), index=True)
    event_id: Mapped[int] = mapped_column(IdType, ForeignKey("outbox_events.id"))
    handler: Mapped[str] = mapped_column(String(80))
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Event:
    id: int
    tenant_id: int
    topic: str
    payload: dict[str, Any]
    created_at: datetime


Handler = Callable[[Session, Event], None]


_EVENTS = table(OutboxEvent)
_DELIVERIES = table(OutboxDelivery)
_INSERT = insert(_EVENTS)


def emit(session: Session, tenant_id: int, topic: str, payload: dict[str, Any]) -> None:
    """Record an event in the caller's transaction; it leaves only if that transaction commits."""
    at = clock.now()
    # Core, not an ORM object: written at once, with none of the unit of work's bookkeeping
    session.execute(_INSERT, {"tenant_id": tenant_id, "topic": topic, "payload": payload, "created_at": at,
                              "available_at": at, "attempts": 0})
    session.info["outbox_emitted"] = True


@dataclass
class HandlerRegistry:
    """Explicit topic -> handlers map, filled in one place (linli.events)."""

    handlers: dict[str, list[tuple[str, Handler]]] = field(default_factory=dict)

    def on(self, topic: str, name: str, handler: Handler) -> None:
        self.handlers.setdefault(topic, []).append((name, handler))

    def for_topic(self, topic: str) -> list[tuple[str, Handler]]:
        return self.handlers.get(topic, []) + self.handlers.get("*", [])

    def subscribers(self, topic: str) -> list[str]:
        """The subscriber names of a topic, each once (a name is one delivery)."""
        return list(dict.fromkeys(name for name, _ in self.for_topic(topic)))

    def handler(self, topic: str, name: str) -> Handler | None:
        return next((h for n, h in self.for_topic(topic) if n == name), None)


def new_worker_id(kind: str = "worker") -> str:
    return f"{kind}:{socket.gethostname()}:{uuid.uuid4().hex[:8]}"[:80]


# --- fan-out and claims: who may run which delivery -------------------------------------------------------

def fan_out(db: Database, registry: HandlerRegistry, holder: str, lease: timedelta,
            limit: int) -> tuple[list[int], int]:
    """Make the delivery rows of up to `limit` due events, leased to `holder` for `lease`.
    Returns (their delivery ids, how many events had no subscriber and are done at once).
    SKIP LOCKED lets several workers and relays fan out disjoint batches at once."""
    groups, without = fan_out_by_event(db, registry, holder, lease, limit)
    return [i for ids in groups for i in ids], without


def fan_out_by_event(db: Database, registry: HandlerRegistry, holder: str, lease: timedelta,
                     limit: int) -> tuple[list[list[int]], int]:
    """fan_out, with the delivery ids grouped by event (in event order)."""
    now = clock.now()
    with db.unit_of_work() as s:
        events = s.execute(
            select(_EVENTS.c.id, _EVENTS.c.tenant_id, _EVENTS.c.topic, _EVENTS.c.available_at)
            .where(_EVENTS.c.fanned_out_at.is_(None), _EVENTS.c.available_at <= now)
            .order_by(_EVENTS.c.id).limit(limit).with_for_update(skip_locked=True)
        ).all()
        if not events:
            return [], 0
        rows: list[dict[str, Any]] = []
        counts: list[dict[str, Any]] = []
        for ev in events:
            names = registry.subscribers(ev.topic)
            counts.append({"eid": ev.id, "n": len(names), "done": None if names else now})
            rows += [{"tenant_id": ev.tenant_id, "event_id": ev.id, "handler": name, "attempts": 0,
                      "available_at": ev.available_at, "claimed_by": holder, "claimed_until": now + lease}
                     for name in names]
        if rows:
            s.execute(insert(_DELIVERIES), rows)
        s.execute(update(_EVENTS).where(_EVENTS.c.id == bindparam("eid"))
                  .values(fanned_out_at=now, pending_deliveries=bindparam("n"), processed_at=bindparam("done")),
                  counts)
        made = s.execute(select(_DELIVERIES.c.event_id, _DELIVERIES.c.id)
                         .where(_DELIVERIES.c.event_id.in_([e.id for e in events]))
                         .order_by(_DELIVERIES.c.event_id, _DELIVERIES.c.id)).all() if rows else []
    groups: dict[int, list[int]] = {}
    for event_id, delivery_id in made:
        groups.setdefault(event_id, []).append(delivery_id)
    return list(groups.values()), sum(1 for c in counts if c["n"] == 0)


def claim_due(db: Database, holder: str, lease: timedelta, limit: int) -> list[int]:
    """Lease up to `limit` deliveries that are due: retries whose back-off has passed, and deliveries whose
    lease ran out (their holder died, or a relay's publish never reached the broker)."""
    now = clock.now()
    with db.unit_of_work() as s:
        ids = list(s.scalars(
            select(_DELIVERIES.c.id)
            .where(_DELIVERIES.c.processed_at.is_(None), _DELIVERIES.c.dead_at.is_(None),
                   _DELIVERIES.c.available_at <= now,
                   _DELIVERIES.c.claimed_until.is_(None) | (_DELIVERIES.c.claimed_until < now))
            .order_by(_DELIVERIES.c.id).limit(limit).with_for_update(skip_locked=True)
        ))
        if ids:
            s.execute(update(_DELIVERIES).where(_DELIVERIES.c.id.in_(ids))
                      .values(claimed_by=holder, claimed_until=now + lease))
    return ids


def release(db: Database, ids: list[int], holder: str) -> None:
    """Give back leases taken but not used (e.g. the broker refused the publish)."""
    with db.unit_of_work() as s:
        s.execute(update(_DELIVERIES).where(_DELIVERIES.c.id.in_(ids), _DELIVERIES.c.claimed_by == holder,
                                            _DELIVERIES.c.processed_at.is_(None))
                  .values(claimed_by=None, claimed_until=None))


# --- running one delivery ---------------------------------------------------------------------------------

# Prepared once: built for each delivery, these statements were a tenth of a drain's time.
_NOW = bindparam("now", type_=UTCDateTime())
# the delivery (its row locked) and its event, in one read
_CLAIM = (select(_DELIVERIES.c.processed_at, _DELIVERIES.c.dead_at, _DELIVERIES.c.claimed_by,
                 _DELIVERIES.c.attempts, _DELIVERIES.c.available_at, _DELIVERIES.c.handler, _DELIVERIES.c.event_id,
                 _EVENTS.c.tenant_id, _EVENTS.c.topic, _EVENTS.c.payload, _EVENTS.c.created_at)
          .join_from(_DELIVERIES, _EVENTS, _EVENTS.c.id == _DELIVERIES.c.event_id)
          .where(_DELIVERIES.c.id == bindparam("did")).with_for_update(of=_DELIVERIES))
_DONE = (update(_DELIVERIES).where(_DELIVERIES.c.id == bindparam("did"))
         .values(processed_at=_NOW, claimed_by=None, claimed_until=None))
# one statement: concurrent subscribers of one event count down without losing an update
_COUNT_DOWN = update(_EVENTS).where(_EVENTS.c.id == bindparam("eid")).values(
    pending_deliveries=_EVENTS.c.pending_deliveries - 1,
    processed_at=case(((_EVENTS.c.pending_deliveries == 1) & _EVENTS.c.dead_at.is_(None), _NOW),
                      else_=_EVENTS.c.processed_at))

def handle_delivery(db: Database, registry: HandlerRegistry, delivery_id: int, holder: str | None = None) -> bool:
    """Run one subscriber for one event, in one transaction with marking its delivery done.

    holder: the lease this caller took (database polling); a delivery leased to someone else is left
    alone. None (a broker message): the row lock alone keeps two workers from running it at once, and a
    delivery already done, dead, or backing off after a failure is skipped (a duplicate message).
    Returns whether the handler ran and committed; a failure is recorded for a later retry, never raised."""
    try:
        with db.unit_of_work() as s:
            row = s.execute(_CLAIM, {"did": delivery_id}).one_or_none()
            if row is None or row.processed_at is not None or row.dead_at is not None:
                return False
            if holder is not None and row.claimed_by != holder:
                return False  # our lease ran out and someone else took it
            if holder is None and row.attempts and row.available_at > clock.now():
                return False  # a stale copy of a message whose handler failed: it is retried after its back-off
            ev = Event(row.event_id, row.tenant_id, row.topic, row.payload, row.created_at)
            handler = registry.handler(ev.topic, row.handler)
            try:
                if handler is None:  # e.g. a worker running older code: another one may know it
                    raise LookupError(f"no handler {row.handler!r} for {ev.topic!r} in this process")
                with s.begin_nested():
                    handler(s, ev)
            except Exception as exc:
                # recorded while the row is still locked: a duplicate message waiting on the lock then sees the
                # back-off, instead of running the handler again in the gap before a separate failure commit
                log.exception("outbox handler failed", extra={"delivery_id": delivery_id})
                _failed(s, s.get_one(OutboxDelivery, delivery_id), exc)
                return False
            now = clock.now()
            s.execute(_DONE, {"did": delivery_id, "now": now})
            s.execute(_COUNT_DOWN, {"eid": ev.id, "now": now})
        return True
    except Exception as exc:  # the database failed around the handler: record it in a transaction of its own
        log.exception("outbox handler failed", extra={"delivery_id": delivery_id})
        _record_failure(db, delivery_id, holder, exc)
        return False


def _record_failure(db: Database, delivery_id: int, holder: str | None, exc: Exception) -> None:
    with db.unit_of_work() as s:
        row = s.get(OutboxDelivery, delivery_id, with_for_update=True)
        if row is None or row.processed_at is not None or row.dead_at is not None:
            return
        if holder is not None and row.claimed_by != holder:
            return
        _failed(s, row, exc)


def _failed(s: Session, row: OutboxDelivery, exc: Exception) -> None:
    """Count a failed attempt on a locked delivery: back off exponentially, dead after MAX_ATTEMPTS."""
    now = clock.now()
    row.attempts += 1
    row.last_error = error = f"{row.handler}: {exc!r}"[:2000]
    row.claimed_by = row.claimed_until = None
    row.available_at = now + timedelta(seconds=min(2 ** row.attempts, 3600))
    dead = row.attempts >= MAX_ATTEMPTS
    if dead:
        row.dead_at = now
    s.flush()
    s.execute(update(_EVENTS).where(_EVENTS.c.id == row.event_id).values(
        attempts=case((_EVENTS.c.attempts < row.attempts, row.attempts), else_=_EVENTS.c.attempts),
        last_error=error, available_at=row.available_at,
        pending_deliveries=_EVENTS.c.pending_deliveries - (1 if dead else 0),
        dead_at=now if dead else _EVENTS.c.dead_at))


# --- database polling -------------------------------------------------------------------------------------

def _dispatch(db: Database, registry: HandlerRegistry, worker: str, limit: int) -> tuple[int, int]:
    """(deliveries handled + events done without subscribers, deliveries and events taken on)."""
    due = claim_due(db, worker, LEASE, limit)
    fresh, no_subscriber = fan_out(db, registry, worker, LEASE, limit)
    handled = sum(handle_delivery(db, registry, i, worker) for i in sorted(due + fresh))
    return handled + no_subscriber, len(due) + len(fresh) + no_subscriber


def dispatch_batch(db: Database, registry: HandlerRegistry, worker: str | None = None,
                   limit: int = 100) -> int:
    """Handle up to `limit` due events and `limit` due retries; returns how many deliveries were handled
    (an event without subscribers counts as one)."""
    return _dispatch(db, registry, worker or new_worker_id(), limit)[0]


def drain(db: Database, registry: HandlerRegistry, max_rounds: int = 1000) -> int:
    """Deliver everything due in this process, including what the deliveries emit in turn."""
    total = 0
    worker = new_worker_id("drain")
    for _ in range(max_rounds):
        handled, taken = _dispatch(db, registry, worker, 100)
        total += handled
        if taken == 0:
            break
    return total


class Dispatcher:
    """Background thread for the embedded default: wakes on commit of a transaction that emitted events,
    and polls as a fallback. `step` is one round (default: handle due deliveries here; with a broker, the
    relay that publishes them) and returns how much it did."""

    def __init__(self, db: Database, registry: HandlerRegistry, interval: float,
                 step: Callable[[], int] | None = None) -> None:
        self.db, self.registry, self.interval = db, registry, interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="linli-outbox", daemon=True)
        self.worker = new_worker_id("embedded")
        self.step = step or (lambda: _dispatch(self.db, self.registry, self.worker, 100)[1])

    def start(self) -> None:
        _wakers.append(self._wake.set)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._wake.set in _wakers:
            _wakers.remove(self._wake.set)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                while self.step() and not self._stop.is_set():
                    pass
            except Exception:
                log.exception("outbox dispatch failed")


_wakers: list[Callable[[], None]] = []


@event.listens_for(Session, "after_commit")
def _wake_dispatchers(session: Session) -> None:
    if session.info.pop("outbox_emitted", False):
        for wake in list(_wakers):
            wake()


@event.listens_for(Session, "after_rollback")
def _forget_emitted(session: Session) -> None:
    session.info.pop("outbox_emitted", None)
