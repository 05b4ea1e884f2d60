"""Rank products for one member: the tenant model (built from all members' behaviour, kept per process for
a few minutes) plus the member's own behaviour, read fresh on each call. Only products on shelf with stock
are offered; each carries the strongest signal behind it as a short Chinese reason."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from linli.recommend import model as m
from linli.recommend import repository as repo
from linli.recommend.schemas import RecommendationOut, SettingsIn
from linli.recommend.settings import window_start

TTL_S = 300.0  # the tenant model is rebuilt at most this often; the member's own behaviour is always fresh
_cache: dict[int, tuple[float, str, datetime, m.TenantModel, dict[int, str]]] = {}
_lock = threading.Lock()
NEW_PRODUCT = "新品上架"


def forget(tenant_id: int | None = None) -> None:
    """Drop cached tenant models (all when tenant_id is None): the next ranking rebuilds."""
    with _lock:
        if tenant_id is None:
            _cache.clear()
        else:
            _cache.pop(tenant_id, None)


def tenant_model(s: Session, tenant_id: int, settings: SettingsIn, at: datetime
                 ) -> tuple[m.TenantModel, dict[int, str]]:
    """The cached model when it was built under the same settings less than TTL_S ago (by the wall clock and
    by the business clock, which tests and run-due move), else a new one."""
    key = settings.model_dump_json()
    with _lock:
        hit = _cache.get(tenant_id)
    if hit is not None:
        built, hit_key, as_of, model, names = hit
        if hit_key == key and time.monotonic() - built < TTL_S and 0 <= (at - as_of).total_seconds() < TTL_S:
            return model, names
    model = build_model(s, tenant_id, settings, at)
    names = repo.category_names(s, tenant_id)
    with _lock:
        _cache[tenant_id] = (time.monotonic(), key, at, model, names)
    return model, names


def build_model(s: Session, tenant_id: int, settings: SettingsIn, at: datetime) -> m.TenantModel:
    events = repo.events(s, tenant_id, "product", window_start(settings, at), at)
    return m.build(settings, at, repo.products(s, tenant_id), events, repo.member_communities(s, tenant_id))


@dataclass(frozen=True)
class Ranked:
    product_id: int
    score: float
    reasons: list[str]


def rank(model: m.TenantModel, category_names: dict[int, str], settings: SettingsIn,
         rows: list[tuple[int, str, int | None, datetime]], community_id: int | None, at: datetime,
         candidates: list[int] | None, limit: int) -> tuple[bool, list[Ranked]]:
    """The member's best `limit` products among `candidates` (None: every product the model knows). Products
    newer than the model rank last, as new arrivals."""
    interest = m.member_interest(model, settings, rows, at)
    scores = m.score(model, settings, interest, community_id, at)
    bought = {r[0] for r in rows if r[1] == "purchase"}
    ids = list(model.item_ids) if candidates is None else candidates
    pos = np.array([model.index.get(int(p), -1) for p in ids], dtype=np.int64)
    known = pos >= 0
    total = np.where(known, scores.total[np.maximum(pos, 0)] if len(pos) else 0.0, -1.0)
    order = np.lexsort((np.asarray(ids, dtype=np.int64), -total))[:limit]
    out = []
    for k in order:
        if not known[k]:
            out.append(Ranked(int(ids[k]), 0.0, [NEW_PRODUCT]))
            continue
        p = int(pos[k])
        out.append(Ranked(int(ids[k]), round(float(total[k]), 4),
                          _reasons(model, category_names, scores, p, bought)))
    return scores.cold, out


def _reasons(model: m.TenantModel, category_names: dict[int, str], scores: m.MemberScores, p: int,
             bought: set[int]) -> list[str]:
    parts = scores.parts[:, p]
    total = float(parts.sum())
    if total <= 0:
        return ["为你推荐"]
    said: list[str] = []
    for k in np.argsort(-parts, kind="stable")[:3]:
        if parts[k] < 0.25 * total and said:
            break
        said.append(_say(model, category_names, scores, m.SIGNALS[k], p, bought))
    return said


def _say(model: m.TenantModel, category_names: dict[int, str], scores: m.MemberScores, signal: str, p: int,
         bought: set[int]) -> str:
    if signal == "own_items":
        return "您常买" if int(model.item_ids[p]) in bought else "您看过"
    if signal == "category":  # 常买 only when the member bought in it; views, likes and dwell are a 偏爱
        mine = model.category[p]
        verb = "常买" if any(b in model.index and model.category[model.index[b]] == mine for b in bought) else "偏爱"
        return f"{verb}品类：{category_names.get(int(mine), '')}".rstrip("：")
    if signal == "co_purchase":
        row = model.similar.getrow(p)
        if row.nnz:
            pull = row.data * scores.interest[row.indices]
            if pull.max() > 0:
                return f"买过「{model.names[int(row.indices[int(np.argmax(pull))])]}」的邻居也买"
        return "常一起买"
    return {"community": "邻居都在买", "hour": "此时热卖", "popularity": "大家都在买"}[signal]


def to_out(ranked: list[Ranked], shelf: dict[int, repo.ShelfRow], category_names: dict[int, str]
           ) -> list[RecommendationOut]:
    out = []
    for r in ranked:
        pid, name, price, image, category_id, _ = shelf[r.product_id]
        out.append(RecommendationOut(kind="product", id=pid, score=r.score, reason=r.reasons[0], reasons=r.reasons,
                                     name=name, price_fen=price, image=image,
                                     category=category_names.get(category_id)))
    return out
