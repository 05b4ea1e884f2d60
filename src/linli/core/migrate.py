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
