"""Coupons (优惠券): templates run by operators; members claim them, operators issue them to lists or
whole communities, events issue them (issue_to), and orders quote/use/restore them (see usage.py).
Public for other domains: Line, quote, use, restore, issue_to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from linli.catalog import service as catalog
from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page, parse_cursor
from linli.core.security import Principal
from linli.coupon import claims, rules
from linli.coupon import repository as repo
from linli.coupon.rules import Line
from linli.coupon.schemas import ClaimOut, CouponIn, CouponOut, IssueIn, IssueOut, MemberCouponOut
from linli.coupon.usage import quote, restore, use
from linli.member import service as members
from linli.models import CouponTemplate, MemberCoupon

__all__ = ["Line", "claim", "create", "get", "issue", "issue_to", "member_coupons", "mine", "quote", "restore",
           "search", "set_active", "use"]


def create(s: Session, p: Principal, data: CouponIn) -> CouponOut:
    for product_id in data.product_ids or ():  # a scope names the tenant's own goods, or is bad input
        catalog.brief(s, p.tenant_id, product_id)
    for category_id in data.category_ids or ():
        catalog.require_category(s, p.tenant_id, category_id)
    t = CouponTemplate(tenant_id=p.tenant_id, claimed=0, **data.model_dump())
    s.add(t)
    s.flush()
    return _out(s, p, [t])[0]


def require_template(s: Session, tenant_id: int, template_id: int) -> CouponTemplate:
    t = repo.template(s, tenant_id, template_id)
    if t is None:
        raise NotFound("coupon not found", code="coupon_not_found")
    return t


def get(s: Session, p: Principal, template_id: int) -> CouponOut:
    t = require_template(s, p.tenant_id, template_id)
    if p.role != "operator" and not t.active:
        raise NotFound("coupon not found", code="coupon_not_found")
    return _out(s, p, [t])[0]


def set_active(s: Session, p: Principal, template_id: int, active: bool) -> CouponOut:
    t = require_template(s, p.tenant_id, template_id)
    t.active = active
    s.flush()
    return _out(s, p, [t])[0]


def search(s: Session, p: Principal, active: bool | None, limit: int,
           cursor: str | None) -> tuple[list[CouponOut], str | None]:
    """Operators: every template (optionally by active). Members: the ones on offer now."""
    stmt = repo.templates(p.tenant_id, active) if p.role == "operator" \
        else repo.claimable_templates(p.tenant_id, clock.now())
    rows, nxt = fetch_page(s, stmt, CouponTemplate.id, limit, cursor)
    return _out(s, p, list(rows)), nxt


def claim(s: Session, p: Principal, template_id: int) -> ClaimOut:
    assert p.member_id is not None
    t = require_template(s, p.tenant_id, template_id)
    refusal = claims.claim_refusal(s, p.tenant_id, t, p.member_id)
    if refusal:
        raise Conflict(refusal, code="not_claimable")
    return _claim_out(claims.grant(s, p.tenant_id, t, p.member_id, "claim"))


def issue(s: Session, p: Principal, template_id: int, data: IssueIn) -> IssueOut:
    """Operator hand-out to members or a whole community: members at their limit are skipped,
    and once the total is reached everyone left is skipped. Audience rules (new member, tier,
    active) are for self-service claims; the operator chooses the audience here."""
    t = require_template(s, p.tenant_id, template_id)
    if t.valid_to is not None and t.valid_to <= clock.now():
        raise Conflict("this coupon has ended", code="not_claimable")
    targets = _targets(s, p, data)
    issued = 0
    for member_id in targets:
        try:
            with s.begin_nested():
                claims.grant(s, p.tenant_id, t, member_id, "issue")
            issued += 1
        except Conflict as exc:
            if exc.code == "exhausted":
                break
    return IssueOut(issued=issued, skipped=len(targets) - issued)


def _targets(s: Session, p: Principal, data: IssueIn) -> list[int]:
    if data.member_ids is not None:
        wanted = list(dict.fromkeys(data.member_ids))
        missing = set(wanted) - set(members.names(s, p.tenant_id, wanted))
        if missing:
            raise Invalid(f"member_ids: no such members {sorted(missing)[:10]}", code="unknown_member")
        return wanted
    assert data.community_id is not None
    community.require_community(s, p.tenant_id, data.community_id, as_input=True)
    found: list[int] = []
    cursor: str | None = None
    while True:
        page, cursor = members.search(s, p, None, data.community_id, 200, cursor)
        found.extend(m.id for m in page)
        if cursor is None:
            return sorted(found)


def issue_to(s: Session, tenant_id: int, template_id: int, member_id: int, source: str, key: str) -> int | None:
    """For events (the welcome pack): one coupon of the template to the member, idempotent on key.
    Returns the member coupon id, or None when the template is closed, exhausted or at the member's limit."""
    if source not in claims.SOURCES or not key or len(key) > 120:
        raise Invalid("issue_to: bad source or key", code="invalid_issue")
    earlier = repo.by_issue_key(s, tenant_id, key)
    if earlier is not None:
        return earlier.id
    t = require_template(s, tenant_id, template_id)
    if not rules.open_for_claims(t, clock.now()):
        return None
    try:
        with s.begin_nested():
            return claims.grant(s, tenant_id, t, member_id, source, key).id
    except Conflict:
        return None


def mine(s: Session, p: Principal, status: str | None, limit: int,
         cursor: str | None) -> tuple[list[MemberCouponOut], str | None]:
    assert p.member_id is not None
    rows = repo.page_of_mine(s, repo.mine(p.tenant_id, p.member_id, status), limit, parse_cursor(cursor))
    more = len(rows) > limit
    rows = rows[:limit]
    items = [_mine_out(mc, t) for mc, t in rows]
    return items, (str(items[-1].id) if more and items else None)


def member_coupons(s: Session, p: Principal, member_id: int, status: str | None, limit: int,
                   cursor: str | None) -> tuple[list[MemberCouponOut], str | None]:
    """A member's coupons as an operator sees them (the console's member page), newest first."""
    members.require_member(s, p.tenant_id, member_id)
    rows = repo.page_of_mine(s, repo.mine(p.tenant_id, member_id, status), limit, parse_cursor(cursor))
    more = len(rows) > limit
    items = [_mine_out(mc, t) for mc, t in rows[:limit]]
    return items, (str(items[-1].id) if more and items else None)


def _out(s: Session, p: Principal, rows: list[CouponTemplate]) -> list[CouponOut]:
    ids = [t.id for t in rows]
    if p.role == "operator":
        used = repo.used_counts(s, p.tenant_id, ids)
        return [_template_out(t, used=used.get(t.id, 0)) for t in rows]
    assert p.member_id is not None
    held = repo.held_counts(s, p.tenant_id, ids, p.member_id)
    return [_template_out(t, claimable=t.claimed < t.total and held.get(t.id, 0) < t.per_member_limit
                          and claims.claim_refusal(s, p.tenant_id, t, p.member_id) is None) for t in rows]


def _template_out(t: CouponTemplate, used: int | None = None, claimable: bool | None = None) -> CouponOut:
    return CouponOut(id=t.id, name=t.name, kind=t.kind, discount_fen=t.discount_fen, percent_off=t.percent_off,
                     max_discount_fen=t.max_discount_fen, min_spend_fen=t.min_spend_fen,
                     category_ids=t.category_ids, product_ids=t.product_ids, new_member_only=t.new_member_only,
                     tier_only=t.tier_only, total=t.total, claimed=t.claimed, remaining=t.total - t.claimed,
                     per_member_limit=t.per_member_limit, valid_from=t.valid_from, valid_to=t.valid_to,
                     valid_days=t.valid_days, active=t.active, created_at=t.created_at, used=used,
                     claimable=claimable)


def _claim_out(mc: MemberCoupon) -> ClaimOut:
    return ClaimOut(member_coupon_id=mc.id, template_id=mc.template_id, status=mc.status,
                    valid_from=mc.valid_from, valid_to=mc.valid_to, claimed_at=mc.claimed_at)


def _mine_out(mc: MemberCoupon, t: CouponTemplate) -> MemberCouponOut:
    return MemberCouponOut(id=mc.id, template_id=t.id, name=t.name, kind=t.kind, discount_fen=t.discount_fen,
                           percent_off=t.percent_off, max_discount_fen=t.max_discount_fen,
                           min_spend_fen=t.min_spend_fen, status=mc.status, source=mc.source,
                           valid_from=mc.valid_from, valid_to=mc.valid_to, claimed_at=mc.claimed_at,
                           used_at=mc.used_at, order_id=mc.order_id)


def templates_out(s: Session, p: Principal, rows: Sequence[CouponTemplate]) -> list[CouponOut]:
    """Templates as the API shows them to `p` (the console's list batches: used counts read once)."""
    return _out(s, p, list(rows))


def used_between(s: Session, tenant_id: int, start: datetime, end: datetime) -> int:
    """Member coupons used on orders in [start, end) (the redemption-spike alert)."""
    return repo.used_between(s, tenant_id, start, end)
