"""The points bank's public functions. Other domains call these (never the tables): earn and grant
points, take them back, spend them on an order and settle an order's refund. Every movement is
idempotent on its key and never takes a balance below zero."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from fractions import Fraction
from math import ceil, floor

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Invalid, NotFound
from linli.core.pagination import Page, parse_cursor
from linli.core.security import Principal
from linli.member import service as members
from linli.points import ledger
from linli.points import repository as repo
from linli.points import rules as rules_of
from linli.points.ledger import ISSUED, ORDER_DEDUCTION, REVERSED, Leg
from linli.points.schemas import (
    ACTIONS,
    EntryOut,
    ExpiringOut,
    GrantIn,
    MemberPointsOut,
    MyPointsOut,
    Rule,
    RulesIn,
    RulesOut,
    TransactionOut,
)
from linli.tier import service as tiers

LABELS = {"order_paid": "购物返积分", "checkin": "每日签到", "checkin_streak": "连续签到奖励", "review": "评价奖励",
          "share": "分享奖励", "invite": "邀请奖励", "content": "内容互动"}
SOON = 30  # days: "expiring soon" on the member's page
# privileges that raise the share of an order points may pay (免单额度): seed 000 超级拼手 "免单额度提升50%"
DEDUCTION_BOOST_PERCENT = {"super_grouper": 50}


def balance(s: Session, tenant_id: int, member_id: int) -> int:
    acc = repo.member_account(s, tenant_id, member_id)
    return acc.balance if acc is not None else 0


def rules(s: Session, tenant_id: int) -> RulesOut:
    """The tenant's rules (defaults when it has none), e.g. for the check-in streak bonus."""
    return rules_of.out(rules_of.current(s, tenant_id))


def set_rules(s: Session, p: Principal, data: RulesIn) -> RulesOut:
    return rules_of.replace(s, p.tenant_id, data)


def max_deduction_percent(s: Session, tenant_id: int, member_id: int, current: RulesIn | None = None) -> int:
    """The member's cap on points per order: the tenant's max_order_deduction_percent, raised by half
    for a 超级拼手 (50 % → 75 %), never past 100 % (an order still pays at least 1 fen)."""
    base = (current or rules_of.current(s, tenant_id)).max_order_deduction_percent
    boost = max((DEDUCTION_BOOST_PERCENT.get(code, 0) for code in tiers.privileges_of(s, tenant_id, member_id)),
                default=0)
    return min(100, base * (100 + boost) // 100)


def earn(s: Session, tenant_id: int, member_id: int, action: str, key: str, *, units: int = 1,
         reason: str | None = None, reference: str | None = None) -> int:
    """Credit the tenant's rule for `action` (points × units), clipped by its daily cap (Asia/Shanghai
    day, counted under the account lock so concurrent calls cannot pass it). Idempotent on `key`.
    Returns the points credited: 0 when capped, disabled or a repeat."""
    if action not in ACTIONS:
        raise Invalid(f"unknown points action: {action}", code="unknown_points_action")
    current = rules_of.current(s, tenant_id)
    rule: Rule = getattr(current, action)
    if units <= 0 or not rule.enabled or rule.points == 0:
        return 0
    acc = ledger.lock(s, tenant_id, member_id)
    if repo.transaction_by_key(s, tenant_id, key) is not None:
        return 0
    points = rule.points * units
    if rule.daily_cap is not None:
        today = repo.earned_since(s, tenant_id, member_id, action, clock.today_start_local())
        points = min(points, rule.daily_cap - today)
    if points <= 0:
        return 0
    tx = ledger.post(s, acc, action, key, [Leg(points, ISSUED)], reason=reason or LABELS[action],
                     reference=reference, rules=current)
    return tx.amount if tx is not None else 0


def grant(s: Session, tenant_id: int, member_id: int, amount: int, reason: str, key: str, *,
          kind: str = "grant") -> int:
    """Credit `amount` points (operator grants; kind="invite" for referral rewards). Idempotent on
    `key`: returns the points credited by this call (0 for a repeat)."""
    if amount <= 0:
        raise Invalid("amount must be positive", code="invalid_amount")
    acc = ledger.lock(s, tenant_id, member_id)
    tx = ledger.post(s, acc, kind, key, [Leg(amount, ISSUED)], reason=reason)
    return tx.amount if tx is not None else 0


def take_back(s: Session, tenant_id: int, member_id: int, amount: int, reason: str, key: str) -> int:
    """Reverse up to `amount` points, never below zero. Idempotent on `key`: returns what this call
    took (0 for a repeat)."""
    if amount <= 0:
        raise Invalid("amount must be positive", code="invalid_amount")
    acc = ledger.lock(s, tenant_id, member_id)
    tx = ledger.post(s, acc, "take_back", key, [Leg(-min(amount, acc.balance), REVERSED)], reason=reason)
    return -tx.amount if tx is not None else 0


def spend_on_order(s: Session, tenant_id: int, member_id: int, order_id: int, points: int, payable_fen: int) -> int:
    """Deduct `points` for an order being placed; returns the discount in fen. payable_fen is the
    amount before the deduction. Idempotent on the order: a repeat returns the same discount."""
    if points == 0:
        return 0
    current = rules_of.current(s, tenant_id)
    fen, rest = rules_of.fen_for(current, points)
    if points < 0 or rest:
        raise Invalid(f"points must buy whole fen ({current.points_per_yuan_deduction} points = 1 yuan)",
                      code="points_over_limit")
    cap = max_deduction_percent(s, tenant_id, member_id, current)
    if fen > payable_fen * cap // 100:
        raise Invalid(f"points may pay at most {cap}% of the order", code="points_over_limit")
    key = f"order:{order_id}:spend"
    acc = ledger.lock(s, tenant_id, member_id)
    earlier = repo.transaction_by_key(s, tenant_id, key)
    if earlier is not None:
        return int((earlier.detail or {}).get("discount_fen", 0))
    if acc.balance < points:
        raise ledger.insufficient()
    ledger.post(s, acc, "order_deduction", key, [Leg(-points, ORDER_DEDUCTION)], reason="订单抵扣",
                reference=str(order_id), detail={"discount_fen": fen, "payable_fen": payable_fen})
    return fen


def settle_refund(s: Session, tenant_id: int, member_id: int, order_id: int, share_num: int, share_den: int,
                  key: str) -> int:
    """share_num/share_den of an order is refunded (or cancelled): that share of the points spent on it
    comes back (new lots) and that share of the points it earned is taken back. Shares add up over
    partial refunds, so three refunds of a third settle exactly the whole. Earned points the member
    no longer has are returned as fen at the deduction rate (rounded up) — the caller deducts them
    from the money refunded. Idempotent on `key` (a repeat returns the same fen). A share of 0 settles
    only what is owed for earlier shares (see the order.paid handler)."""
    if share_den <= 0 or not 0 <= share_num <= share_den:
        raise Invalid("the refunded share must be between 0 and 1", code="invalid_share")
    acc = ledger.lock(s, tenant_id, member_id)
    earlier = repo.transaction_by_key(s, tenant_id, key)
    if earlier is not None:
        return int((earlier.detail or {}).get("shortfall_fen", 0))
    txs = repo.by_reference(s, tenant_id, member_id, str(order_id), ("order_deduction", "order_paid", "order_refund"))
    spent = -sum(t.amount for t in txs if t.kind == "order_deduction")
    earned = sum(t.amount for t in txs if t.kind == "order_paid")
    # recorded even when no points move: an order's earnings may arrive after a refund (the order.paid
    # handler runs later) and then owe back the share refunded before them
    settled = [t.detail or {} for t in txs if t.kind == "order_refund"]
    share = min(Fraction(share_num, share_den) + sum((Fraction(d["share_num"], d["share_den"]) for d in settled),
                                                      Fraction(0)), Fraction(1))
    to_return = max(floor(spent * share) - sum(d["returned"] for d in settled), 0)
    due = max(floor(earned * share) - sum(d["due"] for d in settled), 0)
    taken = min(due, acc.balance + to_return)
    current = rules_of.current(s, tenant_id)
    shortfall_fen = ceil(Fraction((due - taken) * 100, current.points_per_yuan_deduction))
    detail = {"share_num": share_num, "share_den": share_den, "returned": to_return, "due": due, "taken": taken,
              "shortfall_fen": shortfall_fen}
    ledger.post(s, acc, "order_refund", key, [Leg(to_return, ORDER_DEDUCTION), Leg(-taken, REVERSED)],
                reason="订单退款", reference=str(order_id), detail=detail, rules=current, keep_empty=True)
    return shortfall_fen


def expire_member(s: Session, tenant_id: int, member_id: int, at: datetime) -> int:
    """Expire the member's lots past their expiry as of `at`; how many lots expired."""
    return ledger.expire_due(s, ledger.lock(s, tenant_id, member_id, sweep=False), at)


def earned_between(s: Session, tenant_id: int, start: datetime, end: datetime,
                   actions: Sequence[str] | None = None) -> dict[int, int]:
    """member_id -> points credited by earning rules (and referral rewards, kind invite) in [start, end).
    Operator grants are not earnings; take-backs are not subtracted."""
    return repo.earned_between(s, tenant_id, start, end, list(actions) if actions is not None else list(ACTIONS))


# ---- HTTP-facing -------------------------------------------------------------------------------------


def grant_by_operator(s: Session, p: Principal, data: GrantIn, idem_key: str | None) -> TransactionOut:
    try:
        members.require_member(s, p.tenant_id, data.member_id)
    except NotFound as exc:
        raise Invalid("member_id: no such member", code="unknown_member") from exc
    key = f"grant:{p.user_id}:{idem_key}" if idem_key else f"grant:{uuid.uuid4().hex}"
    grant(s, p.tenant_id, data.member_id, data.amount, data.reason, key)
    tx = repo.transaction_by_key(s, p.tenant_id, key)
    assert tx is not None
    return TransactionOut(transaction_id=tx.id, member_id=tx.member_id, kind=tx.kind, amount=tx.amount,
                          balance=balance(s, p.tenant_id, data.member_id))


def mine(s: Session, p: Principal) -> MyPointsOut:
    assert p.member_id is not None
    current = rules_of.current(s, p.tenant_id)
    soon = [ExpiringOut(amount=n, expires_at=at) for at, n in repo.expiring(
        s, p.tenant_id, p.member_id, clock.now() + timedelta(days=SOON))]
    nxt = repo.next_expiry(s, p.tenant_id, p.member_id)
    return MyPointsOut(balance=balance(s, p.tenant_id, p.member_id), expiring_soon=soon,
                       next_expiry=ExpiringOut(amount=nxt[1], expires_at=nxt[0]) if nxt else None,
                       points_per_yuan_deduction=current.points_per_yuan_deduction,
                       max_order_deduction_percent=max_deduction_percent(s, p.tenant_id, p.member_id, current))


def entries(s: Session, tenant_id: int, member_id: int, limit: int, cursor: str | None) -> Page[EntryOut]:
    """A member's ledger, newest first."""
    after = parse_cursor(cursor)
    acc = repo.member_account(s, tenant_id, member_id)
    if acc is None:
        return Page[EntryOut](items=[], next_cursor=None)
    rows = repo.entries_page(s, tenant_id, acc.id, limit, after)
    more, rows = len(rows) > limit, rows[:limit]
    items = [EntryOut(id=e.id, transaction_id=t.id, kind=t.kind, amount=e.amount, balance_after=e.balance_after,
                      reason=t.reason, reference=t.reference, created_at=e.created_at) for e, t in rows]
    return Page[EntryOut](items=items, next_cursor=str(rows[-1][0].id) if more and rows else None)


def member_points(s: Session, p: Principal, member_id: int, limit: int, cursor: str | None) -> MemberPointsOut:
    members.require_member(s, p.tenant_id, member_id)
    page = entries(s, p.tenant_id, member_id, limit, cursor)
    return MemberPointsOut(member_id=member_id, balance=balance(s, p.tenant_id, member_id), items=page.items,
                           next_cursor=page.next_cursor)


def redeemed_between(s: Session, tenant_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    """(redemptions, points redeemed) in [start, end) (the points-redemption spike alert)."""
    return repo.redeemed_between(s, tenant_id, start, end)
