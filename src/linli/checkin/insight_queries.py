"""Read-only check-in counts for the insight domain's activity heatmap."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.models import Checkin


def counts_by_member(s: Session, tenant_id: int, first: date, last: date) -> dict[int, int]:
    """member -> check-ins on the days first..last (both included)."""
    rows = s.execute(select(Checkin.member_id, func.count(Checkin.id))
                     .where(Checkin.tenant_id == tenant_id, Checkin.day >= first, Checkin.day <= last)
                     .group_by(Checkin.member_id))
    return {int(m): int(n) for m, n in rows}
