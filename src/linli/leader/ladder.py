"""星火计划 — the leader certification ladder, and the leader type rule.

Tiers, in order: `none` 新团长 → `observer` 社区观察员 → `steward` 社区管家 → `ambassador` 社区大使.
Each step requires the previous one; a leader is promoted to the highest tier whose threshold — and every
lower threshold — is met. Measures, as of an instant `at`, over the leader's pickup points:

- activity (observer, ≥ 300): over the trailing 30 days [at − 30 d, at):
  1 point per order handed out (picked up) at the leader's points
  + 2 per distinct member who paid an order there
  + 5 per member of the leader's community who joined in the window.
- conversion (steward, ≥ 15 %): distinct members who paid an order at the leader's points in the trailing
  30 days ÷ members of the leader's community (joined before `at`), in basis points (1500 = 15 %).
- GMV (ambassador, ≥ 100,000 yuan = 10,000,000 fen): cumulative payable − refunded of paid, not cancelled
  orders at the leader's points.

Promotion happens as soon as the thresholds are met (the `leader.promote` due job, and the handler of
`order.paid` / `order.picked_up`). They never demote: only `service.set_tier`, called by the assessment, does.
A demotion holds for the rest of the calendar month (Asia/Shanghai) it happened in — the month after the one
assessed — even if the thresholds are still met; otherwise the next check would undo the assessment at once.

Leader type (resource 物业/资源型, social 宝妈/社交型, service 店主/服务型), recomputed with the ladder:
- service if one of the leader's pickup points is a store;
- else social if at least 10 members bought at the leader's points over the trailing 30 days and ≥ 40 % of
  them bought more than once (a loyal circle the leader keeps in touch with);
- else the type the leader declared on applying.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from linli.core import clock

TIERS = ("none", "observer", "steward", "ambassador")
TIER_NAMES = {"none": "新团长", "observer": "社区观察员", "steward": "社区管家", "ambassador": "社区大使"}
TYPES = ("resource", "social", "service")
WINDOW = timedelta(days=30)

ACTIVITY_MIN = 300
CONVERSION_MIN_BP = 1500
GMV_MIN_FEN = 10_000_000
SOCIAL_MIN_BUYERS = 10
SOCIAL_REPEAT_SHARE_BP = 4000


# 优先选品: a tier with priority selection sees the campaign line-up this many days ahead (others: PREVIEW_DAYS),
# time to pick what to push in the group chat and to line up buyers before the others know
PREVIEW_DAYS = 3
PRIORITY_PREVIEW_DAYS = 14


@dataclass(frozen=True)
class TierBenefits:
    tier: str
    name: str
    commission_bp: int
    training_access: bool
    priority_selection: bool
    marketing_subsidy_fen: int  # per month


DEFAULT_BENEFITS = {
    "none": TierBenefits("none", TIER_NAMES["none"], 500, False, False, 0),
    "observer": TierBenefits("observer", TIER_NAMES["observer"], 600, True, False, 0),
    "steward": TierBenefits("steward", TIER_NAMES["steward"], 800, True, True, 20_000),
    "ambassador": TierBenefits("ambassador", TIER_NAMES["ambassador"], 1000, True, True, 50_000),
}


@dataclass(frozen=True)
class Measures:
    picked_up: int
    buyers: int
    new_members: int
    community_members: int
    gmv_fen: int
    repeat_buyers: int

    @property
    def activity(self) -> int:
        return self.picked_up + 2 * self.buyers + 5 * self.new_members

    @property
    def conversion_bp(self) -> int:
        return self.buyers * 10000 // self.community_members if self.community_members else 0


def earned_tier(m: Measures) -> str:
    """The highest tier whose threshold and all lower thresholds are met."""
    if m.activity < ACTIVITY_MIN:
        return "none"
    if m.conversion_bp < CONVERSION_MIN_BP:
        return "observer"
    if m.gmv_fen < GMV_MIN_FEN:
        return "steward"
    return "ambassador"


def rank(tier: str) -> int:
    return TIERS.index(tier)


def next_tier(tier: str) -> str | None:
    i = rank(tier)
    return TIERS[i + 1] if i + 1 < len(TIERS) else None


DECLARED_REASON = "申请时填写的类型"


def leader_type(declared: str, point_kinds: list[str], m: Measures) -> tuple[str, str]:
    """(type, the reason in words)."""
    if "store" in point_kinds:
        return "service", "自提点为门店"
    if m.buyers >= SOCIAL_MIN_BUYERS and m.repeat_buyers * 10000 >= SOCIAL_REPEAT_SHARE_BP * m.buyers:
        return "social", f"近30天 {m.repeat_buyers}/{m.buyers} 位购买成员复购（复购成员 ≥ 40%）"
    return declared, DECLARED_REASON


def demotion_holds(from_tier: str, to_tier: str, changed_at: datetime, at: datetime) -> bool:
    """True while a demotion (from_tier → to_tier, at changed_at) still blocks promotion at `at`."""
    if rank(to_tier) >= rank(from_tier):
        return False
    then, now = clock.local(changed_at), clock.local(at)
    return (then.year, then.month) == (now.year, now.month) and changed_at <= at


def window(at: datetime) -> tuple[datetime, datetime]:
    return at - WINDOW, at
