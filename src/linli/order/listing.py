"""The console's order list: numbered pages with the payable and refunded sums, and the whole filtered list in
batches for export. A community or leader filter becomes the pickup points they serve."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

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


class Line(NamedTuple):
    product_name: str
    quantity: int


class Exported(NamedTuple):
    """An order as the export writes it: plain values, no ORM object or response model per row."""

    id: int
    member_id: int
    status: str
    total_fen: int
    discount_fen: int
    payable_fen: int
    refunded_fen: int
    source: str
    pickup_point_id: int | None
    created_at: datetime
    paid_at: datetime | None
    picked_up_at: datetime | None
    items: list[Line]


EXPORTED = [getattr(Order, name) for name in Exported._fields[:-1]]


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[Exported]]:
    def shape(rows: Sequence[Any]) -> list[Exported]:
        lines = repo.item_lines(s, p.tenant_id, [r.id for r in rows])
        return [Exported._make((*r, [Line(*line) for line in lines[r.id]])) for r in rows]
    return batches(s, _query(s, p, f), Order.id, shape, columns=EXPORTED)


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
