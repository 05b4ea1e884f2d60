"""In a real browser: the operator adds a community event on the 社区日历 and sees it in the month grid, creates a
batch, adds an entry to its chain, and the public trace page (no login) shows the product, origin and chain."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from linli.core import clock
from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server


def _local(at: datetime, fmt: str = "%Y-%m-%dT%H:%M") -> str:
    return clock.local(at).strftime(fmt)


def test_calendar_event_batch_entry_and_public_trace_page_in_a_browser(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            api.call("/communities", {"name": "翠苑一区", "address": "文三路1号", "lat": 30.28, "lng": 120.12}, op, 201)
            api.call("/products", {"name": "栖霞红富士", "price_fen": 1990, "stock": 50, "category": "新鲜水果",
                                   "is_fresh": True}, op, 201)
        now = datetime.now(UTC)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
                page.goto(f"{base}/console/calendar")
                page.fill("input[name=tenant]", "browser")
                page.fill("input[name=username]", "admin")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                expect(page).to_have_url(f"{base}/console/calendar")
                expect(page.locator("#community-calendar")).to_be_visible()
                expect(page.locator(".mark-term").first).to_be_visible()  # every month has two solar terms
                form = page.locator("#event-form")
                form.locator("input[name=title]").fill("邻里义诊")
                form.locator("select[name=community_id]").select_option(label="翠苑一区")
                form.locator("input[name=starts_at]").fill(_local(now + timedelta(hours=2)))
                form.locator("input[name=ends_at]").fill(_local(now + timedelta(hours=4)))
                form.locator("input[name=place]").fill("社区活动室")
                form.locator("button[type=submit]").click()
                expect(page).to_have_url(re.compile(r"/console/calendar\?month="))
                day = page.locator(f"td[data-date='{_local(now + timedelta(hours=2), '%Y-%m-%d')}']")
                expect(day.locator(".cal-event")).to_contain_text("邻里义诊")

                page.click("nav >> text=批次追溯")
                expect(page).to_have_url(f"{base}/console/batches")
                batch = page.locator("#batch-form")
                batch.locator("input[name=code]").fill("B-DEMO-01")
                batch.locator("select[name=product_id]").select_option(label="栖霞红富士")
                batch.locator("input[name=origin]").fill("山东烟台栖霞")
                batch.locator("input[name=producer]").fill("栖霞苹果合作社")
                batch.locator("input[name=produced_on]").fill(_local(now - timedelta(days=2), "%Y-%m-%d"))
                batch.locator("input[name=quantity]").fill("200")
                batch.locator("button[type=submit]").click()
                expect(page).to_have_url(re.compile(r"/console/batches/\d+$"))
                entry = page.locator("#entry-form")
                entry.locator("select[name=stage]").select_option(label="采摘")
                entry.locator("input[name=occurred_at]").fill(_local(now - timedelta(days=1)))
                entry.locator("input[name=place]").fill("栖霞果园")
                entry.locator("input[name=operator]").fill("王师傅")
                entry.locator("button[type=submit]").click()
                expect(page.locator("#entries-table")).to_contain_text("栖霞果园")
                page.click("#verify-chain")
                expect(page.locator("#verdict")).to_contain_text("链路校验通过")
                trace_url = page.locator("#public-page").get_attribute("href")
                assert trace_url and trace_url.startswith("/t/")

                public = browser.new_page(viewport={"width": 390, "height": 800}, locale="zh-CN")  # no cookies
                public.goto(f"{base}{trace_url}")
                expect(public.locator("h1")).to_have_text("栖霞红富士")
                expect(public.locator("#verdict")).to_contain_text("链路校验通过")
                expect(public.locator(".facts")).to_contain_text("山东烟台栖霞")
                expect(public.locator(".chain li")).to_have_count(1)
                expect(public.locator(".chain")).to_contain_text("采摘")
            finally:
                browser.close()
