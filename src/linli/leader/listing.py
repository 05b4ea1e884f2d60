"""The console's leader list and applications queue: numbered pages, and the whole filtered list in batches for
export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.orm import Session

from linli.core.listing import Filters, Numbered, batches, count, numbered, operator_only
from linli.core.security import Principal
from linli.leader import repository as repo
from linli.leader.applications import out
from linli.leader.schemas import ApplicationOut, LeaderProfile
from linli.leader.service import profiles_out
from linli.models import Leader, LeaderApplication


def page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[LeaderProfile]:
    operator_only(p)
    return numbered(s, repo.console_list(p.tenant_id, f), Leader.id, number, size, profiles_out)


def export(s: Session, p: Principal, f: Filters) -> Iterator[list[LeaderProfile]]:
    operator_only(p)
    return batches(s, repo.console_list(p.tenant_id, f), Leader.id, profiles_out)


def applications_page(s: Session, p: Principal, f: Filters, number: int, size: int) -> Numbered[ApplicationOut]:
    operator_only(p)
    return numbered(s, repo.console_applications(p.tenant_id, f), LeaderApplication.id, number, size,
                    _applications)


def applications_export(s: Session, p: Principal, f: Filters) -> Iterator[list[ApplicationOut]]:
    operator_only(p)
    return batches(s, repo.console_applications(p.tenant_id, f), LeaderApplication.id, _applications)


def _applications(rows: Sequence[LeaderApplication]) -> list[ApplicationOut]:
    return [out(a) for a in rows]


def pending_applications(s: Session, p: Principal) -> int:
    """Applications waiting for a decision (the console's to-do list)."""
    operator_only(p)
    return count(s, repo.applications(p.tenant_id, "pending"))
