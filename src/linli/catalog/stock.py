"""Stock: every change is a conditional update plus a ledger row in the same transaction,
so stock never goes negative and the ledger always sums to it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from linli.catalog import repository as repo
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.security import Principal


@dataclass(frozen=True)
class Taken:
    """An order line priced from the catalog."""

    product_id: int
    quantity: int
    unit_price_fen: int
    name: str
    is_fresh: bool
    category_id: int | None


def quote(s: Session, tenant_id: int, lines: Iterable[tuple[int, int]]) -> list[Taken]:
    """(product id, quantity) lines priced at the catalog's prices, in product-id order: one read, no
    lock. 422 for a product the tenant does not have; the stock is checked by `take`."""
    ordered = sorted(lines)
    found = repo.briefs(s, tenant_id, [product_id for product_id, _ in ordered])
    priced = []
    for product_id, quantity in ordered:
        if product_id not in found:
            raise Invalid(f"product {product_id} does not exist", code="unknown_product")
        price, name, fresh, category_id = found[product_id]
        priced.append(Taken(product_id, quantity, price, name, fresh, category_id))
    return priced


def take(s: Session, tenant_id: int, lines: Sequence[Taken], order_id: int, actor_user_id: int | None) -> None:
    """Take the stock of quoted lines, every line or none (the caller's transaction rolls back on the raise).
    Meant as an order's last statements: the ledger rows go first, then the conditional decrements in
    product-id order (concurrent orders never deadlock), so each product row stays locked only until the
    commit. An inactive product, like one without enough stock, is a 409."""
    at = clock.now()
    repo.record_movements(s, [
        {"tenant_id": tenant_id, "product_id": t.product_id, "delta": -t.quantity, "reason": "order",
         "order_id": order_id, "actor_user_id": actor_user_id, "created_at": at} for t in lines])
    for t in sorted(lines, key=lambda t: t.product_id):
        if not repo.take_stock(s, tenant_id, t.product_id, t.quantity):
            raise _short(s, tenant_id, t.product_id)


def take_for(s: Session, tenant_id: int, product_id: int, quantity: int, reason: str,
             actor_user_id: int | None) -> None:
    """Set units aside for a campaign (flash sale, group-buy): all of them or a 409."""
    if not repo.take_stock(s, tenant_id, product_id, quantity):
        if repo.product(s, tenant_id, product_id) is None:
            raise Invalid(f"product {product_id} does not exist", code="unknown_product")
        raise _short(s, tenant_id, product_id)
    repo.record_movements(s, [{"tenant_id": tenant_id, "product_id": product_id, "delta": -quantity,
                               "reason": reason, "order_id": None, "actor_user_id": actor_user_id,
                               "created_at": clock.now()}])


def _short(s: Session, tenant_id: int, product_id: int) -> Conflict:
    """Why a conditional take failed (read only on that path): off the shelf (下架), or not enough stock."""
    product = repo.product(s, tenant_id, product_id)
    if product is not None and not product.is_active:
        return Conflict(f"product {product_id} is off the shelf", code="product_off_shelf")
    return Conflict(f"not enough stock for product {product_id}", code="insufficient_stock")


def put_back(s: Session, tenant_id: int, lines: Iterable[tuple[int, int]], order_id: int | None,
             reason: str, actor_user_id: int | None) -> None:
    """Return stock of a cancelled or refunded order."""
    rows = []
    for product_id, quantity in sorted(lines):
        if quantity <= 0:
            continue
        repo.add_stock(s, tenant_id, product_id, quantity)
        rows.append({"tenant_id": tenant_id, "product_id": product_id, "delta": quantity,
                     "reason": reason, "order_id": order_id, "actor_user_id": actor_user_id,
                     "created_at": clock.now()})
    repo.record_movements(s, rows)


def adjust(s: Session, p: Principal, product_id: int, delta: int, reason: str, note: str = "") -> int:
    """Operator restock or correction (a signed delta, the reason and a note in the ledger); refuses to take
    stock below zero (409 `insufficient_stock`, nothing written)."""
    if delta == 0:
        raise Invalid("delta must not be zero", code="invalid_delta")
    new_stock = repo.add_stock(s, p.tenant_id, product_id, delta)
    if new_stock is None:
        if repo.product(s, p.tenant_id, product_id) is None:
            raise NotFound("product not found", code="product_not_found")
        raise Conflict("stock cannot go below zero", code="insufficient_stock")
    repo.record_movements(s, [{"tenant_id": p.tenant_id, "product_id": product_id, "delta": delta,
                               "reason": reason, "order_id": None, "actor_user_id": p.user_id,
                               "note": note, "created_at": clock.now()}])
    return int(new_stock)


def ledger_sum(s: Session, tenant_id: int, product_id: int) -> int:
    return repo.ledger_sum(s, tenant_id, product_id)
