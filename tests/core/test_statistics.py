"""Planner statistics (core.db.refresh_statistics): a refresh gives the planner the tables' statistics on both
backends, and the server's scheduler refreshes them at its first tick."""

from __future__ import annotations

import time

from sqlalchemy import text

from linli.core.db import Database, refresh_statistics
from linli.core.jobs import Scheduler
from linli.events import build_registry
from tests.api.conftest import populate


def _orders_have_statistics(db: Database) -> bool:
    probe = ("SELECT count(*) FROM pg_stats WHERE tablename = 'orders'" if db.dialect == "postgresql" else
             "SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    with db.engine.connect() as conn:
        if not conn.execute(text(probe)).scalar_one():
            return False
        if db.dialect == "postgresql":
            return True
        return bool(conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'orders'")).scalar_one())


def _analyses_of_orders(db: Database) -> int:
    """How many times orders was analysed (PostgreSQL's cumulative statistics; they follow within a second)."""
    with db.engine.connect() as conn:
        return int(conn.execute(text("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'orders'"))
                   .scalar_one())


def _forget_sqlite_statistics(db: Database) -> None:
    with db.engine.begin() as conn:
        if conn.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")).scalar_one():
            conn.execute(text("DELETE FROM sqlite_stat1"))


def test_a_refresh_gives_the_planner_statistics_of_the_orders(make, db):
    populate(make)
    if db.dialect == "sqlite":
        _forget_sqlite_statistics(db)
        assert not _orders_have_statistics(db)
    with db.unit_of_work() as s:
        refresh_statistics(s)
    assert _orders_have_statistics(db)


def test_the_scheduler_refreshes_them_at_its_first_tick(make, db):
    populate(make)
    sqlite = db.dialect == "sqlite"
    if sqlite:
        _forget_sqlite_statistics(db)
    before = 0 if sqlite else _analyses_of_orders(db)

    def refreshed() -> bool:
        return _orders_have_statistics(db) if sqlite else _analyses_of_orders(db) > before

    assert not refreshed()
    scheduler = Scheduler(db, [], build_registry(), interval=0.05)
    scheduler.start()
    try:
        deadline = time.monotonic() + 30  # PostgreSQL reports the analysis when the backend next flushes its statistics
        while not refreshed():
            assert time.monotonic() < deadline, "no refresh 30 s after the scheduler started"
            time.sleep(0.05)
    finally:
        scheduler.stop()
