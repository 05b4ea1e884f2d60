"""The member app (H5) under /m: login, flash sales, group-buys, orders — and one run on a phone-sized
real browser."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta

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
    """A browser of its own for one member, already logged in (the member cookie holds their token)."""
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set(COOKIE, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path="/m")
    return c


def _sale(t, product_id, quantity=10, limit=2, price_fen=990, starts_in=timedelta(minutes=-1),
          lasts=timedelta(hours=1)):
    starts = clock.now() + starts_in
    return t.post("/flash-sales", {"product_id": product_id, "price_fen": price_fen, "quantity": quantity,
                                   "per_member_limit": limit, "starts_at": starts.isoformat(),
                                   "ends_at": (starts + lasts).isoformat()})


def _campaign(t, size=2, stock=20):
    product = t.product(stock=stock + 10, price_fen=3990, name="五常大米")
    return t.post("/group-buys", {"product_id": product["id"], "price_fen": 2990, "group_size": size,
                                  "time_limit_hours": 24, "stock": stock})


def _ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso).timestamp() * 1000)


def _deliver(t):
    return run_due(t.db, DUE_JOBS, build_registry())


def _api_orders(t, headers):
    return t.client.get("/api/v1/orders", headers=headers).json()["items"]


def _login(client, tenant, username, password=PASSWORD, **extra):
    return client.post("/m/login", data={"tenant": tenant, "username": username, "password": password, **extra},
                       follow_redirects=False)


def test_member_logs_in_sees_home_and_logs_out(make):
    t = make.tenant()
    m, _ = t.member()
    c = Client(t.client.app, headers=SAME_ORIGIN)
    r = c.get("/m", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/m/login"
    assert c.get("/m/orders", follow_redirects=False).headers["location"] == "/m/login?next=/m/orders"
    form = c.get("/m/login")
    assert form.status_code == 200 and '<html lang="zh-CN">' in form.text and 'name="viewport"' in form.text
    bad = _login(c, t.slug, m["username"], "wrong-password")
    assert bad.status_code == 401 and "平台、账号或密码错误" in bad.text
    assert COOKIE not in bad.headers.get("set-cookie", "")
    r = _login(c, t.slug, m["username"], next="/m/orders")
    assert r.status_code == 303 and r.headers["location"] == "/m/orders"
    cookie = r.headers["set-cookie"].lower()
    assert f"{COOKIE}=" in cookie and "httponly" in cookie and "path=/m" in cookie and "samesite=lax" in cookie
    home = c.get("/m")
    assert home.status_code == 200 and f"你好，{m['name']}" in home.text and "/m/logout" in home.text
    assert c.get("/m/logout", follow_redirects=False).headers["location"] == "/m/login"
    assert c.get("/m", follow_redirects=False).status_code == 303


def test_login_goes_back_only_to_member_pages(make):
    t = make.tenant()
    m, _ = t.member()
    for target in ("//evil.example/m", "https://evil.example", "/console", "/metrics", "/m\\evil"):
        r = _login(Client(t.client.app, headers=SAME_ORIGIN), t.slug, m["username"], next=target)
        assert r.headers["location"] == "/m", target
    # a form posted after the cookie expired: log in, then back to the page the form was on
    anonymous = Client(t.client.app, headers=SAME_ORIGIN)
    r = anonymous.post("/m/flash-sales/1/buy", headers={"Referer": "http://testserver/m/flash-sales/1"},
                       follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/m/login?next=/m/flash-sales/1"
    r = anonymous.post("/m/groups/1/join", headers={"Referer": "https://evil.example/m/x"}, follow_redirects=False)
    assert r.headers["location"] == "/m/login"


def test_operators_are_not_members_and_members_are_not_operators(make):
    t = make.tenant()
    _, mh = t.member()
    c = Client(t.client.app, headers=SAME_ORIGIN)
    r = _login(c, t.slug, "admin")
    assert r.status_code == 403 and "不是会员账号" in r.text and COOKIE not in r.headers.get("set-cookie", "")
    # an operator's valid token in the member cookie is not a member
    c.cookies.set(COOKIE, t.op["Authorization"].removeprefix("Bearer "), domain="testserver.local", path="/m")
    r = c.get("/m/orders", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/m/login")
    # a member's token does not open the console, whichever cookie it sits in
    member = _phone(t, mh)
    for path in ("/console", "/console/flash-sales", "/console/group-buys"):
        assert member.get(path, follow_redirects=False).headers["location"].startswith("/console/login"), path
    member.cookies.set("linli_token", mh["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                       path="/console")
    r = member.get("/console/group-buys", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/console/login")


def test_home_lists_products_flash_sales_and_group_buys(make):
    t = make.tenant()
    grapes = t.product(name="阳光玫瑰葡萄", price_fen=2990, stock=50)
    t.product(name="土鸡蛋", price_fen=1250)
    sale = _sale(t, grapes["id"])
    campaign = _campaign(t)
    page = _phone(t, t.members(1)[0]).get("/m").text
    for text in ("阳光玫瑰葡萄", "土鸡蛋", "¥12.50", "¥9.90", "¥29.90", "限时秒杀", "邻里拼团", "五常大米", "¥29.90",
                 f'href="/m/flash-sales/{sale["id"]}"', f'href="/m/group-buys/{campaign["id"]}"', "2人团"):
        assert text in page, text


def test_flash_sale_page_shows_prices_remaining_and_countdown(make):
    t = make.tenant()
    product = t.product(name="阳光玫瑰葡萄", price_fen=2990, stock=50)
    sale = _sale(t, product["id"], quantity=10)
    later = _sale(t, product["id"], quantity=5, starts_in=timedelta(hours=2))
    phone = _phone(t, t.members(1)[0])
    page = phone.get(f"/m/flash-sales/{sale['id']}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    for text in ("阳光玫瑰葡萄", "¥9.90", "¥29.90", "省¥20.00", '<strong id="remaining">10</strong>', "距结束",
                 "立即抢购", "每人限购", "/static/member.js"):
        assert text in page.text, text
    countdown = re.search(r'id="countdown" data-countdown-to="(\d+)"', page.text)
    assert countdown and int(countdown.group(1)) == _ms(sale["ends_at"])
    shown = re.search(r'data-reload="1">(\d\d):(\d\d):(\d\d)<', page.text)  # the time left, before any script
    assert shown and shown.group(1) in ("00", "01")
    assert re.search(r'data-server-now="\d{13}"', page.text)
    scheduled = phone.get(f"/m/flash-sales/{later['id']}").text
    countdown = re.search(r'id="countdown" data-countdown-to="(\d+)"', scheduled)
    assert "距开始" in scheduled and countdown and int(countdown.group(1)) == _ms(later["starts_at"])
    assert "未开始" in scheduled and "立即抢购" not in scheduled
    assert phone.get("/m/flash-sales/999999").status_code == 404
    assert phone.get("/m/flash-sales/abc").status_code == 404


def test_buying_through_the_page_creates_an_order_then_paying_shows_the_pickup_code(make):
    t = make.tenant()
    product = t.product(name="阳光玫瑰葡萄", price_fen=2990, stock=50)
    sale = _sale(t, product["id"], quantity=10, limit=2)
    (mh,) = t.members(1)
    phone = _phone(t, mh)
    r = phone.post(f"/m/flash-sales/{sale['id']}/buy", data={"quantity": "2"}, follow_redirects=False)
    assert r.status_code == 303
    order_id = int(re.fullmatch(r"/m/orders/(\d+)", r.headers["location"]).group(1))
    (order,) = _api_orders(t, mh)
    assert order["id"] == order_id and order["source"] == "flash_sale" and order["payable_fen"] == 1980
    page = phone.get(f"/m/orders/{order_id}").text
    for text in ("待支付", "¥19.80", "去支付", "阳光玫瑰葡萄", "下单", "查看秒杀活动"):
        assert text in page, text
    assert "提货码" not in page
    assert '<strong id="remaining">8</strong>' in phone.get(f"/m/flash-sales/{sale['id']}").text

    again = phone.post(f"/m/flash-sales/{sale['id']}/buy", data={"quantity": "1"})
    assert again.status_code == 409 and "超出限购：每人限购 2 件" in again.text
    assert phone.post(f"/m/flash-sales/{sale['id']}/buy", data={"quantity": "x"}).status_code == 422
    assert len(_api_orders(t, mh)) == 1

    r = phone.post(f"/m/orders/{order_id}/pay", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/m/orders/{order_id}"
    paid = phone.get(f"/m/orders/{order_id}").text
    code = re.search(r'id="pickup-code">(\d{6})<', paid)
    assert code and "已支付" in paid and "去支付" not in paid and "支付" in paid
    assert code.group(1) == t.client.get(f"/api/v1/orders/{order_id}", headers=mh).json()["pickup_code"]
    twice = phone.post(f"/m/orders/{order_id}/pay")
    assert twice.status_code == 409 and "订单当前状态不能支付" in twice.text
    listing = phone.get("/m/orders").text
    assert f"订单 #{order_id}" in listing and "已支付" in listing and "阳光玫瑰葡萄×2" in listing


def test_sold_out_and_not_started_are_shown_in_chinese(make):
    t = make.tenant()
    product = t.product(stock=50)
    sale = _sale(t, product["id"], quantity=1, limit=1)
    first, second = (_phone(t, h) for h in t.members(2))
    assert first.post(f"/m/flash-sales/{sale['id']}/buy", follow_redirects=False).status_code == 303
    page = second.get(f"/m/flash-sales/{sale['id']}").text
    assert "已抢光" in page and "立即抢购" not in page and '<strong id="remaining">0</strong>' in page
    r = second.post(f"/m/flash-sales/{sale['id']}/buy", data={"quantity": "1"})
    assert r.status_code == 409 and '<p class="alert" role="alert">已抢光</p>' in r.text
    later = _sale(t, product["id"], quantity=3, starts_in=timedelta(hours=1))
    r = second.post(f"/m/flash-sales/{later['id']}/buy", data={"quantity": "1"})
    assert r.status_code == 409 and "活动未开始" in r.text
    sales = t.client.get("/api/v1/flash-sales", headers=t.op).json()["items"]
    assert {s["id"]: s["sold"] for s in sales} == {sale["id"]: 1, later["id"]: 0}  # nothing kept of the refusals


def test_group_buy_start_join_pay_and_succeed_through_the_pages(make):
    t = make.tenant()
    east = t.community(name="翠苑一区", lat=30.283, lng=120.128)["id"]
    campaign = _campaign(t, size=2)
    ha, hb = t.members(2, community_id=east)
    a, b = _phone(t, ha), _phone(t, hb)
    page = a.get(f"/m/group-buys/{campaign['id']}").text
    for text in ("五常大米", "¥29.90", "¥39.90", "2人团", "发起拼团", "还没有正在拼的团"):
        assert text in page, text

    r = a.post(f"/m/group-buys/{campaign['id']}/start", follow_redirects=False)
    assert r.status_code == 303
    group_id = int(re.fullmatch(r"/m/groups/(\d+)", r.headers["location"]).group(1))
    mine = a.get(f"/m/groups/{group_id}").text
    for text in ("拼团中", "<strong>1</strong> / 2 人已参团", "你已参团", "去支付", f"/m/groups/{group_id}",
                 "复制链接", "发起拼团"):
        assert text in mine, text
    share = re.search(r'id="share-link" value="([^"]+)"', mine)
    code = t.client.get("/api/v1/me/referral", headers=ha).json()["code"]  # the link carries the sharer
    assert share and share.group(1) == f"http://testserver/m/groups/{group_id}?from={code}"
    on_campaign = a.get(f"/m/group-buys/{campaign['id']}").text
    assert "已参团" in on_campaign and 'id="share-link"' in on_campaign and "翠苑一区" in on_campaign

    seen = b.get(f"/m/groups/{group_id}").text
    assert 'id="join"' in seen and "你已参团" not in seen and "居**" in seen  # the starter's name is masked
    assert f'action="/m/groups/{group_id}/join"' in b.get(f"/m/group-buys/{campaign['id']}").text
    r = b.post(f"/m/groups/{group_id}/join", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/m/groups/{group_id}"
    again = b.post(f"/m/groups/{group_id}/join")
    assert again.status_code == 409 and "你已经在这个团里了" in again.text

    for phone in (a, b):
        page = phone.get(f"/m/groups/{group_id}").text
        order_id = re.search(r'action="/m/orders/(\d+)/pay"', page).group(1)
        assert phone.post(f"/m/orders/{order_id}/pay", follow_redirects=False).status_code == 303
        waiting = phone.get(f"/m/orders/{order_id}").text
        assert "待成团" in waiting and "拼团成功后显示提货码" in waiting and f"/m/groups/{group_id}" in waiting
    _deliver(t)
    done = a.get(f"/m/groups/{group_id}").text
    assert "拼团成功" in done and "<strong>2</strong> / 2 人已参团" in done and "已支付 2 人" in done
    timeline = done[done.index('id="group-timeline"'):]
    assert all(step in timeline for step in ("发起拼团", "参团", "支付", "拼团成功")), timeline
    order_id = re.search(r'href="/m/orders/(\d+)"', done).group(1)
    order_page = a.get(f"/m/orders/{order_id}").text
    assert "已支付" in order_page and re.search(r'id="pickup-code">\d{6}<', order_page) and "拼团成功" in order_page

    third = _phone(t, t.members(1)[0])
    closed = third.post(f"/m/groups/{group_id}/join")
    assert closed.status_code == 409 and "该团已结束" in closed.text


def test_group_buy_progress_by_community(make):
    t = make.tenant()
    campaign = _campaign(t, size=3)
    east = t.community(name="东区", lat=30.30, lng=120.20)["id"]
    west = t.community(name="西区", lat=30.25, lng=120.10)["id"]
    e1, e2 = t.members(2, community_id=east)
    (w1,) = t.members(1, community_id=west)
    g = t.post(f"/group-buys/{campaign['id']}/groups", None, e1)["group_id"]
    t.client.post(f"/api/v1/groups/{g}/join", headers=e2)
    t.post(f"/group-buys/{campaign['id']}/groups", None, w1)
    page = _phone(t, w1).get(f"/m/group-buys/{campaign['id']}").text
    heat = re.findall(r'<span class="heat-name">(.+?)</span>.*?<span class="heat-count">(\d+)人</span>', page, re.S)
    assert heat == [("东区", "2"), ("西区", "1")]
    assert page.count('class="list-row group-row"') == 2 and "还差 <strong" in page


def test_members_see_only_their_own_orders(make):
    t = make.tenant()
    product = t.product(stock=10)
    ha, hb = t.members(2)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}]}, ha)
    other = _phone(t, hb)
    r = other.get(f"/m/orders/{order['id']}")
    assert r.status_code == 404 and "订单不存在" in r.text
    assert other.post(f"/m/orders/{order['id']}/pay").status_code == 404
    assert "还没有订单" in other.get("/m/orders").text
    assert _phone(t, hb).get("/m/groups/999999").status_code == 404


# --- one run on a phone-sized real browser against a real server ----------------------------------------

@pytest.fixture
def campaign_server(tmp_path):
    with running_server(tmp_path) as (base, url):
        yield base, seed_campaigns(base, url)


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_member_app_on_a_phone(campaign_server):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    base, ids = campaign_server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True,
                                    has_touch=True, locale="zh-CN")
            page.goto(f"{base}/m")
            expect(page).to_have_url(re.compile(r"/m/login"))
            page.fill("input[name=tenant]", "browser")
            page.fill("input[name=username]", "resident1")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(f"{base}/m")
            expect(page.locator(".greeting")).to_contain_text("王小明")

            page.click(f"a[href='/m/flash-sales/{ids['flash_sale_id']}']")
            expect(page).to_have_url(f"{base}/m/flash-sales/{ids['flash_sale_id']}")
            expect(page.locator("#flash-price")).to_have_text("¥9.90")
            expect(page.locator("#remaining")).to_have_text("20")
            countdown = page.locator("#countdown")
            expect(countdown).to_have_text(re.compile(r"^00:5\d:\d\d$"))
            first = countdown.text_content()
            expect(countdown).not_to_have_text(first, timeout=2000)  # it ticks
            if os.environ.get("LINLI_MEMBER_SCREENSHOT"):
                page.screenshot(path=os.environ["LINLI_MEMBER_SCREENSHOT"], full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing overflows sideways

            page.click("#buy")
            expect(page).to_have_url(re.compile(r"/m/orders/\d+$"))
            expect(page.locator("#order-status")).to_have_text("待支付")
            expect(page.locator("#payable")).to_have_text("¥9.90")
            page.click("#pay")
            expect(page.locator("#order-status")).to_have_text("已支付")
            expect(page.locator("#pickup-code")).to_have_text(re.compile(r"^\d{6}$"))

            page.goto(f"{base}/m/group-buys/{ids['group_buy_id']}")
            expect(page.locator("#open-groups .group-row")).to_have_count(2)
            expect(page.locator("#community-progress .heat-row")).to_have_count(2)
            page.click("#start-group")
            expect(page).to_have_url(re.compile(r"/m/groups/\d+$"))
            expect(page.locator("#group-status")).to_have_text("拼团中")
            expect(page.locator("#seats-text")).to_contain_text("1 / 3 人已参团")
            # the link carries the sharer's invite code (?from=): a neighbour opening it records the share
            group_url = page.url
            share_link = page.locator("#share-link")
            expect(share_link).to_have_value(re.compile(r"/m/groups/\d+\?from=[^&#]+$"))
            assert share_link.input_value().startswith(f"{group_url}?from=")  # this very group's page
            page.click("[data-copy]")
            expect(page.locator("[data-copy]")).to_have_text("已复制")
            shared = share_link.input_value()
            page.goto(f"{base}/m/me/invite")
            assert shared.endswith(f"?from={page.locator('#invite-code').inner_text().strip()}")  # my own code
        finally:
            browser.close()
