"""In a real browser: the operator creates the welcome SOP from its template, edits a step (htmx), activates it,
and after a member joins and the due work runs, sees the funnel (table and ECharts chart)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from linli.core.db import Database
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.schedule import DUE_JOBS
from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, htmx_settled, need_chromium, running_server


def test_create_from_template_and_see_the_funnel_in_a_browser(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            community = api.call("/communities", {"name": "翠苑一区", "address": "文三路1号", "lat": 30.28,
                                                  "lng": 120.12}, op, 201)["id"]
            api.call("/coupons", {"name": "新人专享券", "discount_fen": 500, "min_spend_fen": 3000, "total": 100,
                                  "per_member_limit": 1, "valid_days": 30,
                                  "valid_from": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}, op, 201)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
                    page.goto(f"{base}/console/journeys")
                    page.fill("input[name=tenant]", "browser")
                    page.fill("input[name=username]", "admin")
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    expect(page).to_have_url(f"{base}/console/journeys")
                    card = page.locator("form[data-template=welcome_48h]")
                    card.locator("select[name=coupon_template_id]").select_option(label="新人专享券")
                    card.locator("button[type=submit]").click()
                    expect(page).to_have_url(re.compile(r"/console/journeys/\d+$"))
                    expect(page.locator("#journey-status")).to_have_text("草稿")
                    expect(page.locator("#journey-trigger")).to_have_text("新会员加入")

                    page.wait_for_function("window.htmx !== undefined")  # deferred: loaded after the DOM
                    page.fill("input[name=s2_hours]", "12")  # the wait: 24 -> 12 hours, saved by htmx in place
                    page.click("#journey-save")
                    expect(page.locator("#journey-saved")).to_have_text("已保存为第 2 版。")
                    htmx_settled(page)
                    page.locator("select[name=s4_next]").select_option(label="步骤1：发送消息：欢迎加入邻里")
                    page.click("#journey-save")  # a loop back to the start: refused, in Chinese
                    expect(page.locator("#journey-error")).to_contain_text("循环")

                    expect(page).to_have_url(re.compile(r"/console/journeys/\d+$"))  # htmx: still the page
                    page.reload()
                    page.click("#journey-activate")
                    expect(page.locator("#journey-status")).to_have_text("运行中")
                    api.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王小明",
                                          "phone": "13800001234", "community_id": community}, op, 201)
                    db = Database(url)
                    try:
                        run_due(db, DUE_JOBS, build_registry(), datetime.now(UTC) + timedelta(minutes=1))
                    finally:
                        db.dispose()
                    page.reload()
                    expect(page.locator("#journey-enrolled")).to_have_text("1 / 0 人")
                    first = page.locator("#funnel-table tbody tr").first
                    expect(first).to_contain_text("发送消息：欢迎加入邻里")
                    expect(first.locator("td").nth(1)).to_have_text("1")
                    expect(page.locator("#funnel-table tbody tr").nth(1)).to_contain_text("已发券 1")
                    expect(page.locator("#funnel-chart canvas").first).to_be_attached()
                    expect(page.locator("#funnel-chart[data-rendered]")).to_be_attached()
                finally:
                    browser.close()
