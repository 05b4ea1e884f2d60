"""Categories and products."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from linli.catalog import images, stock
from linli.catalog import repository as repo
from linli.catalog.schemas import ProductIn, ProductOut
from linli.core.errors import Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import Category, Product


def ensure_category(s: Session, tenant_id: int, name: str) -> Category:
    name = name.strip()
    cat = repo.category_by_name(s, tenant_id, name)
    if cat is None:
        cat = Category(tenant_id=tenant_id, name=name)
        s.add(cat)
        s.flush()
    return cat


def create_product(s: Session, p: Principal, data: ProductIn) -> ProductOut:
    cat = ensure_category(s, p.tenant_id, data.category)
    product = Product(tenant_id=p.tenant_id, category_id=cat.id, name=data.name, price_fen=data.price_fen,
                      stock=0, is_fresh=data.is_fresh, unit=data.unit, description=data.description)
    s.add(product)
    s.flush()
    if data.stock:
        stock.adjust(s, p, product.id, data.stock, "initial")
        s.refresh(product)
    return _out(product, cat.name)


def get_product(s: Session, p: Principal, product_id: int) -> ProductOut:
    product = repo.product(s, p.tenant_id, product_id)
    if product is None:
        raise NotFound("product not found", code="product_not_found")
    return _out(product, repo.category_names(s, p.tenant_id, [product.category_id])[product.category_id])


def search_products(s: Session, p: Principal, q: str | None, category_id: int | None, limit: int,
                    cursor: str | None) -> tuple[list[ProductOut], str | None]:
    # members and leaders see what is on the shelf (上架); operators see everything
    on_shelf_only = p.role != "operator"
    rows, nxt = fetch_page(s, repo.search(p.tenant_id, q, category_id, on_shelf_only), Product.id, limit, cursor)
    names = repo.category_names(s, p.tenant_id, [r.category_id for r in rows])
    return [_out(r, names.get(r.category_id, "")) for r in rows], nxt


def brief(s: Session, tenant_id: int, product_id: int) -> Product:
    product = repo.product(s, tenant_id, product_id)
    if product is None:
        raise Invalid(f"product {product_id} does not exist", code="unknown_product")
    return product


def require_below_list(s: Session, tenant_id: int, product_id: int, price_fen: int, what: str) -> None:
    """A campaign (秒杀, 拼团) sells below the product's list price, or it is no offer: 422 `price_not_below_list`.
    An unknown product is 422 `unknown_product`."""
    list_price = brief(s, tenant_id, product_id).price_fen
    if price_fen >= list_price:
        raise Invalid(f"the {what} price must be below the list price ({list_price} fen)",
                      code="price_not_below_list")


def require_category(s: Session, tenant_id: int, category_id: int) -> None:
    """422 for a category id the tenant does not have (bad input in a body)."""
    if category_id not in {c.id for c in repo.categories(s, tenant_id)}:
        raise Invalid(f"category {category_id} does not exist", code="unknown_category")


def categories(s: Session, p: Principal) -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in repo.categories(s, p.tenant_id)]


def _out(product: Product, category: str) -> ProductOut:
    return ProductOut(id=product.id, name=product.name, category_id=product.category_id, category=category,
                      price_fen=product.price_fen, stock=product.stock, is_fresh=product.is_fresh,
                      unit=product.unit, description=product.description, is_active=product.is_active,
                      image_url=images.url_of(product.image), created_at=product.created_at)


def products_out(s: Session, tenant_id: int, rows: Sequence[Product]) -> list[ProductOut]:
    """Products as the API shows them, their category names read once (the console's list batches)."""
    names = repo.category_names(s, tenant_id, [r.category_id for r in rows])
    return [_out(r, names.get(r.category_id, "")) for r in rows]


def shelf_stock_at_most(s: Session, tenant_id: int, at_most: int) -> list[tuple[int, str, int]]:
    """(product id, name, stock) of the products on shelf with stock <= at_most (stock-out and low-stock
    alerts), by id."""
    return repo.shelf_stock_at_most(s, tenant_id, at_most)
