"""The console's list of deliveries: numbered pages with the filters (status, a date range), and the whole
filtered list in batches for export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.delivery import repository as repo
from linli.delivery import service
from linli.delivery.schemas import DeliveryOut
from linli.models import Delivery


def _stmt(p: Principal, f: Filters) -> Select[Any]:
    return repo.listing(p.tenant_id, None, [f.status] if f.status else None, f.since, f.until)


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[DeliveryOut]:
    operator_only(p)
    return numbered(s, _stmt(p, f), Delivery.id, number, size, _shape)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[DeliveryOut]]:
    operator_only(p)
    return batches(s, _stmt(p, f), Delivery.id, _shape)


def _shape(rows: Sequence[Delivery]) -> list[DeliveryOut]:
    return [service.out(d) for d in rows]
