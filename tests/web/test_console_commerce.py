"""Console commerce pages: a product's create/edit page with its picture, stock adjustment and 上架/下架; the
flash sale's edit form and 结束; an order's cancel and refund — Chinese errors, nothing half done — and one run
in a real browser."""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest

from linli.core import clock
from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmM"
                       "IQAAAABJRU5ErkJggg==")


def _login(t):
    t.client.headers["Origin"] = "http://testserver"  # the console's forms are same-origin posts
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303


def _api(t, path):
    return t.client.get(f"/api/v1{path}", headers=t.op).json()


def _form_key(html):
    return re.search(r'name="form_key" value="([0-9a-f]{32})"', html).group(1)


def _product_form(**kw):
    form = {"name": "赣南脐橙 5斤", "price": "39.90", "stock": "12", "category": "新鲜水果", "unit": "箱",
            "description": "现摘现发", "is_fresh": "1"}
    form.update(kw)
    return form


def test_create_and_edit_a_product_in_the_console(make):
    t = make.tenant()
    t.product(category="粮油")  # an existing category is offered in the datalist
    _login(t)
    page = t.client.get("/console/products/new")
    assert page.status_code == 200 and "新建商品" in page.text and '<option value="粮油">' in page.text
    r = t.client.post("/console/products/new", data=_product_form(price="39.9x", name=""), follow_redirects=False)
    assert r.status_code == 422 and "请填写商品名称" in r.text and "价格请填写金额" in r.text
    r = t.client.post("/console/products/new", data=_product_form(), follow_redirects=False)
    assert r.status_code == 303
    product_id = int(re.fullmatch(r"/console/products/(\d+)\?done=created", r.headers["location"]).group(1))
    got = _api(t, f"/products/{product_id}")
    assert (got["name"], got["price_fen"], got["stock"], got["category"], got["unit"], got["is_fresh"]) == (
        "赣南脐橙 5斤", 3990, 12, "新鲜水果", "箱", True)
    page = t.client.get(r.headers["location"])
    assert "商品已创建" in page.text and 'value="39.90"' in page.text and "暂无图片" in page.text
    r = t.client.post(f"/console/products/{product_id}", data={
        "name": "赣南脐橙 10斤", "price": "69.00", "category": "当季鲜果", "unit": "箱", "description": ""},
        follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("?done=saved")
    got = _api(t, f"/products/{product_id}")
    assert (got["name"], got["price_fen"], got["category"], got["is_fresh"], got["stock"]) == (
        "赣南脐橙 10斤", 6900, "当季鲜果", False, 12)
    listing = t.client.get("/console/products").text
    assert 'href="/console/products/new"' in listing and f'href="/console/products/{product_id}"' in listing
    assert t.client.get("/console/products/999999").status_code == 404
    assert "不存在" in t.client.get("/console/products/abc").text


def test_picture_stock_and_shelf_in_the_console(make):
    t = make.tenant()
    product = t.product(stock=10)
    pid = product["id"]
    _login(t)
    r = t.client.post(f"/console/products/{pid}/image", files={"image": ("a.png", PNG, "image/png")},
                      follow_redirects=False)
    assert r.status_code == 303
    page = t.client.get(f"/console/products/{pid}").text
    image_url = _api(t, f"/products/{pid}")["image_url"]
    assert f'src="{image_url}"' in page and "图片已上传" not in page
    r = t.client.post(f"/console/products/{pid}/image", files={"image": ("a.png", b"MZ\x90\x00", "image/png")})
    assert r.status_code == 422 and "只能上传 JPEG、PNG、GIF 或 WebP 图片" in r.text
    assert _api(t, f"/products/{pid}")["image_url"] == image_url
    # stock: a signed adjustment with a reason; a second submit of the same form adjusts once
    key = _form_key(page)
    form = {"delta": "-4", "reason": "damage", "note": "冷库报损", "form_key": key}
    for _ in range(2):
        r = t.client.post(f"/console/products/{pid}/stock", data=form, follow_redirects=False)
        assert r.status_code == 303
    assert _api(t, f"/products/{pid}")["stock"] == 6
    page = t.client.get(f"/console/products/{pid}?done=stock").text
    assert "库存已调整" in page and "冷库报损" in page and "损耗报废" in page and "-4" in page
    r = t.client.post(f"/console/products/{pid}/stock", data={**form, "delta": "-7", "form_key": _form_key(page)})
    assert r.status_code == 422 and "库存不足" in r.text
    r = t.client.post(f"/console/products/{pid}/stock", data={**form, "delta": "1.5", "form_key": _form_key(page)})
    assert r.status_code == 422 and "请填写非 0 的整数" in r.text
    assert _api(t, f"/products/{pid}")["stock"] == 6
    # 下架: hidden from members, back on 上架
    r = t.client.post(f"/console/products/{pid}/shelf", data={"on_shelf": "0"}, follow_redirects=False)
    assert r.status_code == 303
    page = t.client.get(r.headers["location"]).text
    assert "已下架" in page and "商品已下架" in page and 'id="shelf-toggle">上架' in page
    _, mh = t.member()
    assert pid not in [p["id"] for p in t.client.get("/api/v1/products", headers=mh).json()["items"]]
    t.client.post(f"/console/products/{pid}/shelf", data={"on_shelf": "1"})
    assert _api(t, f"/products/{pid}")["is_active"] is True


def _local(delta):
    return clock.local(clock.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_flash_sale_price_edit_and_stop_in_the_console(make):
    t = make.tenant()
    product = t.product(stock=50, price_fen=2990)
    _login(t)
    form = {"product_id": str(product["id"]), "price": "29.90", "quantity": "10", "per_member_limit": "2",
            "starts_at": _local(timedelta(hours=1)), "ends_at": _local(timedelta(hours=2))}
    r = t.client.post("/console/flash-sales", data=form)
    assert r.status_code == 422 and "秒杀价必须低于商品原价" in r.text
    r = t.client.post("/console/flash-sales", data={**form, "price": "9.90"}, follow_redirects=False)
    assert r.status_code == 303
    sale_url = r.headers["location"]
    page = t.client.get(sale_url).text
    assert 'id="flash-sale-edit"' in page and 'value="9.90"' in page and 'id="stop-sale"' in page
    r = t.client.post(f"{sale_url}/edit", data={**form, "price": "30.00"})
    assert r.status_code == 422 and "秒杀价必须低于商品原价" in r.text
    r = t.client.post(f"{sale_url}/edit", data={**form, "price": "8.80", "quantity": "20"}, follow_redirects=False)
    assert r.status_code == 303
    sale_id = int(sale_url.rsplit("/", 1)[1])
    sale = _api(t, f"/flash-sales/{sale_id}")
    assert (sale["price_fen"], sale["quantity"]) == (880, 20) and _api(t, f"/products/{product['id']}")["stock"] == 30
    r = t.client.post(f"{sale_url}/stop", follow_redirects=False)
    assert r.status_code == 303
    page = t.client.get(r.headers["location"]).text
    assert "活动已结束" in page and "已退回商品库存" in page and 'id="stop-sale"' not in page
    assert 'id="flash-sale-edit"' not in page
    assert _api(t, f"/products/{product['id']}")["stock"] == 50
    r = t.client.post(f"{sale_url}/stop")
    assert r.status_code == 409 and "活动已结束" in r.text


def test_cancel_and_refund_an_order_in_the_console(make):
    t = make.tenant()
    product = t.product(stock=20, price_fen=1500)
    _, mh = t.member()
    unpaid = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 2}]}, mh)
    paid = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 3}]}, mh)
    t.post(f"/orders/{paid['id']}/pay", None, mh, expect=200)
    _login(t)
    page = t.client.get(f"/console/orders/{unpaid['id']}").text
    assert 'id="cancel-order"' in page and 'id="refund-order"' not in page and "data-confirm" in page
    r = t.client.post(f"/console/orders/{unpaid['id']}/cancel", data={"reason": "会员来电取消"},
                      follow_redirects=False)
    assert r.status_code == 303
    page = t.client.get(r.headers["location"]).text
    assert "订单已取消" in page and 'id="order-actions"' not in page
    assert _api(t, f"/orders/{unpaid['id']}")["status"] == "cancelled"
    r = t.client.post(f"/console/orders/{unpaid['id']}/cancel", data={})
    assert r.status_code == 409 and "该订单当前状态不能取消" in r.text
    page = t.client.get(f"/console/orders/{paid['id']}").text
    assert 'id="refund-order"' in page and "全额退款 ¥45.00" in page
    r = t.client.post(f"/console/orders/{paid['id']}/refund", data={"reason": "  "})
    assert r.status_code == 422 and "请填写退款原因" in r.text
    assert _api(t, f"/orders/{paid['id']}")["status"] == "paid"
    r = t.client.post(f"/console/orders/{paid['id']}/refund", data={"reason": "商品破损"}, follow_redirects=False)
    assert r.status_code == 303
    page = t.client.get(r.headers["location"]).text
    assert "已退款 ¥45.00" in page
    got = _api(t, f"/orders/{paid['id']}")
    assert got["status"] == "refunded" and got["refunded_fen"] == 4500
    assert _api(t, f"/products/{product['id']}")["stock"] == 20
    r = t.client.post(f"/console/orders/{paid['id']}/refund", data={"reason": "再退一次"})
    assert r.status_code == 409 and "该订单当前状态不能退款" in r.text
    assert t.client.post("/console/orders/99999999/refund", data={"reason": "x"}).status_code == 404


@pytest.fixture
def shop_server(tmp_path):
    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        yield base, tmp_path


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_create_a_product_upload_its_picture_and_take_it_off_the_shelf_in_a_real_browser(shop_server):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    base, tmp_path = shop_server
    picture = tmp_path / "orange.png"
    picture.write_bytes(PNG)
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
            page.goto(f"{base}/console/products/new")
            page.fill("#product-form input[name=name]", "赣南脐橙 5斤")
            page.fill("#product-form input[name=price]", "39.90")
            page.fill("#product-form input[name=category]", "新鲜水果")
            page.fill("#product-form input[name=unit]", "箱")
            page.check("#is-fresh")
            page.fill("#product-form input[name=stock]", "12")
            page.click("#product-form button[type=submit]")
            expect(page.locator("#done")).to_have_text("商品已创建。")
            expect(page.locator("#product-stock")).to_have_text("12 箱")
            page.set_input_files("#image-form input[type=file]", str(picture))
            page.click("#image-form button[type=submit]")
            expect(page.locator("#done")).to_have_text("图片已上传。")
            expect(page.locator("#product-image")).to_be_visible()
            # really served and decoded (waits for the load: the page may show before the picture arrives)
            page.wait_for_function("() => { const img = document.getElementById('product-image');"
                                   " return img.complete && img.naturalWidth === 1; }")
            page.once("dialog", lambda d: d.accept())
            page.click("#shelf-toggle")
            expect(page.locator("#shelf-status")).to_have_text("已下架")
            product_id = int(page.url.split("/console/products/")[1].split("?")[0])
        finally:
            browser.close()
    with Api(base) as api:
        resident = api.token("admin")
        got = api.http.get(f"/products/{product_id}", headers={"Authorization": f"Bearer {resident}"}).json()
        assert got["is_active"] is False and got["image_url"]
