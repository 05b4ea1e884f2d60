"""A tenant's points configuration: earning rules with daily caps, the deduction rate and the expiry rule.
Tenants without a row get the defaults of RulesIn (seed 002)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.models import PointsSettings
from linli.points import repository as repo
from linli.points.schemas import RulesIn, RulesOut


def current(s: Session, tenant_id: int) -> RulesIn:
    row = repo.settings(s, tenant_id)
    return RulesIn() if row is None else RulesIn.model_validate(row.data, strict=False)


def out(rules: RulesIn) -> RulesOut:
    return RulesOut.model_validate(rules.model_dump())


def replace(s: Session, tenant_id: int, data: RulesIn) -> RulesOut:
    row = repo.settings(s, tenant_id)
    if row is None:
        s.add(PointsSettings(tenant_id=tenant_id, data=data.model_dump(mode="json")))
    else:
        row.data = data.model_dump(mode="json")
        row.updated_at = clock.now()
    s.flush()
    return out(data)


def expires_at(rules: RulesIn, credited_at: datetime) -> datetime:
    """Default: the last second of the next calendar year in Asia/Shanghai (earned 2026-03-05 →
    2027-12-31 23:59:59 +08:00); or a number of days after the credit."""
    if rules.expiry == "days":
        assert rules.expiry_days is not None
        return clock.as_utc(credited_at) + timedelta(days=rules.expiry_days)
    year = clock.local(credited_at).year + 1
    return clock.as_utc(datetime(year, 12, 31, 23, 59, 59, tzinfo=clock.SHANGHAI))


def fen_for(rules: RulesIn, points: int) -> tuple[int, int]:
    """Points → fen at the deduction rate, as (whole fen, remainder); remainder 0 means exact."""
    return divmod(points * 100, rules.points_per_yuan_deduction)
