"""Rank posts for one member. Candidates come from the content domain (published, visible to the member's
community, newest first); each is scored by the member's topics (from their own likes, dwells …), the
products it shows against the member's product interest, how much neighbours engage with it (dwell > like >
favourite > comment, decayed), whether it is from the member's own community, and how fresh it is. A post the
member has already seen counts half, so the wall keeps moving."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from linli.content.schemas import PostCandidate
from linli.recommend import model as m
from linli.recommend import repository as repo
from linli.recommend.schemas import RecommendationOut, SettingsIn
from linli.recommend.settings import window_start

SIGNALS = ("topic", "products", "engagement", "community", "freshness")
BLEND = {"topic": 1.0, "products": 1.0, "engagement": 0.8, "community": 0.8, "freshness": 0.6}
FRESH_HALF_LIFE_DAYS = 3.0
SEEN_FACTOR = 0.5
TTL_S = 120.0
_cache: dict[int, tuple[float, str, datetime, dict[int, float]]] = {}
_lock = threading.Lock()


def forget(tenant_id: int | None = None) -> None:
    with _lock:
        if tenant_id is None:
            _cache.clear()
        else:
            _cache.pop(tenant_id, None)


def engagement(s: Session, tenant_id: int, settings: SettingsIn, at: datetime) -> dict[int, float]:
    """post id -> all members' decayed, weighted behaviour on it (cached per process for TTL_S)."""
    key = settings.model_dump_json()
    with _lock:
        hit = _cache.get(tenant_id)
    if hit is not None and hit[1] == key and time.monotonic() - hit[0] < TTL_S \
            and 0 <= (at - hit[2]).total_seconds() < TTL_S:
        return hit[3]
    rows = repo.events(s, tenant_id, "post", window_start(settings, at), at)
    ages = np.fromiter(((at - r[4]).total_seconds() for r in rows), dtype=np.float64, count=len(rows))
    w = m.weights(settings, [r[2] for r in rows], [r[3] for r in rows], ages)
    found: dict[int, float] = defaultdict(float)
    for r, x in zip(rows, w, strict=True):
        found[r[1]] += float(x)
    with _lock:
        _cache[tenant_id] = (time.monotonic(), key, at, dict(found))
    return dict(found)


def rank(candidates: Sequence[PostCandidate], engaged: dict[int, float], settings: SettingsIn,
         post_rows: list[tuple[int, str, int | None, datetime]], product_affinity: dict[int, float],
         community_id: int | None, at: datetime, limit: int) -> list[RecommendationOut]:
    """post_rows: the member's own (post id, action, dwell ms, at); product_affinity: product id -> 0..1."""
    if not candidates:
        return []
    ages = np.fromiter(((at - r[3]).total_seconds() for r in post_rows), dtype=np.float64, count=len(post_rows))
    own = m.weights(settings, [r[1] for r in post_rows], [r[2] for r in post_rows], ages)
    topic_of = {c.id: c.topic for c in candidates}
    topics: dict[str, float] = defaultdict(float)
    for r, x in zip(post_rows, own, strict=True):
        topic = topic_of.get(r[0])
        if topic:
            topics[topic] += float(x)
    top_topic = max(topics.values(), default=0.0)
    top_engaged = max((engaged.get(c.id, 0.0) for c in candidates), default=0.0)
    seen = {r[0] for r in post_rows}
    parts = np.zeros((len(SIGNALS), len(candidates)))
    for k, c in enumerate(candidates):
        parts[0, k] = topics.get(c.topic or "", 0.0) / top_topic if top_topic > 0 else 0.0
        parts[1, k] = max((product_affinity.get(p, 0.0) for p in c.product_ids), default=0.0)
        parts[2, k] = engaged.get(c.id, 0.0) / top_engaged if top_engaged > 0 else 0.0
        parts[3, k] = 1.0 if community_id is not None and c.community_id == community_id else 0.0
        parts[4, k] = 0.5 ** (max(0.0, (at - c.created_at).total_seconds()) / (FRESH_HALF_LIFE_DAYS * m.DAY))
    parts *= np.array([BLEND[k] for k in SIGNALS])[:, None]
    total = parts.sum(axis=0) * np.array([SEEN_FACTOR if c.id in seen else 1.0 for c in candidates])
    order = np.lexsort((-np.array([c.id for c in candidates]), -total))[:limit]
    out = []
    for k in order:
        c = candidates[int(k)]
        reasons = _reasons(parts[:, int(k)], c)
        out.append(RecommendationOut(kind="post", id=c.id, score=round(float(total[k]), 4), reason=reasons[0],
                                     reasons=reasons, topic=c.topic, created_at=c.created_at))
    return out


def _reasons(parts: np.ndarray, c: PostCandidate) -> list[str]:
    total = float(parts.sum())
    said: list[str] = []
    for k in np.argsort(-parts, kind="stable")[:3]:
        if parts[k] <= 0 or (said and parts[k] < 0.25 * total):
            break
        said.append({"topic": f"你关注的话题：#{c.topic}", "products": "与你喜欢的商品相关",
                     "engagement": "邻居热议", "community": "本小区动态", "freshness": "新鲜发布"}[SIGNALS[int(k)]])
    return said or ["为你推荐"]
