"""Logging in: credentials in, a signed bearer token out; failures are throttled."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.auth.schemas import LoginIn, MeOut, TokenOut
from linli.config import get_settings
from linli.core import throttle
from linli.core.errors import NotFound, Unauthorized
from linli.core.security import Principal, TokenSigner
from linli.leader import service as leaders
from linli.lifecycle import service as lifecycle
from linli.member import service as members
from linli.referral import service as referrals
from linli.tenancy import service as tenancy


def throttle_keys(data: LoginIn, address: str) -> dict[str, int]:
    cfg = get_settings()
    return {f"login:acct:{data.tenant}:{data.username}": cfg.login_max_failures_per_account,
            f"login:addr:{address}": cfg.login_max_failures_per_address}


def window() -> timedelta:
    return timedelta(minutes=get_settings().login_failure_window_minutes)


def login(s: Session, signer: TokenSigner, data: LoginIn, address: str, device_id: str | None = None) -> TokenOut:
    keys = throttle_keys(data, address)
    throttle.check(s, keys, window())
    found = tenancy.authenticate(s, data.tenant, data.username, data.password)
    if found is None:
        raise Unauthorized("wrong tenant, username or password", code="invalid_credentials")
    tenant, user = found
    role = data.role or user.role
    # A member who became a leader keeps one account: it signs in as member or (role "leader") as leader.
    member_id = members.member_id_for_user(s, tenant.id, user.id) if role in ("member", "leader") else None
    leader_id = leaders.leader_id_for_user(s, tenant.id, user.id) if role == "leader" else None
    if ((role == "operator") != (user.role == "operator") or (role == "member" and member_id is None)
            or (role == "leader" and leader_id is None)):
        raise Unauthorized("wrong tenant, username or password", code="invalid_credentials")
    throttle.clear(s, next(iter(keys)))
    p = Principal(user.id, tenant.id, tenant.slug, role, member_id, leader_id)
    if device_id and p.member_id is not None:  # known devices let referrals spot self-invites
        referrals.remember_device(s, tenant.id, p.member_id, device_id)
    if p.member_id is not None:  # a login keeps the member active (lifecycle) and may earn growth
        lifecycle.record_interaction(s, tenant.id, p.member_id, "login")
    return TokenOut(access_token=signer.issue(p), role=role, user_id=user.id,
                    expires_in=int(signer.ttl.total_seconds()))


def me(s: Session, p: Principal) -> MeOut:
    user = tenancy.user(s, p.tenant_id, p.user_id)
    if user is None:
        raise NotFound("user not found", code="user_not_found")
    return MeOut(user_id=p.user_id, role=p.role, tenant=p.tenant_slug, name=user.name,
                 member_id=p.member_id, leader_id=p.leader_id)
