"""Periodic tier work: the monthly black card (黑卡) and the yearly review. Each is recorded in
tier_runs (unique per tenant, kind and period), so overlapping run-due runs do it once.

Black card: the top 10 % of members by paid spend net of refunds over the trailing 12 months,
among members who spent anything: ceil(10 % of the spenders) places, and everyone tied with the
last place holds one too (so a tie can make the group a little larger than 10 %, never smaller).
The spend comes from the order domain in one grouped query; the flags change with bulk updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.security import Principal
from linli.models import GrowthEntry, MemberTier, TierRun
from linli.models.tier import TIERS
from linli.order import service as orders
from linli.tier import repository as repo
from linli.tier import service
from linli.tier.schemas import BlackCardRunOut


def months_before(at: datetime, months: int) -> datetime:
    """The same local wall time `months` calendar months earlier (the day clamped to the month's end)."""
    local = clock.local(at)
    y, m = divmod(local.year * 12 + local.month - 1 - months, 12)
    for day in (local.day, 30, 29, 28):
        try:
            return clock.as_utc(local.replace(year=y, month=m + 1, day=day))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def top_spenders(spend: dict[int, int]) -> tuple[set[int], int | None]:
    """(holders, cut-off spend): ceil(10 %) of members with spend > 0, plus anyone tied with the last."""
    amounts = sorted((v for v in spend.values() if v > 0), reverse=True)
    if not amounts:
        return set(), None
    cutoff = amounts[(len(amounts) + 9) // 10 - 1]
    return {m for m, v in spend.items() if v > 0 and v >= cutoff}, cutoff


def black_card(s: Session, tenant_id: int, at: datetime, again: bool = False) -> BlackCardRunOut | None:
    """The month's black cards as of `at`. Once per month unless `again` (the operator's recompute);
    returns None when this month was already done."""
    month = clock.local(at).strftime("%Y-%m")
    run = _claim(s, tenant_id, "black_card", month, at)
    if run is None and not again:
        return None
    run = run or repo.run(s, tenant_id, "black_card", month, lock=True)
    assert run is not None
    spend = orders.spend_by_member(s, tenant_id, months_before(at, 12), at)
    holders, cutoff = top_spenders(spend)
    current = repo.black_holders(s, tenant_id)
    granted, revoked = holders - current, current - holders
    _ensure_accounts(s, tenant_id, granted)
    tiers = repo.earned_tiers(s, tenant_id, granted | revoked)
    repo.set_black_card(s, tenant_id, holders, True, month)
    repo.set_black_card(s, tenant_id, revoked, False, None)
    now = clock.now()
    for member_id in sorted(granted):
        service.record_change(s, tenant_id, member_id, tiers[member_id], "black", "black_card_granted", now,
                              "black")
    for member_id in sorted(revoked):
        service.record_change(s, tenant_id, member_id, "black", tiers[member_id], "black_card_revoked", now,
                              tiers[member_id])
    out = BlackCardRunOut(month=month, spenders=sum(1 for v in spend.values() if v > 0), holders=len(holders),
                          cutoff_fen=cutoff, granted=len(granted), revoked=len(revoked))
    run.members, run.detail, run.at = len(holders), out.model_dump(), now
    return out


def black_card_now(s: Session, p: Principal) -> BlackCardRunOut:
    out = black_card(s, p.tenant_id, clock.now(), again=True)
    assert out is not None
    return out


def yearly_review(s: Session, tenant_id: int, review_at: datetime) -> int:
    """1 January: growth older than 12 months expires, and every tier is set to what the growth
    earned since then supports — the one moment a tier goes down. Returns how many tiers changed."""
    if _claim(s, tenant_id, "yearly_review", str(clock.local(review_at).year), review_at) is None:
        return 0
    prog = service.program(s, tenant_id)
    earned = repo.growth_since(s, tenant_id, months_before(review_at, 12))
    now, changed = clock.now(), 0
    for acct in repo.accounts(s, tenant_id, lock=True):
        growth = max(0, earned.get(acct.member_id, 0))
        if growth != acct.growth:
            s.add(GrowthEntry(tenant_id=tenant_id, member_id=acct.member_id, delta=growth - acct.growth,
                              kind="yearly_review", ref=f"review:{clock.local(review_at).year}:{acct.member_id}",
                              at=now))
            acct.growth = growth
        target = service.earned_tier(prog, growth)
        if target != acct.tier:
            old, acct.tier, acct.tier_since = acct.tier, target, now
            service.record_change(s, tenant_id, acct.member_id, old, target, "yearly_review", now,
                                  "black" if acct.black_card else target)
            changed += 1
    return changed


def _claim(s: Session, tenant_id: int, kind: str, period: str, at: datetime) -> TierRun | None:
    """Reserve this period's run; None if it was done (or is being done by a concurrent run)."""
    if repo.run(s, tenant_id, kind, period) is not None:
        return None
    run = TierRun(tenant_id=tenant_id, kind=kind, period=period, members=0, detail={}, at=at)
    try:
        with s.begin_nested():
            s.add(run)
    except IntegrityError:
        return None
    return run


def _ensure_accounts(s: Session, tenant_id: int, member_ids: set[int]) -> None:
    missing = member_ids - set(repo.earned_tiers(s, tenant_id, member_ids))
    s.add_all([MemberTier(tenant_id=tenant_id, member_id=m, growth=0, tier=TIERS[0], tier_since=clock.now(),
                          black_card=False) for m in sorted(missing)])
    s.flush()

