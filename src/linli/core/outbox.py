"""Transactional outbox: events are written in the same transaction as the change and handled
after commit, by the in-process dispatcher or by any number of `linli worker` processes."""

from __future__ import annotations

import logging
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from linli.core import clock
from linli.core.db import Base, Database, IdType, UTCDateTime, table

log = logging.getLogger("linli.outbox")

MAX_ATTEMPTS = 12
LEASE = timedelta(seconds=60)


class OutboxEvent(Base):
    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_pending", "processed_at", "available_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(IdType, ForeignKey("tenants.id"), index=True)
    topic: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    available_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
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


_INSERT = insert(table(OutboxEvent))


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


def _claim(db: Database, worker: str, limit: int) -> list[int]:
    """Lease a batch; SKIP LOCKED lets several workers claim disjoint batches at once."""
    now = clock.now()
    with db.unit_of_work() as s:
        ids = list(s.scalars(
            select(OutboxEvent.id)
            .where(OutboxEvent.processed_at.is_(None), OutboxEvent.dead_at.is_(None),
                   OutboxEvent.available_at <= now,
                   (OutboxEvent.claimed_until.is_(None)) | (OutboxEvent.claimed_until < now))
            .order_by(OutboxEvent.id).limit(limit)
            .with_for_update(skip_locked=True)
        ))
        if ids:
            s.execute(update(OutboxEvent).where(OutboxEvent.id.in_(ids))
                      .values(claimed_by=worker, claimed_until=now + LEASE))
    return ids


def _handle_one(db: Database, registry: HandlerRegistry, worker: str, event_id: int) -> bool:
    try:
        with db.unit_of_work() as s:
            row = s.get(OutboxEvent, event_id, with_for_update=True)
            if row is None or row.processed_at is not None or row.claimed_by != worker:
                return False  # our lease ran out and someone else took it
            ev = Event(row.id, row.tenant_id, row.topic, row.payload, row.created_at)
            for _name, handler in registry.for_topic(ev.topic):
                handler(s, ev)
            row.processed_at = clock.now()
            row.claimed_by = row.claimed_until = None
        return True
    except Exception as exc:  # a handler failed: back off and retry later; never lose the event
        log.exception("outbox handler failed", extra={"event_id": event_id})
        with db.unit_of_work() as s:
            row = s.get(OutboxEvent, event_id)
            if row is not None and row.claimed_by == worker:
                row.attempts += 1
                row.last_error = repr(exc)[:2000]
                row.claimed_by = row.claimed_until = None
                delay = timedelta(seconds=min(2 ** row.attempts, 3600))
                row.available_at = clock.now() + delay
                if row.attempts >= MAX_ATTEMPTS:
                    row.dead_at = clock.now()
        return False


def dispatch_batch(db: Database, registry: HandlerRegistry, worker: str | None = None,
                   limit: int = 100) -> int:
    """Handle up to `limit` due events; returns how many were handled."""
    worker = worker or f"{socket.gethostname()}:{uuid.uuid4().hex[:8]}"
    return sum(_handle_one(db, registry, worker, i) for i in _claim(db, worker, limit))


def drain(db: Database, registry: HandlerRegistry, max_rounds: int = 1000) -> int:
    total = 0
    for _ in range(max_rounds):
        n = dispatch_batch(db, registry)
        total += n
        if n == 0:
            break
    return total


class Dispatcher:
    """Background thread for the embedded default: wakes on commit of a transaction that
    emitted events, and polls as a fallback."""

    def __init__(self, db: Database, registry: HandlerRegistry, interval: float) -> None:
        self.db, self.registry, self.interval = db, registry, interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="linli-outbox", daemon=True)
        self.worker = f"embedded:{socket.gethostname()}:{uuid.uuid4().hex[:8]}"

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
                while dispatch_batch(self.db, self.registry, self.worker) and not self._stop.is_set():
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
