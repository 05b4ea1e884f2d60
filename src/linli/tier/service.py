"""Growth value and member tiers (普通 / 白银 / 黄金, plus 黑卡 on top). Growth comes from paid spend
(growth_per_yuan, default 1 per yuan) and from interactions (action_growth: each kind at most once
per member per day); refunds take back the growth their order earned, never more, never below 0.
A tier is upgraded as soon as growth reaches it; downgrades wait for the yearly review
(linli.tier.reviews), which also expires growth older than 12 months."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core import clock, outbox
from linli.core.security import Principal
from linli.member import service as members
from linli.models import GrowthEntry, MemberPrivilege, MemberTier, MemberTierHistory, TierProgram
from linli.models.tier import TIERS
from linli.tier import repository as repo
from linli.tier.schemas import (
    BenefitsIn,
    BlackCardIn,
    LevelIn,
    MemberTierOut,
    MyTierOut,
    ProgramIn,
    ProgramOut,
    TierBenefits,
    TierHistoryOut,
)

DEFAULT = ProgramIn(
    levels=[
        LevelIn(code="regular", name="普通会员", min_growth=0, discount_percent=0, flash_sale_early_minutes=0,
                group_size_max=10, priority_service=False),
        LevelIn(code="silver", name="白银会员", min_growth=1000, discount_percent=2, flash_sale_early_minutes=0,
                group_size_max=30, priority_service=True),  # seed 001: 银卡会员 (专属客服)
        LevelIn(code="gold", name="黄金会员", min_growth=5000, discount_percent=5, flash_sale_early_minutes=30,
                group_size_max=100, priority_service=True),  # seed 000: 黄金用户可发起百人团
    ],
    black_card=BlackCardIn(name="黑卡会员", discount_percent=8, flash_sale_early_minutes=60, group_size_max=100,
                           priority_service=True),  # seed 001: 年消费 TOP10% 享私人定制服务
    growth_per_yuan=1,
    action_growth={"review": 5, "share": 2, "checkin": 1, "geo_checkin": 1, "vote": 1, "login": 0},
)
_BENEFITS = tuple(BenefitsIn.model_fields)
DEFAULT_OUT = ProgramOut.model_validate(DEFAULT.model_dump())


def program(s: Session, tenant_id: int) -> ProgramOut:
    row = repo.program(s, tenant_id)
    data: dict[str, Any] = DEFAULT.model_dump() if row is None else {
        "levels": row.ladder, "black_card": row.black_card, "growth_per_yuan": row.growth_per_yuan,
        "action_growth": row.action_growth}
    return ProgramOut.model_validate(data)


def set_program(s: Session, p: Principal, data: ProgramIn) -> ProgramOut:
    """A new ladder upgrades members at their next growth change; nobody is downgraded before the review."""
    row = repo.program(s, p.tenant_id)
    values = {"ladder": [lv.model_dump() for lv in data.levels], "black_card": data.black_card.model_dump(),
              "growth_per_yuan": data.growth_per_yuan, "action_growth": dict(data.action_growth)}
    if row is None:
        s.add(TierProgram(tenant_id=p.tenant_id, **values))
    else:
        for k, v in values.items():
            setattr(row, k, v)
    s.flush()
    return program(s, p.tenant_id)


# --- public functions other domains call -------------------------------------------------------

def tier_of(s: Session, tenant_id: int, member_id: int) -> str:
    """"regular" | "silver" | "gold" | "black" (a black-card holder, whatever their ladder tier)."""
    acct = repo.account(s, tenant_id, member_id)
    if acct is None:
        return "regular"
    return "black" if acct.black_card else acct.tier


def benefits_of(s: Session, tenant_id: int, member_id: int) -> TierBenefits:
    """In one query (every order placed asks): the program's benefits for the member's tier."""
    ladder, black, tier, holder = repo.standing(s, tenant_id, member_id)
    if ladder is None:
        return _benefits(DEFAULT_OUT, "black" if holder else tier or "regular")
    if holder:
        return TierBenefits.model_validate({k: black[k] for k in _BENEFITS})
    level = next(lv for lv in ladder if lv["code"] == (tier or "regular"))
    return TierBenefits.model_validate({k: level[k] for k in _BENEFITS})


def privileges_of(s: Session, tenant_id: int, member_id: int) -> list[str]:
    """The privileges the member unlocked outside the ladder (e.g. "super_grouper", 超级拼手)."""
    return repo.privileges(s, tenant_id, member_id)


def unlock_privilege(s: Session, tenant_id: int, member_id: int, code: str, source: str) -> bool:
    """Record that the member unlocked `code` (once: a unique row; kept afterwards) and emit
    `member.privilege_unlocked`. Returns whether this call unlocked it."""
    if code in repo.privileges(s, tenant_id, member_id):
        return False
    try:
        with s.begin_nested():
            s.add(MemberPrivilege(tenant_id=tenant_id, member_id=member_id, code=code, source=source,
                                  unlocked_at=clock.now()))
    except IntegrityError:  # unlocked by a concurrent request
        return False
    outbox.emit(s, tenant_id, "member.privilege_unlocked", {"member_id": member_id, "privilege": code,
                                                            "source": source})
    return True


def black_card_holders(s: Session, tenant_id: int) -> int:
    """How many members hold a black card now (the console's tier page)."""
    return len(repo.black_holders(s, tenant_id))


# --- growth (called by handlers and reviews) ---------------------------------------------------

def order_paid(s: Session, tenant_id: int, member_id: int, order_id: int, payable_fen: int, at: datetime) -> None:
    growth = payable_fen * program(s, tenant_id).growth_per_yuan // 100
    _add(s, tenant_id, member_id, growth, "order", f"order:{order_id}", at, order_id)


def order_refunded(s: Session, tenant_id: int, member_id: int, order_id: int, amount_fen: int, full: bool,
                   ref: str, at: datetime) -> None:
    """Take back growth in proportion to the refund (all that is left on the order's last refund).
    A lower balance does not downgrade: that waits for the yearly review."""
    left = repo.order_growth(s, tenant_id, member_id, order_id)
    take = left if full else min(left, amount_fen * program(s, tenant_id).growth_per_yuan // 100)
    _add(s, tenant_id, member_id, -take, "refund", ref, at, order_id)


def import_growth(s: Session, tenant_id: int, member_id: int, growth: int, ref: str, at: datetime) -> None:
    """Growth earned before linli kept the ledger (an import, the demo's history): one entry, idempotent
    on `ref`; tiers move up as for any growth."""
    _add(s, tenant_id, member_id, growth, "import", ref, at)


def interacted(s: Session, tenant_id: int, member_id: int, kind: str, at: datetime) -> None:
    growth = program(s, tenant_id).action_growth.get(kind, 0)
    day = clock.local(at).date().isoformat()
    _add(s, tenant_id, member_id, growth, f"action:{kind}"[:30], f"action:{kind}:{member_id}:{day}"[:80], at)


def account(s: Session, tenant_id: int, member_id: int, lock: bool = False) -> MemberTier:
    """The member's tier row, created at `regular` on first use."""
    acct = repo.account(s, tenant_id, member_id, lock=lock)
    if acct is not None:
        return acct
    acct = MemberTier(tenant_id=tenant_id, member_id=member_id, growth=0, tier="regular",
                      tier_since=clock.now(), black_card=False)
    try:
        with s.begin_nested():
            s.add(acct)
    except IntegrityError:  # made by a concurrent handler
        found = repo.account(s, tenant_id, member_id, lock=lock)
        assert found is not None
        return found
    return acct


def record_change(s: Session, tenant_id: int, member_id: int, old: str, new: str, reason: str, at: datetime,
                  shown: str) -> None:
    """One history row and one `member.tier_changed` event per change of ladder tier or black card;
    `shown` is what tier_of() answers afterwards (still "black" when a holder's ladder tier rises)."""
    s.add(MemberTierHistory(tenant_id=tenant_id, member_id=member_id, from_tier=old, to_tier=new, at=at,
                            reason=reason))
    outbox.emit(s, tenant_id, "member.tier_changed",
                {"member_id": member_id, "from": old, "to": new, "reason": reason, "tier": shown})


def earned_tier(prog: ProgramOut, growth: int) -> str:
    return max((lv for lv in prog.levels if lv.min_growth <= growth), key=lambda lv: lv.min_growth).code


def _add(s: Session, tenant_id: int, member_id: int, delta: int, kind: str, ref: str, at: datetime,
         order_id: int | None = None) -> None:
    if delta == 0 or repo.has_entry(s, tenant_id, ref):
        return
    acct = account(s, tenant_id, member_id, lock=True)
    delta = max(delta, -acct.growth)  # never below zero (also a CHECK on member_tiers)
    if delta == 0:
        return
    try:
        with s.begin_nested():
            s.add(GrowthEntry(tenant_id=tenant_id, member_id=member_id, delta=delta, kind=kind, ref=ref,
                              order_id=order_id, at=at))
    except IntegrityError:
        return  # the same ref was counted by a concurrent delivery
    acct.growth += delta
    target = earned_tier(program(s, tenant_id), acct.growth)
    if TIERS.index(target) > TIERS.index(acct.tier):  # upgrade at once; downgrade only at the review
        old, acct.tier, acct.tier_since = acct.tier, target, clock.now()
        record_change(s, tenant_id, member_id, old, target, "growth", clock.now(),
                      "black" if acct.black_card else target)


# --- reading -----------------------------------------------------------------------------------

def mine(s: Session, p: Principal) -> MyTierOut:
    assert p.member_id is not None
    return _view(s, p.tenant_id, p.member_id)


def of_member(s: Session, p: Principal, member_id: int) -> MemberTierOut:
    members.require_member(s, p.tenant_id, member_id)
    view = _view(s, p.tenant_id, member_id)
    return MemberTierOut(**view.model_dump(), member_id=member_id,
                         history=[TierHistoryOut.model_validate(h) for h in repo.history(s, p.tenant_id, member_id)])


def _view(s: Session, tenant_id: int, member_id: int) -> MyTierOut:
    prog = program(s, tenant_id)
    acct = repo.account(s, tenant_id, member_id)
    growth, earned, black = (acct.growth, acct.tier, acct.black_card) if acct else (0, "regular", False)
    shown = "black" if black else earned
    nxt = next((lv for lv in prog.levels if lv.min_growth > growth and TIERS.index(lv.code) > TIERS.index(earned)),
               None)
    name = prog.black_card.name if black else next(lv.name for lv in prog.levels if lv.code == earned)
    return MyTierOut(tier=shown, name=name, earned_tier=earned, black_card=black, growth=growth,
                     next_tier=nxt.code if nxt else None, next_tier_name=nxt.name if nxt else None,
                     growth_needed=nxt.min_growth - growth if nxt else None, benefits=_benefits(prog, shown))


def _benefits(prog: ProgramOut, tier: str) -> TierBenefits:
    source: Any = prog.black_card if tier == "black" else next(lv for lv in prog.levels if lv.code == tier)
    return TierBenefits(**{k: getattr(source, k) for k in _BENEFITS})
