"""The console's member list: numbered pages, and the whole filtered list in batches for export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, Shape, batches, numbered, operator_only
from linli.core.security import Principal
from linli.member import repository as repo
from linli.member.schemas import MemberOut
from linli.member.service import member_out
from linli.models import Member


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[MemberOut]:
    operator_only(p)
    return numbered(s, repo.console_list(p.tenant_id, f), Member.id, number, size, _shape(s, p))


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[MemberOut]]:
    operator_only(p)
    return batches(s, repo.console_list(p.tenant_id, f), Member.id, _shape(s, p))


def _shape(s: Session, p: Principal) -> Shape[MemberOut]:
    def shape(rows: Sequence[Member]) -> list[MemberOut]:
        users = repo.usernames(s, p.tenant_id, [m.user_id for m in rows])
        return [member_out(m, users.get(m.user_id, "")) for m in rows]
    return shape
