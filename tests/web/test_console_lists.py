"""The console lists' shared mechanism (web/console/listing.py): filters change the counts and sums, pages are
numbered, CSV and Excel exports parse back to the filtered rows; the home page counts real to-dos and ranks this
month's sales."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.schedule import DUE_JOBS
from tests.factories import PASSWORD
from tests.leader.test_applications import _apply_body
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server


def _login(t):
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303


def _total(html: str) -> int:
    found = re.search(r'class="list-total">共 <strong>(\d+)</strong> 条', html)
    assert found, "the list shows its total"
    return int(found.group(1))


def _order_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<a class="id-link" href="/console/orders/(\d+)"', html)]


def _order(t, product_id, point_id, headers, qty=1, pay=True):
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": qty}], "pickup_point_id": point_id},
                   headers)
    if pay:
        t.post(f"/orders/{order['id']}/pay", None, headers, expect=200)
    return order


@pytest.fixture
def shop(make):
    """Two communities: A with a leader's point (3 paid orders) and a store (1 unpaid), B with a store (2 paid)."""
    t = make.tenant()
    a = t.community(name="翠苑一区")
    b = t.community(name="文鼎苑")
    leader_id, leader_point, _ = t.leader(a["id"])
    points = {p["community_id"]: p["id"] for p in t.client.get("/api/v1/pickup-points", headers=t.op).json()["items"]
              if p.get("leader_id") is None}
    product = t.product(stock=100, price_fen=1250, name="阳光玫瑰葡萄")
    _, ma = t.member(a["id"])
    _, mb = t.member(b["id"])
    at_leader = [_order(t, product["id"], leader_point, ma, qty) for qty in (1, 2, 3)]
    unpaid = _order(t, product["id"], points[a["id"]], ma, pay=False)
    at_b = [_order(t, product["id"], points[b["id"]], mb, qty) for qty in (1, 1)]
    _login(t)
    return t, {"a": a["id"], "b": b["id"], "leader": leader_id, "at_leader": at_leader, "unpaid": unpaid,
               "at_b": at_b}


def test_order_filters_change_the_count_and_the_sums(shop):
    t, s = shop
    everything = t.client.get("/console/orders").text
    assert _total(everything) == 6 and "应付合计" in everything
    in_a = t.client.get("/console/orders", params={"community": s["a"]}, headers={"HX-Request": "1"}).text
    assert _total(in_a) == 4 and "<html" not in in_a
    assert set(_order_ids(in_a)) == {o["id"] for o in s["at_leader"]} | {s["unpaid"]["id"]}
    assert "应付合计 <strong>¥87.50</strong>" in in_a  # (1 + 2 + 3 + 1) × 12.50
    by_leader = t.client.get("/console/orders", params={"leader": s["leader"]}).text
    assert _total(by_leader) == 3 and "应付合计 <strong>¥75.00</strong>" in by_leader
    paid_in_b = t.client.get("/console/orders", params={"community": s["b"], "status": "paid"}).text
    assert set(_order_ids(paid_in_b)) == {o["id"] for o in s["at_b"]}
    assert _total(t.client.get("/console/orders", params={"community": s["a"], "status": "paid"}).text) == 3

    today = clock.local(clock.now()).date()
    day = today.isoformat()
    assert _total(t.client.get("/console/orders", params={"start": day, "end": day}).text) == 6
    tomorrow = (today + timedelta(days=1)).isoformat()
    yesterday = (today - timedelta(days=1)).isoformat()
    assert _total(t.client.get("/console/orders", params={"start": tomorrow}).text) == 0
    assert _total(t.client.get("/console/orders", params={"end": yesterday}).text) == 0
    # by payment date the unpaid order is out
    assert _total(t.client.get("/console/orders", params={"start": day, "on": "paid"}).text) == 5
    # a malformed filter is left out rather than refused
    page = t.client.get("/console/orders", params={"community": "x", "start": "2025-13-40", "page": "abc"})
    assert page.status_code == 200 and _total(page.text) == 6
    # the filters are kept in the export links
    assert f"community={s['a']}" in in_a and "format=csv" in in_a and "format=xlsx" in in_a


def test_order_exports_parse_back_to_the_filtered_rows(shop):
    t, s = shop
    r = t.client.get("/console/orders", params={"community": s["a"], "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and ".csv" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[0] == "订单号" and "应付（元）" in header
    assert sorted(int(row[0]) for row in body) == sorted([o["id"] for o in s["at_leader"]] + [s["unpaid"]["id"]])
    payable = header.index("应付（元）")
    assert sum(Decimal(row[payable]) for row in body) == Decimal("87.50")
    assert any("阳光玫瑰葡萄×3" in cell for row in body for cell in row)
    assert {row[header.index("状态")] for row in body} == {"已支付", "待支付"}

    r = t.client.get("/console/orders", params={"leader": s["leader"], "format": "xlsx"})
    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    header, body = values[0], values[1:]
    assert header[0] == "订单号"
    assert sorted(row[0] for row in body) == sorted(o["id"] for o in s["at_leader"])
    payable = header.index("应付（元）")
    assert sum(Decimal(str(row[payable])) for row in body) == Decimal("75.00")  # numbers, not text
    assert all(row[header.index("下单时间")] is not None for row in body)


def test_member_pages_are_numbered_and_exports_match_the_filter(make):
    t = make.tenant()
    a = t.community(name="翠苑一区")["id"]
    b = t.community(name="文鼎苑")["id"]
    t.members(23, a)
    t.members(2, b)
    t.post("/members", {"username": f"{t.slug}-eq", "password": PASSWORD, "name": "=HYPERLINK(\"x\")",
                        "phone": "13800001111", "community_id": b})
    _login(t)
    first = t.client.get("/console/members", params={"community": a}).text
    second = t.client.get("/console/members", params={"community": a, "page": 2}).text
    ids = [re.findall(r'<a class="id-link" href="/console/members/(\d+)"', page) for page in (first, second)]
    assert len(ids[0]) == 20 and len(ids[1]) == 3 and not set(ids[0]) & set(ids[1])
    assert _total(first) == 23 and "第 1 页 / 共 2 页" in first and "第 2 页 / 共 2 页" in second
    assert f"community={a}&amp;page=2" in first or f"page=2&amp;community={a}" in first
    past_the_end = t.client.get("/console/members", params={"community": a, "page": 9}).text
    assert "第 2 页 / 共 2 页" in past_the_end
    assert _total(t.client.get("/console/members", params={"community": b}).text) == 3

    rows = list(csv.reader(io.StringIO(t.client.get("/console/members", params={"community": b, "format": "csv"})
                                       .content.decode("utf-8-sig"))))
    assert len(rows) == 4 and {row[4] for row in rows[1:]} == {"文鼎苑"}
    # a cell a spreadsheet would run as a formula is written as text
    assert "'=HYPERLINK(\"x\")" in [row[1] for row in rows]
    xlsx = t.client.get("/console/members", params={"community": a, "format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).active
    assert len(list(sheet.iter_rows(values_only=True))) == 24  # header + 23: every page of the filtered list


def test_other_lists_count_and_export(shop):
    t, s = shop
    for path, expected in (("/console/products", 1), ("/console/communities", 2), ("/console/leaders", 1),
                           ("/console/flash-sales", 0), ("/console/group-buys", 0), ("/console/coupons", 0),
                           ("/console/withdrawals?status=all", 0), ("/console/leader-applications?status=all", 0)):
        page = t.client.get(path)
        assert page.status_code == 200 and _total(page.text) == expected, path
        sep = "&" if "?" in path else "?"
        r = t.client.get(f"{path}{sep}format=xlsx")
        assert r.status_code == 200, path
        rows = list(load_workbook(io.BytesIO(r.content), read_only=True).active.iter_rows(values_only=True))
        assert len(rows) == expected + 1, path
    leaders = t.client.get("/console/leaders", params={"community": s["b"]}).text
    assert _total(leaders) == 0


def test_home_counts_real_to_dos_and_ranks_this_month(make):
    t = make.tenant()
    cid = t.default_community()
    leader_id, point_id, lh = t.leader(cid)
    product = t.product(price_fen=10000, name="五常大米")
    _, mh = t.member(cid)
    order = _order(t, product["id"], point_id, mh, 2)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    t.post(f"/orders/{order['id']}/pickup", {"code": code}, lh, expect=200)
    run_due(t.db, DUE_JOBS, build_registry())
    run_due(t.db, DUE_JOBS, build_registry(), clock.now() + timedelta(days=30, minutes=1))
    available = t.client.get("/api/v1/leader/commission", headers=lh).json()["available_fen"]
    t.post("/leader/withdrawals", {"amount_fen": available}, {**lh, "Idempotency-Key": "w1"})
    for name in ("王芳", "李强"):
        _, h = t.member(cid)
        t.post("/leader-applications", _apply_body(cid, real_name=name), h)
    _login(t)

    home = t.client.get("/console").text
    todo = {k: int(v) for k, v in re.findall(
        r'<li id="(todo-\w+)"[^>]*>.*?<strong class="todo-count">(\d+)</strong>', home, re.S)}
    # the month's run-due also evaluated the alerts: one stands open (the alert centre's own tests say which)
    assert todo == {"todo-applications": 2, "todo-withdrawals": 1, "todo-referrals": 0, "todo-alerts": 1}
    assert 'href="/console/leader-applications?status=pending"' in home
    assert 'href="/console/alerts?status=open"' in home
    assert 'href="/console/withdrawals?status=requested"' in home
    assert f"合计 ¥{available // 100}." in home

    leaders = home[home.index('id="rank-leaders"'):home.index('id="rank-communities"')]
    assert "¥200.00" in leaders and "团长" in leaders
    products = home[home.index('id="rank-products"'):]
    assert "五常大米" in products and "¥200.00" in products

    # deciding them empties the queues
    apps = t.client.get("/api/v1/leader-applications", headers=t.op).json()["items"]
    t.client.post(f"/console/leader-applications/{apps[0]['id']}/approve")
    home = t.client.get("/console").text
    assert re.search(r'id="todo-applications".*?<strong class="todo-count">1</strong>', home, re.S)


# --- one run in a real browser: page, filter and export a list ----------------------------------------------

@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_orders_list_pages_filters_and_exports_in_a_browser(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            cid = api.call("/communities", {"name": "翠苑一区", "address": "文三路1号", "lat": 30.28, "lng": 120.12},
                           op, 201)["id"]
            point = api.call("/pickup-points", {"community_id": cid, "name": "翠苑便利店", "kind": "store",
                                                "lat": 30.28, "lng": 120.12}, op, 201)["id"]
            product = api.call("/products", {"name": "阳光玫瑰葡萄", "price_fen": 1250, "stock": 100,
                                             "category": "新鲜水果"}, op, 201)
            api.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王小明",
                                  "phone": "13800001234", "community_id": cid}, op, 201)
            mt = api.token("resident1")
            for n in range(23):
                order = api.call("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                                             "pickup_point_id": point}, mt, 201)
                if n < 5:
                    api.call(f"/orders/{order['id']}/pay", None, mt, 200)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(accept_downloads=True, locale="zh-CN")
                page.goto(f"{base}/console/login")
                page.fill("input[name=tenant]", "browser")
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.goto(f"{base}/console/orders")
                expect(page.locator(".list-total")).to_contain_text("共 23 条")
                expect(page.locator(".pager-status")).to_have_text("第 1 页 / 共 2 页")
                expect(page.locator("#orders-table tbody tr")).to_have_count(20)
                page.click(".pager >> text=下一页")  # htmx swaps the results and pushes the URL
                expect(page.locator(".pager-status")).to_have_text("第 2 页 / 共 2 页")
                expect(page.locator("#orders-table tbody tr")).to_have_count(3)
                expect(page).to_have_url(re.compile(r"page=2"))
                page.select_option("select[name=status]", "paid")
                expect(page.locator(".list-total")).to_contain_text("共 5 条")
                expect(page.locator(".list-summary")).to_contain_text("应付合计 ¥62.50")
                with page.expect_download() as info:
                    page.click("text=导出 CSV")
                text = info.value.path().read_text(encoding="utf-8-sig")
                rows = list(csv.reader(io.StringIO(text)))
                assert len(rows) == 6 and {r[rows[0].index("状态")] for r in rows[1:]} == {"已支付"}
            finally:
                browser.close()
