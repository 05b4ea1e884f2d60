"""The console's coupon list: numbered pages, and the whole filtered list in batches for export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, Shape, batches, numbered, operator_only
from linli.core.security import Principal
from linli.coupon import repository as repo
from linli.coupon.schemas import CouponOut
from linli.coupon.service import templates_out
from linli.models import CouponTemplate


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[CouponOut]:
    operator_only(p)
    return numbered(s, repo.console_list(p.tenant_id, f), CouponTemplate.id, number, size, _shape(s, p))


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[CouponOut]]:
    operator_only(p)
    return batches(s, repo.console_list(p.tenant_id, f), CouponTemplate.id, _shape(s, p))


def _shape(s: Session, p: Principal) -> Shape[CouponOut]:
    def shape(rows: Sequence[CouponTemplate]) -> list[CouponOut]:
        return templates_out(s, p, rows)
    return shape
