"""Ledger tables refuse UPDATE and DELETE in the database itself (triggers), on both dialects.

Each migration that creates a ledger installs the triggers for its own tables (`tables=`), so an
old migration never names a table that a later one creates."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

# every ledger table, in the order the migrations created them
LEDGERS = ("stock_movements", "order_events", "refunds", "payments", "group_events",
           "points_transactions", "points_entries",
           "member_stage_history", "growth_entries", "member_tier_history", "leader_case_events",
           "commission_entries", "leader_contact_notes", "batch_entries")


def install(conn: Connection, tables: Iterable[str] = LEDGERS) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("""
            CREATE OR REPLACE FUNCTION linli_append_only() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
            END $$ LANGUAGE plpgsql"""))
        for table in tables:
            conn.execute(text(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION linli_append_only()"))
        return
    for table in tables:
        for op in ("UPDATE", "DELETE"):
            conn.execute(text(f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                              f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"))


def remove(conn: Connection, tables: Iterable[str] = LEDGERS) -> None:
    """Only for migrations going down and for emptying test databases. The PostgreSQL function is
    shared by every ledger and stays (CREATE OR REPLACE keeps it current)."""
    for table in tables:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
        else:
            for op in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{op}"))
