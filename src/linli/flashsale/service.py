"""Flash sales (秒杀): never more units sold than the quantity, never more per member than the limit.

Database path (always): a per-member conditional upsert, then the conditional UPDATE on the sale row as
the last statement before commit, so the hot row is locked as briefly as possible. Redis path (when
configured): an atomic reservation first, so refused attempts never touch the database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.catalog import stock
from linli.core import clock
from linli.core import redis as core_redis
from linli.core.db import after_commit, after_rollback
from linli.core.errors import Conflict, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.flashsale import repository as repo
from linli.flashsale.gate import Gate, gate
from linli.flashsale.schemas import FlashSaleIn, FlashSaleOut, PurchaseIn, PurchaseOut
from linli.flashsale.soldout import memo
from linli.flashsale.terms import terms_book
from linli.models import FlashSale
from linli.order import service as orders
from linli.tier import service as tiers


def create(s: Session, p: Principal, data: FlashSaleIn) -> FlashSaleOut:
    """The sale's units are set aside from the product's stock now; unsold ones return at the end."""
    # first: an unknown product is a 422, not a foreign-key conflict on the sale row
    check_price(s, p.tenant_id, data.product_id, data.price_fen)
    stock.take_for(s, p.tenant_id, data.product_id, data.quantity, "flash_sale", p.user_id)
    sale = FlashSale(tenant_id=p.tenant_id, sold=0, **data.model_dump())
    s.add(sale)
    s.flush()
    g = gate()
    if g is not None:
        after_commit(s, lambda: g.open(p.tenant_id, sale.id, sale.quantity))
    return out(sale)


def get(s: Session, p: Principal, sale_id: int) -> FlashSaleOut:
    return out(_sale(s, p.tenant_id, sale_id))


def search(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[FlashSaleOut], str | None]:
    rows, nxt = fetch_page(s, repo.listing(p.tenant_id), FlashSale.id, limit, cursor)
    return [out(r) for r in rows], nxt


def check_price(s: Session, tenant_id: int, product_id: int, price_fen: int) -> None:
    catalog.require_below_list(s, tenant_id, product_id, price_fen, "flash-sale")


@dataclass(frozen=True)
class Terms:
    """What a sale promises. Terms change only by an edit before the sale starts (`editing.py`), which bumps
    `revision`; each process keeps them for `TERMS_SECONDS` (`terms.py`) and the purchase's final UPDATE
    requires the revision it used, so a sale is never sold on stale terms. `sold` and `closed_at` change
    and are read where they matter."""

    id: int
    tenant_id: int
    product_id: int
    price_fen: int
    quantity: int
    per_member_limit: int
    starts_at: datetime
    ends_at: datetime
    tier_early_access: bool
    revision: int


def purchase(s: Session, p: Principal, sale_id: int, data: PurchaseIn) -> PurchaseOut:
    """Refusals come as early and as cheaply as possible: window and limit from the sale's terms (no query
    once known), sold out from Redis alone on the Redis path or from one small read on the database path.
    Then the per-member upsert, the order, and the conditional UPDATE of the sale row last (shortest lock)."""
    assert p.member_id is not None
    now = clock.now()
    terms = _terms(s, p.tenant_id, sale_id)
    early = _early_access(s, p, terms, now)
    _check_window(terms, now + early)
    if data.quantity > terms.per_member_limit:
        raise Conflict("more than the per-member limit", code="limit_exceeded")
    g = gate()
    token = _reserve(s, g, terms, data.quantity, now) if g is not None else None
    if token is None:  # no Redis (or it is unreachable): the database path
        _units_left(s, terms, data.quantity)  # unlocked pre-check: most attempts stop here
    if not repo.hold(s, p.tenant_id, terms.id, p.member_id, data.quantity, terms.per_member_limit):
        raise Conflict("more than the per-member limit", code="limit_exceeded")
    order = orders.place_reserved(s, p, terms.product_id, data.quantity, terms.price_fen, "flash_sale", terms.id,
                                  data.pickup_point_id)
    repo.add_purchase(s, p.tenant_id, terms.id, p.member_id, order.id, data.quantity, token, now)
    if not repo.take_units(s, p.tenant_id, terms.id, data.quantity, now, early, terms.revision):  # last: shortest lock
        raise _refusal(s, terms)
    memo().forget(terms.tenant_id, terms.id)  # units were left: the herd may try again
    return PurchaseOut(order_id=order.id, flash_sale_id=terms.id, quantity=data.quantity,
                       payable_fen=order.payable_fen)


def _terms(s: Session, tenant_id: int, sale_id: int) -> Terms:
    found = terms_book().get(tenant_id, sale_id)
    if found is None:
        sale = _sale(s, tenant_id, sale_id)
        found = Terms(sale.id, sale.tenant_id, sale.product_id, sale.price_fen, sale.quantity,
                      sale.per_member_limit, sale.starts_at, sale.ends_at, sale.tier_early_access, sale.revision)
        terms_book().put(tenant_id, sale_id, found)
    return found


def known_terms(tenant_id: int, sale_id: int) -> Terms | None:
    """The sale's terms if this process has read them a moment ago (no query)."""
    found: Terms | None = terms_book().get(tenant_id, sale_id)
    return found


def refused_as_sold_out(terms: Terms, quantity: int, now: datetime) -> bool:
    """Whether an attempt can be refused as sold out from memory alone: the sale is open to everyone (before
    its start only early access could let a member in, and that needs their tier) and the attempt is within the
    limit — so the full path would ask for units next — and the sale was sold out a moment ago (`soldout.py`)."""
    return (_open(terms, now) and quantity <= terms.per_member_limit
            and memo().refuses(terms.tenant_id, terms.id))


def _refusal(s: Session, terms: Terms) -> Conflict:
    """Why the final UPDATE took no units (one read, only on this path): the sale was stopped, its terms were
    edited since this process read them (forgotten here, so a retry reads the new ones), or it sold out."""
    _, closed_at, revision = repo.progress(s, terms.tenant_id, terms.id)
    if closed_at is not None:
        return Conflict("the flash sale is not running now", code="not_active")
    if revision != terms.revision:
        terms_book().forget(terms.tenant_id, terms.id)
        return Conflict("the flash sale's terms were changed; try again", code="flash_sale_changed")
    return _sold_out(terms)


def _sold_out(terms: Terms) -> Conflict:
    memo().mark(terms.tenant_id, terms.id)
    return Conflict("sold out", code="sold_out")


def _units_left(s: Session, terms: Terms, quantity: int) -> int:
    """Units the database has left (one read, no lock); 409 when the sale was closed or is sold out."""
    sold, closed_at, _ = repo.progress(s, terms.tenant_id, terms.id)
    if closed_at is not None:
        raise Conflict("the flash sale is not running now", code="not_active")
    if sold + quantity > terms.quantity:
        raise _sold_out(terms)
    return terms.quantity - sold


def _reserve(s: Session, g: Gate, terms: Terms, quantity: int, now: datetime) -> str | None:
    """Sold out is answered by Redis without touching the database, unless Redis is not counting yet. None when
    Redis does not answer: the attempt takes the database path, which guards the sale just as well (Redis only
    decides how many attempts reach it); a reservation whose answer was lost is given back by `repair`."""
    token = uuid.uuid4().hex
    try:
        got = g.reserve(terms.tenant_id, terms.id, token, quantity, now.timestamp())
        if got == -1:  # not counting yet (e.g. Redis was flushed): start from the database's figure
            g.open(terms.tenant_id, terms.id, _units_left(s, terms, 0))
            got = g.reserve(terms.tenant_id, terms.id, token, quantity, now.timestamp())
    except core_redis.UNREACHABLE as exc:
        core_redis.mark_down(exc)
        return None
    if got == 0:
        raise _sold_out(terms)
    after_commit(s, lambda: g.confirm(terms.tenant_id, terms.id, token))
    after_rollback(s, lambda: _give_back_reservation(g, terms, token))
    return token


def _give_back_reservation(g: Gate, terms: Terms, token: str) -> None:
    """The attempt failed after its reservation (e.g. over the member's limit): the unit is Redis's again, so
    an attempt refused meanwhile as sold out must not stay refused by this process's memo."""
    if g.compensate(terms.tenant_id, terms.id, token):
        memo().forget(terms.tenant_id, terms.id)


def release(s: Session, tenant_id: int, order_id: int, returned: int) -> None:
    """An order of the sale was cancelled or refunded before pickup: its units go back to the sale,
    or to the product's stock if the sale has closed."""
    purchase = repo.purchase_of_order(s, tenant_id, order_id, lock=True)
    if purchase is None or purchase.released_at is not None or returned <= 0:
        return  # released already: handlers run at least once
    sale = repo.get(s, tenant_id, purchase.flash_sale_id, lock=True)
    assert sale is not None
    purchase.released_at = clock.now()
    repo.unhold(s, sale.id, purchase.member_id, purchase.quantity)
    if sale.closed_at is not None:
        stock.put_back(s, tenant_id, [(sale.product_id, returned)], order_id, "flash_sale", None)
        return
    repo.return_units(s, sale.id, returned)
    after_commit(s, lambda: memo().forget(tenant_id, sale.id))
    g = gate()
    if g is not None:
        after_commit(s, lambda: g.give_back(tenant_id, sale.id, returned))


def close(s: Session, tenant_id: int, sale_id: int) -> bool:
    """After the window: unsold units go back to the product's stock, once."""
    sale = repo.get(s, tenant_id, sale_id, lock=True)
    if sale is None or sale.closed_at is not None:
        return False
    sale.closed_at = clock.now()
    unsold = sale.quantity - sale.sold
    if unsold:
        stock.put_back(s, tenant_id, [(sale.product_id, unsold)], None, "flash_sale", None)
    after_commit(s, lambda: memo().forget(tenant_id, sale.id))  # now the answer is not_active
    g = gate()
    if g is not None:
        after_commit(s, lambda: g.close(tenant_id, sale.id))
    return True


def _sale(s: Session, tenant_id: int, sale_id: int) -> FlashSale:
    sale = repo.get(s, tenant_id, sale_id)
    if sale is None:
        raise NotFound("flash sale not found", code="flash_sale_not_found")
    return sale


def _early_access(s: Session, p: Principal, terms: Terms, now: datetime) -> timedelta:
    """How much earlier than everyone this member may buy: their tier's early minutes (黄金 30, 黑卡 60 by
    default) on a sale that offers early access; asked only before the sale starts."""
    if not terms.tier_early_access or now >= terms.starts_at:
        return timedelta(0)
    assert p.member_id is not None
    return timedelta(minutes=tiers.benefits_of(s, p.tenant_id, p.member_id).flash_sale_early_minutes)


def _check_window(terms: Terms, now: datetime) -> None:
    """`now` is the member's clock: moved forward by their early access. `closed_at` is checked by the read
    of the units left (`_units_left`) and by the final UPDATE."""
    if not _open(terms, now):
        raise Conflict("the flash sale is not running now", code="not_active")


def _open(terms: Terms, now: datetime) -> bool:
    return terms.starts_at <= now < terms.ends_at


def out(sale: FlashSale) -> FlashSaleOut:
    now = clock.now()
    status: Literal["scheduled", "active", "ended"] = (  # a sale stopped before its start has ended too
        "ended" if sale.closed_at or now >= sale.ends_at else "scheduled" if now < sale.starts_at else "active")
    return FlashSaleOut(id=sale.id, product_id=sale.product_id, price_fen=sale.price_fen, quantity=sale.quantity,
                        sold=sale.sold, remaining=sale.quantity - sale.sold, per_member_limit=sale.per_member_limit,
                        starts_at=sale.starts_at, ends_at=sale.ends_at, tier_early_access=sale.tier_early_access,
                        status=status, closed_at=sale.closed_at)


def purchase_releases(s: Session, tenant_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    """(purchases made in [start, end), of those released since: unpaid, cancelled or refunded) — the
    flash-sale release-rate alert."""
    return repo.purchase_releases(s, tenant_id, start, end)
