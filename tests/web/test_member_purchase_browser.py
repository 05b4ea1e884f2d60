"""The whole purchase of a plain product in a real browser (issue 11): the leader's share link opens the product,
the member adds it to the cart, checks out at the leader's pickup point and pays; the leader signs in to the
workbench and hands it out by its pickup code; the operator refunds it in the console."""

from __future__ import annotations

import re

import pytest

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


def _seed(base: str, url: str) -> dict[str, int]:
    """Tenant "browser": 翠苑一区 with 王团长's pickup point, a product, and resident1 of that community."""
    tenant_id = create_tenant(url)
    with Api(base) as api:
        op = api.token("admin")
        shop = leader_with_point(url, tenant_id, api, op, "leader_wang", "王团长", "13900000001")
        cid = shop.community_id
        api.call("/pickup-points", {"community_id": cid, "name": "翠苑一区便利店", "kind": "store", "lat": 30.28,
                                    "lng": 120.12}, op, 201)
        product = api.call("/products", {"name": "阳光玫瑰葡萄", "price_fen": 2990, "stock": 100, "unit": "盒",
                                         "category": "新鲜水果", "description": "产地直发"}, op, 201)
        api.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王小明",
                              "phone": "13800001234", "community_id": cid}, op, 201)
    return {"leader_id": shop.leader_id, "point_id": shop.point_id, "product_id": product["id"]}


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_member_buys_leader_hands_out_operator_refunds(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        ids = _seed(base, url)
        shared = f"{base}/m/products/{ids['product_id']}?leader={ids['leader_id']}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                phone = browser.new_page(viewport={"width": 375, "height": 812}, device_scale_factor=2,
                                         is_mobile=True, has_touch=True, locale="zh-CN")
                phone.goto(shared)  # the link from the leader's group chat
                expect(phone).to_have_url(re.compile(r"/m/login"))
                phone.fill("input[name=tenant]", "browser")
                phone.fill("input[name=username]", "resident1")
                phone.fill("input[name=password]", PASSWORD)
                phone.click("button[type=submit]")
                expect(phone).to_have_url(shared)  # back to the product, the leader still in the link
                expect(phone.locator("#product-name")).to_contain_text("阳光玫瑰葡萄")
                expect(phone.locator("#price")).to_have_text("¥29.90")
                expect(phone.locator("#description")).to_have_text("产地直发")
                assert phone.evaluate("document.documentElement.scrollWidth") <= 375

                phone.fill("input[name=quantity]", "2")
                phone.click("#add-to-cart")
                expect(phone).to_have_url(f"{base}/m/cart")
                expect(phone.locator("#cart-total")).to_have_text("¥59.80")
                phone.click("#to-checkout")
                expect(phone).to_have_url(f"{base}/m/checkout")
                chosen = phone.locator("input[name=pickup_point_id]:checked")
                expect(chosen).to_have_value(str(ids["point_id"]))  # the sharing leader's point
                expect(phone.locator("#pickup-choice")).to_contain_text("王团长家")
                phone.click("#place-order")
                expect(phone).to_have_url(re.compile(r"/m/orders/\d+$"))
                order_id = phone.url.rsplit("/", 1)[1]
                expect(phone.locator("#order-status")).to_have_text("待支付")
                expect(phone.locator("#payable")).to_have_text("¥59.80")
                expect(phone.locator("#order-pickup-point")).to_contain_text("王团长家")
                phone.click("#pay")
                expect(phone.locator("#order-status")).to_have_text("已支付")
                code = phone.locator("#pickup-code").text_content()
                assert code and re.fullmatch(r"\d{6}", code)

                leader = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                                          locale="zh-CN")
                leader.goto(f"{base}/w")
                leader.fill("input[name=tenant]", "browser")
                leader.fill("input[name=username]", "leader_wang")
                leader.fill("input[name=password]", PASSWORD)
                leader.click("button[type=submit]")
                expect(leader).to_have_url(f"{base}/w")
                leader.click("a.tab[href='/w/orders']")
                leader.fill("input[name=order_id]", order_id)
                leader.fill("input[name=code]", code)
                leader.click("#verify button[type=submit]")
                expect(leader.locator(".notice")).to_contain_text("提货成功")
                expect(leader.locator(f"#order-{order_id} .status")).to_have_text("已提货")

                phone.reload()
                expect(phone.locator("#order-status")).to_have_text("已提货")
                phone.click("#rate")
                expect(phone.locator("#rating-done")).to_contain_text("★★★★★")

                console = browser.new_page(viewport={"width": 1360, "height": 860}, locale="zh-CN")
                console.goto(f"{base}/console")
                console.fill("input[name=tenant]", "browser")
                console.fill("input[name=username]", "admin")
                console.fill("input[name=password]", PASSWORD)
                console.click("button[type=submit]")
                expect(console).to_have_url(f"{base}/console")
                console.goto(f"{base}/console/orders/{order_id}")
                console.on("dialog", lambda dialog: dialog.accept())  # the refund asks to confirm
                console.fill("#refund-form input[name=reason]", "商品破损，客服全额退款")
                console.click("#refund-order")
                expect(console.locator("#done")).to_contain_text("¥59.80")

                phone.reload()
                expect(phone.locator("#order-status")).to_have_text("已退款")
            finally:
                browser.close()
