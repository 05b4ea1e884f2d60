"""In a real browser: the operator opens 邻里洞察 for a community, the three heatmaps and the H3 map are drawn by
ECharts (nothing refused by the page's content security policy), a filter change redraws them, and a heatmap
cell's tooltip shows the building, the category and the amount."""

from __future__ import annotations

from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server


def test_heatmaps_are_drawn_in_a_browser(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            c = api.call("/communities", {"name": "翠苑一区", "address": "文三路1号", "lat": 30.28, "lng": 120.12},
                         op, 201)["id"]
            api.call("/pickup-points", {"community_id": c, "name": "翠苑便利店", "kind": "store", "lat": 30.28,
                                        "lng": 120.12}, op, 201)
            b = api.call(f"/communities/{c}/buildings", {"name": "3幢", "lat": 30.281, "lng": 120.121}, op, 201)["id"]
            h = api.call(f"/buildings/{b}/households", {"unit_no": "2单元502", "unit_type": "两室一厅",
                                                         "family_structure": "young_family"}, op, 201)["id"]
            product = api.call("/products", {"name": "婴儿湿巾", "price_fen": 1990, "stock": 50,
                                              "category": "母婴用品"}, op, 201)["id"]
            api.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王阿姨",
                                   "phone": "13800001234", "community_id": c, "household_id": h}, op, 201)
            me = api.token("resident1")
            order = api.call("/orders", {"items": [{"product_id": product, "quantity": 2}]}, me, 201)
            api.call(f"/orders/{order['id']}/pay", None, me, 200)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
                refused: list[str] = []
                page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
                page.on("pageerror", lambda e: refused.append(str(e)))  # a script that threw
                page.goto(f"{base}/console/insight?community={c}")
                page.fill("input[name=tenant]", "browser")
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                expect(page).to_have_url(f"{base}/console/insight?community={c}")
                for key in ("building", "family", "unit_type"):
                    expect(page.locator(f"[data-insight-heatmap=data-{key}]")).to_have_attribute("data-rendered", "1")
                expect(page.locator("[data-insight-geo]")).to_have_attribute("data-rendered", "1")
                expect(page.locator("#insight-cards")).to_contain_text("¥39.80")
                chart = page.locator("[data-insight-heatmap=data-building]")
                box = chart.bounding_box()
                assert box is not None
                # one row (3幢), one column (母婴用品): the cell fills the grid between the axes
                page.mouse.move(box["x"] + 110 + (box["width"] - 130) / 2, box["y"] + 10 + (box["height"] - 110) / 2)
                expect(chart).to_contain_text("3幢 · 母婴用品")
                expect(chart).to_contain_text("¥39.80")
                page.select_option("select[name=metric]", "units")
                page.click("#insight-filters button[type=submit]")
                expect(page).to_have_url(f"{base}/console/insight?community={c}&days=30&metric=units&view=value")
                expect(page.locator("[data-insight-heatmap=data-building]")).to_have_attribute("data-rendered", "1")
                assert not refused, refused
            finally:
                browser.close()
