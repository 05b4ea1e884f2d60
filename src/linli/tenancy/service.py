"""Tenants and their logins."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from linli.core.errors import Conflict, Invalid
from linli.core.security import hash_password, verify_password
from linli.models import Tenant, User
from linli.tenancy import repository as repo

ROLES = ("operator", "leader", "member")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}$")
_USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,60}$")


def create_tenant(s: Session, slug: str, name: str, admin_username: str, admin_password: str) -> Tenant:
    if not _SLUG.match(slug):
        raise Invalid("slug: 2-39 lower-case letters, digits or '-'", code="invalid_slug")
    if not name.strip():
        raise Invalid("name must not be empty", code="invalid_name")
    if repo.tenant_by_slug(s, slug):
        raise Conflict(f"tenant {slug} exists", code="tenant_exists")
    tenant = Tenant(slug=slug, name=name.strip())
    s.add(tenant)
    s.flush()
    create_user(s, tenant.id, admin_username, admin_password, "operator", "管理员")
    return tenant


def create_user(s: Session, tenant_id: int, username: str, password: str, role: str, name: str,
                password_hash: str | None = None) -> User:
    """password_hash lets bulk loaders hash a shared password once."""
    if role not in ROLES:
        raise Invalid(f"role must be one of {ROLES}", code="invalid_role")
    if not _USERNAME.match(username):
        raise Invalid("username: 2-60 letters, digits, '_', '.' or '-'", code="invalid_username")
    if password_hash is None and len(password) < 8:
        raise Invalid("password must have at least 8 characters", code="weak_password")
    if repo.user_by_username(s, tenant_id, username):
        raise Conflict(f"username {username} is taken", code="username_taken")
    user = User(tenant_id=tenant_id, username=username, role=role, name=name,
                password_hash=password_hash or hash_password(password))
    s.add(user)
    s.flush()
    return user


def authenticate(s: Session, tenant_slug: str, username: str, password: str) -> tuple[Tenant, User] | None:
    tenant = repo.tenant_by_slug(s, tenant_slug)
    user = repo.user_by_username(s, tenant.id, username) if tenant else None
    if tenant is None or user is None or not user.is_active:
        verify_password(_DUMMY_HASH, password)  # same cost whether or not the account exists
        return None
    return (tenant, user) if verify_password(user.password_hash, password) else None


def tenant_by_slug(s: Session, slug: str) -> Tenant | None:
    return repo.tenant_by_slug(s, slug)


def tenant(s: Session, tenant_id: int) -> Tenant | None:
    """A tenant found by a public link (an invite code names its tenant, the visitor has no token yet)."""
    return repo.tenant_by_id(s, tenant_id)


def user(s: Session, tenant_id: int, user_id: int) -> User | None:
    return repo.user_by_id(s, tenant_id, user_id)


def tenant_ids(s: Session) -> list[int]:
    """Every tenant, for due jobs that run per tenant."""
    return repo.tenant_ids(s)


_DUMMY_HASH = hash_password("linli-timing-equaliser")


def operators(s: Session, tenant_id: int) -> list[tuple[int, str]]:
    """(user id, name) of the tenant's active operators (owners of crisis playbook steps)."""
    return repo.active_users_of_role(s, tenant_id, "operator")
