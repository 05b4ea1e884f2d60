"""Recommendation: record what members do with products and posts, rank products and posts per member with
reasons, and the tenant's ranking settings. Recording is one insert; ranking is in `ranking.py`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.content import service as content
from linli.core import clock
from linli.core.errors import Forbidden, Invalid
from linli.core.security import Principal
from linli.member import service as members
from linli.models.recommend import ACTIONS, ITEM_KINDS
from linli.recommend import evaluate as offline
from linli.recommend import model as m
from linli.recommend import posts, ranking
from linli.recommend import repository as repo
from linli.recommend import settings as rank_settings
from linli.recommend.evaluate import Evaluation
from linli.recommend.schemas import Behaviour, RecommendationsOut, SettingsIn

MAX_DWELL_MS = 6 * 3600 * 1000  # longer is a tab left open, not attention
POST_CANDIDATES = 300  # the newest posts a member may see: the wall's ranking chooses among these


def record_behaviour(s: Session, tenant_id: int, member_id: int, *, item_kind: str, item_id: int, action: str,
                     dwell_ms: int | None = None, community_id: int | None = None) -> None:
    """Append one behaviour event (cheap: validation in memory, then one insert). A dwell needs its dwell_ms."""
    _check(item_kind, item_id, action, dwell_ms)
    if dwell_ms is not None:
        dwell_ms = min(dwell_ms, MAX_DWELL_MS)
    repo.add_event(s, tenant_id, member_id, item_kind, item_id, action, dwell_ms, community_id, clock.now())


def _check(item_kind: str, item_id: int, action: str, dwell_ms: int | None) -> None:
    if item_kind not in ITEM_KINDS:
        raise Invalid(f"item_kind must be one of {', '.join(ITEM_KINDS)}", code="invalid_item_kind")
    if action not in ACTIONS:
        raise Invalid(f"action must be one of {', '.join(ACTIONS)}", code="invalid_action")
    if not isinstance(item_id, int) or isinstance(item_id, bool) or item_id <= 0:
        raise Invalid("item_id must be a positive integer", code="invalid_item_id")
    if dwell_ms is not None and (not isinstance(dwell_ms, int) or dwell_ms < 0):
        raise Invalid("dwell_ms must be a non-negative integer", code="invalid_dwell_ms")
    if action == "dwell" and dwell_ms is None:
        raise Invalid("a dwell needs dwell_ms", code="dwell_ms_required")


def record_purchase(s: Session, tenant_id: int, member_id: int, order_id: int, product_ids: list[int],
                    at: datetime, community_id: int | None = None) -> int:
    """The products of a paid order, once per order and product (a redelivery adds nothing); answers how many
    were new. The unique (tenant, order, item) key backs this up under concurrency."""
    seen = repo.purchased_items(s, tenant_id, order_id)
    rows = [{"tenant_id": tenant_id, "member_id": member_id, "item_kind": "product", "item_id": pid,
             "action": "purchase", "dwell_ms": None, "community_id": community_id, "order_id": order_id, "at": at}
            for pid in sorted(set(product_ids)) if pid not in seen]
    repo.add_events(s, rows)
    return len(rows)


def record_many(s: Session, tenant_id: int, rows: Sequence[Behaviour]) -> int:
    """Bulk recording (an import, the demo): every row checked like record_behaviour, then one executemany."""
    for r in rows:
        _check(r.item_kind, r.item_id, r.action, r.dwell_ms)
    repo.add_events(s, [{"tenant_id": tenant_id, "member_id": r.member_id, "item_kind": r.item_kind,
                         "item_id": r.item_id, "action": r.action, "community_id": r.community_id, "order_id": None,
                         "dwell_ms": None if r.dwell_ms is None else min(r.dwell_ms, MAX_DWELL_MS), "at": r.at}
                        for r in rows])
    return len(rows)


def purchases(s: Session, tenant_id: int, since: datetime, until: datetime) -> list[Behaviour]:
    """The product purchase events in [since, until), oldest first."""
    return [Behaviour(mem, "product", item, "purchase", at)
            for mem, item, action, _, at in repo.events(s, tenant_id, "product", since, until) if action == "purchase"]


def synthesise_browsing(s: Session, tenant_id: int) -> int:
    """Demo and benchmark data only: plausible browsing around the recorded purchases, all in SQL."""
    return repo.synthesise_browsing(s, tenant_id)


def backfill_purchases(s: Session, tenant_id: int, since: datetime | None = None) -> int:
    """Purchase events for paid order lines recorded before this domain existed (a history import, the demo);
    lines already recorded are skipped, so it can run any number of times."""
    return repo.backfill_purchases(s, tenant_id, since)


def current_settings(s: Session, p: Principal) -> SettingsIn:
    _require_operator(p)
    return rank_settings.current(s, p.tenant_id)


def replace_settings(s: Session, p: Principal, data: SettingsIn) -> SettingsIn:
    _require_operator(p)
    return rank_settings.replace(s, p.tenant_id, data)


def for_me(s: Session, p: Principal, kind: str, limit: int) -> RecommendationsOut:
    if p.role != "member" or p.member_id is None:
        raise Forbidden("only members have their own recommendations", code="members_only")
    return recommendations(s, p.tenant_id, p.member_id, kind, limit)


def for_member(s: Session, p: Principal, member_id: int, kind: str, limit: int) -> RecommendationsOut:
    """What a member is being recommended, with the reasons (operators)."""
    _require_operator(p)
    members.require_member(s, p.tenant_id, member_id)
    return recommendations(s, p.tenant_id, member_id, kind, limit)


def recommendations(s: Session, tenant_id: int, member_id: int, kind: str, limit: int) -> RecommendationsOut:
    """The member's best `limit` products (on shelf, with stock) or posts (visible to them), each with its
    reasons. No principal: pages and other domains call it for a member they have already checked."""
    if kind not in ITEM_KINDS:
        raise Invalid(f"kind must be one of {', '.join(ITEM_KINDS)}", code="invalid_kind")
    limit = max(1, min(limit, 100))
    settings = rank_settings.current(s, tenant_id)
    at = clock.now()
    community_id = members.communities_of(s, tenant_id, [member_id]).get(member_id)
    rows = repo.member_events(s, tenant_id, member_id, rank_settings.window_start(settings, at), at)
    product_rows = [(i, a, d, when) for k, i, a, d, when in rows if k == "product"]
    model, names = ranking.tenant_model(s, tenant_id, settings, at)
    if kind == "product":
        shelf = {row[0]: row for row in repo.shelf(s, tenant_id)}
        cold, ranked = ranking.rank(model, names, settings, product_rows, community_id, at, list(shelf), limit)
        return RecommendationsOut(member_id=member_id, kind="product", cold=cold,
                                  items=ranking.to_out(ranked, shelf, names))
    candidates = content.candidate_posts(s, tenant_id, community_id, POST_CANDIDATES)
    engaged = posts.engagement(s, tenant_id, settings, at)
    post_rows = [(i, a, d, when) for k, i, a, d, when in rows if k == "post"]
    items = posts.rank(candidates, engaged, settings, post_rows, product_affinity(model, settings, product_rows,
                       community_id, at), community_id, at, limit)
    return RecommendationsOut(member_id=member_id, kind="post", cold=not rows, items=items)


def product_affinity(model: m.TenantModel, settings: SettingsIn, product_rows: list[tuple[int, str, int | None,
                     datetime]], community_id: int | None, at: datetime) -> dict[int, float]:
    """product id -> 0..1: how much the member cares for it or its category (what a post's products match)."""
    scores = m.score(model, settings, m.member_interest(model, settings, product_rows, at), community_id, at)
    mine = scores.parts[m.SIGNALS.index("own_items")] + scores.parts[m.SIGNALS.index("category")]
    top = float(mine.max()) if mine.size else 0.0
    if top <= 0:
        return {}
    return {int(pid): float(v / top) for pid, v in zip(model.item_ids, mine, strict=True) if v > 0}


def _require_operator(p: Principal) -> None:
    if p.role != "operator":
        raise Forbidden("operators only", code="operators_only")


def evaluate(s: Session, tenant_id: int, cut: datetime | None = None, k: int = 10,
             days: int = 7) -> Evaluation:
    """The temporal-split evaluation (model vs popularity); the cut-off defaults to `days` before now."""
    if not 1 <= k <= 100 or not 1 <= days <= 90:
        raise Invalid("k must be 1-100 and days 1-90", code="invalid_evaluation")
    return offline.evaluate(s, tenant_id, cut or clock.now() - timedelta(days=days), k, days)


def category_of_products(s: Session, tenant_id: int) -> dict[int, int]:
    """product id -> category id, for every product of the tenant (the demo's browsing around purchases)."""
    return {pid: cid for pid, cid, _ in repo.products(s, tenant_id)}
