"""The pages: a member browses the services of their community, picks a slot (full ones disabled), books,
cancels and rates; the console sets up a merchant, a service and its weekly schedule, lists the bookings with
filters, totals and export, and cancels one with a reason."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from linli.core import clock
from tests.client import Client
from tests.factories import PASSWORD
from tests.localservice.helpers import API, book, booked, due, inbox, merchant, service, setup, slot
from tests.web.test_chinese_text import english


def _phone(t, headers) -> TestClient:
    c = Client(t.client.app, headers={"Origin": "http://testserver"})
    c.cookies.set("linli_member", headers["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                  path="/m")
    return c


def _console(t) -> None:
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303


def test_member_books_from_the_picker_cancels_and_rates(make):
    t = make.tenant()
    cid, svc, sl = setup(t)
    full = slot(t, svc["id"], "2026-10-13T14:00:00+08:00")
    other = merchant(t, [cid], category="亲子活动", name="小小探索家")
    service(t, other["id"], capacity=12, price_fen=0, name="周末亲子烘焙课")
    a, b = t.members(2)
    book(t, b, full["id"])  # b takes the only seat of 14:00
    phone = _phone(t, a)

    home = phone.get("/m/services")
    assert home.status_code == 200 and not english(home.text), english(home.text)
    assert "安心家政" in home.text and "小小探索家" in home.text and "¥80.00" in home.text and "免费" in home.text
    pets = phone.get("/m/services", params={"category": "亲子活动"})
    assert "小小探索家" in pets.text and "安心家政" not in pets.text

    page = phone.get(f"/m/services/{svc['id']}")
    assert page.status_code == 200 and not english(page.text), english(page.text)
    assert "到店/上门付款" in page.text and "10月13日 周二" in page.text
    full_input = re.search(rf'value="{full["id"]}"[^>]*>', page.text)
    assert full_input and "disabled" in full_input.group() and "已约满" in page.text
    open_input = re.search(rf'value="{sl["id"]}"[^>]*>', page.text)
    assert open_input and "disabled" not in open_input.group()

    refused = phone.post(f"/m/services/{svc['id']}/book", data={"slot_id": str(full["id"])})
    assert refused.status_code == 409 and "已约满" in refused.text
    done = phone.post(f"/m/services/{svc['id']}/book", data={"slot_id": str(sl["id"]), "note": "3 幢 501"},
                      follow_redirects=False)
    assert done.status_code == 303 and booked(t, sl["id"]) == 1
    mine = phone.get(done.headers["location"])
    assert "预约成功" in mine.text and "3 幢 501" in mine.text and not english(mine.text), english(mine.text)
    [booking_id] = re.findall(r'data-cancel="(\d+)"', mine.text)
    cancelled = phone.post(f"/m/services/bookings/{booking_id}/cancel", follow_redirects=False)
    assert cancelled.status_code == 303 and booked(t, sl["id"]) == 0
    assert "已取消" in phone.get("/m/services/bookings").text

    again = book(t, a, sl["id"])
    start = clock.as_utc(datetime(2026, 10, 13, 10, 0))
    with clock.frozen_at(start - timedelta(hours=1)):  # too late for the member
        late = phone.post(f"/m/services/bookings/{again['id']}/cancel")
        assert late.status_code == 409 and "不足 2 小时" in late.text
    due(t, start + timedelta(hours=3))  # the job completes it
    rated = phone.post(f"/m/services/bookings/{again['id']}/rate", data={"stars": "5", "comment": "准时又细心"},
                       follow_redirects=False)
    assert rated.status_code == 303
    assert "准时又细心" in phone.get(f"/m/services/{svc['id']}").text
    twice = phone.post(f"/m/services/bookings/{again['id']}/rate", data={"stars": "1"})
    assert twice.status_code == 409 and "已评价" in twice.text
    assert t.client.get(f"{API}/merchants/{svc['merchant_id']}", headers=a).json()["rating_avg"] == 5.0


def test_console_sets_up_a_merchant_lists_exports_and_cancels_bookings(make):
    t = make.tenant()
    cid = t.default_community()
    _console(t)
    page = t.client.get("/console/services")
    assert page.status_code == 200 and not english(page.text), english(page.text)
    bad = t.client.post("/console/services/merchants", data={"name": "萌宠之家", "category": "宠物托管",
                                                             "phone": "0571-66668888"})
    assert bad.status_code == 422 and "服务小区" in bad.text
    made = t.client.post("/console/services/merchants", data={
        "name": "萌宠之家", "category": "宠物托管", "phone": "0571-66668888", "community_ids": [str(cid)]},
        follow_redirects=False)
    assert made.status_code == 303
    detail_url = made.headers["location"].split("?")[0]
    merchant_id = int(detail_url.rsplit("/", 1)[1])
    r = t.client.post(f"/console/services/merchants/{merchant_id}/services", data={
        "name": "宠物寄养一晚", "price_yuan": "68.5", "duration_minutes": "60", "capacity": "2"},
        follow_redirects=False)
    assert r.status_code == 303
    [svc] = t.client.get(f"{API}/merchants/{merchant_id}/services", headers=t.op).json()
    assert svc["price_fen"] == 6850
    r = t.client.post(f"/console/services/services/{svc['id']}/schedules",
                      data={"weekday": "1", "start_time": "18:00"}, follow_redirects=False)
    assert r.status_code == 303
    detail = t.client.get(detail_url)
    assert detail.status_code == 200 and not english(detail.text), english(detail.text)
    assert "周二 18:00" in detail.text and "10-13 18:00" in detail.text and "10-20 18:00" in detail.text
    dup = t.client.post(f"/console/services/services/{svc['id']}/schedules",
                        data={"weekday": "1", "start_time": "18:00"})
    assert dup.status_code == 409 and "已在每周排期" in dup.text

    slots = t.client.get(f"{API}/services/{svc['id']}/slots", headers=t.op).json()
    a, b = t.members(2)
    first = book(t, a, slots[0]["id"], seats=2)
    book(t, b, slots[1]["id"])
    listing = t.client.get("/console/services/bookings")
    assert listing.status_code == 200 and not english(listing.text), english(listing.text)
    assert "共 <strong>2</strong> 条" in listing.text and "¥205.50" in listing.text
    narrowed = t.client.get("/console/services/bookings", params={"start": "2026-10-20", "end": "2026-10-20"})
    assert "共 <strong>1</strong> 条" in narrowed.text
    xlsx = t.client.get("/console/services/bookings", params={"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("预约ID", "服务", "商户") and len(rows) == 3
    assert {r[1] for r in rows[1:]} == {"宠物寄养一晚"}
    csv = t.client.get("/console/services/bookings", params={"format": "csv", "status": "confirmed"})
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").count("萌宠之家") == 2

    no_reason = t.client.post(f"/console/services/bookings/{first['id']}/cancel", data={"reason": " "})
    assert no_reason.status_code == 422
    r = t.client.post(f"/console/services/bookings/{first['id']}/cancel", data={"reason": "寄养间已满"},
                      follow_redirects=False)
    assert r.status_code == 303 and booked(t, slots[0]["id"]) == 0
    assert inbox(t, first["member_id"]) == ["预约成功", "预约已被取消"]
    after = t.client.get("/console/services/bookings", params={"status": "cancelled"})
    assert "寄养间已满" in after.text and "共 <strong>1</strong> 条" in after.text
