"""Due work: every time-driven rule is a job run "as of" an instant, by `linli run-due --at`
and by the server's scheduler alike. Jobs must be safe to run concurrently and repeatedly."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from linli.core import clock
from linli.core.db import Database
from linli.core.outbox import HandlerRegistry, drain

log = logging.getLogger("linli.jobs")


@dataclass(frozen=True)
class DueJob:
    name: str
    run: Callable[[Database, datetime], int]  # returns how many items it handled


def run_due(db: Database, jobs: list[DueJob], registry: HandlerRegistry,
            at: datetime | None = None) -> dict[str, int]:
    """Deliver what is pending, run every job as of `at` (default: now), then deliver the events the
    jobs emitted. Delivering first means jobs see every reaction to what already happened."""
    instant = clock.as_utc(at) if at else clock.now()
    done: dict[str, int] = {}
    with clock.frozen_at(instant):
        delivered = drain(db, registry)
        for job in jobs:
            done[job.name] = job.run(db, instant)
        done["outbox"] = delivered + drain(db, registry)
    return done


class Scheduler:
    """Runs the due jobs as time passes, inside `linli serve`."""

    def __init__(self, db: Database, jobs: list[DueJob], registry: HandlerRegistry,
                 interval: float) -> None:
        self.db, self.jobs, self.registry, self.interval = db, jobs, registry, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="linli-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                run_due(self.db, self.jobs, self.registry)
            except Exception:
                log.exception("scheduled run failed")
