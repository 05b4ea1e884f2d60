"""Pure arithmetic of the monthly score, kept apart from the database so the rules read in one place.

Normalisation (documented): sales, growth and activity score value ÷ the tenant's best value that month
× 100 (0 for everyone when the best is 0); the service score is average stars ÷ 5 × 100, and a leader
without ratings that month gets a neutral 60. Total = weighted sum (weights in percent, sum 100).
Rank 1 is the best (ties: lower leader id first). Titles: 金牌团长 for the top 10 % (at least one),
优秀团长 for the next 20 %. Bottom 20 % (at least one when there are 5+ leaders) drop one tier."""

from __future__ import annotations

import math
from dataclasses import dataclass

NEUTRAL_SERVICE = 60.0
GOLD, GOOD = "金牌团长", "优秀团长"
LADDER = ("none", "observer", "steward", "ambassador")


@dataclass
class Facts:
    leader_id: int
    sales_fen: int
    new_members: int
    avg_stars: float | None
    ratings: int
    activity: int


@dataclass
class Score:
    facts: Facts
    sales: float
    growth: float
    service: float
    activity: float
    total: float
    rank: int = 0
    title: str | None = None
    demote: bool = False
    bottom: bool = False


def _share(value: int, best: int) -> float:
    return round(100.0 * value / best, 2) if best > 0 else 0.0


def score(facts: list[Facts], weights: tuple[int, int, int, int], bottom_pct: int) -> list[Score]:
    """Scores ranked best first."""
    best_sales = max((f.sales_fen for f in facts), default=0)
    best_growth = max((f.new_members for f in facts), default=0)
    best_activity = max((f.activity for f in facts), default=0)
    ws, wg, wv, wa = weights
    out = []
    for f in facts:
        sales, growth = _share(f.sales_fen, best_sales), _share(f.new_members, best_growth)
        activity = _share(f.activity, best_activity)
        service = NEUTRAL_SERVICE if f.avg_stars is None else round(f.avg_stars / 5 * 100, 2)
        total = round((ws * sales + wg * growth + wv * service + wa * activity) / 100, 2)
        out.append(Score(f, sales, growth, service, activity, total))
    out.sort(key=lambda x: (-x.total, x.facts.leader_id))
    n = len(out)
    gold = math.ceil(n * 0.10)
    good = math.ceil(n * 0.30) - gold
    demoted = n * 20 // 100
    bottom = n * bottom_pct // 100
    for i, sc in enumerate(out):
        sc.rank = i + 1
        sc.title = GOLD if i < gold else GOOD if i < gold + good else None
        sc.demote = i >= n - demoted
        sc.bottom = i >= n - bottom
    return out


def step_down(tier: str) -> str:
    i = LADDER.index(tier) if tier in LADDER else 0
    return LADDER[max(i - 1, 0)]


TASKS = {
    "sales": "本月销售额提升 20%：每天主推 1 款爆品",
    "growth": "本月拉新 10 人",
    "service": "提货满意度 ≥ 4.5",
    "activity": "每周发圈 3 次",
}


def weakest(sc: Score, k: int = 2) -> list[str]:
    """The k metrics the leader scored lowest on: what the help plan works on."""
    metrics = {"sales": sc.sales, "growth": sc.growth, "service": sc.service, "activity": sc.activity}
    return sorted(metrics, key=lambda m: (metrics[m], m))[:k]
