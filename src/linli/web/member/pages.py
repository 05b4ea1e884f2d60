"""Helpers every member page shares: ids from the path, the not-found page, product names."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.catalog.schemas import ProductOut
from linli.core.errors import NotFound
from linli.core.security import Principal
from linli.web.member.templating import render


def is_id(text: str) -> bool:
    """ASCII digits that fit a BIGINT."""
    return text.isascii() and text.isdigit() and 0 < len(text) <= 18


def path_id(text: str, what: str) -> int:
    if not is_id(text):
        raise NotFound(f"{what} not found")
    return int(text)


def not_found(request: Request, p: Principal, message: str) -> Response:
    return render(request, "member/not_found.html", status_code=404, p=p, title="未找到", message=message)


def products(s: Session, p: Principal, ids: Iterable[int]) -> dict[int, ProductOut]:
    """The products of a page's campaigns, looked up once each."""
    found: dict[int, ProductOut] = {}
    for product_id in sorted(set(ids)):
        try:
            found[product_id] = catalog.get_product(s, p, product_id)
        except NotFound:
            continue
    return found
