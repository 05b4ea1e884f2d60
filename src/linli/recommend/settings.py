"""A tenant's ranking settings; tenants without a row get the defaults of SettingsIn."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.models import RecommendSettings
from linli.recommend import repository as repo
from linli.recommend.schemas import SettingsIn


def current(s: Session, tenant_id: int) -> SettingsIn:
    row = repo.settings(s, tenant_id)
    return SettingsIn() if row is None else SettingsIn.model_validate(row.data, strict=False)


def replace(s: Session, tenant_id: int, data: SettingsIn) -> SettingsIn:
    row = repo.settings(s, tenant_id)
    if row is None:
        s.add(RecommendSettings(tenant_id=tenant_id, data=data.model_dump(mode="json")))
    else:
        row.data = data.model_dump(mode="json")
        row.updated_at = clock.now()
    s.flush()
    return data


def window_start(settings: SettingsIn, at: datetime) -> datetime:
    """Behaviour older than eight half-lives weighs under 0.4 % of new: the loads skip it (at most a year)."""
    return at - timedelta(days=min(365.0, settings.half_life_days * 8))
