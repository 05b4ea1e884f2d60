"""The console's 自动化SOP pages: list and templates, creating from a template, the step builder (save,
insert, remove, a cycle refused in Chinese), activate/pause and the funnel table."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.factories import PASSWORD
from tests.journey.helpers import coupon, due, joined_at
from tests.web.test_chinese_text import english


def _login(t) -> None:
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303


def _fields(page: str) -> dict[str, str]:
    """The builder's current values: inputs, textareas and selected options."""
    values = dict(re.findall(r'<input name="(s\d+_\w+)" value="([^"]*)"', page))
    values |= dict(re.findall(r'<textarea name="(s\d+_\w+)"[^>]*>([^<]*)</textarea>', page))
    for name, options in re.findall(r'<select name="(s\d+_\w+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        values[name] = chosen.group(1) if chosen else ""
    return values


def test_create_from_template_edit_steps_activate_and_see_the_funnel(make):
    t = make.tenant()
    c = coupon(t, "新人专享券")
    _login(t)
    page = t.client.get("/console/journeys").text
    assert "新人48小时欢迎" in page and "新人专享券" in page and not english(page)
    r = t.client.post("/console/journeys", data={"template": "welcome_48h", "name": "新邻居欢迎",
                                                  "coupon_template_id": str(c)}, follow_redirects=False)
    assert r.status_code == 303
    url = r.headers["location"]
    page = t.client.get(url).text
    assert "新邻居欢迎" in page and "草稿" in page and "新会员加入" in page and not english(page)
    fields = _fields(page)
    assert fields["s2_hours"] == "24" and fields["s1_template_id"] == str(c)

    # a cycle: the reminder leads back to the welcome — refused in Chinese, nothing saved
    bad = {**fields, "s4_next": "welcome", "op": "save"}
    r = t.client.post(f"{url}/steps", data=bad)
    assert r.status_code == 422 and "循环" in r.text
    assert t.client.get(f"/api/v1{url.removeprefix('/console')}", headers=t.op).json()["version"] == 1

    # wait 12 hours instead, then insert a points gift after the coupon, then remove it again
    r = t.client.post(f"{url}/steps", data={**fields, "s2_hours": "12", "op": "save"})
    assert r.status_code == 200 and "已保存为第 2 版" in r.text
    api = t.client.get(f"/api/v1{url.removeprefix('/console')}", headers=t.op).json()
    assert api["definition"]["steps"][2]["hours"] == 12
    fields = _fields(r.text)
    r = t.client.post(f"{url}/steps", data={**fields, "op": "insert", "insert_after": "coupon",
                                            "insert_kind": "grant_points"})
    assert r.status_code == 200, r.text
    steps = t.client.get(f"/api/v1{url.removeprefix('/console')}", headers=t.op).json()["definition"]["steps"]
    assert [s["id"] for s in steps] == ["welcome", "coupon", "grant_points_1", "wait_24h", "ordered", "remind"]
    assert steps[1]["next"] == "grant_points_1" and steps[2]["next"] == "wait_24h"
    r = t.client.post(f"{url}/steps", data={**_fields(r.text), "remove": "grant_points_1"})
    assert r.status_code == 200
    steps = t.client.get(f"/api/v1{url.removeprefix('/console')}", headers=t.op).json()["definition"]["steps"]
    assert [s["id"] for s in steps] == ["welcome", "coupon", "wait_24h", "ordered", "remind"]

    r = t.client.post(f"{url}/status", data={"status": "active"}, follow_redirects=False)
    assert r.status_code == 303
    m, _ = t.member()
    start = joined_at(t, m["id"])
    due(t, start + timedelta(hours=13))
    page = t.client.get(url).text
    assert "运行中" in page and "已发券 1" in page and "否 1" in page and not english(page)
    assert re.search(r'id="journey-enrolled">1 / 1 人', page)
    assert 'data-funnel-chart="funnel-data"' in page


def test_a_template_needing_a_coupon_without_one_is_refused_in_chinese(make):
    t = make.tenant()
    _login(t)
    r = t.client.post("/console/journeys", data={"template": "silent_wakeup_30d", "name": "唤醒"})
    assert r.status_code == 422 and "需要选择一张优惠券" in r.text
    assert t.client.get("/api/v1/journeys", headers=t.op).json()["items"] == []


def test_the_leader_sees_and_completes_callback_tasks_in_the_workbench(make):
    t = make.tenant()
    leader_id, point_id, lh = t.leader()
    m, h = t.member()
    t.client.put("/api/v1/me/pickup-point", json={"pickup_point_id": point_id}, headers=h)
    r = t.client.post("/api/v1/journeys/from-template", json={"template": "idle_callback_3d"}, headers=t.op)
    t.post(f"/journeys/{r.json()['id']}/activate", None, expect=200)
    due(t, joined_at(t, m["id"]) + timedelta(days=3, hours=1))
    token = lh["Authorization"].split(" ", 1)[1]
    t.client.cookies.set("linli_leader", token, domain="testserver.local", path="/w")
    page = t.client.get("/w/tasks").text
    assert "待办回访（1）" in page and m["name"] in page and not english(page)
    task_id = re.search(r'action="/w/tasks/(\d+)/done"', page).group(1)
    r = t.client.post(f"/w/tasks/{task_id}/done", data={"note": "电话问候过了"}, follow_redirects=False)
    assert r.status_code == 303
    page = t.client.get("/w/tasks").text
    assert "待办回访（0）" in page and "电话问候过了" in page
