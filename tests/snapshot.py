"""A database's rows kept in memory and written back into an emptied database, moved forward in time.

Building a rich world through the API takes seconds (tests/api's `populate`: ~60 requests, each with its own
events and ledgers); writing its rows back takes milliseconds. Every timestamp moves by the time since the
snapshot, so the world is as fresh as if it had just been built (an order still pending, a flash sale still
running). Files the world uploaded (var_dir) are copied back beside it. Sequences continue after the rows.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Table, func, select, text

from linli.core import clock
from linli.core.db import Base, Database, UTCDateTime


@dataclass(frozen=True)
class Snapshot:
    taken_at: datetime
    rows: dict[str, list[dict[str, Any]]]  # parents before children
    files: Path  # a copy of var_dir


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _moments(table: Table) -> list[str]:
    return [c.name for c in table.columns if isinstance(c.type, UTCDateTime | DateTime)]


def take(db: Database, var_dir: Path, keep: Path) -> Snapshot:
    rows: dict[str, list[dict[str, Any]]] = {}
    with db.engine.connect() as conn:
        for table in _tables():
            found = [dict(r._mapping) for r in conn.execute(select(table))]
            if found:
                rows[table.name] = found
    shutil.copytree(var_dir, keep, dirs_exist_ok=True)
    return Snapshot(clock.now(), rows, keep)


def restore(db: Database, snap: Snapshot, var_dir: Path) -> None:
    """Into an emptied database (tests/wipe.py)."""
    shift = clock.now() - snap.taken_at
    tables = {t.name: t for t in _tables()}
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":  # as the wipe: no trigger or foreign-key check while the rows go in
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        for name, found in snap.rows.items():
            table = tables[name]
            conn.execute(table.insert(), [_moved(r, _moments(table), shift) for r in found])
        if db.dialect == "postgresql":
            for name in snap.rows:
                if "id" in tables[name].columns:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                      f"(SELECT max(id) FROM {name}))"))
    shutil.copytree(snap.files, var_dir, dirs_exist_ok=True)


def _moved(row: dict[str, Any], moments: list[str], shift: timedelta) -> dict[str, Any]:
    if not moments:
        return row
    return {**row, **{k: row[k] + shift for k in moments if row[k] is not None}}


def row_total(db: Database) -> int:
    with db.engine.connect() as conn:
        return sum(conn.scalar(select(func.count()).select_from(t)) or 0 for t in _tables())
