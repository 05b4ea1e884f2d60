"""The offline evaluation: the metric arithmetic on a hand-computed case, and the model against popularity on
a tenant whose members each keep to one category."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from linli.cli import main
from linli.core import clock
from linli.models import Member
from linli.recommend import service
from linli.recommend.evaluate import metrics
from linli.recommend.schemas import Behaviour


def test_metric_arithmetic_on_a_hand_computed_case() -> None:
    # member 1: one hit at rank 2 of 3, two relevant; member 2: nothing relevant shown
    got = metrics({1: [10, 20, 30], 2: [40, 50, 60]}, {1: {20, 99}, 2: {70}}, k=3, catalogue=10)
    assert got.members == 2
    assert got.precision == pytest.approx((1 / 3) / 2)
    assert got.recall == pytest.approx((1 / 2) / 2)
    # DCG = 1/log2(3); ideal (two relevant) = 1 + 1/log2(3)
    assert got.ndcg == pytest.approx((0.6309298 / 1.6309298) / 2, rel=1e-6)
    assert got.hit_rate == 0.5 and got.coverage == pytest.approx(0.6)
    assert metrics({}, {}, 3, 10).members == 0


def test_model_beats_popularity_when_members_keep_to_their_categories(make) -> None:
    t = make.tenant()
    categories = ["新鲜水果", "时令蔬菜", "肉禽蛋", "粮油调味"]
    by_cat = {c: [t.product(category=c)["id"] for _ in range(5)] for c in categories}
    t.members(40)
    with t.db.unit_of_work() as s:
        members = list(s.scalars(select(Member.id).where(Member.tenant_id == t.tenant_id).order_by(Member.id)))
    rng = random.Random(7)
    now = clock.now()
    cut = now - timedelta(days=7)
    rows = []
    for k, member in enumerate(members):
        # a quarter of the members like fruit, …; the first category is a little more popular overall
        mine = by_cat[categories[0 if k % 5 == 4 else k % 4]]
        for day in range(1, 36):
            if rng.random() < 0.5:
                at = now - timedelta(days=day, hours=rng.random() * 10)
                product = rng.choice(mine if rng.random() < 0.9 else by_cat[rng.choice(categories)])
                rows.append(Behaviour(member, "product", product, "purchase", at))
                if rng.random() < 0.5:
                    rows.append(Behaviour(member, "product", rng.choice(mine), "dwell", at, dwell_ms=20_000))
    with t.db.unit_of_work() as s:
        service.record_many(s, t.tenant_id, rows)
    with t.db.unit_of_work() as s:
        e = service.evaluate(s, t.tenant_id, cut, k=5, days=7)
    assert e.model.members == e.popularity.members >= 35
    assert e.model.ndcg >= e.popularity.ndcg + 0.2
    assert e.model.precision > e.popularity.precision * 1.5
    assert e.model.hit_rate > e.popularity.hit_rate
    assert e.model.coverage > e.popularity.coverage  # one list for all vs each member's own

    out = CliRunner().invoke(main, ["recommend", "evaluate", "--tenant", t.slug, "--at", cut.isoformat(),
                                    "--k", "5"])
    assert out.exit_code == 0, out.output
    assert "precision@5" in out.output and "popularity" in out.output and f"{e.model.ndcg:.4f}" in out.output
    bad = CliRunner().invoke(main, ["recommend", "evaluate", "--tenant", t.slug, "--k", "0"])
    assert bad.exit_code != 0 and "invalid_evaluation" in bad.output
