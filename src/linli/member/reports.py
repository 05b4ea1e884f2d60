"""Read-only member figures for the operator console. Days are Asia/Shanghai days."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Forbidden
from linli.core.security import Principal
from linli.member import repository as repo


def new_today(s: Session, p: Principal) -> int:
    """Members who joined today."""
    if p.role != "operator":
        raise Forbidden("tenant-wide figures are for operators", code="forbidden")
    start = clock.today_start_local()
    return repo.count_joined(s, p.tenant_id, start, start + timedelta(days=1))
