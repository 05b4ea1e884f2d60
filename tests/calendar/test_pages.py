"""The calendar and traceability pages (no browser): Chinese text, the forms' flows and their refusals."""

from __future__ import annotations

from sqlalchemy import text

from tests.factories import PASSWORD
from tests.traceability.helpers import batch, entries
from tests.web.test_chinese_text import english


def _login(client, face: str, slug: str, username: str) -> None:
    r = client.post(f"/{face}/login", data={"tenant": slug, "username": username, "password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 303, r.text


def test_console_calendar_and_batch_pages(make):
    t = make.tenant()
    c = t.community(name="翠苑一区")
    _login(t.client, "console", t.slug, "admin")
    page = t.client.get("/console/calendar?month=2026-10")
    assert page.status_code == 200 and "国庆节 放假" in page.text and "寒露" in page.text and "蟹" in page.text
    assert not english(page.text), english(page.text)
    form = {"title": "重阳敬老茶话会", "community_id": str(c["id"]), "starts_at": "2026-10-18T14:00",
            "ends_at": "2026-10-18T16:00", "place": "社区活动室", "description": "请老人们来喝茶"}
    bad = t.client.post("/console/calendar/events", data={**form, "ends_at": "2026-10-18T13:00"})
    assert bad.status_code == 422 and "结束时间不能早于开始时间" in bad.text
    r = t.client.post("/console/calendar/events", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/console/calendar?month=2026-10")
    grid = t.client.get("/console/calendar?month=2026-10").text
    assert "重阳敬老茶话会" in grid and "重阳节" in grid
    assert "节假日安排未公布" in t.client.get("/console/calendar?month=2031-05").text
    assert "寒露" in t.client.get("/console/scenario-campaigns?month=2026-10").text  # the campaign calendar too

    b = batch(t)
    entries(t, b["id"], ("harvest", "inspection"))
    detail = t.client.get(f"/console/batches/{b['id']}")
    assert detail.status_code == 200 and "链路校验通过" in detail.text and "质检" in detail.text
    assert not english(detail.text), english(detail.text)
    r = t.client.post(f"/console/batches/{b['id']}/entries",
                      data={"stage": "storage", "occurred_at": "2026-09-19T08:00", "place": "杭州仓",
                            "operator": "王仓管", "details": "冷库 4℃"}, follow_redirects=False)
    assert r.status_code == 303
    early = t.client.post(f"/console/batches/{b['id']}/entries",
                          data={"stage": "transport", "occurred_at": "2026-01-01T08:00"})
    assert early.status_code == 422 and "时间不能早于上一条记录" in early.text
    assert "杭州仓" in t.client.get(f"/console/batches/{b['id']}?verify=1").text
    qr = t.client.get(f"/console/batches/{b['id']}/qr.png")
    assert qr.status_code == 200 and qr.content.startswith(b"\x89PNG")
    listing = t.client.get("/console/batches")
    assert b["code"] in listing.text and "批次追溯" in listing.text
    taken = t.client.post("/console/batches", data={"code": b["code"], "product_id": str(b["product_id"]),
                                                    "origin": "别处", "producer": "某人", "produced_on": "2026-09-01",
                                                    "quantity": "5", "unit": "箱"})
    assert taken.status_code == 422 and "批次号已被使用" in taken.text


def test_leader_and_member_calendar_pages(make, client):
    t = make.tenant()
    cid = t.default_community()
    leader_id, _, _ = t.leader(cid)
    t.post("/calendar/events", {"title": "全小区跳蚤市场", "starts_at": "2026-09-22T09:00:00+08:00",
                                "ends_at": "2026-09-22T12:00:00+08:00"})
    with t.db.engine.connect() as conn:
        username = conn.execute(text("SELECT username FROM users WHERE id = "
                                     "(SELECT user_id FROM leaders WHERE id = :id)"), {"id": leader_id}).scalar_one()
    _login(client, "w", t.slug, username)
    page = client.get("/w/community-calendar?month=2026-09")
    assert page.status_code == 200 and "秋分" in page.text and "全小区跳蚤市场" in page.text
    r = client.post("/w/community-calendar/events", data={
        "title": "团长中秋品鉴会", "community_id": str(cid), "starts_at": "2026-09-24T19:00",
        "ends_at": "2026-09-24T20:00", "place": "团长家", "description": "月饼试吃"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    m, _ = t.member(cid)
    _login(client, "m", t.slug, m["username"])
    cal = client.get("/m/calendar")
    assert "团长中秋品鉴会" in cal.text and "全小区跳蚤市场" in cal.text and "秋分" in cal.text
    assert "中秋节" in cal.text and "月饼" in cal.text
