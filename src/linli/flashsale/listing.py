"""The console's flash-sale list: numbered pages, and the whole filtered list in batches for export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.flashsale import repository as repo
from linli.flashsale.schemas import FlashSaleOut
from linli.flashsale.service import out
from linli.models import FlashSale


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[FlashSaleOut]:
    operator_only(p)
    return numbered(s, repo.console_list(p.tenant_id, f), FlashSale.id, number, size, _shape)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[FlashSaleOut]]:
    operator_only(p)
    return batches(s, repo.console_list(p.tenant_id, f), FlashSale.id, _shape)


def _shape(rows: Sequence[FlashSale]) -> list[FlashSaleOut]:
    return [out(r) for r in rows]
