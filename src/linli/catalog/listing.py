"""The console's product list: numbered pages, and the whole filtered list in batches for export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from linli.catalog import repository as repo
from linli.catalog.schemas import ProductOut
from linli.catalog.service import products_out
from linli.core.listing import Filters, Numbered, Shape, batches, numbered, operator_only
from linli.core.security import Principal
from linli.models import Product


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[ProductOut]:
    operator_only(p)
    return numbered(s, repo.console_list(p.tenant_id, f), Product.id, number, size, _shape(s, p))


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[ProductOut]]:
    operator_only(p)
    return batches(s, repo.console_list(p.tenant_id, f), Product.id, _shape(s, p))


def _shape(s: Session, p: Principal) -> Shape[ProductOut]:
    def shape(rows: Sequence[Product]) -> list[ProductOut]:
        return products_out(s, p.tenant_id, rows)
    return shape
