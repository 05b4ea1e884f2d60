"""Operators change a flash sale: edit its terms before it starts, or stop it (结束) at any time.

Edits are allowed only while nobody can have bought: before `starts_at`, with no purchase yet (early access
lets some tiers buy sooner) and not closed. Each edit bumps `revision`, which the purchase's final UPDATE
requires, so a purchase that read the old terms in any process rolls back instead of selling on them
(`terms.py`). A new quantity moves the difference between the product's stock and the sale through the
stock ledger. Stopping is the end-of-sale close, now: unsold units go back to stock once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.catalog import stock
from linli.core import clock
from linli.core.db import after_commit
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.security import Principal
from linli.flashsale import repository as repo
from linli.flashsale import service
from linli.flashsale.gate import gate
from linli.flashsale.schemas import FlashSaleEdit, FlashSaleOut
from linli.flashsale.soldout import memo
from linli.flashsale.terms import terms_book
from linli.models import FlashSale


def edit(s: Session, p: Principal, sale_id: int, data: FlashSaleEdit) -> FlashSaleOut:
    sale = _locked(s, p, sale_id)
    now = clock.now()
    if now >= sale.starts_at or repo.has_purchases(s, p.tenant_id, sale.id):
        raise Conflict("a flash sale that has started can only be stopped", code="flash_sale_started")
    given = data.model_dump(exclude_unset=True, exclude_none=True)
    starts_at, ends_at = given.get("starts_at", sale.starts_at), given.get("ends_at", sale.ends_at)
    if ends_at <= starts_at or ends_at <= now:
        raise Invalid("ends_at must be after starts_at and in the future", code="invalid_window")
    if "price_fen" in given:
        service.check_price(s, p.tenant_id, sale.product_id, given["price_fen"])
    delta = given.get("quantity", sale.quantity) - sale.quantity
    if delta > 0:
        stock.take_for(s, p.tenant_id, sale.product_id, delta, "flash_sale", p.user_id)
    elif delta < 0:  # nobody bought yet: every unit of the sale is unsold
        stock.put_back(s, p.tenant_id, [(sale.product_id, -delta)], None, "flash_sale", p.user_id)
    for field, value in given.items():
        setattr(sale, field, value)
    sale.revision += 1
    s.flush()
    tenant_id, quantity = p.tenant_id, sale.quantity

    def forget() -> None:  # this process reads the new terms at once; the others within TERMS_SECONDS
        terms_book().forget(tenant_id, sale_id)
        memo().forget(tenant_id, sale_id)
        g = gate()
        if g is not None and delta:
            g.reconcile(tenant_id, sale_id, quantity)  # nothing sold: all units are left

    after_commit(s, forget)
    return service.out(sale)


def stop(s: Session, p: Principal, sale_id: int) -> FlashSaleOut:
    """结束: the sale closes now (purchases are refused as `not_active`) and its unsold units go back to the
    product's stock; units of orders cancelled later go back to stock too (`service.release`)."""
    sale = _locked(s, p, sale_id)
    service.close(s, p.tenant_id, sale.id)
    return service.out(sale)


def _locked(s: Session, p: Principal, sale_id: int) -> FlashSale:
    sale = repo.get(s, p.tenant_id, sale_id, lock=True)
    if sale is None:
        raise NotFound("flash sale not found", code="flash_sale_not_found")
    if sale.closed_at is not None:
        raise Conflict("the flash sale is closed already", code="flash_sale_closed")
    return sale
