"""In a real browser: a resident opens 周边服务, picks a slot of a housekeeping service, books it and cancels it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from linli.core import clock
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, member_phone, need_chromium, running_server


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_member_books_a_slot_and_cancels_it(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    day = datetime.now(clock.SHANGHAI).date() + timedelta(days=2)  # the server runs on real time
    starts = clock.as_utc(datetime.combine(day, time(10, 0)))
    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            community = api.community_with_resident(op)
            merchant = api.call("/local-services/merchants", {
                "name": "安心家政", "category": "家政维修", "phone": "0571-88886666", "community_ids": [community]},
                op, 201)
            svc = api.call(f"/local-services/merchants/{merchant['id']}/services", {
                "name": "日常保洁 2 小时", "price_fen": 8000, "duration_minutes": 120}, op, 201)
            slot = api.call(f"/local-services/services/{svc['id']}/slots", {"starts_at": starts.isoformat()}, op, 201)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                phone = member_phone(browser, base, "/m/services")
                expect(phone.locator(f'[data-merchant="{merchant["id"]}"]')).to_contain_text("¥80.00")
                phone.click(f'a[data-service="{svc["id"]}"]')
                expect(phone.locator("#service-info")).to_contain_text("到店/上门付款")
                phone.click(f'label[data-slot="{slot["id"]}"]')
                phone.click("#book")
                expect(phone.locator("#booked")).to_be_visible()
                card = phone.locator("section[data-booking]").first
                expect(card).to_contain_text("已预约")
                expect(card).to_contain_text("10:00")
                card.locator("button[data-cancel]").click()
                expect(phone.locator("#cancelled")).to_be_visible()
                expect(phone.locator("section[data-booking]").first).to_contain_text("已取消")
            finally:
                browser.close()
