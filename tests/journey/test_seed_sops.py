"""The seed SOPs, each created from its template and driven end to end by `run-due` at chosen instants."""

from __future__ import annotations

from datetime import timedelta

from tests.journey.helpers import coupon, coupons_of, due, from_template, inbox, joined_at, runs, tasks_for
from tests.lifecycle.helpers import buy_and_pay


def test_welcome_within_48_hours_with_new_member_coupon(make):
    t = make.tenant()
    c = coupon(t)
    from_template(t, "welcome_48h", c)
    m, _ = t.member()
    j = joined_at(t, m["id"])
    due(t, j + timedelta(minutes=5))
    assert coupons_of(t, m["id"], c) == 1
    assert [r[0] for r in runs(t, m["id"])][:3] == ["welcome", "coupon", "wait_24h"]
    assert runs(t, m["id"])[2][1] == "pending"
    due(t, j + timedelta(hours=25))  # no order: the reminder goes out, inside 48 h
    assert runs(t, m["id"])[-2:] == [("ordered", "done", "false"), ("remind", "done", runs(t, m["id"])[-1][2])]
    for _ in range(3):  # nothing is done twice however often it runs
        due(t, j + timedelta(hours=47))
    assert coupons_of(t, m["id"], c) == 1
    assert len(runs(t, m["id"])) == 5


def test_welcome_skips_the_reminder_for_a_member_who_ordered(make):
    t = make.tenant()
    c = coupon(t)
    from_template(t, "welcome_48h", c)
    product = t.product()
    m, h = t.member()
    j = joined_at(t, m["id"])
    due(t, j + timedelta(minutes=5))
    buy_and_pay(t, h, product["id"], at=j + timedelta(hours=2))
    due(t, j + timedelta(hours=25))
    assert runs(t, m["id"])[-1][:3] == ("ordered", "done", "true")


def test_wake_up_coupon_after_30_silent_days(make):
    t = make.tenant()
    c = coupon(t, "回归券")
    from_template(t, "silent_wakeup_30d", c)
    m, _ = t.member()
    j = joined_at(t, m["id"])
    due(t, j + timedelta(hours=1))
    due(t, j + timedelta(days=29))
    assert coupons_of(t, m["id"], c) == 0
    due(t, j + timedelta(days=30, hours=1))  # the lifecycle job moves the stage; the journey reacts
    assert coupons_of(t, m["id"], c) == 1
    due(t, j + timedelta(days=30, hours=2))
    assert coupons_of(t, m["id"], c) == 1
    due(t, j + timedelta(days=38))
    assert [r[0] for r in runs(t, m["id"])] == ["coupon", "message", "wait_7d", "ordered", "remind"]


def test_leader_callback_after_3_days_without_interaction(make):
    t = make.tenant()
    leader_id, point_id, lh = t.leader()
    m, h = t.member()
    t.client.put("/api/v1/me/pickup-point", json={"pickup_point_id": point_id}, headers=h)
    from_template(t, "idle_callback_3d")
    j = joined_at(t, m["id"])
    due(t, j + timedelta(hours=1))
    due(t, j + timedelta(days=2, hours=23))
    assert tasks_for(t, leader_id) == []
    due(t, j + timedelta(days=3, hours=1))
    tasks = tasks_for(t, leader_id)
    assert [(x.member_id, x.kind, x.title) for x in tasks] == [(m["id"], "callback", "回访邻居")]
    due(t, j + timedelta(days=4))  # same idle spell: no second task
    assert len(tasks_for(t, leader_id)) == 1
    listed = t.client.get("/api/v1/leader/tasks", headers=lh).json()["items"]
    assert [x["member_id"] for x in listed] == [m["id"]]
    done = t.post(f"/leader/tasks/{listed[0]['id']}/done", {"note": "已电话回访"}, lh, expect=200)
    assert done["done_at"] and done["done_note"] == "已电话回访"


def test_recipe_message_3_days_after_a_fresh_purchase(make):
    t = make.tenant()
    from_template(t, "fresh_recipe_3d")
    fresh = t.product(is_fresh=True, category="新鲜蔬菜")
    dry = t.product(category="粮油")
    m, h = t.member()
    j = joined_at(t, m["id"])
    paid_at = j + timedelta(hours=2)  # 10:00 or so Shanghai time does not matter: recipes are marketing
    buy_and_pay(t, h, dry["id"], at=paid_at - timedelta(minutes=30))  # not fresh: no recipe
    buy_and_pay(t, h, fresh["id"], at=paid_at)
    due(t, paid_at + timedelta(hours=1))
    assert [r[:2] for r in runs(t, m["id"])] == [("wait_3d", "pending")]
    assert inbox(t, h) == []
    due(t, paid_at + timedelta(days=2, hours=23))
    assert inbox(t, h) == []
    due(t, paid_at + timedelta(days=3, hours=14))  # 3 days on; quiet hours would defer it, not drop it
    due(t, paid_at + timedelta(days=4))
    assert [x["title"] for x in inbox(t, h)] == ["今日菜谱推荐"]
    buy_and_pay(t, h, fresh["id"], at=paid_at + timedelta(days=5))  # every fresh purchase: a recipe again
    due(t, paid_at + timedelta(days=9))
    due(t, paid_at + timedelta(days=9, hours=12))  # past 08:00 if quiet hours deferred it (paid_at is wall-clock)
    assert [x["title"] for x in inbox(t, h)] == ["今日菜谱推荐", "今日菜谱推荐"]
    for _ in range(2):
        due(t, paid_at + timedelta(days=10))
    assert len(inbox(t, h)) == 2


def test_welcome_message_is_in_the_inbox(make):
    t = make.tenant()
    from_template(t, "welcome_48h", coupon(t))
    m, h = t.member()
    due(t, joined_at(t, m["id"]) + timedelta(minutes=1))
    assert [x["title"] for x in inbox(t, h)] == ["欢迎加入邻里"]
    assert runs(t, m["id"])[0] == ("welcome", "done", "sent")
