"""HTTP shapes of recommendations and the tenant's ranking settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from linli.core.schemas import In, Instant, Out

Weight = Annotated[float, Field(ge=0, le=100)]
ItemKind = Literal["product", "post"]


class SettingsIn(In):
    """Behaviour weights (dwell > like > favourite > comment, seed 001), how fast behaviour fades, and how much
    each signal counts in the blend. A dwell counts in full from dwell_full_ms on, in proportion below. The blend
    defaults are the best of a few tried with `linli recommend evaluate` on the demo (buying again matters most)."""

    view: Weight = 0.5
    dwell: Weight = 4.0
    like: Weight = 3.0
    favourite: Weight = 2.0
    comment: Weight = 1.0
    share: Weight = 1.0
    purchase: Weight = 5.0
    dwell_full_ms: Annotated[int, Field(ge=1000, le=600_000)] = 30_000
    half_life_days: Annotated[float, Field(ge=1, le=365)] = 21.0
    own_items: Weight = 2.0       # what the member bought or looked at before (回购)
    category: Weight = 1.0        # the member's categories
    co_purchase: Weight = 0.4     # bought together with what the member likes
    community: Weight = 0.4       # what the member's neighbours buy
    hour: Weight = 0.2            # what sells at this time of day
    popularity: Weight = 0.3      # what sells in the whole tenant


SettingsOut = SettingsIn


class RecommendationOut(Out):
    kind: ItemKind
    id: int
    score: float
    reason: str                   # the strongest signal, in words (常买品类：新鲜水果 / 邻居都在买 / 此时热卖 …)
    reasons: list[str]
    name: str | None = None       # products: name, price and category; posts: their topic
    price_fen: int | None = None
    category: str | None = None
    image: str | None = None
    topic: str | None = None
    created_at: Instant | None = None


class RecommendationsOut(Out):
    member_id: int
    kind: ItemKind
    cold: bool                    # no behaviour of this member yet: popularity and context only
    items: list[RecommendationOut]


@dataclass(frozen=True)
class Behaviour:
    """One behaviour event as plain data (bulk recording, reads by other domains and the demo)."""

    member_id: int
    item_kind: str
    item_id: int
    action: str
    at: datetime
    dwell_ms: int | None = None
    community_id: int | None = None
