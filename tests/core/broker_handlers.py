"""Handlers for the broker tests' `linli worker --registry tests.core.broker_handlers:build_registry`
subprocesses: each writes one row per delivery into broker_effects (no unique constraint, so a duplicated
effect would show as a second row); "flaky" fails the first attempt of every 7th event."""

from __future__ import annotations

import os
import time

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from linli.core.outbox import Event, HandlerRegistry, OutboxDelivery

TOPIC = "broker.test"
EFFECTS_DDL = ("CREATE TABLE broker_effects (id BIGSERIAL PRIMARY KEY, key TEXT NOT NULL, "
               "handler TEXT NOT NULL, pid INTEGER NOT NULL)")
_INSERT = text("INSERT INTO broker_effects (key, handler, pid) VALUES (:key, :handler, :pid)")


def _write(s: Session, ev: Event, handler: str) -> None:
    s.execute(_INSERT, {"key": ev.payload["key"], "handler": handler, "pid": os.getpid()})


def effect(s: Session, ev: Event) -> None:
    _write(s, ev, "effect")
    time.sleep(0.003)  # a handler takes a moment: a killed worker is likely caught in the middle of one


def flaky(s: Session, ev: Event) -> None:
    attempts = s.scalar(select(OutboxDelivery.attempts).where(OutboxDelivery.event_id == ev.id,
                                                              OutboxDelivery.handler == "flaky"))
    if ev.payload["n"] % 7 == 0 and attempts == 0:
        raise RuntimeError("flaky: first attempt fails")
    _write(s, ev, "flaky")


def build_registry() -> HandlerRegistry:
    registry = HandlerRegistry()
    registry.on(TOPIC, "effect", effect)
    registry.on(TOPIC, "flaky", flaky)
    return registry
