"""The console's parcel list (待取件 / 即将超时 / 已取件 / 已超时退回): numbered pages and the whole filtered list
in batches for export. Filters.status names the tab; "expiring" is the waiting parcels due within 12 hours."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.locker import repository as repo
from linli.locker import service
from linli.locker.schemas import ParcelOut
from linli.models import LockerParcel

TABS = {"live": "待取件", "expiring": "即将超时", "collected": "已取件", "expired": "已超时退回"}


def _stmt(p: Principal, f: Filters) -> Select[Any]:
    if f.status == "expiring":
        soon = clock.now() + timedelta(hours=service.EXPIRING_HOURS)
        return repo.parcel_query(p.tenant_id, None, f.since, f.until, expiring_before=soon)
    return repo.parcel_query(p.tenant_id, f.status if f.status in TABS else None, f.since, f.until)


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[ParcelOut]:
    operator_only(p)
    return numbered(s, _stmt(p, f), LockerParcel.id, number, size, _shape(s, p))


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[ParcelOut]]:
    operator_only(p)
    return batches(s, _stmt(p, f), LockerParcel.id, _shape(s, p))


def _shape(s: Session, p: Principal) -> Any:
    def shape(rows: Sequence[LockerParcel]) -> list[ParcelOut]:
        return service.outs(s, p.tenant_id, rows)
    return shape
