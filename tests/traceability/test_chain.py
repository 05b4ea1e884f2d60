"""The batch's entries form a hash chain: linked, recomputable from the documented canonical form, append-only,
and any change made behind the service's back (an edited, deleted or reordered row, a changed origin) is found."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from linli.core import clock
from linli.traceability import service
from tests.traceability.helpers import batch, entries, sql


def _canonical_entry(batch_id: int, e: dict) -> bytes:
    at = clock.as_utc(__import__("datetime").datetime.fromisoformat(e["occurred_at"]))
    fields = {"v": 1, "kind": "entry", "batch_id": batch_id, "seq": e["seq"], "stage": e["stage"],
              "occurred_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "place": e["place"], "operator": e["operator"],
              "details": e["details"]}
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_entries_chain_from_the_header_and_recompute_from_the_documented_form(make):
    t = make.tenant()
    b = batch(t)
    entries(t, b["id"])
    got = t.client.get(f"/api/v1/batches/{b['id']}", headers=t.op).json()
    assert [e["seq"] for e in got["entries"]] == [1, 2, 3, 4, 5]
    assert [e["stage_label"] for e in got["entries"]] == ["采摘", "质检", "入库", "运输", "到店/自提点"]
    header = {"v": 1, "kind": "batch", "tenant_id": t.tenant_id, "code": b["code"], "product_id": b["product_id"],
              "origin": "山东烟台栖霞", "producer": "栖霞果园合作社", "produced_on": "2026-09-15", "quantity": 500,
              "unit": "箱", "inspection_no": "QJ-2026-0915"}
    raw = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert got["header_hash"] == hashlib.sha256(raw).hexdigest()
    prev = got["header_hash"]
    for e in got["entries"]:
        assert e["prev_hash"] == prev
        assert e["hash"] == hashlib.sha256(prev.encode() + _canonical_entry(b["id"], e)).hexdigest()
        prev = e["hash"]
    assert got["verification"] == {"ok": True, "entries": 5, "broken_seq": None, "reason": None,
                                   "message": "链路校验通过"}
    assert got["entries_count"] == 5 and got["trace_url"].startswith("/t/") and len(got["trace_url"]) > 30


def test_entries_cannot_be_updated_or_deleted_through_the_database(make, db):
    t = make.tenant()
    b = batch(t)
    entries(t, b["id"], ("harvest",))
    for statement in ("UPDATE batch_entries SET details = 'x'", "DELETE FROM batch_entries"):
        with pytest.raises(DBAPIError), db.engine.begin() as conn:
            conn.execute(text(statement))
    assert t.client.get(f"/api/v1/batches/{b['id']}/verify", headers=t.op).json()["ok"] is True


@pytest.mark.parametrize(("change", "seq", "reason"), [
    ("UPDATE batch_entries SET details = '已调包' WHERE seq = 3", 3, "hash_mismatch"),
    ("UPDATE batch_entries SET occurred_at = occurred_at WHERE seq = 2; "
     "DELETE FROM batch_entries WHERE seq = 2", 3, "seq_gap"),
    ("UPDATE batch_entries SET seq = 100 WHERE seq = 2; UPDATE batch_entries SET seq = 2 WHERE seq = 4; "
     "UPDATE batch_entries SET seq = 4 WHERE seq = 100", 2, "prev_mismatch"),
    ("UPDATE product_batches SET origin = '别处'", 0, "header_changed"),
])
def test_tampering_is_found_at_the_first_broken_entry(make, db, change, seq, reason):
    t = make.tenant()
    b = batch(t)
    entries(t, b["id"])
    for statement in change.split("; "):
        sql(db, statement)
    v = t.client.get(f"/api/v1/batches/{b['id']}/verify", headers=t.op).json()
    assert (v["ok"], v["broken_seq"], v["reason"]) == (False, seq, reason)
    assert v["message"].startswith("已被篡改")
    page = t.client.get(b["trace_url"])
    assert page.status_code == 200 and "已被篡改" in page.text and "链路校验通过" not in page.text


def test_a_rehashed_entry_still_breaks_the_link_to_the_next(make, db):
    """Someone who edits an entry and recomputes its hash cannot fix the next entry's prev_hash silently."""
    t = make.tenant()
    b = batch(t)
    entries(t, b["id"])
    sql(db, "UPDATE batch_entries SET hash = :h WHERE seq = 2", h="0" * 64)
    v = t.client.get(f"/api/v1/batches/{b['id']}/verify", headers=t.op).json()
    assert (v["broken_seq"], v["reason"]) == (2, "hash_mismatch")


def test_concurrent_appends_keep_one_chain(make):
    t = make.tenant()
    b = batch(t)
    start = clock.now() - timedelta(days=1)

    def append(i: int) -> int:
        return t.client.post(f"/api/v1/batches/{b['id']}/entries", headers=t.op, json={
            "stage": "transport", "occurred_at": start.isoformat(), "place": f"车{i}"}).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert Counter(pool.map(append, range(8))) == {201: 8}
    got = t.client.get(f"/api/v1/batches/{b['id']}", headers=t.op).json()
    assert [e["seq"] for e in got["entries"]] == list(range(1, 9))
    assert got["verification"]["ok"] is True


def test_batch_info_is_the_received_to_sold_out_window(make, db):
    t = make.tenant()
    b = batch(t)
    start = clock.now() - timedelta(days=3)
    entries(t, b["id"], ("harvest", "inspection", "storage", "arrival", "sold_out"), start=start)
    with db.unit_of_work() as s:
        info = service.batch_info(s, t.tenant_id, b["id"])
    assert (info.id, info.code, info.product_id, info.origin) == (b["id"], b["code"], b["product_id"], "山东烟台栖霞")
    assert info.first_at == start + timedelta(hours=12) and info.last_at == start + timedelta(hours=24)
    assert info.sold_out is True
