"""Messages in a real browser: the operator sends a notice from the console, the member sees it in the inbox
(unread badge on 我的), opens it and it is read; the member turns marketing off, and the operator's next
marketing message is skipped in the delivery log with the reason."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server


def _seed(base: str, url: str) -> int:
    create_tenant(url)
    with Api(base) as api:
        op = api.token("admin")
        cid = api.call("/communities", {"name": "翠苑一区", "address": "杭州市西湖区文三路1号", "lat": 30.283,
                                        "lng": 120.128}, op, 201)["id"]
        member = api.call("/members", {"username": "resident1", "password": PASSWORD, "name": "王小明",
                                       "phone": "13800001234", "community_id": cid}, op, 201)
    return int(member["id"])


def _login(page, base: str, path: str, username: str) -> None:
    page.goto(f"{base}{path}")
    page.fill("input[name=tenant]", "browser")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_operator_sends_member_reads_then_unsubscribes(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        member_id = _seed(base, url)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                console = browser.new_page(viewport={"width": 1360, "height": 860}, locale="zh-CN")
                _login(console, base, "/console", "admin")
                expect(console).to_have_url(f"{base}/console")
                console.click("a.nav-item[href='/console/messages']")
                console.fill("#compose-form input[name=member_ids]", str(member_id))
                console.select_option("#compose-form select[name=category]", "service")
                console.fill("#compose-form input[name=title]", "取货提醒")
                console.fill("#compose-form textarea[name=body]", "您的阳光玫瑰葡萄已到翠苑一区便利店，请及时取货。")
                console.click("#send")
                expect(console.locator("#sent")).to_contain_text("已提交 1 条")
                row = console.locator("#deliveries-table tbody tr").first
                expect(row.locator(".delivery-status")).to_have_text("已发送")

                phone = browser.new_page(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True,
                                         locale="zh-CN")
                _login(phone, base, "/m/me", "resident1")
                expect(phone).to_have_url(f"{base}/m/me")
                expect(phone.locator("#unread-badge")).to_have_text("1")
                phone.click("#inbox-card")
                expect(phone).to_have_url(f"{base}/m/inbox")
                expect(phone.locator("#unread-count")).to_have_text("1 条未读")
                item = phone.locator("#inbox li.inbox-unread")
                expect(item).to_contain_text("取货提醒")
                item.locator("a").click()
                expect(phone).to_have_url(re.compile(r"/m/inbox/\d+$"))
                expect(phone.locator("#message-body")).to_have_text("您的阳光玫瑰葡萄已到翠苑一区便利店，请及时取货。")
                expect(phone.locator("#read-state")).to_have_text("已读")
                phone.goto(f"{base}/m/inbox")
                expect(phone.locator("#unread-count")).to_have_text("没有未读消息")
                expect(phone.locator("#inbox li.inbox-unread")).to_have_count(0)

                phone.click("#message-preferences")
                phone.uncheck("#pref-marketing")
                phone.click("#save-preferences")
                expect(phone.locator("#saved")).to_have_text("已保存")
                expect(phone.locator("#pref-marketing")).not_to_be_checked()

                console.fill("#compose-form input[name=member_ids]", str(member_id))
                console.select_option("#compose-form select[name=category]", "marketing")
                console.fill("#compose-form input[name=title]", "周末草莓特价")
                console.fill("#compose-form textarea[name=body]", "本周六草莓买一送一。")
                console.click("#send")
                expect(console.locator("#sent")).to_be_visible()
                newest = console.locator("#deliveries-table tbody tr").first
                expect(newest).to_contain_text("周末草莓特价")
                expect(newest.locator(".delivery-status")).to_have_text("已跳过")
                expect(newest.locator(".delivery-reason")).to_have_text("已退订营销消息")

                phone.goto(f"{base}/m/inbox")
                expect(phone.locator("#inbox li")).to_have_count(1)  # the marketing message never arrived
            finally:
                browser.close()
