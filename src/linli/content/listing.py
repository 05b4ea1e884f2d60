"""The console's post list (内容管理): numbered pages and the whole filtered list in batches for export."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from sqlalchemy.orm import Session

from linli.content import repository as repo
from linli.content import service
from linli.content.schemas import PostOut
from linli.core.listing import Filters, Numbered, batches, numbered, operator_only
from linli.core.security import Principal
from linli.models import Post


def page(s: Session, p: Principal, f: Filters, number: int, size: int, kind: str | None = None) -> Numbered[PostOut]:
    operator_only(p)
    return numbered(s, repo.console_list(p.tenant_id, f, kind), Post.id, number, size, _shape(s, p))


def export(s: Session, p: Principal, f: Filters, kind: str | None = None) -> Iterator[list[PostOut]]:
    operator_only(p)
    return batches(s, repo.console_list(p.tenant_id, f, kind), Post.id, _shape(s, p))


def _shape(s: Session, p: Principal) -> Callable[[Sequence[Post]], list[PostOut]]:
    def shape(rows: Sequence[Post]) -> list[PostOut]:
        return service.outs(s, p.tenant_id, rows)
    return shape
