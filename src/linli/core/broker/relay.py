"""The relay: moves committed outbox work to the broker, and the worker loop that consumes it.

Any number of relays may run (one in every `linli worker`, one in `linli serve`): each fans out a batch of
new events with SKIP LOCKED, commits the delivery rows leased to itself for LINLI_BROKER_REPUBLISH_SECONDS,
and only then publishes their ids. A relay that dies between its commit and its publish loses nothing: the
lease runs out and a relay publishes those deliveries again, as it does retries whose back-off has passed.
A delivery published twice runs once (its delivery state)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from linli.config import Settings
from linli.core.broker import Broker, connect
from linli.core.db import Database
from linli.core.outbox import (
    HandlerRegistry,
    claim_due,
    fan_out_by_event,
    handle_delivery,
    new_worker_id,
    release,
)

log = logging.getLogger("linli.broker")

# How often a relay looks for deliveries to publish again (retries due, leases run out). Not every round:
# while workers are behind, every published delivery is pending, and the look passes over all of them.
SWEEP_EVERY = 1.0


def open_broker(settings: Settings) -> Broker:
    return connect(settings.broker_url, settings.broker_queue, settings.broker_prefetch,
                   settings.broker_reclaim_seconds)


class Relay:
    """One relay round per `step()`; keeps its own broker connection (one thread only)."""

    def __init__(self, db: Database, registry: HandlerRegistry, settings: Settings, batch: int = 100) -> None:
        self.db, self.registry, self.settings, self.batch = db, registry, settings, batch
        self.holder = new_worker_id("relay")
        self.lease = timedelta(seconds=settings.broker_republish_seconds)
        self._broker: Broker | None = None
        self._next_sweep = 0.0

    def step(self) -> int:
        """Publish one batch; returns how many deliveries (and events without subscribers) it moved on."""
        if self._broker is None:
            self._broker = open_broker(self.settings)
        due: list[int] = []
        if time.monotonic() >= self._next_sweep:
            due = claim_due(self.db, self.holder, self.lease, self.batch)
            if len(due) < self.batch:  # else there is more: look again next round
                self._next_sweep = time.monotonic() + SWEEP_EVERY
        fresh, without = fan_out_by_event(self.db, self.registry, self.holder, self.lease, self.batch)
        # one message per new event, naming all its deliveries: one worker runs them one after the other
        # (each still in its own transaction), so an event's subscribers do not queue on its summary row in
        # several workers at once, and a broker round trip carries a whole event. A retry goes alone.
        messages = [",".join(map(str, ids)) for ids in fresh] + [str(i) for i in due]
        if messages:
            try:
                self._broker.publish(messages)
            except Exception:  # publish them again next round, not only after the lease
                release(self.db, due + [i for ids in fresh for i in ids], self.holder)
                self._next_sweep = 0.0  # where the next round finds them
                self.close()
                raise
        else:
            self._broker.keepalive()
        return len(due) + sum(map(len, fresh)) + without

    def close(self) -> None:
        if self._broker is not None:
            broker, self._broker = self._broker, None
            broker.close()

    def run(self, stop: threading.Event, idle: float) -> None:
        while not stop.is_set():
            try:
                if self.step() == 0:
                    stop.wait(idle)
            except Exception:
                log.exception("relay round failed")
                stop.wait(1.0)
        self.close()


def handle_message(db: Database, registry: HandlerRegistry) -> Callable[[str], None]:
    def handle(body: str) -> None:
        try:
            ids = [int(part) for part in body.split(",")]
        except ValueError:
            log.error("broker message is not a list of delivery ids; dropped", extra={"body": body[:100]})
            return
        for delivery_id in ids:  # each commits before the message is acknowledged
            handle_delivery(db, registry, delivery_id)

    return handle


def run_worker(db: Database, registry: HandlerRegistry, settings: Settings, stopping: Callable[[], bool],
               idle: float, batch: int) -> None:
    """`linli worker` with a broker: a relay thread, and this thread consuming (reconnecting when the
    broker goes away)."""
    stop = threading.Event()
    relay = Relay(db, registry, settings, batch)
    thread = threading.Thread(target=relay.run, args=(stop, idle), name="linli-relay", daemon=True)
    thread.start()
    handle = handle_message(db, registry)
    try:
        while not stopping():
            broker: Broker | None = None
            try:
                broker = open_broker(settings)
                broker.consume(handle, stopping)
            except Exception:
                log.exception("broker consumer failed; reconnecting")
                stop.wait(1.0)
            finally:
                if broker is not None:
                    broker.close()
    finally:
        stop.set()
        thread.join(timeout=10)
