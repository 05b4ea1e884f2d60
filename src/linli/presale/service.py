"""Presale (预售): members pay now — in full, or a deposit (定金) now and the balance (尾款) by a deadline —
for goods delivered on a date. The presale has a quota of its own
(the goods are not in stock yet); its orders open for pickup on the delivery date."""

from __future__ import annotations

from typing import Literal

from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.core import clock
from linli.core.errors import Conflict, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import Presale
from linli.order import service as orders
from linli.order.schemas import OrderOut
from linli.presale import repository as repo
from linli.presale.schemas import PresaleIn, PresaleOrderIn, PresaleOut


def create(s: Session, p: Principal, data: PresaleIn) -> PresaleOut:
    catalog.brief(s, p.tenant_id, data.product_id)  # 422 for an unknown product
    presale = Presale(tenant_id=p.tenant_id, sold=0, **data.model_dump())
    s.add(presale)
    s.flush()
    return out(presale)


def get(s: Session, p: Principal, presale_id: int) -> PresaleOut:
    return out(_presale(s, p.tenant_id, presale_id))


def search(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[PresaleOut], str | None]:
    rows, nxt = fetch_page(s, repo.listing(p.tenant_id), Presale.id, limit, cursor)
    return [out(r) for r in rows], nxt


def order(s: Session, p: Principal, presale_id: int, data: PresaleOrderIn) -> OrderOut:
    assert p.member_id is not None
    presale = _presale(s, p.tenant_id, presale_id)
    now = clock.now()
    if not presale.starts_at <= now < presale.ends_at:
        raise Conflict("the presale is not selling now", code="not_active")
    if not repo.take_units(s, presale.id, data.quantity, now):
        raise Conflict("sold out", code="sold_out")
    # the row lock taken above makes this count see every earlier order of the same member
    if orders.live_quantity(s, p.tenant_id, p.member_id, "presale", presale.id) + data.quantity \
            > presale.per_member_limit:
        raise Conflict("more than the per-member limit", code="limit_exceeded")
    deposit = (presale.deposit_fen or 0) * data.quantity
    return orders.place_reserved(s, p, presale.product_id, data.quantity, presale.price_fen, "presale", presale.id,
                                 data.pickup_point_id, deliverable_from=presale.delivers_at,
                                 deposit_fen=deposit, balance_due_at=presale.balance_due_at if deposit else None)


def orders_of(s: Session, p: Principal, presale_id: int, limit: int,
              cursor: str | None) -> tuple[list[OrderOut], str | None]:
    _presale(s, p.tenant_id, presale_id)
    return orders.search_by_source(s, p, "presale", presale_id, limit, cursor)


def release(s: Session, tenant_id: int, presale_id: int, returned: int) -> None:
    """A presale order was cancelled or refunded before delivery: its units go back to the quota."""
    if returned > 0 and repo.get(s, tenant_id, presale_id) is not None:
        repo.return_units(s, presale_id, returned)


def _presale(s: Session, tenant_id: int, presale_id: int) -> Presale:
    presale = repo.get(s, tenant_id, presale_id)
    if presale is None:
        raise NotFound("presale not found", code="presale_not_found")
    return presale


def out(x: Presale) -> PresaleOut:
    now = clock.now()
    status: Literal["scheduled", "selling", "awaiting_delivery", "delivering"] = (
        "scheduled" if now < x.starts_at else "selling" if now < x.ends_at
        else "awaiting_delivery" if now < x.delivers_at else "delivering")
    return PresaleOut(id=x.id, product_id=x.product_id, price_fen=x.price_fen, quantity=x.quantity, sold=x.sold,
                      remaining=x.quantity - x.sold, per_member_limit=x.per_member_limit, starts_at=x.starts_at,
                      ends_at=x.ends_at, delivers_at=x.delivers_at, deposit_fen=x.deposit_fen,
                      balance_due_at=x.balance_due_at, status=status)
