"""可发起 N 人团 (issue 11): a starter may choose a group size from the campaign's group_size up to their
tier's group_size_max (seed 000: 黄金用户可发起百人团) and the units left; refusals are clear."""

from __future__ import annotations

from linli.core import clock
from linli.tier import service as tiers


def _campaign(t, size=3, stock=150, **kw):
    product = t.product(stock=stock + 10, price_fen=3990)
    return t.post("/group-buys", {"product_id": product["id"], "price_fen": 2990, "group_size": size,
                                  "time_limit_hours": 24, "stock": stock, **kw})


def _gold(t):
    """A member with 5,000 growth: 黄金会员 (group_size_max 100 by default)."""
    m, h = t.member()
    with t.db.unit_of_work() as s:
        tiers.import_growth(s, t.tenant_id, m["id"], 5000, f"test:{m['id']}", clock.now())
    return m, h


def _start(t, h, campaign_id, size=None):
    body = None if size is None else {"size": size}
    return t.client.post(f"/api/v1/group-buys/{campaign_id}/groups", json=body, headers=h)


def _size(t, group_id):
    return t.client.get(f"/api/v1/groups/{group_id}", headers=t.op).json()["size"]


def _refused(r, status, code):
    assert r.status_code == status and r.json()["error"]["code"] == code, r.text


def test_a_gold_member_starts_a_hundred_person_group(make):
    t = make.tenant()
    campaign = _campaign(t)
    _, gold = _gold(t)
    _, regular = t.member()
    assert t.client.get(f"/api/v1/group-buys/{campaign['id']}/start-sizes", headers=gold).json() == {
        "default": 3, "smallest": 3, "largest": 100, "tier_max": 100}
    assert t.client.get(f"/api/v1/group-buys/{campaign['id']}/start-sizes", headers=regular).json() == {
        "default": 3, "smallest": 3, "largest": 10, "tier_max": 10}

    r = _start(t, gold, campaign["id"], size=100)
    assert r.status_code == 201, r.text
    assert _size(t, r.json()["group_id"]) == 100
    _refused(_start(t, regular, campaign["id"], size=11), 422, "group_size_over_tier")
    _refused(_start(t, regular, campaign["id"], size=2), 422, "group_size_too_small")
    r = _start(t, regular, campaign["id"], size=10)  # a regular member's own limit
    assert r.status_code == 201 and _size(t, r.json()["group_id"]) == 10
    _, other = t.member()
    r = _start(t, other, campaign["id"])  # no size: the campaign's
    assert r.status_code == 201 and _size(t, r.json()["group_id"]) == 3
    _refused(_start(t, other, campaign["id"], size=1001), 422, "validation_error")
    held = t.client.get(f"/api/v1/group-buys/{campaign['id']}", headers=t.op).json()["held"]
    assert held == 3  # the refusals took no unit


def test_a_group_larger_than_the_units_left_is_refused(make):
    t = make.tenant()
    campaign = _campaign(t, stock=40)
    _, gold = _gold(t)
    sizes = t.client.get(f"/api/v1/group-buys/{campaign['id']}/start-sizes", headers=gold).json()
    assert sizes["largest"] == 40 and sizes["tier_max"] == 100
    _refused(_start(t, gold, campaign["id"], size=41), 409, "group_size_over_stock")
    r = _start(t, gold, campaign["id"], size=40)
    assert r.status_code == 201 and _size(t, r.json()["group_id"]) == 40


def test_the_campaigns_size_for_a_tier_stays_the_default(make):
    t = make.tenant()
    campaign = _campaign(t, size_by_tier={"gold": 50, "regular": 20})
    _, gold = _gold(t)
    _, regular = t.member()
    assert _size(t, _start(t, gold, campaign["id"]).json()["group_id"]) == 50
    # the operator's size for a tier is allowed even above the tier's own limit (regular: 10)
    r = _start(t, regular, campaign["id"], size=20)
    assert r.status_code == 201 and _size(t, r.json()["group_id"]) == 20
    _, regular2 = t.member()
    _refused(_start(t, regular2, campaign["id"], size=21), 422, "group_size_over_tier")
    r = _start(t, regular2, campaign["id"], size=15)  # anything from the campaign's size up to that
    assert r.status_code == 201 and _size(t, r.json()["group_id"]) == 15
