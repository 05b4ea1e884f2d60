"""Product management by operators: edit, 上架/下架 (on/off shelf), the image, categories and the stock ledger.
Stock itself moves only through `stock.adjust` (a ledger row per change)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.catalog import images
from linli.catalog import repository as repo
from linli.catalog.schemas import CategoryOut, ProductOut, ProductPatch, StockMovementOut
from linli.catalog.service import ensure_category, get_product
from linli.core.errors import NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import Product, StockMovement

# the columns a patch writes as given (the category goes through its name)
_PLAIN = ("name", "price_fen", "is_fresh", "unit", "description", "is_active")


def update(s: Session, p: Principal, product_id: int, data: ProductPatch) -> ProductOut:
    """Only the fields sent change. A new price applies to orders placed from now on; orders and campaigns
    already made keep theirs (they copied it)."""
    product = _product(s, p, product_id)
    given = data.model_dump(exclude_unset=True)
    for field in _PLAIN:
        if given.get(field) is not None:
            setattr(product, field, given[field])
    if data.category is not None:
        product.category_id = ensure_category(s, p.tenant_id, data.category).id
    s.flush()
    return get_product(s, p, product_id)


def set_on_shelf(s: Session, p: Principal, product_id: int, on_shelf: bool) -> ProductOut:
    return update(s, p, product_id, ProductPatch(is_active=on_shelf))


def attach_image(s: Session, p: Principal, product_id: int, content: bytes) -> ProductOut:
    """The product's picture: checked to be an image by its bytes, stored once per content."""
    product = _product(s, p, product_id)
    product.image = images.store(content)
    s.flush()
    return get_product(s, p, product_id)


def categories(s: Session, p: Principal) -> list[CategoryOut]:
    return [CategoryOut(id=c.id, name=c.name) for c in repo.categories(s, p.tenant_id)]


def movements(s: Session, p: Principal, product_id: int, limit: int,
              cursor: str | None) -> tuple[list[StockMovementOut], str | None]:
    """The product's stock ledger, newest first."""
    _product(s, p, product_id)
    rows, nxt = fetch_page(s, repo.movements(p.tenant_id, product_id), StockMovement.id, limit, cursor)
    return [StockMovementOut(id=m.id, product_id=m.product_id, delta=m.delta, reason=m.reason, order_id=m.order_id,
                             note=m.note, created_at=m.created_at) for m in rows], nxt


def _product(s: Session, p: Principal, product_id: int) -> Product:
    product = repo.product(s, p.tenant_id, product_id)
    if product is None:
        raise NotFound("product not found", code="product_not_found")
    return product
