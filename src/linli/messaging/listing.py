"""The console's delivery log: numbered pages, and the whole filtered log in batches for export.
The search box takes a member id (digits) or the start of a source ("journey", "operator:3")."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.messaging import repository as repo
from linli.messaging.schemas import DeliveryOut
from linli.models.messaging import MessageDelivery


def _query(p: Principal, f: Filters) -> Select[MessageDelivery]:
    q = (f.q or "").strip()
    member_id = int(q) if q.isascii() and q.isdigit() and len(q) <= 18 else None
    source = q if q and member_id is None else None
    return repo.deliveries_query(p.tenant_id, member_id, None, f.status, source, f.since, f.until)


def _shape(rows: Sequence[MessageDelivery]) -> list[DeliveryOut]:
    return [DeliveryOut.model_validate(d) for d in rows]


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[DeliveryOut]:
    operator_only(p)
    return numbered(s, _query(p, f), MessageDelivery.id, number, size, _shape)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[DeliveryOut]]:
    operator_only(p)
    return batches(s, _query(p, f), MessageDelivery.id, _shape)
