"""The operator console: server-rendered pages, htmx fragments, and one real-browser run."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta

import pytest

from linli.core import clock
from linli.core.security import Principal
from linli.order import reports
from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server


def _login(t, username="admin", password=PASSWORD):
    return t.client.post("/console/login", data={"tenant": t.slug, "username": username, "password": password},
                         follow_redirects=False)


def _paid_order(t, price_fen=1250, qty=2, **product):
    p = t.product(stock=50, price_fen=price_fen, **product)
    _, mh = t.member()
    order = t.post("/orders", {"items": [{"product_id": p["id"], "quantity": qty}]}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    return order


def _chart(html):
    found = re.search(r'<script type="application/json" id="gmv-data">(.*?)</script>', html, re.S)
    assert found, "chart data is embedded"
    return json.loads(found.group(1))


def test_login_page_renders(client):
    r = client.get("/console/login")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert '<html lang="zh-CN">' in r.text and "邻里运营后台" in r.text
    assert all(f'name="{field}"' in r.text for field in ("tenant", "username", "password"))


def test_unauthenticated_pages_redirect_to_login(client):
    r = client.get("/console", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login"
    r = client.get("/console/orders", follow_redirects=False)
    assert r.headers["location"] == "/console/login?next=/console/orders"
    r = client.get("/console/members", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.headers["HX-Redirect"].startswith("/console/login")
    client.cookies.set("linli_token", "forged.token", domain="testserver.local", path="/console")
    r = client.get("/console", follow_redirects=False)
    assert r.status_code == 303 and 'linli_token=""' in r.headers["set-cookie"]  # the bad cookie is dropped
    assert client.get("/", follow_redirects=False).headers["location"] == "/console"


def test_wrong_password_shows_error(make):
    t = make.tenant()
    r = _login(t, password="not-the-password")
    assert r.status_code == 401 and "租户、用户名或密码错误" in r.text
    assert "linli_token" not in r.headers.get("set-cookie", "")
    assert f'value="{t.slug}"' in r.text  # the form keeps what was typed


def test_member_cannot_log_in_to_console(make):
    t = make.tenant()
    m, _ = t.member()
    r = _login(t, m["username"])
    assert r.status_code == 403 and "不是运营账号" in r.text
    assert "linli_token" not in r.headers.get("set-cookie", "")
    assert t.client.get("/console", follow_redirects=False).status_code == 303


def test_operator_logs_in_sees_today_and_logs_out(make):
    t = make.tenant()
    r = _login(t)
    assert r.status_code == 303 and r.headers["location"] == "/console"
    cookie = r.headers["set-cookie"].lower()
    assert "linli_token=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    _paid_order(t, 1250, 2)
    page = t.client.get("/console").text
    for text in ("今日GMV", "今日订单", "今日新会员", "近30天GMV", "¥25.00", t.slug, 'id="gmv-chart"'):
        assert text in page, text
    chart = _chart(page)
    assert len(chart["days"]) == len(chart["gmv_fen"]) == 30 and chart["gmv_fen"][-1] == 2500
    assert t.client.get("/console/logout", follow_redirects=False).headers["location"] == "/console/login"
    assert t.client.get("/console", follow_redirects=False).status_code == 303


def test_figures_follow_shanghai_days_and_refunds(make, db):
    t = make.tenant()
    midnight = clock.today_start_local()  # 00:00 today in Asia/Shanghai, as UTC
    try:
        clock.set_process_time(midnight - timedelta(minutes=30))  # 23:30 yesterday
        _paid_order(t, 1000, 1)
        clock.set_process_time(midnight + timedelta(minutes=30))  # 00:30 today
        _paid_order(t, 700, 1)
        refunded = _paid_order(t, 300, 1)
        t.post(f"/orders/{refunded['id']}/refund", {"reason": "缺货"}, expect=200)
        clock.set_process_time(midnight + timedelta(hours=12))
        op = Principal(1, t.tenant_id, t.slug, "operator")
        with db.unit_of_work() as s:
            today = reports.today(s, op)
            days = reports.daily_gmv(s, op)
        assert (today.gmv_fen, today.orders) == (700, 2)
        assert [d.gmv_fen for d in days[-2:]] == [1000, 700] and len(days) == 30
        assert days[-1].day == clock.local(midnight).date() and sum(d.gmv_fen for d in days) == 1700
        _login(t)
        page = t.client.get("/console").text
        assert "¥7.00" in page and _chart(page)["gmv_fen"][-2:] == [1000, 700]
    finally:
        clock.set_process_time(None)


@pytest.mark.parametrize(("path", "hit", "miss", "query"), [
    ("/console/products", "有机菠菜", "红富士苹果", "菠菜"),
    ("/console/members", "张三丰", "李四光", "张三"),
    ("/console/communities", "翠苑一区", "文鼎苑", "翠苑"),
])
def test_lists_render_and_search(make, path, hit, miss, query):
    t = make.tenant()
    cid = t.community(name="翠苑一区", address="西湖区文三路")["id"]
    t.community(name="文鼎苑", address="滨江区江南大道")
    for name in ("有机菠菜", "红富士苹果"):
        t.product(name=name)
    for n, name in enumerate(("张三丰", "李四光")):
        t.post("/members", {"username": f"{t.slug}-u{n}", "password": PASSWORD, "name": name,
                            "phone": "13800001111", "community_id": cid})
    _login(t)
    full = t.client.get(path)
    assert full.status_code == 200 and "<html" in full.text and hit in full.text and miss in full.text
    assert 'hx-get="' + path + '"' in full.text and "搜索" in full.text
    part = t.client.get(path, params={"q": query}, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text and "<table" in part.text
    assert hit in part.text and miss not in part.text
    assert "没有找到匹配的记录" in t.client.get(path, params={"q": "不存在的东西"}).text


def test_lists_page_by_number(make):
    t = make.tenant()
    for i in range(23):
        t.product(name=f"整箱牛奶{i:02d}")
    _login(t)
    first = t.client.get("/console/products", params={"q": "牛奶"}).text
    assert first.count("整箱牛奶") == 20 and "下一页" in first
    assert "共 <strong>23</strong> 条" in first and "第 1 页 / 共 2 页" in first
    link = re.search(r'href="(/console/products\?[^"]*page=2)"', first)
    assert link, "the next page link carries the page number and the search"
    assert "q=" in link.group(1)
    second = t.client.get(link.group(1).replace("&amp;", "&"), headers={"HX-Request": "true"}).text
    assert second.count("整箱牛奶") == 3 and "下一页" not in second and "第一页" in second
    assert "第 2 页 / 共 2 页" in second


def test_orders_list_filters_and_detail_shows_timeline(make):
    t = make.tenant()
    paid = _paid_order(t, 1250, 2, name="阳光玫瑰葡萄")
    _, mh = t.member()
    pending = t.post("/orders", {"items": [{"product_id": paid["items"][0]["product_id"], "quantity": 1}]}, mh)
    _login(t)
    page = t.client.get("/console/orders").text
    assert f"#{paid['id']}" in page and f"#{pending['id']}" in page and "待支付" in page
    only_paid = t.client.get("/console/orders", params={"status": "paid"}, headers={"HX-Request": "1"}).text
    assert f"#{paid['id']}" in only_paid and f"#{pending['id']}" not in only_paid
    by_id = t.client.get("/console/orders", params={"q": str(pending["id"])}).text
    assert f"#{pending['id']}" in by_id and f"#{paid['id']}" not in by_id
    assert "订单号只包含数字" in t.client.get("/console/orders", params={"q": "abc"}).text

    t.post(f"/orders/{paid['id']}/refund", {"reason": "坏果", "lines": [
        {"item_id": paid["items"][0]["id"], "quantity": 1}]}, expect=200)
    detail = t.client.get(f"/console/orders/{paid['id']}")
    for text in ("时间线", "阳光玫瑰葡萄", "¥25.00", "下单", "支付", "部分退款", "会员", "运营", "原因：坏果",
                 "订单金额 ¥25.00", "退款金额 ¥12.50", "退款商品 1 件"):
        assert text in detail.text, text
    assert detail.text.count('class="timeline-row"') == 3
    created = datetime.fromisoformat(paid["created_at"])  # the API answers in Asia/Shanghai time
    assert created.strftime("%Y-%m-%d %H:%M:%S") in detail.text

    missing = t.client.get("/console/orders/999999")
    assert missing.status_code == 404 and "不存在" in missing.text
    assert t.client.get("/console/orders/abc").status_code == 404


# --- one run in a real browser against a real server ---------------------------------------------------

def _seed(base, url):
    """A tenant with one member's order of 2 × ¥12.50, paid now (through the running server's API)."""
    create_tenant(url)
    with Api(base) as api:
        call = api.call
        op = api.token("admin")
        cid = call("/communities", {"name": "翠苑一区", "address": "杭州市西湖区文三路1号", "lat": 30.28,
                                    "lng": 120.12}, op, 201)["id"]
        call("/pickup-points", {"community_id": cid, "name": "翠苑一区便利店", "kind": "store", "lat": 30.28,
                                "lng": 120.12}, op, 201)  # every order needs a pickup point
        product = call("/products", {"name": "阳光玫瑰葡萄", "price_fen": 1250, "stock": 20,
                                     "category": "新鲜水果"}, op, 201)
        call("/members", {"username": "resident1", "password": PASSWORD, "name": "王小明",
                          "phone": "13800001234", "community_id": cid}, op, 201)
        mt = api.token("resident1")
        order = call("/orders", {"items": [{"product_id": product["id"], "quantity": 2}]}, mt, 201)
        call(f"/orders/{order['id']}/pay", None, mt, 200)
        return order["id"]


@pytest.fixture
def live_server(tmp_path):
    with running_server(tmp_path) as (base, url):
        yield base, _seed(base, url)


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_console_in_a_real_browser(live_server):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    base, order_id = live_server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 860}, locale="zh-CN")
            page.goto(f"{base}/console")
            expect(page).to_have_url(re.compile(r"/console/login"))
            page.fill("input[name=tenant]", "browser")
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(f"{base}/console")
            expect(page.locator("#card-gmv .card-value")).to_have_text("¥25.00")
            expect(page.locator("#card-orders .card-value")).to_have_text("1")
            expect(page.locator("#card-members .card-value")).to_have_text("1")
            expect(page.locator("#gmv-chart canvas").first).to_be_attached()
            expect(page.locator("#gmv-chart[data-rendered]")).to_be_attached()  # drawn, animation done
            if os.environ.get("LINLI_CONSOLE_SCREENSHOT"):
                page.screenshot(path=os.environ["LINLI_CONSOLE_SCREENSHOT"], full_page=True)

            page.click("nav >> text=订单")
            expect(page).to_have_url(f"{base}/console/orders")
            rows = page.locator("#orders-table tbody tr")
            expect(rows).to_have_count(1)
            page.fill("input[name=q]", "999999")  # htmx swaps in the filtered table
            expect(page.locator("#orders-table")).to_contain_text("没有找到匹配的记录")
            page.fill("input[name=q]", str(order_id))
            expect(page.locator(f"#orders-table >> text=#{order_id}")).to_be_visible()
            page.click(f"#orders-table >> text=#{order_id}")
            expect(page).to_have_url(f"{base}/console/orders/{order_id}")
            timeline = page.locator("#timeline tbody tr")
            expect(timeline).to_have_count(2)
            expect(timeline.nth(0)).to_contain_text("下单")
            expect(timeline.nth(1)).to_contain_text("支付")
            expect(page.locator("#order-lines")).to_contain_text("阳光玫瑰葡萄")
        finally:
            browser.close()


def test_api_docs_are_served_from_our_own_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    bundle = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    assert client.get("/openapi.json").json()["info"]["title"] == "linli 邻里"


def test_expired_session_on_a_form_post_comes_back_to_the_page(client):
    r = client.post("/console/group-buys/1/close", headers={"referer": "http://testserver/console/group-buys/1"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/login?next=/console/group-buys/1"
