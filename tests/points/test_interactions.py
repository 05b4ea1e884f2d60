"""Points for what members really do (issue 11): a review of a picked-up order, a share opened by a
neighbour, content; credited by the points.action_earn handler, once per action, within the daily caps.
Members can no longer report their own interactions."""

from __future__ import annotations

from sqlalchemy import select

from linli.core.outbox import Event, OutboxEvent, drain
from linli.events import build_registry
from linli.lifecycle import service as lifecycle
from linli.models import PointsTransaction
from linli.points import handlers
from tests.lifecycle.helpers import picked_up, rate
from tests.points.checks import assert_consistent


def _review_points(bank, member_id: int) -> list[tuple[int, str | None]]:
    with bank.db.unit_of_work() as s:
        rows = s.execute(select(PointsTransaction.amount, PointsTransaction.reference).where(
            PointsTransaction.tenant_id == bank.t.tenant_id, PointsTransaction.member_id == member_id,
            PointsTransaction.kind == "review").order_by(PointsTransaction.id))
        return [(a, r) for a, r in rows]


def _interactions(bank, member_id: int) -> list[Event]:
    with bank.db.unit_of_work() as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.tenant_id == bank.t.tenant_id,
                                                   OutboxEvent.topic == "member.interacted"))
        return [Event(r.id, r.tenant_id, r.topic, dict(r.payload), r.created_at) for r in rows
                if r.payload["member_id"] == member_id]


def test_rating_an_order_credits_the_review_points_once_even_if_delivered_twice(bank):
    t = bank.t
    _, point_id, leader_h = t.leader()
    product = t.product(price_fen=100)
    m, mh = bank.member()
    order_id = picked_up(t, mh, product["id"], point_id, leader_h)
    drain(bank.db, build_registry())
    before = bank.balance(m)
    rate(t, mh, order_id)
    drain(bank.db, build_registry())
    assert _review_points(bank, m) == [(10, f"order:{order_id}")]  # the default review rule: 10 points
    assert bank.balance(m) == before + 10
    # at-least-once delivery: the same event handled again credits nothing
    (review,) = [e for e in _interactions(bank, m) if e.payload["kind"] == "review"]
    assert review.payload["ref"] == f"order:{order_id}"
    with bank.db.unit_of_work() as s:
        handlers.on_member_interacted(s, review)
    assert bank.balance(m) == before + 10 and len(_review_points(bank, m)) == 1
    assert_consistent(bank.db, t.tenant_id)


def test_reviews_earn_up_to_the_daily_cap_of_the_rules(bank):
    t = bank.t
    bank.rules(review={"points": 10, "daily_cap": 25})
    _, point_id, leader_h = t.leader()
    product = t.product(price_fen=100)
    m, mh = bank.member()
    orders = [picked_up(t, mh, product["id"], point_id, leader_h) for _ in range(4)]
    for order_id in orders:
        rate(t, mh, order_id)
    drain(bank.db, build_registry())
    assert [a for a, _ in _review_points(bank, m)] == [10, 10, 5]  # 25 a day, then nothing
    bank.rules(review={"points": 10, "enabled": False})
    second = picked_up(t, mh, product["id"], point_id, leader_h)
    rate(t, mh, second)
    drain(bank.db, build_registry())
    assert len(_review_points(bank, m)) == 3  # a disabled rule credits nothing


def test_content_and_share_hooks_earn_their_rules_and_a_ref_is_needed(bank):
    """The hook other domains call where content is made (posts arrive with issue 13)."""
    m, _ = bank.member()
    with bank.db.unit_of_work() as s:
        lifecycle.record_interaction(s, bank.t.tenant_id, m, "post", ref="post:1")
        lifecycle.record_interaction(s, bank.t.tenant_id, m, "post", ref="post:1")  # the same post again
        lifecycle.record_interaction(s, bank.t.tenant_id, m, "comment", ref="comment:7")
        lifecycle.record_interaction(s, bank.t.tenant_id, m, "share", ref="group:3:visitor:9")
        lifecycle.record_interaction(s, bank.t.tenant_id, m, "login")  # no rule, no ref: no points
        lifecycle.record_interaction(s, bank.t.tenant_id, m, "vote")  # no ref: nothing to be idempotent on
    drain(bank.db, build_registry())
    with bank.db.unit_of_work() as s:
        kinds = sorted(s.execute(select(PointsTransaction.kind, PointsTransaction.amount).where(
            PointsTransaction.tenant_id == bank.t.tenant_id, PointsTransaction.member_id == m)).all())
    assert kinds == [("content", 2), ("content", 2), ("share", 5)]
    assert bank.balance(m) == 9


def test_members_cannot_report_their_own_interactions(bank):
    m, mh = bank.member()
    for kind in ("share", "review", "vote"):
        r = bank.t.client.post("/api/v1/me/interactions", json={"kind": kind}, headers=mh)
        assert r.status_code in (404, 405), r.text
    assert _interactions(bank, m) == []
    assert "/api/v1/me/interactions" not in bank.t.client.get("/openapi.json").json()["paths"]
