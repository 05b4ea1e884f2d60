"""Handing out coupons. Safe under any concurrency by construction:
- the total: a conditional `UPDATE ... SET claimed = claimed + 1 WHERE claimed < total`, checked rowcount;
- the per-member limit: each coupon a member holds of a template has a claim_no 1..limit, UNIQUE with
  (template, member), so two racing claims of one member compute the same claim_no and one loses;
- event issues: a UNIQUE issue_key.
The member's row is inserted before the template counter is taken, so the hot template row stays locked
for as short a time as possible; a refused counter raises, and the caller's (sub)transaction is undone."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core import clock, outbox
from linli.core.errors import Conflict
from linli.coupon import repository as repo
from linli.coupon import rules
from linli.member import service as members
from linli.models import CouponTemplate, MemberCoupon
from linli.tier import service as tiers

SOURCES = ("claim", "issue", "event", "geo")
_RETRIES = 5  # a lost claim_no race recounts; after this many the member is taken to be at the limit


def exhausted() -> Conflict:
    return Conflict("this coupon has all been claimed", code="exhausted")


def grant(s: Session, tenant_id: int, t: CouponTemplate, member_id: int, source: str,
          key: str | None = None) -> MemberCoupon:
    """One coupon of `t` for the member, or Conflict exhausted / limit_exceeded. With a key, a coupon
    already issued under that key is returned instead (nothing new is handed out)."""
    assert source in SOURCES
    if t.claimed >= t.total:
        raise exhausted()
    now = clock.now()
    valid_from, valid_to = rules.window_for_claim(t, now)
    for _ in range(_RETRIES):
        held = repo.held_count(s, tenant_id, t.id, member_id)
        if held >= t.per_member_limit:
            raise Conflict(f"at most {t.per_member_limit} of this coupon per member", code="limit_exceeded")
        mc = MemberCoupon(tenant_id=tenant_id, template_id=t.id, member_id=member_id, claim_no=held + 1,
                          status="available", source=source, issue_key=key, valid_from=valid_from,
                          valid_to=valid_to, claimed_at=now)
        try:
            with s.begin_nested():
                s.add(mc)
            break
        except IntegrityError:
            earlier = repo.by_issue_key(s, tenant_id, key) if key else None
            if earlier is not None:
                return earlier  # a concurrent issue with the same key won
    else:
        raise Conflict(f"at most {t.per_member_limit} of this coupon per member", code="limit_exceeded")
    if not repo.take_one(s, tenant_id, t.id):
        raise exhausted()
    outbox.emit(s, tenant_id, "coupon.claimed", {"member_coupon_id": mc.id, "member_id": member_id,
                                                 "template_id": t.id, "source": source})
    return mc


def claim_refusal(s: Session, tenant_id: int, t: CouponTemplate, member_id: int) -> str | None:
    """Why the member may not claim this template themselves now (None: they may, limits aside)."""
    now = clock.now()
    if not t.active:
        return "this coupon is not offered any more"
    if not rules.open_for_claims(t, now):
        return "this coupon is not open for claiming now"
    if t.new_member_only and not rules.is_new_member(members.require_member(s, tenant_id, member_id).joined_at,
                                                     now):
        return f"only members who joined in the last {rules.NEW_MEMBER_DAYS} days may claim this coupon"
    if t.tier_only and tiers.tier_of(s, tenant_id, member_id) not in t.tier_only:
        return "this coupon is for members of another tier"
    return None

