"""In a real browser: the operator runs the alert check, sees the cancel-rate alert, opens a crisis case from it,
previews and issues a points compensation to the product's buyers, and after the due work sees the 3-day
follow-up on the case page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from linli.core import clock
from linli.core.db import Database
from linli.crisis import jobs
from tests.alert.helpers import add_orders
from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server


def test_alert_to_crisis_to_compensation_to_follow_up_in_a_browser(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        tenant_id = create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            c = api.call("/communities", {"name": "翠苑一区", "address": "文三路1号", "lat": 30.28, "lng": 120.12},
                         op, 201)["id"]
            point = api.call("/pickup-points", {"community_id": c, "name": "翠苑便利店", "kind": "store",
                                                "lat": 30.28, "lng": 120.12}, op, 201)["id"]
            product = api.call("/products", {"name": "丹东草莓", "price_fen": 2990, "stock": 50,
                                              "category": "新鲜水果"}, op, 201)["id"]
            buyers = [api.call("/members", {"username": f"resident{i}", "password": PASSWORD, "name": f"邻居{i}",
                                            "phone": f"1380000123{i}", "community_id": c}, op, 201)["id"]
                      for i in range(2)]
        yesterday = datetime.now(UTC) - timedelta(days=1)
        db = Database(url)
        try:
            add_orders(db, tenant_id, buyers[0], point, 20, at=yesterday, status="cancelled")
            for m in buyers:
                add_orders(db, tenant_id, m, point, 1, at=yesterday, product_id=product)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
                    page.goto(f"{base}/console/alerts")
                    page.fill("input[name=tenant]", "browser")
                    page.fill("input[name=username]", "admin")
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    expect(page).to_have_url(f"{base}/console/alerts")
                    page.click("#evaluate-now")
                    row = page.locator("#alerts-table tr[data-metric=cancel_rate]")
                    expect(row).to_contain_text("订单取消率")
                    row.get_by_text("启动危机处理").click()
                    expect(page.locator("#crisis-form input[name=title]")).to_have_value(re.compile("订单取消率"))
                    page.click("#open-crisis")
                    expect(page).to_have_url(re.compile(r"/console/crises/\d+$"))
                    expect(page.locator("#steps-table tbody tr")).to_have_count(6)
                    form = page.locator("#compensation-form")
                    form.locator("select[name=product_id]").select_option(label="丹东草莓")
                    since = clock.local(yesterday - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
                    until = clock.local(datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
                    form.locator("input[name=since]").fill(since)
                    form.locator("input[name=until]").fill(until)
                    form.locator("select[name=kind]").select_option("points")
                    form.locator("input[name=points]").fill("50")
                    page.click("#preview-button")
                    expect(page.locator("#preview-to-issue")).to_have_text("2")
                    page.click("#issue-button")
                    expect(page.locator("#compensations-table tbody tr")).to_have_count(1)
                    expect(page.locator("#recipients-table tbody tr")).to_have_count(2)
                    expect(page.locator("#followups-3")).to_have_text("0")
                    assert jobs.run_due(db, datetime.now(UTC) + timedelta(days=3, minutes=1)) == 2
                    page.reload()
                    expect(page.locator("#followups-3")).to_have_text("2")
                finally:
                    browser.close()
        finally:
            db.dispose()
