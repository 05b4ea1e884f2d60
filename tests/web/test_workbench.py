"""The leader workbench (团长作战室) under /w: login, the dashboard, orders and pickup verification,
share materials and the poster PNG, the activity calendar — and who is kept out."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from PIL import Image

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.leader import service as leaders
from linli.web.workbench import poster
from tests.client import Client
from tests.factories import PASSWORD, SAME_ORIGIN
from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Api,
    create_tenant,
    leader_with_point,
    need_chromium,
    running_server,
)

COOKIE = "linli_leader"


def _phone(t, headers, cookie=COOKIE, path="/w") -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set(cookie, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path=path)
    return c


def _paid_order(t, mh, product_id, point_id, qty=1):
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": qty}], "pickup_point_id": point_id}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    return order, code


def _status(t, order_id):
    return t.client.get(f"/api/v1/orders/{order_id}", headers=t.op).json()["status"]


def test_leader_logs_in_with_the_form_and_members_are_refused(make):
    t = make.tenant()
    with t.db.unit_of_work() as s:
        leaders.create(s, t.tenant_id, "wb_leader", PASSWORD, "王团长", "13900000001", t.default_community())
    t.post("/members", {"username": "wb_member", "password": PASSWORD, "name": "李居民", "phone": "13800009999",
                        "community_id": t.default_community()})
    c = Client(t.client.app, headers=SAME_ORIGIN)
    assert c.get("/w", follow_redirects=False).headers["location"] == "/w/login"
    r = c.post("/w/login", data={"tenant": t.slug, "username": "wb_member", "password": PASSWORD})
    assert r.status_code == 403 and "不是团长账号" in r.text
    r = c.post("/w/login", data={"tenant": t.slug, "username": "wb_leader", "password": "wrong-one"})
    assert r.status_code == 401 and "密码错误" in r.text
    r = c.post("/w/login", data={"tenant": t.slug, "username": "wb_leader", "password": PASSWORD},
               follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/w"
    assert "团长作战室" in c.get("/w").text


def test_member_and_operator_tokens_do_not_open_the_workbench(make):
    t = make.tenant()
    _, mh = t.member()
    for headers in (mh, t.op):
        r = _phone(t, headers).get("/w/orders", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/w/login")


def test_dashboard_counts_paid_orders_at_my_point_per_period(make):
    t = make.tenant()
    _, point_id, lh = t.leader()
    _, _, other_h = t.leader()
    product = t.product(price_fen=1250)
    _, mh = t.member()
    _paid_order(t, mh, product["id"], point_id, qty=2)
    c = _phone(t, lh)
    for period in ("today", "7d", "month"):
        html = c.get(f"/w?period={period}").text
        assert "¥25.00" in html and re.search(r'id="order-count">1<', html)
    assert re.search(r'id="order-count">0<', _phone(t, other_h).get("/w").text)


def test_orders_list_and_pickup_verification(make):
    t = make.tenant()
    _, point_id, lh = t.leader()
    product = t.product()
    _, mh = t.member()
    order, code = _paid_order(t, mh, product["id"], point_id)
    c = _phone(t, lh)
    html = c.get("/w/orders").text
    assert f'id="order-{order["id"]}"' in html and "提货核销" in html

    wrong = "000000" if code != "000000" else "111111"
    r = c.post("/w/orders/verify", data={"order_id": str(order["id"]), "code": wrong})
    assert r.status_code == 409 and "提货码不正确" in r.text
    assert _status(t, order["id"]) == "paid"
    r = c.post("/w/orders/verify", data={"order_id": str(order["id"]), "code": "12"})
    assert r.status_code == 422 and "6 位提货码" in r.text
    r = c.post("/w/orders/verify", data={"order_id": str(order["id"]), "code": code}, follow_redirects=False)
    assert r.status_code == 303
    assert "提货成功" in c.get(r.headers["location"]).text
    assert _status(t, order["id"]) == "picked_up"
    r = c.post("/w/orders/verify", data={"order_id": str(order["id"]), "code": code})
    assert r.status_code == 409 and "不能提货" in r.text


def test_wrong_codes_count_towards_the_api_throttle(make):
    t = make.tenant()
    _, point_id, lh = t.leader()
    product = t.product()
    _, mh = t.member()
    order, code = _paid_order(t, mh, product["id"], point_id)
    wrong = "000000" if code != "000000" else "111111"
    c = _phone(t, lh)
    for _ in range(5):
        assert c.post("/w/orders/verify", data={"order_id": str(order["id"]), "code": wrong}).status_code == 409
    r = c.post("/w/orders/verify", data={"order_id": str(order["id"]), "code": code})
    assert r.status_code == 429 and "次数过多" in r.text
    r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": code}, headers=lh)
    assert r.status_code == 429
    assert _status(t, order["id"]) == "paid"


def test_another_leaders_order_is_not_found(make):
    t = make.tenant()
    _, point_id, _ = t.leader()
    _, _, other_h = t.leader()
    product = t.product()
    _, mh = t.member()
    order, code = _paid_order(t, mh, product["id"], point_id)
    c = _phone(t, other_h)
    assert f'id="order-{order["id"]}"' not in c.get("/w/orders?status=all").text
    r = c.post("/w/orders/verify", data={"order_id": str(order["id"]), "code": code})
    assert r.status_code == 404 and "没有找到该订单" in r.text
    assert _status(t, order["id"]) == "paid"


def test_materials_have_share_text_and_a_poster_png(make, monkeypatch):
    t = make.tenant()
    leader_id, _, lh = t.leader()
    product = t.product(price_fen=1880, name="丹东草莓 500g")
    c = _phone(t, lh)
    html = c.get("/w/materials").text
    assert "丹东草莓 500g" in html and "¥18.80" in html and "一键复制" in html
    # the share link opens the product's page and carries the leader (attribution)
    link = f"http://testserver/m/products/{product['id']}?leader={leader_id}"
    assert link in html
    encoded = []
    real_qr = poster.qr_image
    monkeypatch.setattr(poster, "qr_image", lambda url, size: encoded.append(url) or real_qr(url, size))
    r = c.get(f"/w/materials/{product['id']}/poster.png")
    assert encoded == [link]  # the poster's QR code opens the same page
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    img = Image.open(io.BytesIO(r.content))
    img.load()
    assert img.format == "PNG" and img.size == (poster.WIDTH, poster.HEIGHT)
    colours = img.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20  # a drawn poster, not a blank sheet
    assert c.get("/w/materials/999999/poster.png").status_code == 404
    assert c.get("/w/materials/abc/poster.png").status_code == 404


def test_calendar_lists_upcoming_flash_sales_and_running_group_buys(make):
    t = make.tenant()
    _, _, lh = t.leader()
    sale_product = t.product(name="秒杀鸡蛋")
    group_product = t.product(name="拼团大米")
    start = clock.now() + timedelta(days=1)
    t.post("/flash-sales", {"product_id": sale_product["id"], "price_fen": 500, "quantity": 10,
                            "per_member_limit": 1, "starts_at": start.isoformat(),
                            "ends_at": (start + timedelta(hours=2)).isoformat()})
    t.post("/group-buys", {"product_id": group_product["id"], "price_fen": 800, "group_size": 3,
                           "time_limit_hours": 24, "stock": 30})
    html = _phone(t, lh).get("/w/calendar").text
    assert "秒杀鸡蛋" in html and "拼团大米" in html and "未开始" in html and "3 人成团" in html


def _seed_leader_shop(base: str, url: str) -> dict:
    """Tenant "browser": leader "leader_wang" with a pickup point, a product, and a paid order there."""
    tenant_id = create_tenant(url)
    with Api(base) as api:
        op = api.token("admin")
        shop = leader_with_point(url, tenant_id, api, op, "leader_wang", "王团长", "13900000001")
        cid = shop.community_id
        product = api.call("/products", {"name": "阳光玫瑰葡萄", "price_fen": 2990, "stock": 100,
                                         "category": "新鲜水果", "unit": "盒"}, op, 201)
        api.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王小明",
                              "phone": "13800001234", "community_id": cid}, op, 201)
        mt = api.token("resident1")
        order = api.call("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                                     "pickup_point_id": shop.point_id}, mt, 201)
        api.call(f"/orders/{order['id']}/pay", None, mt, 200)
        code = api.http.get(f"/orders/{order['id']}", headers={"Authorization": f"Bearer {mt}"}).json()["pickup_code"]
    return {"order_id": order["id"], "code": code, "product_id": product["id"]}


def test_workbench_on_a_phone(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        ids = _seed_leader_shop(base, url)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=2,
                                        is_mobile=True, has_touch=True, locale="zh-CN")
                page.goto(f"{base}/w")
                expect(page).to_have_url(re.compile(r"/w/login"))
                page.fill("input[name=tenant]", "browser")
                page.fill("input[name=username]", "leader_wang")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                expect(page).to_have_url(f"{base}/w")
                expect(page.locator("#gmv")).to_have_text("¥29.90")
                expect(page.locator("#order-count")).to_have_text("1")
                assert page.evaluate("document.documentElement.scrollWidth") <= 375

                page.click("a.tab[href='/w/orders']")
                page.fill("input[name=order_id]", str(ids["order_id"]))
                page.fill("input[name=code]", ids["code"])
                page.click("#verify button[type=submit]")
                expect(page.locator(".notice")).to_contain_text("提货成功")
                expect(page.locator(f"#order-{ids['order_id']} .status")).to_have_text("已提货")

                page.click("a.tab[href='/w/materials']")
                expect(page.locator(f"#material-{ids['product_id']}")).to_contain_text("阳光玫瑰葡萄")
                with page.expect_response(re.compile(r"/poster\.png$")) as answer:
                    page.click(f"#material-{ids['product_id']} a[href$='poster.png']")
                response = answer.value
                assert response.status == 200 and response.headers["content-type"] == "image/png"
                img = Image.open(io.BytesIO(response.body()))
                img.load()
                assert img.size == (poster.WIDTH, poster.HEIGHT)
            finally:
                browser.close()


def test_commission_page_and_withdrawal_form_refusals(make):
    t = make.tenant()
    _, _, lh = t.leader()
    c = _phone(t, lh)
    html = c.get("/w/commission").text
    assert "可提现" in html and "对账单" in html and "佣金" in html
    r = c.post("/w/commission/withdrawals", data={"amount": "abc"})
    assert r.status_code == 422 and "请填写正确的提现金额" in r.text
    r = c.post("/w/commission/withdrawals", data={"amount": "10.00"})
    assert r.status_code == 409 and "可提现余额不足" in r.text
    assert t.client.get("/api/v1/withdrawals", headers=lh).json()["items"] == []  # nothing written


def test_assessments_page_and_unknown_help_task(make):
    t = make.tenant()
    _, _, lh = t.leader()
    c = _phone(t, lh)
    html = c.get("/w/assessments").text
    assert "月度考核" in html and "还没有考核记录" in html and "帮扶任务" in html
    r = c.post("/w/assessments/tasks/999999/done")
    assert r.status_code == 404 and "没有找到该帮扶任务" in r.text


def test_members_page_lists_my_community_with_stage_and_last_order(make):
    t = make.tenant()
    mine = t.community()["id"]
    _, point_id, lh = t.leader(mine)
    elsewhere = t.community()["id"]
    buyer, bh = t.member(mine)
    quiet, _ = t.member(mine)
    stranger, _ = t.member(elsewhere)
    product = t.product(price_fen=800)
    _paid_order(t, bh, product["id"], point_id)
    run_due(t.db, [], build_registry())  # order.paid → the buyer's last order and stage
    html = _phone(t, lh).get("/w/members").text
    rows = dict(re.findall(r'data-member="(\d+)">(.*?)</li>', html, re.S))
    assert set(rows) == {str(buyer["id"]), str(quiet["id"])}  # my community only
    assert "最近下单" in rows[str(buyer["id"])] and "新用户" in rows[str(buyer["id"])]
    assert "还没有下过单" in rows[str(quiet["id"])]
    assert f'tel:{buyer["phone"]}' in rows[str(buyer["id"])]
    found = _phone(t, lh).get("/w/members", params={"q": quiet["name"]}).text
    assert re.findall(r'data-member="(\d+)"', found) == [str(quiet["id"])]
    assert str(stranger["id"]) not in re.findall(r'data-member="(\d+)"', html)


def test_a_member_who_became_a_leader_signs_in_to_the_workbench_with_their_member_account(make):
    t = make.tenant()
    cid = t.default_community()
    member, mh = t.member()
    body = {"community_id": cid, "pickup_kind": "leader_home", "address": "3幢101", "lat": 30.28, "lng": 120.12,
            "intro": "热心居民", "real_name": "王芳", "id_number": "11010519491231002X", "leader_type": "social"}
    form = {"tenant": t.slug, "username": member["username"], "password": PASSWORD}
    c = Client(t.client.app, headers=SAME_ORIGIN)
    not_yet = c.post("/w/login", data=form, follow_redirects=False)
    assert not_yet.status_code == 403 and "不是团长账号" in not_yet.text
    app = t.post("/leader-applications", body, mh)
    t.post(f"/leader-applications/{app['id']}/approve", None, t.op, expect=200)
    r = c.post("/w/login", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/w"
    assert "团长作战室" in c.get("/w").text
