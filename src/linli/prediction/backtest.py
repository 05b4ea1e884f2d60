"""The time-based backtest: train on the earlier campaigns with only what was known at the cut, score the
later ones as of their own starts, and compare the model with the recency baseline per campaign kind."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from linli.lifecycle.stages import Thresholds
from linli.prediction.features import FEATURES, Pairs, pairs
from linli.prediction.history import KINDS, Campaign, Floats, History, Ints
from linli.prediction.model import MIN_EXAMPLES, Model, Scores, evaluate, labels, recency_scores


@dataclass(frozen=True)
class KindResult:
    kind: str  # a campaign kind, or "all"
    model: Scores
    recency: Scores


@dataclass(frozen=True)
class Result:
    cut: float | None  # the first test campaign's start: training saw nothing at or after it
    train_campaigns: int
    train_rows: int
    train_positives: int
    test_campaigns: int
    kinds: list[KindResult]
    note: str  # empty, or why nothing could be measured


def training_rows(h: History, campaigns: list[Campaign], t: Thresholds, until: float) -> tuple[Floats, Ints]:
    """Features as of each campaign's start, labels as observed up to `until`."""
    xs, ys = [], []
    for c in campaigns:
        p = pairs(h, c, t)
        xs.append(p.x)
        ys.append(labels(h, c, p.members, until))
    if not xs:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=np.int64)
    return np.vstack(xs), np.concatenate(ys)


def run(h: History, t: Thresholds, as_of: float, seed: int = 0, test_share: float = 0.3) -> Result:
    started = [c for c in h.campaigns if c.starts_at < as_of]
    if len(started) < 2:
        return Result(None, 0, 0, 0, 0, [], "需要至少两场已开始的活动 (at least two started campaigns)")
    n_test = min(len(started) - 1, max(1, round(test_share * len(started))))
    cut = started[-n_test].starts_at
    train = [c for c in started if c.starts_at < cut]
    test = [c for c in started if c.starts_at >= cut]
    x, y = training_rows(h, train, t, cut)
    if not train or not Model.trainable(y):
        return Result(cut, len(train), len(y), int(y.sum()), len(test), [],
                      f"训练期的活动参与者或未参与者少于 {MIN_EXAMPLES} 人 (too few joiners to learn from)")
    model = Model(seed).fit(x, y)
    scored: list[tuple[Campaign, Floats, Floats, Ints]] = []
    for c in test:
        p: Pairs = pairs(h, c, t)
        scored.append((c, model.probabilities(p.x), recency_scores(p), labels(h, c, p.members, as_of)))
    kinds = []
    for kind in (*KINDS, "all"):
        mine = [r for r in scored if kind in (r[0].kind, "all")]
        if mine:
            kinds.append(KindResult(kind, evaluate([(m, yy) for _, m, _, yy in mine]),
                                    evaluate([(b, yy) for _, _, b, yy in mine])))
    return Result(cut, len(train), len(y), int(y.sum()), len(test), kinds, "")
