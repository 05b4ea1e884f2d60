"""In a real browser on a phone: a resident posts to 邻里圈 with a topic, likes the post, comments, finds it
under its topic on the wall, and votes in the community's poll to see the results."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

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
def test_resident_posts_likes_comments_and_votes(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            community = api.community_with_resident(op)
            deadline = (datetime.now(UTC) + timedelta(days=3)).isoformat()
            poll = api.call("/polls", {"title": "下周团购什么水果？", "options": ["葡萄", "柚子"],
                                       "deadline": deadline, "community_id": community}, op, 201)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                phone = member_phone(browser, base, "/m/community")
                phone.click("#compose")
                phone.fill("#post-body", "楼下的桂花开了，满小区都是香味 #桂花#")
                phone.click("#publish")
                expect(phone).to_have_url(re.compile(r"/m/community/posts/\d+$"))
                expect(phone.locator("#post-body")).to_contain_text("桂花开了")
                phone.click("#like")
                expect(phone.locator("#like")).to_have_attribute("aria-pressed", "true")
                expect(phone.locator("#like-count")).to_have_text("1")
                phone.fill("#comment-body", "真香！")
                phone.click("#comment-submit")
                expect(phone.locator("#comments")).to_contain_text("真香！")
                phone.goto(f"{base}/m/community?topic=桂花")
                expect(phone.locator("#wall article")).to_have_count(1)
                assert phone.evaluate("document.documentElement.scrollWidth") <= 375

                phone.goto(f"{base}/m/polls")
                phone.click(f"[data-poll-id='{poll['id']}']")
                phone.check("text=柚子")
                phone.click("#vote")
                expect(phone.locator("#results")).to_contain_text("1 票 · 100.0%")
            finally:
                browser.close()
