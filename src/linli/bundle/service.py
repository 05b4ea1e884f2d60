"""Bundles (套餐). A bundle has no stock of its own: it is as available as its scarcest component,
and an order for it takes every component's stock or none. Its price is the order's payable amount;
the difference from the components' list prices is the order's discount."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.bundle import repository as repo
from linli.bundle.schemas import BundleIn, BundleOrderIn, BundleOut, ComponentOut
from linli.catalog import service as catalog
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import Bundle, BundleItem
from linli.order import service as orders
from linli.order.schemas import OrderOut


def create(s: Session, p: Principal, data: BundleIn) -> BundleOut:
    if len({c.product_id for c in data.items}) != len(data.items):
        raise Invalid("each product appears once in a bundle", code="duplicate_component")
    products = {c.product_id: catalog.brief(s, p.tenant_id, c.product_id) for c in data.items}
    list_price = sum(products[c.product_id].price_fen * c.quantity for c in data.items)
    if data.price_fen > list_price:
        raise Invalid("the bundle price is above its components' list price", code="price_above_list")
    bundle = Bundle(tenant_id=p.tenant_id, name=data.name, price_fen=data.price_fen)
    s.add(bundle)
    s.flush()
    s.add_all([BundleItem(tenant_id=p.tenant_id, bundle_id=bundle.id, product_id=c.product_id,
                          quantity=c.quantity) for c in data.items])
    s.flush()
    return _out(s, p.tenant_id, bundle)


def get(s: Session, p: Principal, bundle_id: int) -> BundleOut:
    return _out(s, p.tenant_id, _bundle(s, p.tenant_id, bundle_id))


def search(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[BundleOut], str | None]:
    rows, nxt = fetch_page(s, repo.listing(p.tenant_id), Bundle.id, limit, cursor)
    return [_out(s, p.tenant_id, b) for b in rows], nxt


def order(s: Session, p: Principal, bundle_id: int, data: BundleOrderIn) -> OrderOut:
    bundle = _bundle(s, p.tenant_id, bundle_id)
    if not bundle.is_active:
        raise Conflict("this bundle is not on sale", code="not_active")
    components = repo.items(s, p.tenant_id, [bundle.id])[bundle.id]
    quantities = {c.product_id: c.quantity * data.quantity for c in components}
    return orders.place_lines(s, p, quantities, data.pickup_point_id, source="bundle", source_id=bundle.id,
                              payable_fen=bundle.price_fen * data.quantity)


def _bundle(s: Session, tenant_id: int, bundle_id: int) -> Bundle:
    bundle = repo.get(s, tenant_id, bundle_id)
    if bundle is None:
        raise NotFound("bundle not found", code="bundle_not_found")
    return bundle


def _out(s: Session, tenant_id: int, bundle: Bundle) -> BundleOut:
    components = repo.items(s, tenant_id, [bundle.id])[bundle.id]
    products = {c.product_id: catalog.brief(s, tenant_id, c.product_id) for c in components}
    items = [ComponentOut(product_id=c.product_id, name=products[c.product_id].name, quantity=c.quantity,
                          unit_price_fen=products[c.product_id].price_fen) for c in components]
    available = min((products[c.product_id].stock // c.quantity for c in components), default=0)
    return BundleOut(id=bundle.id, name=bundle.name, price_fen=bundle.price_fen,
                     list_price_fen=sum(i.unit_price_fen * i.quantity for i in items), stock=available,
                     is_active=bundle.is_active, items=items, created_at=bundle.created_at)
