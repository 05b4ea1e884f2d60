"""In a real browser: the operator drafts a 中秋 campaign to a segment, adds an A/B test, launches it, and after
the due work runs sees it sent and the experiment's results page (table and ECharts chart)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from linli.core import clock
from linli.core.db import Database
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.models import Segment, SegmentMember
from linli.schedule import DUE_JOBS
from tests.factories import PASSWORD
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, Api, create_tenant, need_chromium, running_server


def _segment(url: str, tenant_id: int, member_ids: list[int]) -> None:
    """The segment as the audience job leaves it."""
    db = Database(url)
    try:
        with db.unit_of_work() as s:
            seg = Segment(tenant_id=tenant_id, name="中秋老顾客", description="", definition={"tag": "any"})
            s.add(seg)
            s.flush()
            s.add_all(SegmentMember(tenant_id=tenant_id, segment_id=seg.id, member_id=m, since=clock.now())
                      for m in member_ids)
    finally:
        db.dispose()


def _local(at: datetime) -> str:
    return clock.local(at).strftime("%Y-%m-%dT%H:%M")


def test_draft_test_launch_and_read_results_in_a_browser(tmp_path):
    need_chromium()
    from playwright.sync_api import expect, sync_playwright

    with running_server(tmp_path) as (base, url):
        tenant_id = create_tenant(url)
        with Api(base) as api:
            op = api.token("admin")
            community = api.call("/communities", {"name": "翠苑一区", "address": "文三路1号", "lat": 30.28,
                                                  "lng": 120.12}, op, 201)["id"]
            ids = [api.call("/members", {"username": f"resident{i}", "password": PASSWORD, "name": f"邻居{i}",
                                         "phone": f"1380000123{i}", "community_id": community}, op, 201)["id"]
                   for i in range(6)]
            _segment(url, tenant_id, ids)
            now = datetime.now(UTC)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1360, "height": 900}, locale="zh-CN")
                    page.goto(f"{base}/console/scenario-campaigns")
                    page.fill("input[name=tenant]", "browser")
                    page.fill("input[name=username]", "admin")
                    page.fill("input[name=password]", PASSWORD)
                    page.click("button[type=submit]")
                    expect(page).to_have_url(f"{base}/console/scenario-campaigns")
                    expect(page.locator("#campaign-calendar")).to_be_visible()
                    form = page.locator("#scenario-campaign-form")
                    form.locator("input[name=name]").fill("中秋团圆季")
                    form.locator("select[name=scenario]").select_option(label="中秋节")
                    form.locator("select[name=segment_id]").select_option(label="中秋老顾客（6 人）")
                    form.locator("input[name=starts_at]").fill(_local(now - timedelta(hours=1)))
                    form.locator("input[name=ends_at]").fill(_local(now + timedelta(days=5)))
                    form.locator("input[name=title]").fill("中秋月饼到货啦")
                    form.locator("textarea[name=body]").fill("邻里中秋团购，月饼礼盒限时优惠。")
                    form.locator("button[type=submit]").click()
                    expect(page).to_have_url(re.compile(r"/console/scenario-campaigns/\d+$"))
                    expect(page.locator("#campaign-status")).to_have_text("草稿")

                    experiment = page.locator("#experiment-form")
                    experiment.locator("input[name=title_b]").fill("月饼买一送一")
                    experiment.locator("button[type=submit]").click()
                    expect(page).to_have_url(re.compile(r"/console/experiments/\d+$"))
                    page.go_back()
                    page.reload()
                    page.click("#launch")
                    expect(page.locator("#campaign-status")).to_have_text("进行中")
                    db = Database(url)
                    try:
                        run_due(db, DUE_JOBS, build_registry(), datetime.now(UTC) + timedelta(minutes=1))
                    finally:
                        db.dispose()
                    page.reload()
                    expect(page.locator("#card-sent .card-value")).to_have_text("6")
                    page.click("#experiment-link")
                    expect(page.locator("#results-table tbody tr")).to_have_count(2)
                    exposed = [int(page.locator(f"#results-table tr[data-variant={c}] td").nth(2).inner_text())
                               for c in ("A", "B")]
                    assert sum(exposed) == 6
                    expect(page.locator("#experiment-verdict")).to_contain_text("暂无胜出组")
                    expect(page.locator("#experiment-chart[data-rendered]")).to_be_attached()
                finally:
                    browser.close()
