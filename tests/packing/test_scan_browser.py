"""The one real-browser test of packing: a leader opens /w/scan, uploads a photo (PNG) of the member's pickup QR
code through the file input, the page decodes it with jsQR and the order is handed out."""

from __future__ import annotations

import re

import httpx

from tests.factories import PASSWORD
from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Api,
    create_tenant,
    leader_with_point,
    need_chromium,
    running_server,
)


def _seed(base: str, url: str) -> dict:
    """Tenant "browser": leader "leader_li" with a pickup point, and resident1's paid order there."""
    tenant_id = create_tenant(url)
    with Api(base) as api:
        op = api.token("admin")
        shop = leader_with_point(url, tenant_id, api, op, "leader_li", "李团长", "13900000002")
        cid = shop.community_id
        product = api.call("/products", {"name": "土鸡蛋", "price_fen": 1990, "stock": 100,
                                         "category": "禽蛋", "unit": "盒"}, op, 201)
        api.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王小明",
                              "phone": "13800001234", "community_id": cid}, op, 201)
        member = api.token("resident1")
        order = api.call("/orders", {"items": [{"product_id": product["id"], "quantity": 2}],
                                     "pickup_point_id": shop.point_id}, member, 201)
        api.call(f"/orders/{order['id']}/pay", None, member, 200)
    # the picture the member's order page shows
    png = httpx.get(f"{base}/m/orders/{order['id']}/pickup-qr.png", cookies={"linli_member": member}, timeout=30)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    return {"order_id": order["id"], "png": png.content, "member": member}


def test_leader_scans_an_uploaded_qr_photo(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        seeded = _seed(base, url)
        photo = tmp_path / "pickup-qr.png"
        photo.write_bytes(seeded["png"])
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                                        locale="zh-CN")
                page.goto(f"{base}/w/scan")
                expect(page).to_have_url(re.compile(r"/w/login"))
                page.fill("input[name=tenant]", "browser")
                page.fill("input[name=username]", "leader_li")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.goto(f"{base}/w/scan")
                expect(page.locator("#scan-start")).to_have_text("打开摄像头扫码")
                page.set_input_files("#scan-photo", str(photo))
                expect(page.locator("#scan-done")).to_contain_text(f"订单 #{seeded['order_id']} 已核销")
                expect(page.locator("#scan-done")).to_contain_text("138****1234")
            finally:
                browser.close()
        with Api(base) as api:
            r = api.http.get(f"/orders/{seeded['order_id']}", headers={"Authorization": f"Bearer {seeded['member']}"})
            assert r.json()["status"] == "picked_up"
