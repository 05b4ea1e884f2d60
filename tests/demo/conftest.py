"""The demo data sets, each loaded once and read by many tests (a load is most of a demo test's time).

- `small_demo`: the small demo (seed 7) in a database of its own per backend, loaded once in each worker (its
  tests share one xdist group, so once per run) as of one instant; each test runs with the clock pinned there,
  so "now" in the assertions is the load's now however late the test runs. Its tests only read.
- `full_demo`: the real `linli demo` data set on SQLite, once, as of a fixed day; tests that change it take a
  copy (`full_demo_copy`).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from linli.core import clock
from linli.core.db import Database
from linli.core.migrate import upgrade
from linli.demo.loader import load
from tests.conftest import _drop_pg, _pg_database, runtime_for, wire

SCALE = 0.05  # 100 members, about a thousand orders
# the full data set's day: a Wednesday afternoon late in November (the leaders' history ends in October)
FULL_DEMO_DAY = datetime.fromisoformat("2026-11-25T15:00:00+08:00")


@dataclass(frozen=True)
class Demo:
    db: Database
    counts: dict[str, Any]
    at: datetime  # the instant it was loaded as of
    seconds: float  # how long the load took


def _load(db: Database, var_dir: Path, at: datetime, **kw: Any) -> Demo:
    wire(runtime_for(db, var_dir))
    try:
        started = time.perf_counter()
        with clock.frozen_at(at):
            counts = load(db, quiet=True, **kw)
        seconds = time.perf_counter() - started
    finally:
        wire(None)
    assert counts is not None
    return Demo(db, counts, clock.as_utc(at), seconds)


@pytest.fixture(scope="session")
def small_demo_loaded(database: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("small-demo")
    if database.dialect == "postgresql":
        url = _pg_database(f"demo_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    else:
        url = f"sqlite:///{folder / 'demo.db'}"
    upgrade(url)
    db = Database(url)
    try:
        yield _load(db, folder, clock.now(), slug="demo", seed=7, scale=SCALE)
    finally:
        db.dispose()
        if database.dialect == "postgresql":
            _drop_pg(url)


@pytest.fixture
def small_demo(small_demo_loaded: Demo, tmp_path: Path) -> Iterator[Demo]:
    """The small demo wired in as the runtime, with every thread's clock at the load's instant."""
    wire(runtime_for(small_demo_loaded.db, tmp_path))
    clock.set_process_time(small_demo_loaded.at)
    try:
        yield small_demo_loaded
    finally:
        clock.set_process_time(None)
        wire(None)


@pytest.fixture(scope="session")
def full_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("full-demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    upgrade(url)
    db = Database(url)
    try:
        yield _load(db, folder, FULL_DEMO_DAY)
    finally:
        db.dispose()


@pytest.fixture
def full_demo_at_its_day(full_demo: Demo) -> Iterator[Demo]:
    """The full demo, read with every thread's clock at its day."""
    clock.set_process_time(full_demo.at)
    try:
        yield full_demo
    finally:
        clock.set_process_time(None)


@pytest.fixture(scope="module")
def full_demo_copy(full_demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """A copy of the full demo for one module's tests to change (SQLite's online backup: a consistent copy)."""
    path = tmp_path_factory.mktemp("full-demo-copy") / "demo.db"
    source = sqlite3.connect(full_demo.db.url.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    db = Database(f"sqlite:///{path}")
    try:
        yield Demo(db, full_demo.counts, full_demo.at, full_demo.seconds)
    finally:
        db.dispose()
