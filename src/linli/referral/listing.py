"""Counts for the console's to-do list."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.listing import count, operator_only
from linli.core.security import Principal
from linli.referral import repository as repo


def flagged_count(s: Session, p: Principal) -> int:
    """Referrals flagged (same phone or device) and waiting for an operator's review."""
    operator_only(p)
    return count(s, repo.listing(p.tenant_id, "flagged"))
