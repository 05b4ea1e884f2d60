"""The hash chain of a batch, canonical form version 1 (pure functions: no database).

Canonical JSON v1: a JSON object with exactly the keys listed below, keys sorted, no whitespace
(separators "," and ":"), non-ASCII characters written as themselves (ensure_ascii=False), UTF-8 encoded.
Strings are stored as given (the service strips surrounding whitespace before storing); dates are
"YYYY-MM-DD"; instants are UTC "YYYY-MM-DDTHH:MM:SSZ" (whole seconds: the service truncates them);
integers are JSON numbers.

- the batch header (its fields are fixed once created):
  {"v", "kind": "batch", "tenant_id", "code", "product_id", "origin", "producer", "produced_on",
   "quantity", "unit", "inspection_no"}
  header_hash = sha256(canonical header).hexdigest()
- an entry: {"v", "kind": "entry", "batch_id", "seq", "stage", "occurred_at", "place", "operator", "details"}
  hash = sha256(prev_hash + canonical entry).hexdigest(), prev_hash as its 64 lower-case hex characters
  (ASCII) followed by the canonical bytes. The first entry's prev_hash is the header_hash; each later
  entry's prev_hash is the previous entry's hash.

Because seq and batch_id are inside the hashed text, a reordered or moved entry fails its own hash; a
deleted one leaves a gap in seq and a prev_hash that no longer matches."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

VERSION = 1


class EntryLike(Protocol):
    batch_id: int
    seq: int
    stage: str
    occurred_at: datetime
    place: str
    operator: str
    details: str
    version: int
    prev_hash: str
    hash: str


class BatchLike(Protocol):
    tenant_id: int
    code: str
    product_id: int
    origin: str
    producer: str
    produced_on: date
    quantity: int
    unit: str
    inspection_no: str
    header_hash: str


def instant(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def header_hash(b: BatchLike) -> str:
    return hashlib.sha256(canonical({
        "v": VERSION, "kind": "batch", "tenant_id": b.tenant_id, "code": b.code, "product_id": b.product_id,
        "origin": b.origin, "producer": b.producer, "produced_on": b.produced_on.isoformat(),
        "quantity": b.quantity, "unit": b.unit, "inspection_no": b.inspection_no})).hexdigest()


def entry_hash(prev_hash: str, batch_id: int, seq: int, stage: str, occurred_at: datetime, place: str,
               operator: str, details: str) -> str:
    body = canonical({"v": VERSION, "kind": "entry", "batch_id": batch_id, "seq": seq, "stage": stage,
                      "occurred_at": instant(occurred_at), "place": place, "operator": operator,
                      "details": details})
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    broken_seq: int | None = None  # the first entry that fails (0: the batch header itself)
    reason: str | None = None  # header_changed | version_unknown | seq_gap | prev_mismatch | hash_mismatch


def verify(batch: BatchLike, entries: list[EntryLike]) -> Verdict:
    """Recompute the chain in seq order; the first entry whose link or hash fails is reported."""
    if header_hash(batch) != batch.header_hash:
        return Verdict(False, len(entries), 0, "header_changed")
    prev = batch.header_hash
    for expected, e in enumerate(sorted(entries, key=lambda x: x.seq), start=1):
        if e.version != VERSION:
            return Verdict(False, len(entries), e.seq, "version_unknown")
        if e.seq != expected:
            return Verdict(False, len(entries), e.seq, "seq_gap")
        if e.prev_hash != prev:
            return Verdict(False, len(entries), e.seq, "prev_mismatch")
        if entry_hash(e.prev_hash, e.batch_id, e.seq, e.stage, e.occurred_at, e.place, e.operator,
                      e.details) != e.hash:
            return Verdict(False, len(entries), e.seq, "hash_mismatch")
        prev = e.hash
    return Verdict(True, len(entries))
