"""Recommendations end to end: paid orders become purchase events (once), members get on-shelf products with
reasons, operators see a member's list, roles are enforced, settings round-trip."""

from __future__ import annotations

from sqlalchemy import select

from linli.core.outbox import drain
from linli.events import build_registry
from linli.models import BehaviourEvent


def buy_and_pay(t, h, *product_ids: int) -> int:
    order = t.post("/orders", {"items": [{"product_id": p, "quantity": 1} for p in product_ids]}, h)
    t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
    return order["id"]


def _purchases(t) -> list[tuple[int, int, int | None]]:
    with t.db.unit_of_work() as s:
        rows = s.execute(select(BehaviourEvent.member_id, BehaviourEvent.item_id, BehaviourEvent.order_id)
                         .where(BehaviourEvent.tenant_id == t.tenant_id, BehaviourEvent.action == "purchase")
                         .order_by(BehaviourEvent.id))
        return [tuple(r) for r in rows]


def test_purchases_drive_member_recommendations_with_reasons(make, db) -> None:
    t = make.tenant()
    fruit = [t.product(category="新鲜水果", name=n)["id"] for n in ("苹果", "香蕉", "橙子")]
    veg = [t.product(category="时令蔬菜", name=n)["id"] for n in ("白菜", "菠菜")]
    sold_out = t.product(category="新鲜水果", name="榴莲", stock=1)["id"]
    fan, fan_h = t.member()
    buyer_h = t.members(3)
    for h in buyer_h:  # neighbours buy vegetables: that is what is popular
        buy_and_pay(t, h, veg[0], veg[1])
    order_id = buy_and_pay(t, fan_h, fruit[0])
    buy_and_pay(t, buyer_h[0], sold_out)
    drain(db, build_registry())
    drain(db, build_registry())  # nothing new: still one row per order line
    rows = _purchases(t)
    assert len(rows) == 8 and (fan["id"], fruit[0], order_id) in rows

    r = t.client.get("/api/v1/recommendations?kind=product&limit=4", headers=fan_h)
    assert r.status_code == 200, r.text
    body = r.json()
    ids = [i["id"] for i in body["items"]]
    assert body["cold"] is False and body["member_id"] == fan["id"]
    assert sold_out not in ids  # no stock left: never offered
    by_id = {i["id"]: i for i in body["items"]}
    top = body["items"][0]  # what the member bought comes back first
    assert top["id"] == fruit[0] and top["reason"] == "您常买" and top["name"] == "苹果" and top["price_fen"] == 1000
    assert set(ids[1:]) == {veg[0], veg[1], fruit[1]}  # the neighbours' vegetables and a fruit like theirs
    assert by_id[veg[0]]["reason"] in ("邻居都在买", "大家都在买")
    assert by_id[fruit[1]]["reason"] == "常买品类：新鲜水果"

    # a newcomer in the same community: popularity and neighbours only
    _, new_h = t.member()
    cold = t.client.get("/api/v1/recommendations?limit=2", headers=new_h).json()
    assert cold["cold"] is True and {i["id"] for i in cold["items"]} == set(veg)
    assert cold["items"][0]["reason"] in ("邻居都在买", "大家都在买", "此时热卖")

    # off the shelf: gone from the list
    t.client.patch(f"/api/v1/products/{fruit[1]}", json={"is_active": False}, headers=t.op)
    ids = [i["id"] for i in t.client.get("/api/v1/recommendations", headers=fan_h).json()["items"]]
    assert fruit[1] not in ids and fruit[0] in ids

    seen = t.client.get(f"/api/v1/members/{fan['id']}/recommendations?limit=4", headers=t.op).json()
    assert [i["id"] for i in seen["items"]][0] == fruit[0] and seen["items"][0]["reasons"]
    assert t.client.get("/api/v1/members/999999/recommendations", headers=t.op).status_code == 404
    assert t.client.get(f"/api/v1/members/{fan['id']}/recommendations", headers=fan_h).status_code == 403
    assert t.client.get("/api/v1/recommendations", headers=t.op).status_code == 403
    assert t.client.get("/api/v1/recommendations?kind=video", headers=fan_h).status_code == 422
    assert t.client.get("/api/v1/recommendations?limit=0", headers=fan_h).status_code == 422


def test_settings_round_trip_and_change_the_blend(make) -> None:
    t = make.tenant()
    assert t.client.get("/api/v1/recommend-settings", headers=t.op).json()["dwell"] == 4.0
    body = t.client.get("/api/v1/recommend-settings", headers=t.op).json() | {"half_life_days": 7, "like": 2.5}
    r = t.client.put("/api/v1/recommend-settings", json=body, headers=t.op)
    assert r.status_code == 200 and r.json()["half_life_days"] == 7 and r.json()["like"] == 2.5
    assert t.client.get("/api/v1/recommend-settings", headers=t.op).json()["like"] == 2.5
    bad = t.client.put("/api/v1/recommend-settings", json=body | {"dwell": -1}, headers=t.op)
    assert bad.status_code == 422
    assert t.client.get("/api/v1/recommend-settings", headers=t.op).json()["like"] == 2.5
    _, mh = t.member()
    assert t.client.get("/api/v1/recommend-settings", headers=mh).status_code == 403


def test_a_tenant_without_products_recommends_nothing(make) -> None:
    """A new tenant's first member opens the app before any product exists: an empty list, not an error."""
    t = make.tenant()
    _, h = t.member()
    body = t.client.get("/api/v1/recommendations", headers=h).json()
    assert body["items"] == [] and body["cold"] is True
    t.client.cookies.set("linli_member", h["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                         path="/m")
    home = t.client.get("/m")
    assert home.status_code == 200 and home.url.path == "/m"  # signed in: home, not the login page
    assert "猜你喜欢" not in home.text  # the empty block is left out


def test_a_view_after_the_shop_model_was_built_counts_at_once(make, db) -> None:
    """The shop's model is cached for minutes; the member's own behaviour is read fresh on every request."""
    from linli.recommend import service

    t = make.tenant()
    ids = [t.product(category=c, name=n)["id"] for c, n in (("粮油", "大米"), ("日用百货", "抽纸"),
                                                              ("新鲜水果", "葡萄"), ("新鲜水果", "苹果"))]
    m, h = t.member()
    first = t.client.get("/api/v1/recommendations?kind=product&limit=4", headers=h).json()  # builds the model
    assert first["cold"] is True and [i["id"] for i in first["items"]] == ids
    with db.unit_of_work() as s:
        service.record_behaviour(s, t.tenant_id, m["id"], item_kind="product", item_id=ids[2], action="view")
    after = t.client.get("/api/v1/recommendations?kind=product&limit=4", headers=h).json()
    assert after["cold"] is False
    # a view is not a purchase: the other fruit is in a category the member favours, not one they often buy
    assert [(i["id"], i["reason"]) for i in after["items"][:2]] == [(ids[2], "您看过"), (ids[3], "偏爱品类：新鲜水果")]
