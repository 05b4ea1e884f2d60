"""The console's bookings list: numbered pages with the total and the sum of the prices (paid at the service),
and the whole filtered list in batches for export. The date range bounds the service time (starts_at)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.localservice import repository as repo
from linli.localservice.schemas import BookingOut
from linli.models import ServiceBooking


def _stmt(p: Principal, f: Filters, merchant_id: int | None) -> Select[Any]:
    return repo.bookings(p.tenant_id, None, f.status, merchant_id, f.community_id, f.since, f.until)


def page(s: Session, p: Principal, f: Filters, number: int, size: int,
         merchant_id: int | None = None) -> Numbered[BookingOut]:
    operator_only(p)
    return numbered(s, _stmt(p, f, merchant_id), ServiceBooking.id, number, size, _shape, sums=("price_fen",))


def export(s: Session, p: Principal, f: Filters, merchant_id: int | None = None) -> Iterator[list[BookingOut]]:
    operator_only(p)
    return batches(s, _stmt(p, f, merchant_id), ServiceBooking.id, _shape)


def counts(s: Session, p: Principal) -> dict[str, int]:
    operator_only(p)
    return repo.status_counts(s, p.tenant_id)


def _shape(rows: Sequence[ServiceBooking]) -> list[BookingOut]:
    return [BookingOut.model_validate(b) for b in rows]
