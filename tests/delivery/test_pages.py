"""The pages: the member's checkout offers 送货上门 with its promise and places it; the leader's workbench batches
the waiting deliveries for a rider and walks the route; the console shows on-time figures, the list (with export)
and a batch's route; the member follows the delivery — all in Chinese."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from tests.delivery.helpers import delivered_order, get, settle, world
from tests.web.test_chinese_text import english


def _as(w, cookie: str, headers: dict[str, str], path: str) -> None:
    w.t.client.cookies.set(cookie, headers["Authorization"].split(" ", 1)[1], path=path)


def test_checkout_offers_home_delivery_only_in_range_and_places_it(make):
    w = world(make, near=1)
    _, near = w.near[0]
    _as(w, "linli_member", near, "/m")
    w.t.client.post(f"/m/cart/{w.product_id}", data={"quantity": "1", "add": "1"})
    page = w.t.client.get("/m/checkout")
    assert page.status_code == 200 and 'id="home-delivery"' in page.text, page.text[:500]
    assert 'id="home-delivery-promise">30<' in page.text and "1幢2单元502" in page.text
    placed = w.t.client.post("/m/checkout", data={"home_delivery": "1"}, follow_redirects=False)
    assert placed.status_code == 303, placed.text
    order_id = int(placed.headers["location"].rsplit("/", 1)[1])
    d = get(w, f"/orders/{order_id}", near)
    assert d["status"] == "awaiting_payment" and d["warehouse_id"] == w.warehouse_id
    assert w.t.client.get(f"/api/v1/orders/{order_id}", headers=near).json()["pickup_point_id"] == w.warehouse_id
    w.t.post(f"/orders/{order_id}/pay", {}, near, expect=200)
    settle(w)
    mine = w.t.client.get(f"/m/deliveries/{order_id}")
    assert mine.status_code == 200 and not english(mine.text), english(mine.text)
    assert "待配送" in mine.text and "承诺" in mine.text and "11:30" in mine.text  # paid at 11:00, 30 minutes
    assert w.t.client.get("/m/deliveries/999999").status_code == 404

    # out of range: no offer, and a forced form is refused with the reason
    assert w.far is not None
    _as(w, "linli_member", w.far[1], "/m")
    w.t.client.post(f"/m/cart/{w.product_id}", data={"quantity": "1", "add": "1"})
    assert 'id="home-delivery"' not in w.t.client.get("/m/checkout").text
    refused = w.t.client.post("/m/checkout", data={"home_delivery": "1"}, follow_redirects=False)
    assert refused.status_code == 422 and "配送范围" in refused.text


def test_workbench_batches_and_walks_the_route_and_the_console_counts_it(make, noon):
    w = world(make, near=2)
    orders = [delivered_order(w, h)[0] for _, h in w.near]
    _as(w, "linli_leader", w.leader, "/w")
    home = w.t.client.get("/w/delivery")
    assert home.status_code == 200 and not english(home.text), english(home.text)
    ids = [d["id"] for d in get(w, "/deliveries", w.leader, status="pending")]
    assert all(f'data-delivery="{i}"' in home.text for i in ids) and "张骑手" in home.text
    none = w.t.client.post("/w/delivery/batches", data={"warehouse_id": str(w.warehouse_id),
                                                        "rider_id": str(w.rider_id)})
    assert none.status_code == 422 and "请至少勾选一个订单" in none.text
    form = {"warehouse_id": str(w.warehouse_id), "rider_id": str(w.rider_id), "delivery_ids": [str(i) for i in ids]}
    made = w.t.client.post("/w/delivery/batches", data=form, follow_redirects=False)
    assert made.status_code == 303
    batch_path = made.headers["location"]
    page = w.t.client.get(batch_path)
    assert page.status_code == 200 and not english(page.text), english(page.text)
    assert "运筹优化路线" in page.text and 'data-route-chart="route-data"' in page.text
    assert w.t.client.post(batch_path + "/depart", follow_redirects=False).status_code == 303
    batch_id = batch_path.rsplit("/", 1)[1]
    route = get(w, f"/batches/{batch_id}", w.leader)["route"]
    clock.set_process_time(noon + timedelta(minutes=20))
    first = w.t.client.post(f"/w/delivery/deliveries/{route[0]['id']}/delivered", data={"back": batch_id},
                            follow_redirects=False)
    assert first.status_code == 303
    failed = w.t.client.post(f"/w/delivery/deliveries/{route[1]['id']}/failed",
                             data={"back": batch_id, "reason": "电话无人接听"})
    assert failed.status_code == 200 and "电话无人接听" in failed.text and "已完成" in failed.text
    again = w.t.client.post(f"/w/delivery/deliveries/{route[0]['id']}/delivered", data={"back": batch_id})
    assert again.status_code == 409 and "不在配送途中" in again.text

    w.t.client.post("/console/login", data={"tenant": w.t.slug, "username": "admin", "password": "password-1"})
    console = w.t.client.get("/console/delivery")
    assert console.status_code == 200 and not english(console.text), english(console.text)
    assert 'id="on-time-rate">100.0%<' in console.text and 'id="average-minutes">20.0<' in console.text
    assert 'data-ontime-chart="ontime-data"' in console.text and "文三路前置仓" in console.text
    failed_only = w.t.client.get("/console/delivery?status=failed")
    assert f'data-row="{route[1]["id"]}"' in failed_only.text and f'data-row="{route[0]["id"]}"' not in failed_only.text
    csv = w.t.client.get("/console/delivery?format=csv").content.decode("utf-8-sig")
    assert "电话无人接听" in csv and "准时" in csv and str(orders[0]) in csv
    detail = w.t.client.get(f"/console/delivery/batches/{batch_id}")
    assert detail.status_code == 200 and "准时" in detail.text and not english(detail.text)
    saved = w.t.client.post(f"/console/delivery/warehouses/{w.warehouse_id}",
                            data={"radius_m": "2000", "promise_minutes": "45", "max_batch": "8", "active": "1"},
                            follow_redirects=False)
    assert saved.status_code == 303
    assert get(w, "/warehouses")[0]["promise_minutes"] == 45
    bad = w.t.client.post(f"/console/delivery/warehouses/{w.warehouse_id}",
                          data={"radius_m": "0", "promise_minutes": "45", "max_batch": "8"})
    assert bad.status_code == 422 and "配送半径" in bad.text


def test_both_faces_refuse_bad_forms_and_unknown_ids_in_chinese(make):
    w = world(make, near=1)
    _as(w, "linli_leader", w.leader, "/w")
    w.t.client.post("/console/login", data={"tenant": w.t.slug, "username": "admin", "password": "password-1"})
    for base in ("/w/delivery", "/console/delivery"):
        bad_rider = w.t.client.post(f"{base}/warehouses/{w.warehouse_id}/riders", data={"name": "王", "phone": "12"})
        assert bad_rider.status_code == 422 and "请填写骑手姓名和 11 位手机号" in bad_rider.text
        for path, text in ((f"{base}/warehouses/²/riders", "没有找到该前置仓"),
                           (f"{base}/batches/999999/depart", "没有找到该批次"),
                           (f"{base}/deliveries/999999/delivered", "没有找到该配送单"),
                           (f"{base}/deliveries/1/teleported", "没有找到该配送单")):
            r = w.t.client.post(path, data={"name": "王师傅", "phone": "13800001111"})
            assert r.status_code == 404 and text in r.text, (path, r.status_code)
        missing = w.t.client.get(f"{base}/batches/999999")
        assert missing.status_code == 404 and "没有找到该批次" in missing.text
    riders = get(w, "/riders", w.leader, warehouse_id=w.warehouse_id)
    assert [r["name"] for r in riders] == ["张骑手"]  # nothing was added by the refused forms
