"""Due work: every time-driven rule is a job run "as of" an instant, by `linli run-due --at`
and by the server's scheduler alike. Jobs must be safe to run concurrently and repeatedly."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from linli.core import clock
from linli.core.db import Database, refresh_statistics
from linli.core.outbox import HandlerRegistry, drain

log = logging.getLogger("linli.jobs")
STATISTICS_EVERY = 24 * 3600.0  # seconds between the scheduler's refreshes of the planner statistics


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
        statistics_at = -STATISTICS_EVERY  # at the first tick: a database just loaded or grown has its counts
        while not self._stop.wait(self.interval):
            try:
                run_due(self.db, self.jobs, self.registry)
                if time.monotonic() - statistics_at >= STATISTICS_EVERY:
                    with self.db.unit_of_work() as s:
                        refresh_statistics(s)
                    statistics_at = time.monotonic()
            except Exception:
                log.exception("scheduled run failed")
