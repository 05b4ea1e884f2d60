"""The console's group-buy list: numbered pages, and the whole filtered list in batches for export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.groupbuy import repository as repo
from linli.groupbuy.schemas import GroupBuyOut
from linli.groupbuy.service import campaign_out
from linli.models import GroupBuy


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[GroupBuyOut]:
    operator_only(p)
    return numbered(s, repo.console_list(p.tenant_id, f), GroupBuy.id, number, size, _shape)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[GroupBuyOut]]:
    operator_only(p)
    return batches(s, repo.console_list(p.tenant_id, f), GroupBuy.id, _shape)


def _shape(rows: Sequence[GroupBuy]) -> list[GroupBuyOut]:
    return [campaign_out(r) for r in rows]
