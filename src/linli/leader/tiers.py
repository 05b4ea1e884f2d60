"""A tenant's 星火计划 tier table: commission and benefits per tier (defaults in linli.leader.ladder)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core.security import Principal
from linli.leader import ladder
from linli.leader import repository as repo
from linli.leader import service as leaders
from linli.leader.schemas import TierOut, TiersIn
from linli.models import LeaderTierSetting


def table(s: Session, tenant_id: int) -> list[TierOut]:
    found = leaders.benefits(s, tenant_id)
    return [TierOut.model_validate(found[t]) for t in ladder.TIERS]


def put(s: Session, p: Principal, data: TiersIn) -> list[TierOut]:
    """Upsert the tiers given; tiers not given keep their current values."""
    current = repo.tier_settings(s, p.tenant_id)
    for item in data.items:
        row = current.get(item.tier)
        values = item.model_dump(exclude={"tier"})
        if row is None:
            try:
                with s.begin_nested():
                    s.add(LeaderTierSetting(tenant_id=p.tenant_id, tier=item.tier, **values))
                continue
            except IntegrityError:  # created concurrently: update it instead
                row = repo.tier_settings(s, p.tenant_id)[item.tier]
        for k, v in values.items():
            setattr(row, k, v)
    s.flush()
    return table(s, p.tenant_id)
