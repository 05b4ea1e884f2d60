"""Console pages for flash sales (秒杀) and group-buys (拼团): create forms with exact money parsing,
figures, the live progress map, closing — and one desktop run in a real browser."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta

import pytest

from linli.core import clock
from linli.core.jobs import run_due
from linli.core.security import Principal
from linli.events import build_registry
from linli.flashsale import reports as flash_reports
from linli.groupbuy import reports as group_reports
from linli.schedule import DUE_JOBS
from linli.web.console.campaign_forms import FormErrors, fen
from tests.factories import PASSWORD
from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Api,
    create_tenant,
    need_chromium,
    running_server,
    seed_campaigns,
)


def _login(t):
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303
    return r


def _local(delta: timedelta) -> str:
    """A datetime-local value (Asia/Shanghai) `delta` from now."""
    return clock.local(clock.now() + delta).strftime("%Y-%m-%dT%H:%M")


def _sale_form(product, **kw):
    form = {"product_id": str(product), "price": "9.90", "quantity": "10", "per_member_limit": "2",
            "starts_at": _local(timedelta(minutes=-5)), "ends_at": _local(timedelta(hours=2))}
    form.update(kw)
    return form


def _campaign_form(product, **kw):
    form = {"product_id": str(product), "price": "29.90", "group_size": "3", "time_limit_hours": "24",
            "stock": "20", "virtual_fill_percent": ""}
    form.update(kw)
    return form


def _api_list(t, path):
    return t.client.get(f"/api/v1{path}", headers=t.op).json()["items"]


def _cards(page):
    """The figure cards of a page: card id -> the value shown."""
    return dict(re.findall(r'<div class="card" id="([\w-]+)">\s*<div class="card-label">[^<]*</div>\s*'
                           r'<div class="card-value">([^<]*)</div>', page))


def _operator(t):
    return Principal(1, t.tenant_id, t.slug, "operator")


@pytest.mark.parametrize(("text", "expected"), [
    ("9.90", 990), ("9.9", 990), ("9", 900), ("0.01", 1), ("¥12.34", 1234), (" 1999.99 ", 199999),
    ("0.1", 10), ("1234567.89", 123456789),
])
def test_money_is_parsed_exactly(text, expected):
    errors = FormErrors()
    assert fen(errors, "price", text, "价格") == expected and not errors


@pytest.mark.parametrize("text", ["abc", "-1", "0", "0.00", "1.234", "9.9.9", "1e3", "１２", "", "12,5", "nan",
                                  "inf", "99999999999"])
def test_bad_money_is_refused(text):
    errors = FormErrors()
    fen(errors, "price", text, "价格")
    assert errors.fields.get("price", "").startswith("价格")


def test_create_flash_sale_through_the_form(make):
    t = make.tenant()
    product = t.product(name="阳光玫瑰葡萄", price_fen=2990, stock=50)
    _login(t)
    page = t.client.get("/console/flash-sales")
    assert page.status_code == 200 and 'aria-current="page">秒杀<' in page.text
    assert f'<option value="{product["id"]}">阳光玫瑰葡萄（¥29.90，库存 50）</option>' in page.text
    assert "还没有秒杀活动" in page.text and 'type="datetime-local"' in page.text
    form = _sale_form(product["id"], price="9.90", starts_at="2031-05-01T10:00", ends_at="2031-05-01T12:30")
    r = t.client.post("/console/flash-sales", data=form, follow_redirects=False)
    assert r.status_code == 303
    sale_id = int(re.fullmatch(r"/console/flash-sales/(\d+)", r.headers["location"]).group(1))
    (sale,) = _api_list(t, "/flash-sales")
    assert sale["id"] == sale_id and sale["price_fen"] == 990 and sale["quantity"] == 10
    assert sale["per_member_limit"] == 2 and sale["status"] == "scheduled"
    # the form's times are Beijing time
    assert sale["starts_at"] == "2031-05-01T10:00:00+08:00" and sale["ends_at"] == "2031-05-01T12:30:00+08:00"
    listing = t.client.get("/console/flash-sales").text
    assert f"#{sale_id}" in listing and "阳光玫瑰葡萄" in listing and "0 / 10" in listing and "未开始" in listing


@pytest.mark.parametrize(("field", "value", "message"), [
    ("price", "abc", "秒杀价请填写金额"),
    ("price", "-1", "秒杀价请填写金额"),
    ("price", "0", "秒杀价必须大于 0"),
    ("price", "9.999", "最多两位小数"),
    ("quantity", "abc", "秒杀数量请填写"),
    ("quantity", "-1", "秒杀数量请填写"),
    ("quantity", "0", "秒杀数量请填写"),
    ("per_member_limit", "1001", "每人限购请填写"),
    ("product_id", "", "请选择商品"),
    ("starts_at", "明天", "开始时间请选择日期和时间"),
    ("ends_at", "2020-02-30T10:00", "结束时间不是有效的日期时间"),
])
def test_flash_sale_form_refuses_bad_input_in_chinese(make, field, value, message):
    t = make.tenant()
    product = t.product(stock=50)
    _login(t)
    r = t.client.post("/console/flash-sales", data=_sale_form(product["id"], **{field: value}))
    assert r.status_code == 422 and message in r.text and "请修改标红的内容后再提交" in r.text
    assert 'class="field has-error"' in r.text and (not value or f'value="{value}"' in r.text)
    assert _api_list(t, "/flash-sales") == []
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 50


def test_flash_sale_form_checks_the_window_and_the_stock(make):
    t = make.tenant()
    product = t.product(stock=5)
    _login(t)
    r = t.client.post("/console/flash-sales", data=_sale_form(product["id"], starts_at="2031-05-01T12:00",
                                                               ends_at="2031-05-01T11:00"))
    assert r.status_code == 422 and "结束时间必须晚于开始时间" in r.text
    r = t.client.post("/console/flash-sales", data=_sale_form(product["id"], quantity="6"))
    assert r.status_code == 422 and "商品库存不足，无法为秒杀预留 6 件" in r.text
    r = t.client.post("/console/flash-sales", data=_sale_form(999999))
    assert r.status_code == 422 and "商品不存在" in r.text
    assert _api_list(t, "/flash-sales") == []


def test_flash_sale_detail_shows_the_figures(make):
    t = make.tenant()
    product = t.product(name="阳光玫瑰葡萄", price_fen=2990, stock=50)
    _login(t)
    r = t.client.post("/console/flash-sales", data=_sale_form(product["id"], quantity="5", per_member_limit="1"),
                      follow_redirects=False)
    sale_id = int(r.headers["location"].rsplit("/", 1)[1])
    hs = t.members(3)
    orders = [t.post(f"/flash-sales/{sale_id}/purchase", {"quantity": 1}, h)["order_id"] for h in hs]
    for h, o in zip(hs[:2], orders[:2], strict=True):
        t.post(f"/orders/{o}/pay", None, h, expect=200)
    t.post(f"/orders/{orders[1]}/refund", {"reason": "坏果"}, expect=200)  # GMV nets out the refund
    run_due(t.db, DUE_JOBS, build_registry())  # the refunded unit goes back to the sale

    with t.db.unit_of_work() as s:
        f = flash_reports.figures(s, _operator(t), sale_id)
    assert (f.sale.quantity, f.sale.sold, f.sale.remaining) == (5, 2, 3)  # the refunded unit came back
    assert f.orders_by_status == {"paid": 1, "refunded": 1, "pending_payment": 1}
    assert (f.orders, f.paid_orders, f.paid_gmv_fen, f.conversion_permille) == (3, 2, 990, 667)

    page = t.client.get(f"/console/flash-sales/{sale_id}").text
    assert _cards(page) == {"fig-quantity": "5", "fig-sold": "2", "fig-remaining": "3", "fig-sell-through": "40.0%",
                            "fig-orders": "3", "fig-paid": "2", "fig-conversion": "66.7%", "fig-gmv": "¥9.90"}
    rows = dict(re.findall(r'data-status="(\w+)">.*?<td class="num">(\d+)</td>', page, re.S))
    assert rows == {"pending_payment": "1", "paid": "1", "awaiting_group": "0", "cancelled": "0", "refunded": "1",
                    "picked_up": "0"}
    assert "阳光玫瑰葡萄" in page and "¥29.90" in page and "进行中" in page
    missing = t.client.get("/console/flash-sales/999999")
    assert missing.status_code == 404 and "不存在" in missing.text
    assert t.client.get("/console/flash-sales/abc").status_code == 404


def test_create_group_buy_through_the_form(make):
    t = make.tenant()
    product = t.product(name="五常大米", price_fen=6990, stock=50)
    _login(t)
    page = t.client.get("/console/group-buys")
    assert page.status_code == 200 and 'aria-current="page">拼团<' in page.text and "还没有拼团活动" in page.text
    r = t.client.post("/console/group-buys", data=_campaign_form(product["id"], price="49.90"),
                      follow_redirects=False)
    assert r.status_code == 303
    r = t.client.post("/console/group-buys", data=_campaign_form(product["id"], price="9.9", group_size="5",
                                                                 virtual_fill_percent="60"), follow_redirects=False)
    assert r.status_code == 303
    second, first = _api_list(t, "/group-buys")
    assert (first["price_fen"], first["group_size"], first["time_limit_hours"], first["stock"]) == (4990, 3, 24, 20)
    assert first["virtual_fill_percent"] is None
    assert (second["price_fen"], second["group_size"], second["virtual_fill_percent"]) == (990, 5, 60)
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 10
    listing = t.client.get("/console/group-buys").text
    assert "五常大米" in listing and "¥49.90" in listing and "60%" in listing and "0 / 20" in listing


@pytest.mark.parametrize(("field", "value", "message"), [
    ("price", "abc", "拼团价请填写金额"),
    ("price", "-1", "拼团价请填写金额"),
    ("group_size", "1", "成团人数请填写 2–1000 之间的整数"),
    ("group_size", "abc", "成团人数请填写"),
    ("time_limit_hours", "-1", "成团时限（小时）请填写"),
    ("stock", "0", "拼团库存请填写"),
    ("virtual_fill_percent", "101", "虚拟成团比例请填写 1–100 之间的整数"),
    ("virtual_fill_percent", "abc", "虚拟成团比例请填写"),
])
def test_group_buy_form_refuses_bad_input_in_chinese(make, field, value, message):
    t = make.tenant()
    product = t.product(stock=50, price_fen=3990)  # the form's group price (29.90) is below list
    _login(t)
    r = t.client.post("/console/group-buys", data=_campaign_form(product["id"], **{field: value}))
    assert r.status_code == 422 and message in r.text and f'value="{value}"' in r.text
    assert _api_list(t, "/group-buys") == []
    r = t.client.post("/console/group-buys", data=_campaign_form(product["id"], stock="51"))
    assert r.status_code == 422 and "商品库存不足，无法为拼团预留 51 件" in r.text
    assert _api_list(t, "/group-buys") == []
    r = t.client.post("/console/group-buys", data=_campaign_form(product["id"], price="39.90"))
    assert r.status_code == 422 and "拼团价必须低于商品原价" in r.text
    assert _api_list(t, "/group-buys") == []


def test_group_buy_detail_shows_figures_progress_map_and_closes(make):
    t = make.tenant()
    east = t.community(name="翠苑一区", lat=30.283, lng=120.128)["id"]
    west = t.community(name="文鼎苑", lat=30.296, lng=120.101)["id"]
    product = t.product(name="五常大米", price_fen=6990, stock=50)
    _login(t)
    r = t.client.post("/console/group-buys", data=_campaign_form(product["id"], group_size="2"),
                      follow_redirects=False)
    campaign_id = int(r.headers["location"].rsplit("/", 1)[1])
    e1, e2 = t.members(2, community_id=east)
    w1, w2 = t.members(2, community_id=west)
    won = t.post(f"/group-buys/{campaign_id}/groups", None, e1)
    joined = t.post(f"/groups/{won['group_id']}/join", None, e2)
    for h, o in ((e1, won["order_id"]), (e2, joined["order_id"])):
        t.post(f"/orders/{o}/pay", None, h, expect=200)
    lost = t.post(f"/group-buys/{campaign_id}/groups", None, w1)
    t.post(f"/orders/{lost['order_id']}/pay", None, w1, expect=200)
    run_due(t.db, DUE_JOBS, build_registry())  # the full, paid group succeeds
    later = clock.now() + timedelta(hours=25)
    run_due(t.db, DUE_JOBS, build_registry(), later)  # the short one fails at its deadline and is refunded
    run_due(t.db, DUE_JOBS, build_registry(), later + timedelta(minutes=1))
    t.post(f"/group-buys/{campaign_id}/groups", None, w2)  # open, unpaid

    with t.db.unit_of_work() as s:
        f = group_reports.figures(s, _operator(t), campaign_id)
    assert (f.groups_open, f.groups_succeeded, f.groups_failed, f.success_permille) == (1, 1, 1, 500)
    assert (f.seats_paid, f.paid_orders, f.paid_gmv_fen) == (2, 3, 2 * 2990)  # the failed seat was refunded

    page = t.client.get(f"/console/group-buys/{campaign_id}").text
    assert _cards(page) == {"fig-open": "1", "fig-succeeded": "1", "fig-failed": "1", "fig-rate": "50.0%",
                            "fig-seats": "2", "fig-gmv": "¥59.80"}
    data = json.loads(re.search(r'<script type="application/json" id="progress-data">(.*?)</script>', page,
                                re.S).group(1))
    # live seats only: the winners in 翠苑一区, the new starter in 文鼎苑
    assert data["points"] == [[120.128, 30.283, 2, "翠苑一区"], [120.101, 30.296, 1, "文鼎苑"]]
    assert (data["open_groups"], data["members"]) == (1, 2 + 1)
    assert 'id="progress-chart"' in page and "/static/campaigns.js" in page and "echarts.min.js" in page
    assert "结束活动" in page and "¥29.90" in page and "¥69.90" in page
    live = t.client.get(f"/console/group-buys/{campaign_id}/progress")
    assert live.status_code == 200 and live.json() == data and live.headers["cache-control"] == "no-store"

    r = t.client.post(f"/console/group-buys/{campaign_id}/close", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/console/group-buys/{campaign_id}"
    closed = t.client.get(f"/console/group-buys/{campaign_id}").text
    assert "已结束" in closed and "结束活动" not in closed
    assert t.client.get(f"/api/v1/group-buys/{campaign_id}", headers=t.op).json()["status"] == "closed"
    assert t.client.get("/console/group-buys/999999").status_code == 404
    assert t.client.get("/console/group-buys/999999/progress").status_code == 404


def test_campaign_pages_need_an_operator(make):
    t = make.tenant()
    for path in ("/console/flash-sales", "/console/group-buys", "/console/flash-sales/1", "/console/group-buys/1",
                 "/console/group-buys/1/progress"):
        r = t.client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), path
    r = t.client.post("/console/flash-sales", data={"price": "1"}, follow_redirects=False)
    assert r.status_code == 303
    assert t.client.post("/console/group-buys/1/close", follow_redirects=False).status_code == 303


def test_reports_are_for_operators(make):
    from linli.core.errors import Forbidden

    t = make.tenant()
    member = Principal(1, t.tenant_id, t.slug, "member", member_id=1)
    with t.db.unit_of_work() as s, pytest.raises(Forbidden):
        flash_reports.figures(s, member, 1)
    with t.db.unit_of_work() as s, pytest.raises(Forbidden):
        group_reports.figures(s, member, 1)


# --- one desktop run in a real browser -------------------------------------------------------------------

@pytest.fixture
def campaign_server(tmp_path):
    with running_server(tmp_path) as (base, url):
        yield base, seed_campaigns(base, url)


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_group_buy_progress_map_in_a_real_browser(campaign_server):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    base, ids = campaign_server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1360, "height": 860}, locale="zh-CN")
            page.goto(f"{base}/console/login")
            page.fill("input[name=tenant]", "browser")
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(f"{base}/console")
            page.click("nav >> text=拼团")
            expect(page).to_have_url(f"{base}/console/group-buys")
            page.click(f"#group-buys-table >> text=#{ids['group_buy_id']}")
            expect(page).to_have_url(f"{base}/console/group-buys/{ids['group_buy_id']}")
            expect(page.locator("#fig-open .card-value")).to_have_text("2")
            expect(page.locator("#progress-chart canvas").first).to_be_attached()
            expect(page.locator("#progress-chart[data-rendered]")).to_be_attached()
            expect(page.locator("#community-heat tbody tr")).to_have_count(2)
            if os.environ.get("LINLI_CAMPAIGN_SCREENSHOT"):
                page.wait_for_timeout(400)
                page.screenshot(path=os.environ["LINLI_CAMPAIGN_SCREENSHOT"], full_page=True)
            page.once("dialog", lambda d: d.accept())
            page.click("#close-campaign")
            expect(page.locator(".panel-head .badge")).to_have_text("已结束")
        finally:
            browser.close()


MARKUP = '<img src=x onerror="window.__pwned = 1">翠苑<b>一区</b>'


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_progress_map_tooltip_shows_a_community_name_with_markup_as_text(tmp_path):
    """The map's tooltip is HTML: a community named with markup must show that markup as text, never run it."""
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            cid = api.call("/communities", {"name": MARKUP, "address": "文三路1号", "lat": 30.283, "lng": 120.128},
                           op, 201)["id"]
            api.call("/pickup-points", {"community_id": cid, "name": "便利店", "kind": "store", "lat": 30.283,
                                        "lng": 120.128}, op, 201)
            rice = api.call("/products", {"name": "五常大米", "price_fen": 6990, "stock": 10, "category": "粮油"},
                            op, 201)
            campaign = api.call("/group-buys", {"product_id": rice["id"], "price_fen": 4990, "group_size": 3,
                                                "time_limit_hours": 24, "stock": 6}, op, 201)
            api.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王小明",
                                  "phone": "13800001234", "community_id": cid}, op, 201)
            api.call(f"/group-buys/{campaign['id']}/groups", None, api.token("resident1"), 201)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1360, "height": 860}, locale="zh-CN")
                page.goto(f"{base}/console/login")
                page.fill("input[name=tenant]", "browser")
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                expect(page).to_have_url(f"{base}/console")
                page.goto(f"{base}/console/group-buys/{campaign['id']}")
                expect(page.locator("#progress-chart[data-rendered]")).to_be_attached()
                page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('progress-chart'))
                                   .dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0})""")
                tip = page.locator("#progress-chart div", has_text="参团 1 人").last
                expect(tip).to_be_visible()
                expect(tip).to_contain_text(MARKUP)  # the markup, as text
                assert page.locator("#progress-chart img, #progress-chart b").count() == 0
                page.wait_for_timeout(300)  # an image that failed to load would have run its onerror by now
                assert page.evaluate("() => window.__pwned") is None
            finally:
                browser.close()
