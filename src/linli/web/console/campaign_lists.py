"""The campaign lists under their create forms (秒杀, 拼团): the shared console list (filters, numbered pages,
export) with the form's product choices, and the product names a page or export batch shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.core.security import Principal
from linli.web.console import labels, listing
from linli.web.console.campaign_forms import FormErrors, Listed, product_choices, product_names
from linli.web.console.listing import ListView, Source


def campaign_list(request: Request, p: Principal, s: Session, *, view: ListView, source: Source, template: str,
                  nav: str, values: dict[str, str], errors: FormErrors, status_code: int = 200) -> Response:
    products = product_choices(s, p)

    def names(rows: Sequence[Listed]) -> dict[str, Any]:
        return {"names": product_names(s, p, {r.product_id for r in rows}, products)}

    return listing.answer(request, p, s, view, listing.read(request, view), source, template=template, nav=nav,
                          lookup=names, status_code=status_code, products=products, values=values,
                          errors=errors.fields, labels=labels)
