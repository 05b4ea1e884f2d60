"""Read-only member placement for the insight domain: which community and household each member is in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Member


def placements(s: Session, tenant_id: int) -> list[tuple[int, int, int | None]]:
    """(member, community, household or None) of every member of the tenant."""
    rows = s.execute(select(Member.id, Member.community_id, Member.household_id)
                     .where(Member.tenant_id == tenant_id).order_by(Member.id))
    return [(int(m), int(c), None if h is None else int(h)) for m, c, h in rows]
