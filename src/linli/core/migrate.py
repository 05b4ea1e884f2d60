"""Bring a database to the newest schema with the Alembic migrations (tests use this too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command, op
from alembic.config import Config

ROOT = Path(__file__).resolve().parents[3]


def upgrade(database_url: str) -> None:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = database_url
    command.upgrade(cfg, "head")


def tenant_keys(name: str, *refs: tuple[str, str]) -> list[Any]:
    """For a migration's create_table: the id primary key, tenant_id NOT NULL with its foreign key, and a foreign
    key per (column, target table) in `refs`, named as the metadata's naming convention names them."""
    from linli.core.db import IdType

    items: list[Any] = [
        sa.Column("id", IdType, autoincrement=True, nullable=False),
        sa.Column("tenant_id", IdType, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name=op.f(f"fk_{name}_tenant_id_tenants")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    ]
    for column, target in refs:
        items.append(sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{name}_{column}_{target}")))
    return items


def replace_check(table: str, name: str, old: str, new: str) -> None:
    """Replace the CHECK constraint `name` of `table`, whose text is `old`, by `new` (stored rows must satisfy it).

    SQLite changes a CHECK only by rebuilding the table, and dropping a table others refer to fails with foreign
    keys on (they cannot be turned off inside the migration's transaction). SQLite's documented alternative for
    constraint changes that leave the stored data valid: edit the table's definition in sqlite_master and bump
    the schema version (https://sqlite.org/lang_altertable.html)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.drop_constraint(op.f(name), table, type_="check")
        op.create_check_constraint(op.f(name), table, new)
        return
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                               (table,)).scalar_one()
    assert sql.count(old) == 1, sql
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                         (sql.replace(old, new), table))
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
