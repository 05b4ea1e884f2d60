"""The console's list of points (自提网络): numbered pages and the whole filtered list for export. The network
is read whole (a tenant has hundreds of points, not millions) and filtered here; the date range picks the points
with a closure within it."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, operator_only
from linli.core.security import Principal
from linli.pickup.network import network
from linli.pickup.schemas import ClosureOut, PointOut

FILTERS = {"open": "营业中", "paused": "暂停", "closed": "已关闭", "full": "已满"}


def _rows(s: Session, p: Principal, f: Filters) -> list[PointOut]:
    operator_only(p)
    rows = network(s, p.tenant_id, f.community_id)
    if f.status == "full":
        rows = [r for r in rows if r.full]
    elif f.status in FILTERS:
        rows = [r for r in rows if r.effective_status == f.status]
    if f.q:
        rows = [r for r in rows if f.q in r.name or f.q in r.address]
    if f.since is not None or f.until is not None:  # the date range: points closed at some time within it
        rows = [r for r in rows if any(_overlaps(c, f) for c in r.closures)]
    return rows


def _overlaps(c: ClosureOut, f: Filters) -> bool:
    return ((f.until is None or c.starts_at < f.until)
            and (f.since is None or c.ends_at is None or c.ends_at > f.since))


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[PointOut]:
    rows = _rows(s, p, f)
    return Numbered(rows[(number - 1) * size:number * size], len(rows), number, size)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[PointOut]]:
    yield _rows(s, p, f)
