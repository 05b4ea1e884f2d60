"""备货单 and 分拣单: quantities with refunds taken off, refunded / cancelled orders left out, the cut-off
deciding the delivery day, presale by deliverable_from, masked phones, walking order, and who sees what."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update

from linli.core import clock
from linli.models import Order
from linli.packing import service
from tests.packing.helpers import get, home, paid, resident

DAY = "2026-10-13"  # orders paid on 10-12 before 23:00 arrive then


def _setup(t):
    cid = t.default_community()
    leader_id, point, leader_h = t.leader(cid)
    apple = t.product(name="阳光玫瑰葡萄", unit="盒")
    milk = t.product(name="鲜牛奶", unit="瓶")
    return cid, point, leader_h, apple["id"], milk["id"]


def test_the_day_lists_refunds_taken_off_and_walking_order(make):
    t = make.tenant()
    cid, point, leader_h, apple, milk = _setup(t)
    far = resident(t, "赵六", "13912345678", home(t, cid, "10幢", "1单元101"))[1]
    near = resident(t, "张三", "13812341234", home(t, cid, "3幢", "2单元502"))[1]
    low = resident(t, "李四", "13700001111", home(t, cid, "3幢", "1单元1101"))[1]
    nowhere = resident(t, "王五", "13600002222")[1]
    a = paid(t, far, point, [(apple, 2), (milk, 1)])
    b = paid(t, near, point, [(apple, 3)])
    paid(t, low, point, [(milk, 4)])
    gone = paid(t, nowhere, point, [(apple, 5)])
    paid(t, nowhere, point, [(milk, 1)])
    item = next(i for i in b["items"])
    t.post(f"/orders/{b['id']}/refund", {"reason": "少件", "lines": [{"item_id": item["id"], "quantity": 1}]},
           near, expect=200)
    t.post(f"/orders/{gone['id']}/refund", {"reason": "不想要了"}, nowhere, expect=200)
    unpaid = t.post("/orders", {"items": [{"product_id": apple, "quantity": 9}], "pickup_point_id": point}, low)
    t.post(f"/orders/{unpaid['id']}/cancel", {}, low, expect=200)

    stock = get(t, "/packing/stock-list", leader_h, day=DAY)
    lines = {x["product_name"]: (x["unit"], x["quantity"], x["orders"]) for x in stock["lines"]}
    assert lines == {"阳光玫瑰葡萄": ("盒", 4, 2), "鲜牛奶": ("瓶", 6, 3)}
    assert stock["total_quantity"] == 10 and stock["total_orders"] == 4 and len(stock["by_point"]) == 1

    sorting = get(t, "/packing/sorting-list", leader_h, day=DAY)
    assert [(x["building"], x["unit_no"], x["member_name"]) for x in sorting["bags"]] == [
        ("3幢", "1单元1101", "李四"), ("3幢", "2单元502", "张三"), ("10幢", "1单元101", "赵六"), ("", "", "王五")]
    assert [x["phone_masked"] for x in sorting["bags"]] == ["137****1111", "138****1234", "139****5678",
                                                            "136****2222"]
    assert sorting["bags"][1]["items"] == [{"product_name": "阳光玫瑰葡萄", "unit": "盒", "quantity": 2}]
    assert sorting["total_bags"] == 4 and sorting["total_quantity"] == 10 and sorting["picked_up"] == 0
    text = str(sorting)
    assert a["pickup_code"] not in text and "13912345678" not in text and "pickup_code" not in text
    assert get(t, "/packing/sorting-list", leader_h, day="2026-10-14")["bags"] == []


def test_cut_off_boundary_setting_and_presale(make):
    t = make.tenant()
    _, point, leader_h, apple, _ = _setup(t)
    _, h = resident(t, "陈七", "13811112222")
    before = paid(t, h, point, [(apple, 1)], at=datetime(2026, 10, 12, 22, 59, 59))
    at_cutoff = paid(t, h, point, [(apple, 2)], at=datetime(2026, 10, 12, 23, 0))
    presale = paid(t, h, point, [(apple, 3)], at=datetime(2026, 10, 12, 9, 0))
    with t.db.unit_of_work() as s:
        s.execute(update(Order).where(Order.id == presale["id"])
                  .values(deliverable_from=clock.as_utc(datetime(2026, 10, 15, 8, 0))))

    def bags(day: str) -> list[int]:
        return [b["order_id"] for b in get(t, "/packing/sorting-list", leader_h, day=day)["bags"]]

    assert bags("2026-10-13") == [before["id"]]
    assert bags("2026-10-14") == [at_cutoff["id"]]
    assert bags("2026-10-15") == [presale["id"]]
    assert get(t, "/packing/settings", t.op) == {"cutoff": "23:00", "cutoff_minutes": 1380}
    r = t.client.put("/api/v1/packing/settings", json={"cutoff": "00:00"}, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "cutoff_invalid"
    r = t.client.put("/api/v1/packing/settings", json={"cutoff": "22:00"}, headers=leader_h)
    assert r.status_code == 403
    r = t.client.put("/api/v1/packing/settings", json={"cutoff": "22:00"}, headers=t.op)
    assert r.json() == {"cutoff": "22:00", "cutoff_minutes": 1320}
    assert bags("2026-10-13") == [] and bags("2026-10-14") == [before["id"], at_cutoff["id"]]
    # the rule itself, at the edges: 24:00 is midnight; a presale already deliverable follows the ordinary rule
    paid_at = clock.as_utc(datetime(2026, 10, 12, 23, 59))
    assert service.delivery_day(paid_at, 1440) == date(2026, 10, 13)
    assert service.delivery_day(paid_at, 1380) == date(2026, 10, 14)
    assert service.delivery_day(paid_at, 1380, paid_at - timedelta(days=3)) == date(2026, 10, 14)
    r = t.client.get("/api/v1/packing/stock-list", params={"day": "0001-01-01"}, headers=leader_h)
    assert r.status_code == 422


def test_who_sees_which_points(make):
    t = make.tenant()
    cid, point, leader_h, apple, milk = _setup(t)
    other_leader, other_point, _ = t.leader(cid)
    second = t.community()["id"]
    _, far_point, _ = t.leader(second)
    _, h = resident(t, "周八", "13822223333")
    _, h2 = resident(t, "吴九", "13833334444", community_id=second)
    mine = paid(t, h, point, [(apple, 1)])
    theirs = paid(t, h, other_point, [(milk, 2)])
    paid(t, h2, far_point, [(milk, 5)])

    assert [b["order_id"] for b in get(t, "/packing/sorting-list", leader_h, day=DAY)["bags"]] == [mine["id"]]
    get(t, "/packing/sorting-list", leader_h, 404, day=DAY, point_id=other_point)
    both = get(t, "/packing/sorting-list", t.op, day=DAY, community_id=cid)["bags"]
    assert sorted(b["order_id"] for b in both) == sorted([mine["id"], theirs["id"]])
    everything = get(t, "/packing/stock-list", t.op, day=DAY)
    assert everything["total_quantity"] == 8 and len(everything["by_point"]) == 3
    assert get(t, "/packing/stock-list", t.op, day=DAY, point_id=far_point)["total_quantity"] == 5
    by_leader = get(t, "/packing/sorting-list", t.op, day=DAY, leader_id=other_leader)["bags"]
    assert [b["order_id"] for b in by_leader] == [theirs["id"]]
    assert get(t, "/packing/stock-list", t.op, day=DAY, point_id=far_point, community_id=cid)["lines"] == []

    other = make.tenant()
    _, _, stranger_h = other.leader()
    assert get(other, "/packing/sorting-list", stranger_h, day=DAY)["bags"] == []
    assert get(other, "/packing/stock-list", other.op, day=DAY)["lines"] == []
    get(other, "/packing/stock-list", other.op, 404, day=DAY, point_id=point)
    _, member_h = resident(t, "郑十", "13844445555")
    get(t, "/packing/stock-list", member_h, 403, day=DAY)
