"""Per-tenant weights and warning rule of the assessment."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.assessment import repository as repo
from linli.assessment.schemas import SettingsIn, SettingsOut
from linli.models import AssessmentSettings

DEFAULT = SettingsIn()


def current(s: Session, tenant_id: int) -> SettingsOut:
    row = repo.settings(s, tenant_id)
    return SettingsOut.model_validate(DEFAULT if row is None else row)


def put(s: Session, tenant_id: int, data: SettingsIn) -> SettingsOut:
    row = repo.settings(s, tenant_id)
    if row is None:
        s.add(AssessmentSettings(tenant_id=tenant_id, **data.model_dump()))
    else:
        for k, v in data.model_dump().items():
            setattr(row, k, v)
    s.flush()
    return current(s, tenant_id)
