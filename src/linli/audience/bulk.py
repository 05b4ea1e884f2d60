"""The bulk job for one tenant: export the tables into DuckDB (pyarrow, from the SQLAlchemy connection), compute
every feature, RFM, tag and segment there (bulk_sql.py), then write back only the differences and emit
segment.entered / segment.left for the memberships that really changed."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy.orm import Session

from linli.audience import bulk_sql, evaluate
from linli.audience import repository as repo
from linli.audience.rules import Node, categories_of
from linli.core import outbox
from linli.models import AudienceRun, MemberTag, SegmentMember

SCHEMAS = {
    "members": pa.schema([("member_id", pa.int64()), ("joined_us", pa.int64()), ("community", pa.string()),
                          ("building", pa.string()), ("household_type", pa.string()), ("unit_type", pa.string())]),
    "orders": pa.schema([("order_id", pa.int64()), ("member_id", pa.int64()), ("status", pa.string()),
                         ("total_fen", pa.int64()), ("discount_fen", pa.int64()), ("payable_fen", pa.int64()),
                         ("refunded_fen", pa.int64()), ("source", pa.string()), ("paid_us", pa.int64()),
                         ("ready_us", pa.int64()), ("picked_us", pa.int64())]),
    "items": pa.schema([("order_id", pa.int64()), ("category", pa.string()), ("amount_fen", pa.int64()),
                        ("is_fresh", pa.bool_())]),
    "interactions": pa.schema([("member_id", pa.int64()), ("kind", pa.string()), ("at_us", pa.int64())]),
    "old_tags": pa.schema([("tag_id", pa.int64()), ("member_id", pa.int64())]),
    "old_segments": pa.schema([("segment_id", pa.int64()), ("member_id", pa.int64())]),
}


@dataclass(frozen=True)
class RunResult:
    tenant_id: int
    members: int
    tags: int
    tags_added: int
    tags_removed: int
    segments_entered: int
    segments_left: int
    seconds: float


def arrow(name: str, rows: Iterable[tuple[Any, ...]]) -> pa.Table:
    schema = SCHEMAS[name]
    cols = list(zip(*rows, strict=True)) or [() for _ in schema]
    return pa.table([pa.array(list(c), type=f.type) for c, f in zip(cols, schema, strict=True)], schema=schema)


def refresh(s: Session, tenant_id: int, at: datetime) -> RunResult:
    started = time.perf_counter()
    at_us = repo.us(at)
    rows = repo.tags(s, tenant_id)
    tags = [(t.id, t.ast) for t in rows]
    segments = [(g.id, g.definition) for g in repo.segments(s, tenant_id)]
    con = duckdb.connect()
    try:
        _load(con, s, tenant_id, at)
        con.register("old_tags", arrow("old_tags", repo.export_member_tags(s, tenant_id)))
        con.register("old_segments", arrow("old_segments", repo.export_segment_members(s, tenant_id)))
        out = bulk_sql.compute(con, at_us, tags, segments, {t.code: t.ast for t in rows})
        added = _pairs(con, "tags_added")
        removed = _pairs(con, "tags_removed")
        entered = _pairs(con, "segments_entered")
        left = _pairs(con, "segments_left")
        rfm = con.execute("SELECT member_id, r_score, f_score, m_score, rfm_class, days_since_order, orders_365d,"
                          " spend_365d_fen FROM features").fetchall()
    finally:
        con.close()
    repo.remove_links(s, MemberTag, tenant_id, "tag_id", removed)
    repo.add_links(s, MemberTag, tenant_id, "tag_id", added, at)
    gone = repo.remove_links(s, SegmentMember, tenant_id, "segment_id", left)
    new = repo.add_links(s, SegmentMember, tenant_id, "segment_id", entered, at)
    for topic, pairs in (("segment.left", gone), ("segment.entered", new)):
        for segment_id, member_id in pairs:
            outbox.emit(s, tenant_id, topic, {"segment_id": segment_id, "member_id": member_id})
    _write_rfm(s, tenant_id, rfm, at)
    seconds = time.perf_counter() - started
    repo.add_run(s, AudienceRun(tenant_id=tenant_id, at=at, members=out["features"], tags=len(tags),
                                tags_added=len(added), tags_removed=len(removed),
                                segment_changes=len(gone) + len(new), cutpoints=out["cutpoints"], seconds=seconds))
    return RunResult(tenant_id, out["features"], len(tags), len(added), len(removed), len(new), len(gone), seconds)


def _load(con: duckdb.DuckDBPyConnection, s: Session, tenant_id: int, at: datetime) -> None:
    """The tenant's rows the features come from, as Arrow tables registered on `con`."""
    inputs = {
        "members": repo.export_members(s, tenant_id),
        "orders": repo.export_orders(s, tenant_id),
        "items": repo.export_items(s, tenant_id, at - timedelta(days=366)),
        "interactions": repo.export_interactions(s, tenant_id, at - timedelta(days=91)),
    }
    for name, rows in inputs.items():
        con.register(name, arrow(name, rows))


def preview(s: Session, tenant_id: int, ast: Node, at: datetime) -> tuple[int, int]:
    """(members matching the rule now, members in all), computed like the bulk job but nothing written."""
    con = duckdb.connect()
    try:
        _load(con, s, tenant_id, at)
        con.execute(f"CREATE TEMP TABLE base AS {bulk_sql.features_sql(repo.us(at), sorted(categories_of(ast)))}")
        cuts = bulk_sql.rfm_cutpoints(con)
        row = con.execute(f"SELECT count(*) FILTER (WHERE {evaluate.to_sql(ast)}), count(*) "
                          f"FROM ({bulk_sql.rfm_sql(cuts)})").fetchone()
    finally:
        con.close()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _pairs(con: duckdb.DuckDBPyConnection, name: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in con.execute(f"SELECT * FROM {name} ORDER BY 1, 2").fetchall()]


def rfm_values(row: tuple[Any, ...], at: datetime) -> dict[str, Any]:
    member_id, r, f, m, cls, days, orders, spend = row
    return {"member_id": int(member_id), "r": int(r), "f": int(f), "m": int(m), "rfm_class": cls,
            "recency_days": int(days), "frequency": int(orders), "monetary_fen": int(spend), "computed_at": at}


def _write_rfm(s: Session, tenant_id: int, rows: list[tuple[Any, ...]], at: datetime) -> None:
    existing = repo.rfm_rows(s, tenant_id)
    changed = []
    for row in rows:
        values = rfm_values(row, at)
        old = existing.get(values["member_id"])
        if old is None or (old.r, old.f, old.m, old.rfm_class, old.recency_days, old.frequency, old.monetary_fen) != (
                values["r"], values["f"], values["m"], values["rfm_class"], values["recency_days"],
                values["frequency"], values["monetary_fen"]):
            changed.append(values)
    repo.write_rfm(s, tenant_id, changed, set(existing))
