from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Tenant, User


def tenant_by_slug(s: Session, slug: str) -> Tenant | None:
    return s.scalar(select(Tenant).where(Tenant.slug == slug))


def tenant_by_id(s: Session, tenant_id: int) -> Tenant | None:
    return s.get(Tenant, tenant_id)


def tenant_ids(s: Session) -> list[int]:
    return list(s.scalars(select(Tenant.id).order_by(Tenant.id)))


def user_by_username(s: Session, tenant_id: int, username: str) -> User | None:
    return s.scalar(select(User).where(User.tenant_id == tenant_id, User.username == username))


def user_by_id(s: Session, tenant_id: int, user_id: int) -> User | None:
    return s.scalar(select(User).where(User.tenant_id == tenant_id, User.id == user_id))


def active_users_of_role(s: Session, tenant_id: int, role: str) -> list[tuple[int, str]]:
    return [(i, n) for i, n in s.execute(select(User.id, User.name).where(
        User.tenant_id == tenant_id, User.role == role, User.is_active.is_(True)).order_by(User.id))]
