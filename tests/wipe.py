"""Emptying the session's database before each test, cheaply: every table empty, every id counting from 1.

PostgreSQL: one DELETE per table with triggers off (`session_replication_role = replica` lifts the ledgers'
append-only triggers and the foreign-key checks, so the order does not matter), then the sequences that were
used start again at 1. TRUNCATE of all ~75 tables was ~1-2 s a test: it makes new files for every table and
index and syncs them at the commit; a DELETE of an empty table is microseconds. Needs a superuser (tests only).

SQLite: one query finds the tables that have rows; only those are emptied, and the append-only triggers are
lifted only on the ledgers among them (dropping a trigger changes the schema, which every pooled connection
then re-reads). Without AUTOINCREMENT an emptied table's ids start at 1 again.
"""

from __future__ import annotations

from sqlalchemy import text

from linli.core import append_only
from linli.core.db import Base, Database


def _tables() -> list[str]:
    return [t.name for t in reversed(Base.metadata.sorted_tables)]


def wipe(db: Database) -> None:
    if db.dialect == "postgresql":
        _wipe_postgresql(db)
    else:
        _wipe_sqlite(db)


def _wipe_postgresql(db: Database) -> None:
    deletes = "".join(f"DELETE FROM {t};" for t in _tables())
    with db.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL session_replication_role = replica;" + deletes)
        conn.execute(text("SELECT setval(quote_ident(schemaname) || '.' || quote_ident(sequencename), 1, false) "
                          "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"))


def non_empty_tables(db: Database) -> list[str]:
    """The tables that have a row, in one query."""
    tables = _tables()
    probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {t})" for t in tables)
    with db.engine.connect() as conn:
        found = {name for (name,) in conn.execute(text(probe))}
    return [t for t in tables if t in found]  # children before parents


def _wipe_sqlite(db: Database) -> None:
    touched = non_empty_tables(db)
    if not touched:
        return
    ledgers = [t for t in append_only.LEDGERS if t in touched]
    with db.engine.begin() as conn:
        append_only.remove(conn, ledgers)
        for t in touched:
            conn.execute(text(f"DELETE FROM {t}"))
        append_only.install(conn, ledgers)
