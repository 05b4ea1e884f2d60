"""The console's community list: numbered pages, and the whole filtered list in batches for export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from linli.community import repository as repo
from linli.community.schemas import CommunityOut
from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.models import Community


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[CommunityOut]:
    operator_only(p)
    return numbered(s, repo.console_list(p.tenant_id, f), Community.id, number, size, _shape)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[CommunityOut]]:
    operator_only(p)
    return batches(s, repo.console_list(p.tenant_id, f), Community.id, _shape)


def _shape(rows: Sequence[Community]) -> list[CommunityOut]:
    return [CommunityOut.model_validate(c) for c in rows]
