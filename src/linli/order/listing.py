"""The console's order list: numbered pages with the payable and refunded sums, and the whole filtered list in
batches for export. A community or leader filter becomes the pickup points they serve."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core.listing import Filters, Numbered, Shape, batches, numbered, operator_only
from linli.core.security import Principal
from linli.models import Order
from linli.order import repository as repo
from linli.order.schemas import OrderOut
from linli.order.service import out

SUMS = ("payable_fen", "refunded_fen")


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[OrderOut]:
    return numbered(s, _query(s, p, f), Order.id, number, size, _shape(s, p), SUMS)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[OrderOut]]:
    return batches(s, _query(s, p, f), Order.id, _shape(s, p))


def _query(s: Session, p: Principal, f: Filters) -> Select[Any]:
    operator_only(p)
    point_ids = None
    if f.community_id is not None or f.leader_id is not None:
        point_ids = community.point_ids(s, p.tenant_id, f.community_id, f.leader_id)
    return repo.console_list(p.tenant_id, f, point_ids)


def _shape(s: Session, p: Principal) -> Shape[OrderOut]:
    def shape(rows: Sequence[Order]) -> list[OrderOut]:
        items = repo.items(s, p.tenant_id, [o.id for o in rows])
        return [out(o, items[o.id], p) for o in rows]
    return shape
