"""Signing up through a member's invite link (/m/invite/{code}). The visitor has no token, so the link's code
names the tenant (codes are drawn unique across tenants); the new member is created by the member service and
bound to the inviter by the referral rules, fraud flags included. Sign-ups are limited per address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.community import service as communities
from linli.community.schemas import CommunityOut
from linli.core import throttle
from linli.core.errors import NotFound
from linli.core.security import Principal
from linli.member import service as members
from linli.member.schemas import MemberIn, MemberOut
from linli.referral import repository as repo
from linli.referral import service
from linli.referral.schemas import BindIn, ReferralOut
from linli.tenancy import service as tenancy

SIGNUPS_PER_ADDRESS = 10  # new accounts from one address per window: a family or a shop, not a script
WINDOW = timedelta(hours=1)
_COMMUNITY_PAGE = 200


@dataclass(frozen=True)
class Invitation:
    code: str
    tenant_id: int
    tenant_slug: str
    tenant_name: str
    inviter_id: int
    inviter_name: str
    inviter_community_id: int
    communities: list[CommunityOut]


def invitation(s: Session, code: str) -> Invitation:
    """The invitation behind a link; NotFound (`unknown_invite_code`) for a code no tenant (or more than one)
    holds."""
    code = code.strip().upper()
    found = repo.with_code_in_any_tenant(s, code) if code.isascii() and code.isalnum() and len(code) <= 12 else []
    tenant = tenancy.tenant(s, found[0].tenant_id) if len(found) == 1 else None
    if tenant is None:
        raise NotFound("no such invite code", code="unknown_invite_code")
    inviter = members.require_member(s, tenant.id, found[0].member_id)
    return Invitation(code=code, tenant_id=tenant.id, tenant_slug=tenant.slug, tenant_name=tenant.name,
                      inviter_id=inviter.id, inviter_name=inviter.name, inviter_community_id=inviter.community_id,
                      communities=_communities(s, Principal(inviter.user_id, tenant.id, tenant.slug, "member",
                                                            inviter.id)))


def _communities(s: Session, p: Principal) -> list[CommunityOut]:
    """Every community of the tenant, oldest first (the inviter's principal only scopes the query)."""
    found: list[CommunityOut] = []
    cursor = None
    while True:
        page, cursor = communities.search_communities(s, p, None, _COMMUNITY_PAGE, cursor)
        found.extend(page)
        if cursor is None:
            return sorted(found, key=lambda c: c.id)


def throttle_key(address: str) -> str:
    return f"signup:addr:{address}"


def sign_up(s: Session, invite: Invitation, data: MemberIn, address: str,
            device_id: str | None) -> tuple[MemberOut, ReferralOut]:
    """Create the member and bind the referral, or neither (the caller's unit of work). Raises Invalid/Conflict
    for bad input (from the member service), TooManyRequests past the per-address limit."""
    keys = [throttle_key(address)]
    throttle.check(s, dict.fromkeys(keys, SIGNUPS_PER_ADDRESS), WINDOW)
    member = members.create(s, invite.tenant_id, data)
    p = Principal(member.user_id, invite.tenant_id, invite.tenant_slug, "member", member.id)
    referral = service.bind(s, p, BindIn(code=invite.code, device_id=device_id))
    throttle.record_failure(s, keys, WINDOW)  # counts sign-ups, not failures: the limit is on new accounts
    return member, referral
