"""Ledger tables refuse UPDATE and DELETE in the database itself (triggers), on both dialects."""

from __future__ import annotations

from sqlalchemy import Connection, text

LEDGERS = ("stock_movements", "order_events", "refunds", "payments", "group_events")


def install(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("""
            CREATE OR REPLACE FUNCTION linli_append_only() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
            END $$ LANGUAGE plpgsql"""))
        for table in LEDGERS:
            conn.execute(text(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                              f"FOR EACH ROW EXECUTE FUNCTION linli_append_only()"))
        return
    for table in LEDGERS:
        for op in ("UPDATE", "DELETE"):
            conn.execute(text(f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                              f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"))


def remove(conn: Connection) -> None:
    """Only for migrations going down and for emptying test databases."""
    for table in LEDGERS:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
        else:
            for op in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{op}"))
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP FUNCTION IF EXISTS linli_append_only()"))
