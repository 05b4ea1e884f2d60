"""黑卡: the top 10 % of spenders over the trailing 12 months, monthly, ties at the cut-off included."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from linli.models import MemberTierHistory, TierRun
from linli.tier import service as tiers
from tests.lifecycle.helpers import buy_and_pay, count, due, member_id_of


def test_top_ten_percent_with_a_tie_at_the_cut_off(make):
    t = make.tenant()
    product = t.product(stock=2000, price_fen=1000)
    hs = t.members(31)
    ids = [member_id_of(t, h) for h in hs]
    # 30 spenders of 1..30 units, except the 27th, who ties with the 28th (28 units)
    quantities = list(range(1, 31))
    quantities[26] = 28
    for h, q in zip(hs[:30], quantities, strict=True):
        buy_and_pay(t, h, product["id"], quantity=q)
    refunded = buy_and_pay(t, hs[30], product["id"], quantity=100)  # spent, then refunded in full
    t.post(f"/orders/{refunded}/refund", {"reason": "不要了"}, t.op, expect=200)
    due(t)

    r = t.client.post("/api/v1/tiers/black-card/recompute", headers=t.op)
    assert r.status_code == 200, r.text
    run = r.json()
    # ceil(10 % of 30) = 3 places: 30, 29, 28 units — and 28 is shared by two, so four cards
    assert run["spenders"] == 30 and run["holders"] == 4 and run["cutoff_fen"] == 28000
    holders = {ids[i] for i in (26, 27, 28, 29)}
    with t.db.unit_of_work() as s:
        shown = {m: tiers.tier_of(s, t.tenant_id, m) for m in ids}
        assert tiers.benefits_of(s, t.tenant_id, ids[29]).discount_percent == 8
    assert {m for m, tier in shown.items() if tier == "black"} == holders
    view = t.client.get(f"/api/v1/members/{ids[29]}/tier", headers=t.op).json()
    assert view["tier"] == "black" and view["black_card"] is True and view["name"] == "黑卡会员"
    assert view["history"][-1]["reason"] == "black_card_granted"

    history = count(t, MemberTierHistory)
    again = t.client.post("/api/v1/tiers/black-card/recompute", headers=t.op).json()
    assert again["holders"] == 4 and again["granted"] == again["revoked"] == 0
    assert count(t, MemberTierHistory) == history  # nothing changed, nothing written

    # the monthly job: once per month, the same cards (the trailing year ends at 1 December 00:00)
    due(t, datetime(2026, 12, 1, 0, 0))
    due(t, datetime(2026, 12, 1, 0, 5))
    with t.db.unit_of_work() as s:
        runs = s.scalar(select(func.count()).select_from(TierRun).where(
            TierRun.tenant_id == t.tenant_id, TierRun.kind == "black_card", TierRun.period == "2026-12"))
        assert runs == 1
        assert {m for m in ids if tiers.tier_of(s, t.tenant_id, m) == "black"} == holders


def test_cards_move_when_spending_changes(make):
    t = make.tenant()
    product = t.product(stock=500, price_fen=1000)
    hs = t.members(3)
    ids = [member_id_of(t, h) for h in hs]
    orders = [buy_and_pay(t, h, product["id"], quantity=q) for h, q in zip(hs, (5, 10, 20), strict=True)]
    due(t)
    assert t.client.post("/api/v1/tiers/black-card/recompute", headers=t.op).json()["holders"] == 1
    t.post(f"/orders/{orders[2]}/refund", {"reason": "质量问题"}, t.op, expect=200)
    run = t.client.post("/api/v1/tiers/black-card/recompute", headers=t.op).json()
    assert (run["granted"], run["revoked"], run["cutoff_fen"]) == (1, 1, 10000)
    with t.db.unit_of_work() as s:
        assert [tiers.tier_of(s, t.tenant_id, m) for m in ids] == ["regular", "black", "regular"]
    assert t.client.post("/api/v1/tiers/black-card/recompute", headers=hs[0]).status_code == 403
