"""我的 in the member app: tier and growth, points and their history, coupons (claiming them), the
check-in calendar and the lifecycle stage — and one run on a phone-sized real browser."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.schedule import DUE_JOBS
from tests.client import Client
from tests.factories import PASSWORD, SAME_ORIGIN
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, need_chromium, running_server, seed_campaigns

COOKIE = "linli_member"


def _phone(t, headers) -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set(COOKIE, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path="/m")
    return c


def _deliver(t, at=None):
    return run_due(t.db, DUE_JOBS, build_registry(), at=at)


def _grant(t, member_id, amount, reason="运营补偿"):
    return t.client.post("/api/v1/points/grants", json={"member_id": member_id, "amount": amount, "reason": reason},
                         headers={**t.op, "Idempotency-Key": uuid.uuid4().hex}).json()


def _coupon(t, **kw):
    body = {"name": "满30减5", "discount_fen": 500, "min_spend_fen": 3000, "total": 100, "per_member_limit": 1,
            "valid_days": 7}
    return t.post("/coupons", body | kw)


def _api(t, headers, path):
    r = t.client.get(f"/api/v1{path}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _text(html, element_id):
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert found, element_id
    return re.sub(r"\s+", " ", found.group(1)).strip()


def test_me_shows_tier_points_coupons_checkin_and_stage(make):
    t = make.tenant()
    m, mh = t.member()
    _grant(t, m["id"], 150)
    c = _coupon(t)
    t.post(f"/coupons/{c['id']}/claim", None, mh)
    page = _phone(t, mh).get("/m/me")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    html = page.text
    assert re.search(r'<a href="/m/me" class="tab active" aria-current="page">\s*<span[^>]*>[^<]*</span>我的</a>', html)
    assert _text(html, "my-stage") == "新用户"
    assert _text(html, "tier-name") == "普通会员" and _text(html, "growth") == "0"
    assert _text(html, "tier-next") == "再获得 1000 成长值升级为白银会员"
    assert "可发起 10 人团" in html
    assert _text(html, "points-balance") == "150"
    assert _text(html, "coupon-count") == "1" and "满30减5" in html and "满30.00元可用" in html
    assert 'action="/m/me/checkins"' in html and _text(html, "streak") == "0"
    # the other tabs link to it too
    assert 'href="/m/me"' in _phone(t, mh).get("/m/orders").text


def test_tier_card_follows_growth_from_a_paid_order(make):
    t = make.tenant()
    r = t.client.put("/api/v1/tiers", headers=t.op, json={
        "levels": [{"code": "regular", "name": "普通会员", "min_growth": 0},
                   {"code": "silver", "name": "白银会员", "min_growth": 100, "discount_percent": 2,
                    "priority_service": True},
                   {"code": "gold", "name": "黄金会员", "min_growth": 500, "discount_percent": 5}],
        "black_card": {"name": "黑卡会员"}})
    assert r.status_code == 200, r.text
    product = t.product(price_fen=6000, stock=10)
    m, mh = t.member()
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 2}]}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    _deliver(t)
    html = _phone(t, mh).get("/m/me").text
    assert _text(html, "tier-name") == "白银会员" and _text(html, "growth") == "120"
    assert _text(html, "tier-next") == "再获得 380 成长值升级为黄金会员"
    assert re.search(r'aria-valuemax="400"\s+aria-valuenow="20"', html)  # 120 in the 100..500 span
    assert "购物享9.8折" in html and "专属客服优先服务" in html
    assert _text(html, "points-balance") == str(_api(t, mh, "/me/points")["balance"]) == "120"
    assert _text(html, "my-stage") == "新用户"


def test_points_history_is_paginated_with_chinese_labels(make):
    t = make.tenant()
    m, mh = t.member()
    for i in range(21):
        _grant(t, m["id"], i + 1, reason=f"第{i + 1}次补偿")
    phone = _phone(t, mh)
    first = phone.get("/m/me/points")
    assert first.status_code == 200 and _text(first.text, "points-balance") == str(sum(range(1, 22)))
    assert first.text.count('class="list-row entry-row"') == 20
    assert "运营发放" in first.text and "第21次补偿" in first.text and "+21" in first.text
    nxt = re.search(r'href="(/m/me/points\?cursor=\d+)"', first.text)
    assert nxt and "更多记录" in first.text
    second = phone.get(nxt.group(1))
    assert second.text.count('class="list-row entry-row"') == 1 and "第1次补偿" in second.text
    assert "回到最新" in second.text
    assert phone.get("/m/me/points?cursor=abc").status_code == 200  # a bad cursor is the first page
    # a check-in and a deduction read in Chinese
    phone.post("/m/me/checkins")
    assert "每日签到" in phone.get("/m/me/points").text


def test_points_expiring_soon_are_shown(make):
    t = make.tenant()
    r = t.client.put("/api/v1/points/rules", headers=t.op, json={"expiry": "days", "expiry_days": 10})
    assert r.status_code == 200, r.text
    m, mh = t.member()
    _grant(t, m["id"], 80)
    expires = clock.local(clock.now() + timedelta(days=10)).strftime("%Y-%m-%d")
    assert f"80 积分将于 {expires} 起过期" in _phone(t, mh).get("/m/me").text
    assert f"80 积分将于 {expires} 过期" in _phone(t, mh).get("/m/me/points").text


def test_claim_a_coupon_and_see_it_under_its_tab(make):
    t = make.tenant()
    m, mh = t.member()
    c = _coupon(t, per_member_limit=1)
    phone = _phone(t, mh)
    page = phone.get("/m/me/coupons")
    assert "没有可使用的优惠券" in page.text
    assert f'action="/m/coupons/{c["id"]}/claim"' in page.text and "领取</button>" in page.text
    r = phone.post(f"/m/coupons/{c['id']}/claim", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/m/me/coupons?claimed={c['id']}"
    page = phone.get(r.headers["location"])
    assert "领取成功：满30减5" in page.text and page.text.count('class="coupon coupon-available"') == 1
    assert "已领取</button>" in page.text  # at the member's limit: no 领取 button any more
    # a second claim is refused in Chinese and writes nothing
    r = phone.post(f"/m/coupons/{c['id']}/claim", follow_redirects=False)
    assert r.status_code == 409 and "已达上限：每人限领 1 张。" in r.text
    assert len(_api(t, mh, "/me/coupons")["items"]) == 1
    assert _api(t, t.op, f"/coupons/{c['id']}")["claimed"] == 1
    # a forged "claimed" address proves nothing
    assert "领取成功" not in _phone(t, t.member()[1]).get(f"/m/me/coupons?claimed={c['id']}").text


def test_a_coupon_all_claimed_reads_sold_out(make):
    t = make.tenant()
    c = _coupon(t, total=1)
    _, first = t.member()
    _, second = t.member()
    assert _phone(t, first).post(f"/m/coupons/{c['id']}/claim", follow_redirects=False).status_code == 303
    r = _phone(t, second).post(f"/m/coupons/{c['id']}/claim", follow_redirects=False)
    assert r.status_code == 409 and "已领完" in r.text
    assert _api(t, second, "/me/coupons")["items"] == []
    r = _phone(t, second).post("/m/coupons/999999/claim")
    assert r.status_code == 404 and "优惠券不存在" in r.text
    r = _phone(t, second).post("/m/coupons/abc/claim")
    assert r.status_code == 404


def test_a_coupon_for_another_tier_cannot_be_claimed(make):
    t = make.tenant()
    _, mh = t.member()
    gold = _coupon(t, name="黄金会员专享", tier_only=["gold"])
    phone = _phone(t, mh)
    offer = re.search(rf'data-coupon="{gold["id"]}">(.*?)</li>', phone.get("/m/me/coupons").text, re.S).group(1)
    assert "不可领取</button>" in offer and "/claim" not in offer
    r = phone.post(f"/m/coupons/{gold['id']}/claim", follow_redirects=False)
    assert r.status_code == 409 and "这张券现在不能领取。" in r.text
    assert _api(t, mh, "/me/coupons")["items"] == []


def test_expired_coupons_have_their_tab(make):
    t = make.tenant()
    _, mh = t.member()
    soon = _coupon(t, name="限时券", valid_days=1)
    t.post(f"/coupons/{soon['id']}/claim", None, mh)
    _deliver(t, at=clock.now() + timedelta(days=2))  # the one-day coupon runs out
    phone = _phone(t, mh)
    assert "没有可使用的优惠券" in phone.get("/m/me/coupons").text
    page = phone.get("/m/me/coupons?tab=expired")
    assert 'class="coupon coupon-expired"' in page.text and "限时券" in page.text and "已过期" in page.text
    assert 'aria-current="page">已过期</a>' in page.text
    assert "没有已使用的优惠券" in phone.get("/m/me/coupons?tab=used").text
    assert "没有可使用的优惠券" in phone.get("/m/me/coupons?tab=bogus").text  # unknown tab: available


def test_a_coupon_used_on_an_order_is_under_used(make):
    t = make.tenant()
    product = t.product(price_fen=4000, stock=10)
    _, mh = t.member()
    c = _coupon(t)
    held = t.post(f"/coupons/{c['id']}/claim", None, mh)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                               "coupon_id": held["member_coupon_id"]}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    page = _phone(t, mh).get("/m/me/coupons?tab=used")
    assert 'class="coupon coupon-used"' in page.text and "满30减5" in page.text and "已使用" in page.text


def test_check_in_marks_today_once(make):
    t = make.tenant()
    m, mh = t.member()
    phone = _phone(t, mh)
    today = clock.local(clock.now()).date()
    page = phone.get("/m/me/checkins")
    assert page.status_code == 200 and _text(page.text, "cal-month") == f"{today.year}年{today.month}月"
    assert f'data-day="{today.isoformat()}"' in page.text and 'id="checkin"' in page.text
    r = phone.post("/m/me/checkins", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/m/me/checkins"
    page = phone.get("/m/me/checkins").text
    assert re.search(rf'class="cal-day checked today" data-day="{today.isoformat()}"', page)
    assert _text(page, "streak") == "1" and _text(page, "checkin-done") == "今日已签到 +5 积分"
    # again: refused in Chinese, one credit only
    r = phone.post("/m/me/checkins", follow_redirects=False)
    assert r.status_code == 409 and "今日已签到" in r.text
    assert _api(t, mh, "/me/points")["balance"] == 5
    assert [d for d in _api(t, mh, "/me/checkins")["days"] if d["checked_in"]] == [
        {"day": today.isoformat(), "checked_in": True, "points": 5}]
    me = phone.get("/m/me").text
    assert _text(me, "checkin-done") == "今日已签到" and _text(me, "streak") == "1"


def test_calendar_months_and_bad_months(make):
    t = make.tenant()
    _, mh = t.member()
    phone = _phone(t, mh)
    page = phone.get("/m/me/checkins?month=2026-02").text
    assert _text(page, "cal-month") == "2026年2月"
    assert page.count('class="cal-day') == 28 and "month=2026-01" in page and "month=2026-03" in page
    # 2026-02-01 is a Sunday: six blanks before it in a Monday-first week
    first_week = re.search(r"<tbody>\s*<tr>(.*?)</tr>", page, re.S).group(1)
    assert first_week.count("cal-blank") == 6
    today = clock.local(clock.now()).date()
    for bad in ("2026-13", "abc", "0000-01", "2026-1"):
        r = phone.get(f"/m/me/checkins?month={bad}")
        assert r.status_code == 200 and _text(r.text, "cal-month") == f"{today.year}年{today.month}月", bad


def test_me_pages_need_a_member(make):
    t = make.tenant()
    anonymous = Client(t.client.app, headers=SAME_ORIGIN)
    for path in ("/m/me", "/m/me/points", "/m/me/coupons", "/m/me/checkins"):
        r = anonymous.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/m/login?next={path}", path
    r = anonymous.post("/m/me/checkins", headers={"Referer": "http://testserver/m/me"}, follow_redirects=False)
    assert r.headers["location"] == "/m/login?next=/m/me"
    # an operator's token is not a member's
    op = Client(t.client.app, headers=SAME_ORIGIN)
    op.cookies.set(COOKIE, t.op["Authorization"].removeprefix("Bearer "), domain="testserver.local", path="/m")
    assert op.post("/m/me/checkins", follow_redirects=False).headers["location"].startswith("/m/login")


# --- one run on a phone-sized real browser against a real server ----------------------------------------

@pytest.fixture
def member_server(tmp_path):
    with running_server(tmp_path) as (base, url):
        seed_campaigns(base, url)
        yield base


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_my_page_and_check_in_on_a_phone(member_server):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    base = member_server
    today = clock.local(clock.now()).date().isoformat()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                                    has_touch=True, locale="zh-CN")
            page.goto(f"{base}/m/login")
            page.fill("input[name=tenant]", "browser")
            page.fill("input[name=username]", "resident1")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(f"{base}/m")
            page.click("nav.tabs a[href='/m/me']")
            expect(page).to_have_url(f"{base}/m/me")
            expect(page.locator("#tier-name")).to_have_text("普通会员")
            expect(page.locator("#my-stage")).to_have_text("新用户")
            expect(page.locator("#points-balance")).to_have_text("0")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing overflows sideways

            page.click("#checkin-card a.me-main")
            expect(page).to_have_url(f"{base}/m/me/checkins")
            today_cell = page.locator(f"td[data-day='{today}']")
            expect(today_cell).to_have_class(re.compile(r"\btoday\b"))
            expect(today_cell).not_to_have_class(re.compile(r"\bchecked\b"))
            page.click("#checkin")
            expect(page).to_have_url(f"{base}/m/me/checkins")
            expect(today_cell).to_have_class(re.compile(r"\bchecked\b"))
            expect(today_cell.locator(".cal-mark")).to_have_text("✓")
            expect(page.locator("#checkin-done")).to_have_text(re.compile(r"^今日已签到"))
            expect(page.locator("#checkin-done")).to_be_disabled()
            expect(page.locator("#streak")).to_have_text("1")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375

            page.click(".bar-back")  # 我的 again: the balance and the button follow
            expect(page).to_have_url(f"{base}/m/me")
            expect(page.locator("#points-balance")).to_have_text("5")
            expect(page.locator("#checkin-done")).to_have_text("今日已签到")
        finally:
            browser.close()
