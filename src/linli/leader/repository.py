from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Leader


def get(s: Session, tenant_id: int, leader_id: int) -> Leader | None:
    return s.scalar(select(Leader).where(Leader.tenant_id == tenant_id, Leader.id == leader_id))


def by_user(s: Session, tenant_id: int, user_id: int) -> Leader | None:
    return s.scalar(select(Leader).where(Leader.tenant_id == tenant_id, Leader.user_id == user_id))
