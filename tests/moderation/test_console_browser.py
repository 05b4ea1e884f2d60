"""In a real browser: the machine queues a post, the operator opens it in 内容审核 and escalates it, the senior
reviewer approves it from 已升级; the decision is emitted once."""

from __future__ import annotations

from sqlalchemy import select

from linli.core.db import Database
from linli.core.outbox import OutboxEvent
from linli.moderation import service
from linli.tenancy import service as tenancy
from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server


def _seed(url: str, tenant_id: int) -> int:
    db = Database(url)
    try:
        with db.unit_of_work() as s:
            senior = tenancy.create_user(s, tenant_id, "senior", PASSWORD, "operator", "审核主管").id
            verdict = service.screen(s, tenant_id, subject_kind="post", subject_id=42,
                                     text="团购便宜，有需要的加 V X 私聊")
        assert verdict.decision == "review"
        return senior
    finally:
        db.dispose()


def _decided(url: str, tenant_id: int) -> list[dict[str, object]]:
    db = Database(url)
    try:
        with db.unit_of_work() as s:
            return [e.payload for e in s.scalars(select(OutboxEvent).where(OutboxEvent.tenant_id == tenant_id,
                                                                  OutboxEvent.topic == "moderation.decided"))]
    finally:
        db.dispose()


def test_machine_operator_senior_in_a_browser(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        tenant_id = create_tenant(url)
        senior = _seed(url, tenant_id)
        with Api(base) as api:
            r = api.http.put("/moderation/settings", json={"senior_user_ids": [senior]},
                             headers={"Authorization": f"Bearer {api.token('admin')}"})
            assert r.status_code == 200, r.text
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                def login(username: str):  # type: ignore[no-untyped-def]
                    page = browser.new_context(locale="zh-CN").new_page()
                    page.goto(f"{base}/console/moderation")
                    page.fill("input[name=tenant]", "browser")
                    page.fill("input[name=username]", username)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    return page

                op = login("admin")
                op.goto(f"{base}/console/moderation")
                row = op.locator("#moderation-table tr[data-case]")
                expect(row).to_have_count(1)
                expect(row).to_contain_text("加vx")
                row.locator("a").click()
                expect(op.locator("#case-text mark")).to_have_text("加 V X")
                op.fill("#escalate-form input[name=reason]", "疑似引流，请主管确认")
                op.click("#escalate-form button[type=submit]")
                expect(op.locator("#case-status")).to_have_text("已升级")
                op.click("#decide-form button[value=approve]")  # not a senior: refused
                expect(op.locator("#moderation-error")).to_contain_text("高级审核员")

                boss = login("senior")
                boss.goto(f"{base}/console/moderation?tab=escalated")
                boss.locator("#moderation-table tr[data-case] a").click()
                expect(boss.locator("#escalation")).to_contain_text("疑似引流")
                boss.fill("#decide-form input[name=reason]", "团长自己的号，放行")
                boss.click("#decide-form button[value=approve]")
                expect(boss.locator("#case-status")).to_have_text("已通过")
                expect(boss.locator("#decision")).to_contain_text("高级审核")
                boss.goto(f"{base}/console/moderation?tab=decided")
                expect(boss.locator("#moderation-table tr[data-case]")).to_have_count(1)
            finally:
                browser.close()
        assert [(e["subject_id"], e["decision"]) for e in _decided(url, tenant_id)] == [(42, "approved")]
