"""送货上门 from a micro-warehouse: who may have it, the promise from payment, batches with a route, the rider's
steps, and the on-time figures."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from linli.core import clock
from linli.models import Delivery, OrderEvent
from tests.delivery.helpers import delivered_order, get, order, post, settle, world


def _count(w, model) -> int:
    with w.t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(model.tenant_id == w.t.tenant_id)) or 0)


def test_only_members_in_range_with_an_address_may_have_delivery(make, noon):
    w = world(make, near=1)
    near_id, near = w.near[0]
    q = get(w, "/quote", near)
    assert q["eligible"] and q["warehouse_id"] == w.warehouse_id and q["promise_minutes"] == 30
    assert q["address"] == "1幢2单元502" and 0 < q["distance_m"] < 3000
    order_id, d = delivered_order(w, near)
    assert d["status"] == "awaiting_payment" and d["promised_at"] is None
    mine = get(w, f"/orders/{order_id}", near)
    assert mine["status"] == "pending" and mine["status_name"] == "待配送"
    assert datetime.fromisoformat(mine["promised_at"]) == noon + timedelta(minutes=30)
    assert post(w, f"/orders/{order_id}", None, near, expect=409)["error"]["code"] == "delivery_exists"

    assert w.far is not None and w.homeless is not None
    assert get(w, "/quote", w.far[1]) == {**get(w, "/quote", w.far[1]), "eligible": False, "reason": "out_of_range"}
    far_order = order(w, w.far[1])
    assert post(w, f"/orders/{far_order}", None, w.far[1], expect=422)["error"]["code"] == "out_of_range"
    lost = order(w, w.homeless[1])
    assert post(w, f"/orders/{lost}", None, w.homeless[1], expect=422)["error"]["code"] == "no_address"
    assert post(w, f"/orders/{order_id}", None, w.far[1], expect=404)["error"]["code"] == "order_not_found"
    assert _count(w, Delivery) == 1

    # a smaller radius leaves the member outside; an operator's setting
    r = w.t.client.put(f"/api/v1/delivery/warehouses/{w.warehouse_id}", headers=w.t.op,
                       json={"radius_m": 300, "promise_minutes": 45, "max_batch": 5, "active": True})
    assert r.status_code == 200 and r.json()["radius_m"] == 300
    assert get(w, "/quote", near)["reason"] == "out_of_range"
    assert w.t.client.put(f"/api/v1/delivery/warehouses/{w.warehouse_id}", headers=w.leader,
                          json={"radius_m": 9000}).status_code == 403


def test_a_batch_is_routed_then_delivered_or_failed_and_counted(make, noon):
    w = world(make, near=3)
    orders = [delivered_order(w, h)[0] for _, h in w.near]
    pending = get(w, "/deliveries", w.leader, status="pending")
    assert sorted(d["order_id"] for d in pending) == sorted(orders)
    ids = [d["id"] for d in pending]
    b = post(w, "/batches", {"warehouse_id": w.warehouse_id, "rider_id": w.rider_id, "delivery_ids": ids},
             w.leader, expect=201)
    assert b["solver"] == "ortools" and b["stops"] == 3 and b["total_distance_m"] > 0 and b["status"] == "planned"
    assert sorted(s["id"] for s in b["route"]) == sorted(ids)
    assert [s["stop_seq"] for s in b["route"]] == [1, 2, 3]
    etas = [s["eta_at"] for s in b["route"]]
    assert etas == sorted(etas) and all(e is not None for e in etas)
    again = post(w, "/batches", {"warehouse_id": w.warehouse_id, "rider_id": w.rider_id, "delivery_ids": ids[:1]},
                 w.leader, expect=409)
    assert again["error"]["code"] == "delivery_not_pending"

    first, second, third = (s["id"] for s in b["route"])
    assert post(w, f"/deliveries/{first}/delivered", None, w.leader, expect=409)["error"]["code"] == \
        "delivery_not_out"
    clock.set_process_time(noon + timedelta(minutes=5))
    assert post(w, f"/batches/{b['id']}/depart", None, w.leader)["status"] == "out"
    clock.set_process_time(noon + timedelta(minutes=12))
    done = post(w, f"/deliveries/{first}/delivered", None, w.leader)
    assert done["status"] == "delivered" and done["on_time"] is True
    failed = post(w, f"/deliveries/{second}/failed", {"reason": "家中无人"}, w.leader)
    assert failed["status"] == "failed" and failed["failure_reason"] == "家中无人"
    clock.set_process_time(noon + timedelta(minutes=41))
    late = post(w, f"/deliveries/{third}/delivered", None, w.leader)
    assert late["on_time"] is False
    assert get(w, f"/batches/{b['id']}", w.leader)["status"] == "done"

    with w.t.db.unit_of_work() as s:
        ev = {e.order_id: e.detail for e in s.scalars(select(OrderEvent).where(
            OrderEvent.tenant_id == w.t.tenant_id, OrderEvent.action == "picked_up"))}
    by_delivery = {d["id"]: d["order_id"] for d in b["route"]}
    assert ev == {by_delivery[first]: {"via": "delivery"}, by_delivery[third]: {"via": "delivery"}}
    member_of = {o: h for o, (_, h) in zip(orders, w.near, strict=True)}
    assert w.t.client.get(f"/api/v1/orders/{by_delivery[second]}",
                          headers=member_of[by_delivery[second]]).json()["status"] == "paid"

    again = post(w, f"/deliveries/{second}/redispatch", None, w.leader)
    assert again["status"] == "pending" and again["batch_id"] is None and again["attempts"] == 1
    stats = get(w, "/stats")
    assert (stats["delivered"], stats["on_time"], stats["on_time_rate"]) == (2, 1, 0.5)
    assert stats["average_minutes"] == (12 + 41) / 2 and stats["pending"] == 1
    assert stats["days"][-1] == {"day": "2026-10-12", "delivered": 2, "on_time": 1}


def test_strangers_cannot_dispatch_and_a_cancelled_order_calls_its_delivery_off(make):
    w = world(make, near=2)
    (_, h1), (_, h2) = w.near
    delivered_order(w, h1)
    pending = get(w, "/deliveries", w.t.op, status="pending")
    _, _, other_leader = w.t.leader(w.community_id)
    assert get(w, "/deliveries", other_leader) == []
    body = {"warehouse_id": w.warehouse_id, "rider_id": w.rider_id, "delivery_ids": [pending[0]["id"]]}
    assert post(w, "/batches", body, other_leader, expect=422)["error"]["code"] == "unknown_warehouse"
    assert get(w, "/deliveries", other_leader, expect=404, warehouse_id=w.warehouse_id)["error"]["code"] == \
        "warehouse_not_found"
    assert post(w, "/batches", body, h1, expect=403)["error"]["code"] == "forbidden"
    assert get(w, f"/orders/{pending[0]['order_id']}", h2, expect=404)["error"]["code"] == "delivery_not_found"
    post(w, f"/riders/{w.rider_id}", None, w.leader, expect=405)
    r = w.t.client.patch(f"/api/v1/delivery/riders/{w.rider_id}", headers=w.leader, json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert post(w, "/batches", body, w.leader, expect=422)["error"]["code"] == "rider_unavailable"

    order_id = order(w, h2, pay=False)
    post(w, f"/orders/{order_id}", None, h2, expect=201)
    w.t.post(f"/orders/{order_id}/cancel", {}, h2, expect=200)
    settle(w)
    assert get(w, f"/orders/{order_id}", h2)["status"] == "cancelled"
