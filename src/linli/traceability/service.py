"""Traceability (真物溯源): batches of a product with their origin, entries appended to the batch's hash chain,
verification, the public trace page's data, and `batch_info` for crisis compensation.

A batch's fields are fixed once created (their hash heads the chain). Appending locks the batch row, so
concurrent appends to one batch queue up and each follows the one before; the unique (batch, seq) refuses a
fork even where no lock is taken."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import BatchEntry, ProductBatch
from linli.traceability import chain
from linli.traceability import repository as repo
from linli.traceability.schemas import (
    REASONS,
    STAGES,
    BatchDetailOut,
    BatchIn,
    BatchInfo,
    BatchOut,
    EntryIn,
    EntryOut,
    VerifyOut,
)

RECEIVED = ("storage", "arrival")
FUTURE_SLACK = timedelta(hours=1)  # clocks of the people recording differ a little


def trace_path(token: str) -> str:
    return f"/t/{token}"


# --- shapes -----------------------------------------------------------------------------------

def _outs(s: Session, tenant_id: int, rows: list[ProductBatch]) -> list[BatchOut]:
    windows = repo.windows(s, tenant_id, [b.id for b in rows])
    names: dict[int, str] = {}
    out = []
    for b in rows:
        if b.product_id not in names:
            names[b.product_id] = catalog.brief(s, tenant_id, b.product_id).name
        n, first, last = windows.get(b.id, (0, None, None))
        out.append(BatchOut(
            id=b.id, code=b.code, product_id=b.product_id, product_name=names[b.product_id], origin=b.origin,
            producer=b.producer, produced_on=b.produced_on, quantity=b.quantity, unit=b.unit,
            inspection_no=b.inspection_no, notes=b.notes, header_hash=b.header_hash, trace_url=trace_path(b.token),
            entries_count=n, first_at=first, last_at=last, created_at=b.created_at))
    return out


def _entry_out(e: BatchEntry) -> EntryOut:
    return EntryOut(id=e.id, seq=e.seq, stage=e.stage, stage_label=STAGES[e.stage], occurred_at=e.occurred_at,
                    place=e.place, operator=e.operator, details=e.details, prev_hash=e.prev_hash, hash=e.hash,
                    created_at=e.created_at)


def _verify_out(v: chain.Verdict) -> VerifyOut:
    if v.ok:
        message = "链路校验通过"
    else:
        where = "批次信息" if v.broken_seq == 0 else f"第 {v.broken_seq} 条记录"
        message = f"已被篡改:{where}{REASONS.get(v.reason or '', '')}"
    return VerifyOut(ok=v.ok, entries=v.entries, broken_seq=v.broken_seq, reason=v.reason, message=message)


def _detail(s: Session, b: ProductBatch) -> BatchDetailOut:
    entries = repo.entries(s, b.tenant_id, b.id)
    base = _outs(s, b.tenant_id, [b])[0]
    return BatchDetailOut(**base.model_dump(), entries=[_entry_out(e) for e in entries],
                          verification=_verify_out(chain.verify(b, list(entries))))


def _require(s: Session, tenant_id: int, batch_id: int, lock: bool = False) -> ProductBatch:
    b = repo.batch(s, tenant_id, batch_id, lock=lock)
    if b is None:
        raise NotFound("batch not found", code="batch_not_found")
    return b


# --- operator actions -------------------------------------------------------------------------

def create(s: Session, p: Principal, data: BatchIn) -> BatchOut:
    catalog.brief(s, p.tenant_id, data.product_id)  # 422 unknown_product
    if repo.batch_by_code(s, p.tenant_id, data.code) is not None:
        raise Conflict(f"batch code {data.code} is taken", code="batch_code_taken")
    b = ProductBatch(tenant_id=p.tenant_id, code=data.code, product_id=data.product_id, origin=data.origin,
                     producer=data.producer, produced_on=data.produced_on, quantity=data.quantity, unit=data.unit,
                     inspection_no=data.inspection_no, notes=data.notes, token=secrets.token_urlsafe(24))
    b.header_hash = chain.header_hash(b)
    try:
        with s.begin_nested():
            repo.add(s, b)
    except IntegrityError as exc:  # a concurrent create took the code first
        raise Conflict(f"batch code {data.code} is taken", code="batch_code_taken") from exc
    return _outs(s, p.tenant_id, [b])[0]


def append(s: Session, p: Principal, batch_id: int, data: EntryIn) -> EntryOut:
    b = _require(s, p.tenant_id, batch_id, lock=True)  # appends to one batch queue here
    last = repo.last_entry(s, p.tenant_id, b.id)
    seq, prev = (last.seq + 1, last.hash) if last else (1, b.header_hash)
    if last is not None and last.stage == "sold_out":
        raise Conflict("the batch is sold out: its chain is closed", code="batch_closed")
    if last is not None and data.occurred_at < last.occurred_at:
        raise Invalid("an entry cannot be earlier than the one before it", code="entry_before_previous")
    if data.occurred_at > clock.now() + FUTURE_SLACK:
        raise Invalid("an entry records what has happened, not what will", code="entry_in_future")
    e = BatchEntry(tenant_id=p.tenant_id, batch_id=b.id, seq=seq, stage=data.stage, occurred_at=data.occurred_at,
                   place=data.place, operator=data.operator, details=data.details, version=chain.VERSION,
                   prev_hash=prev, recorded_by=p.user_id)
    e.hash = chain.entry_hash(prev, b.id, seq, e.stage, e.occurred_at, e.place, e.operator, e.details)
    try:
        with s.begin_nested():
            repo.add(s, e)
    except IntegrityError as exc:  # another append took this seq (no lock on this path): never fork
        raise Conflict("another entry was appended at the same time; retry", code="chain_moved") from exc
    return _entry_out(e)


def search(s: Session, p: Principal, product_id: int | None, q: str | None, limit: int,
           cursor: str | None) -> tuple[list[BatchOut], str | None]:
    rows, nxt = fetch_page(s, repo.batches(p.tenant_id, product_id, q), ProductBatch.id, limit, cursor)
    return _outs(s, p.tenant_id, list(rows)), nxt


def get(s: Session, p: Principal, batch_id: int) -> BatchDetailOut:
    return _detail(s, _require(s, p.tenant_id, batch_id))


def verify(s: Session, p: Principal, batch_id: int) -> VerifyOut:
    b = _require(s, p.tenant_id, batch_id)
    return _verify_out(chain.verify(b, list(repo.entries(s, p.tenant_id, b.id))))


def token_of(s: Session, p: Principal, batch_id: int) -> str:
    return _require(s, p.tenant_id, batch_id).token


# --- public trace page and other domains ------------------------------------------------------

def public_trace(s: Session, token: str) -> BatchDetailOut | None:
    """The public page's data (no login): None for an unknown token."""
    if not token or len(token) > 40:
        return None
    b = repo.batch_by_token(s, token)
    return _detail(s, b) if b is not None else None


def batch_info(s: Session, tenant_id: int, batch_id: int) -> BatchInfo:
    """The batch's product and the window it was on sale (see BatchInfo); 404 batch_not_found."""
    b = _require(s, tenant_id, batch_id)
    entries = repo.entries(s, tenant_id, b.id)
    received = [e.occurred_at for e in entries if e.stage in RECEIVED]
    sold_out = [e.occurred_at for e in entries if e.stage == "sold_out"]
    times = [e.occurred_at for e in entries]
    first_at = min(received) if received else (min(times) if times else None)
    last_at = max(sold_out) if sold_out else (max(times) if times else None)
    return BatchInfo(id=b.id, code=b.code, product_id=b.product_id, origin=b.origin, first_at=first_at,
                     last_at=last_at, sold_out=bool(sold_out))
