"""Participation prediction: who is likely to join a campaign (group-buy, flash sale, presale), from each
member's history as of the campaign's start; trained on demand on the tenant's earlier campaigns."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import numpy as np
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import NotFound
from linli.core.security import Principal
from linli.lifecycle import service as lifecycle
from linli.prediction import backtest as bt
from linli.prediction import repository as repo
from linli.prediction.features import FEATURES, pairs
from linli.prediction.history import Campaign, History, load
from linli.prediction.model import Model, labels, recency_scores
from linli.prediction.schemas import CampaignChoice, CampaignRef, LikelyParticipant, ParticipationOut

_RECENCY = FEATURES.index("days_since_last_order")
_ORDERED = FEATURES.index("has_ordered")


def backtest(s: Session, tenant_id: int, seed: int = 0, test_share: float = 0.3) -> bt.Result:
    return bt.run(load(s, tenant_id), lifecycle.thresholds(s, tenant_id), clock.now().timestamp(), seed,
                  test_share)


def likely_participants(s: Session, p: Principal, kind: str, campaign_id: int, limit: int,
                        seed: int = 0) -> ParticipationOut:
    """The candidates of a campaign, most likely first, scored as of its start (or now, before it starts) by a
    model trained on the campaigns that started earlier, with their outcomes as known at that instant."""
    h = load(s, p.tenant_id)
    c = _campaign(h, kind, campaign_id)
    t = lifecycle.thresholds(s, p.tenant_id)
    now = clock.now().timestamp()
    at = min(c.starts_at, now)
    x, y = bt.training_rows(h, [e for e in h.campaigns if e.starts_at < at and e != c], t, at)
    target = pairs(h, c, t, at)
    method: Literal["model", "recency"] = "model" if Model.trainable(y) else "recency"
    score = Model(seed).fit(x, y).probabilities(target.x) if method == "model" else recency_scores(target)
    joined = labels(h, c, target.members, now)
    top = np.lexsort((h.member_ids[target.members], -score))[:limit]
    ids = [int(h.member_ids[target.members[i]]) for i in top]
    names = repo.member_names(s, p.tenant_id, ids)
    items = [LikelyParticipant(
        member_id=mid, name=names.get(mid, ""),
        probability=round(float(score[i]), 4) if method == "model" else None,
        days_since_last_order=round(float(target.x[i, _RECENCY]), 1) if target.x[i, _ORDERED] > 0 else None,
        joined=bool(joined[i])) for mid, i in zip(ids, top, strict=True)]
    return ParticipationOut(
        campaign=CampaignRef(kind=c.kind, id=c.id, starts_at=_dt(c.starts_at),
                             ends_at=None if c.ends_at is None else _dt(c.ends_at)),
        method=method, trained_campaigns=sum(1 for e in h.campaigns if e.starts_at < at and e != c),
        trained_rows=len(y), trained_joiners=int(y.sum()), candidates=len(target.members), items=items)


def campaign_choices(s: Session, p: Principal, limit: int = 100) -> list[CampaignChoice]:
    """The tenant's campaigns, the latest start first, with their product's name."""
    products = repo.campaign_products(s, p.tenant_id)
    rows = sorted(((kind, i, at) for kind, i, _, at, _ in repo.campaigns(s, p.tenant_id)),
                  key=lambda r: (r[2], r[0], r[1]), reverse=True)[:limit]
    return [CampaignChoice(kind=kind, id=i, product=products.get((kind, i), ""), starts_at=at) for kind, i, at in rows]


def _campaign(h: History, kind: str, campaign_id: int) -> Campaign:
    for c in h.campaigns:
        if c.kind == kind and c.id == campaign_id:
            return c
    raise NotFound("campaign not found", code="campaign_not_found")


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
