from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text

from linli.core import append_only, clock
from linli.core.db import Database
from tests.factories import TenantKit

STAGES = ("harvest", "inspection", "storage", "transport", "arrival")


def batch(t: TenantKit, code: str = "B20260918-01", **kw: Any) -> dict[str, Any]:
    product = kw.pop("product_id", None) or t.product(is_fresh=True)["id"]
    body = {"code": code, "product_id": product, "origin": "山东烟台栖霞", "producer": "栖霞果园合作社",
            "produced_on": "2026-09-15", "quantity": 500, "unit": "箱", "inspection_no": "QJ-2026-0915"}
    body.update(kw)
    return t.post("/batches", body)


def entries(t: TenantKit, batch_id: int, stages: tuple[str, ...] = STAGES,
            start: datetime | None = None) -> list[dict[str, Any]]:
    at = start or clock.now() - timedelta(days=3)
    out = []
    for i, stage in enumerate(stages):
        out.append(t.post(f"/batches/{batch_id}/entries", {
            "stage": stage, "occurred_at": (at + timedelta(hours=6 * i)).isoformat(), "place": f"地点{i}",
            "operator": "张师傅", "details": f"第{i + 1}步"}))
    return out


@contextmanager
def tampering(db: Database) -> Iterator[Connection]:
    """A connection on which the append-only triggers of batch_entries are lifted (as tests/wipe.py does)."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            yield conn
        else:
            append_only.remove(conn, ("batch_entries",))
            yield conn
            append_only.install(conn, ("batch_entries",))


def sql(db: Database, statement: str, **params: Any) -> None:
    with tampering(db) as conn:
        conn.execute(text(statement), params)
