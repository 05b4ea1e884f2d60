"""In a real browser: a member asks the kiosk's bot, finds the answer unhelpful and is handed to people; an
operator replies and resolves in the console; the member sees the reply and is asked to confirm."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD
from tests.web.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Api,
    create_tenant,
    member_phone,
    need_chromium,
    running_server,
)


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_member_hands_off_operator_replies_and_resolves(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            api.community_with_resident(op)
            api.call("/feedback/faq", {"question": "自提点几点开门，什么时间可以取货？", "category": "配送与自提",
                                       "keywords": "提货时间 取货时间 拿货 几点 营业时间",
                                       "answer": "自提点每天 8:00-21:00 可以提货。"}, op, 201)
            api.call("/feedback/faq", {"question": "退款多久到账？", "keywords": "退钱 到账 多久",
                                       "answer": "原路退回，一般即时到账。", "category": "售后退款"}, op, 201)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                phone = member_phone(browser, base, "/m/feedback")
                phone.fill("input[name=question]", "几点可以去拿货")
                phone.click("#bot button[type=submit]")
                expect(phone.locator("#bot-answer")).to_contain_text("8:00-21:00")
                phone.click("#bot-answer >> text=没帮助")
                expect(phone).to_have_url(re.compile(r"/m/feedback/\d+\?handed_off=1"))
                expect(phone.locator("#handed-off")).to_be_visible()
                ticket_url = phone.url.split("?")[0]
                ticket_id = ticket_url.rsplit("/", 1)[1]

                desk = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
                desk.goto(f"{base}/console/feedback")
                desk.fill("input[name=tenant]", "browser")
                desk.fill("input[name=username]", "admin")
                desk.fill("input[name=password]", PASSWORD)
                desk.click("button[type=submit]")
                expect(desk).to_have_url(f"{base}/console/feedback")
                row = desk.locator(f'tr[data-ticket="{ticket_id}"]')
                expect(row).to_contain_text("机器人转人工")
                expect(row).to_contain_text("剩余")
                row.locator("a").click()
                expect(desk.locator("#conversation")).to_contain_text("机器人曾回答")
                desk.fill("#reply-body", "您好，自提点今天临时改为 9 点开门，已通知团长在群里说明")
                desk.click("text=发送回复")
                expect(desk.locator("#ticket-status")).to_have_text("处理中")
                desk.fill("#resolve-note", "已与团长确认，今后按 8:00 准时开门")
                desk.click("text=标记已解决")
                expect(desk.locator("#ticket-status")).to_have_text("待回访")

                phone.goto(ticket_url)
                expect(phone.locator("#conversation")).to_contain_text("临时改为 9 点开门")
                expect(phone.locator("#ticket-status")).to_have_text("待您确认")
                phone.click("text=已解决，评价")
                expect(phone.locator("#ticket-status")).to_have_text("已关闭")
            finally:
                browser.close()
