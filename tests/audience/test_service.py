"""Tags and segments computed in bulk (DuckDB) and incrementally (outbox handlers) agree; differences only are
written; segment.entered / segment.left are emitted once per change; the nightly job runs when stale."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from linli.audience import handlers
from linli.core import clock
from linli.core.outbox import Event, OutboxEvent, drain
from linli.events import build_registry
from linli.lifecycle import service as lifecycle
from linli.models import AudienceRun, MemberInteraction, MemberRfm, MemberTag, SegmentMember, Tag
from tests.lifecycle.helpers import buy_and_pay, due, events

TAGS = {
    "frequent": ("高频复购", "orders_90d >= 3"),
    "fresh_fan": ("生鲜达人", 'fresh_share > 0.5 and category_share("新鲜水果") >= 0.5'),
    "silent": ("沉默待唤醒", "days_since_order > 30"),
    "buyer": ("有消费", "orders_365d >= 1 and not (spend_365d_fen < 1)"),
    "big_ticket": ("大单", "avg_ticket_fen >= 5000 or refunded_orders_365d > 0"),
    "in_community": ("本小区", 'community in ("阳光小区") and building == ""'),
}


def _setup(t) -> dict:
    t.community(name="阳光小区")
    fresh = t.product(category="新鲜水果", is_fresh=True, price_fen=1200, stock=1000)
    oil = t.product(category="粮油", price_fen=6000, stock=1000)
    for code, (name, rule) in TAGS.items():
        t.post("/tags", {"code": code, "name": name, "rule": rule})
    seg = t.post("/segments", {"name": "活跃生鲜客", "definition": {
        "and": [{"tag": "fresh_fan"}, {"not": {"tag": "silent"}}, {"or": [{"tag": "frequent"}, {"tag": "buyer"}]}]}})
    members = [t.member() for _ in range(4)]
    return {"fresh": fresh["id"], "oil": oil["id"], "segment": seg["id"], "members": members}


def _tag_rows(t) -> set[tuple[str, int]]:
    with t.db.unit_of_work() as s:
        return {(c, m) for c, m in s.execute(select(Tag.code, MemberTag.member_id).join(
            MemberTag, MemberTag.tag_id == Tag.id).where(MemberTag.tenant_id == t.tenant_id))}


def _segment_rows(t) -> set[tuple[int, int]]:
    with t.db.unit_of_work() as s:
        return {(g, m) for g, m in s.execute(select(SegmentMember.segment_id, SegmentMember.member_id)
                                             .where(SegmentMember.tenant_id == t.tenant_id))}


def _drain(t) -> None:
    drain(t.db, build_registry())


def _refresh(t) -> dict:
    return t.post("/audience/refresh", None, expect=200)


def test_incremental_then_bulk_finds_nothing_to_change(make) -> None:
    t = make.tenant()
    w = _setup(t)
    (a, ha), (b, hb), (c, _), (d, hd) = w["members"]
    for _ in range(3):
        buy_and_pay(t, ha, w["fresh"])
    buy_and_pay(t, hb, w["oil"])
    oil_order = buy_and_pay(t, hd, w["oil"], quantity=2)
    buy_and_pay(t, hd, w["fresh"])
    _drain(t)
    incremental = _tag_rows(t)
    assert incremental == {
        ("frequent", a["id"]), ("fresh_fan", a["id"]), ("buyer", a["id"]), ("buyer", b["id"]), ("buyer", d["id"]),
        ("big_ticket", b["id"]), ("big_ticket", d["id"]), ("silent", c["id"]),
        *(("in_community", m["id"]) for m in (a, b, c, d))}
    assert _segment_rows(t) == {(w["segment"], a["id"])}
    assert [e for e in events(t, "segment.entered")] == [{"segment_id": w["segment"], "member_id": a["id"]}]

    run = _refresh(t)  # bulk over the same data: nothing differs
    assert (run["tags_added"], run["tags_removed"], run["segments_entered"], run["segments_left"]) == (0, 0, 0, 0)
    assert run["members"] == 4 and run["tags"] == len(TAGS)
    assert _tag_rows(t) == incremental

    # a refund: the incremental path moves d; bulk again agrees
    t.post(f"/orders/{oil_order}/refund", {"reason": "不要了"}, expect=200)
    _drain(t)
    after_refund = _tag_rows(t)
    assert ("big_ticket", d["id"]) in after_refund  # refunded_orders_365d > 0
    run = _refresh(t)
    assert (run["tags_added"], run["tags_removed"]) == (0, 0)
    assert _tag_rows(t) == after_refund


def test_bulk_writes_only_differences_and_emits_segment_changes_once(make) -> None:
    t = make.tenant()
    w = _setup(t)
    (a, ha), *_ = w["members"]
    with t.db.unit_of_work() as s:  # the tenant's tags exist, but nothing has been handled yet
        s.query(MemberTag).filter(MemberTag.tenant_id == t.tenant_id).delete()
    for _ in range(3):
        buy_and_pay(t, ha, w["fresh"])
    first = _refresh(t)
    assert first["tags_added"] > 0 and first["segments_entered"] == 1
    assert _refresh(t)["tags_added"] == 0  # a second run writes nothing
    _drain(t)  # the handlers of the orders find everything in place: no second segment.entered
    assert len(events(t, "segment.entered")) == 1

    # 31 days later member a is silent: leaves the segment, once
    later = clock.now() + timedelta(days=31)
    with clock.frozen_at(later):
        run = _refresh(t)
    assert run["segments_left"] == 1 and ("silent", a["id"]) in _tag_rows(t)
    assert events(t, "segment.left") == [{"segment_id": w["segment"], "member_id": a["id"]}]
    with t.db.unit_of_work() as s:
        rfm = s.scalar(select(MemberRfm).where(MemberRfm.tenant_id == t.tenant_id, MemberRfm.member_id == a["id"]))
        assert rfm is not None and rfm.frequency == 3 and rfm.recency_days == 31 and 1 <= rfm.r <= 5


def test_nightly_job_runs_when_stale(make) -> None:
    t = make.tenant()
    _setup(t)
    assert due(t)["audience.refresh"] >= 1  # never ran
    assert due(t)["audience.refresh"] == 0  # fresh
    assert due(t, clock.now() + timedelta(hours=25))["audience.refresh"] >= 1
    with t.db.unit_of_work() as s:
        assert len(s.scalars(select(AudienceRun).where(AudienceRun.tenant_id == t.tenant_id)).all()) == 2


def test_interactions_count_once_per_event(make) -> None:
    t = make.tenant()
    t.community(name="阳光小区")
    t.post("/tags", {"code": "checker", "name": "签到达人",
                     "rule": "checkins_30d >= 1 and shares_90d == 1 and interactions_30d == 2"})
    (m, h) = t.member()
    t.post("/checkins", None, h)  # counted from the check-ins table
    with t.db.unit_of_work() as s:
        lifecycle.record_interaction(s, t.tenant_id, m["id"], "share", ref="product:1:by:2")
    _drain(t)
    with t.db.unit_of_work() as s:  # the same share event delivered again (at-least-once) counts once
        row = next(e for e in s.scalars(select(OutboxEvent).where(OutboxEvent.tenant_id == t.tenant_id,
                                                                  OutboxEvent.topic == "member.interacted"))
                   if e.payload["kind"] == "share")
        assert row is not None
        ev = Event(row.id, row.tenant_id, row.topic, row.payload, row.created_at)
        handlers.on_member_interacted(s, ev)
        assert s.scalar(select(func.count()).select_from(MemberInteraction)
                        .where(MemberInteraction.tenant_id == t.tenant_id)) == 1
    assert _tag_rows(t) == {("checker", m["id"])}
    run = _refresh(t)
    assert (run["tags_added"], run["tags_removed"]) == (0, 0)
