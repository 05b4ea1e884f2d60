from __future__ import annotations

from typing import Literal

from linli.core.schemas import Instant, Out

CampaignKind = Literal["group_buy", "flash_sale", "presale"]


class CampaignRef(Out):
    kind: str
    id: int
    starts_at: Instant
    ends_at: Instant | None


class LikelyParticipant(Out):
    member_id: int
    name: str
    probability: float | None  # None: no model could be trained yet (ranked by recency)
    days_since_last_order: float | None
    joined: bool  # already took part in this campaign


class ParticipationOut(Out):
    campaign: CampaignRef
    method: Literal["model", "recency"]  # recency: too few joiners in earlier campaigns to train on
    trained_campaigns: int
    trained_rows: int
    trained_joiners: int
    candidates: int
    items: list[LikelyParticipant]  # most likely first


class CampaignChoice(Out):
    kind: str
    id: int
    product: str
    starts_at: Instant
