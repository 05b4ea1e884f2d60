"""The console pages of scenario campaigns, A/B tests and pilots: Chinese text, the calendar, the form flow
from a draft to a launched campaign with an experiment, the results page and a pilot's review and roll-out."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from linli.core import clock
from tests.api.conftest import populated
from tests.campaign.helpers import campaign, due, member_ids, segment
from tests.factories import PASSWORD
from tests.web.test_chinese_text import english


def _login(t) -> None:
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303


def test_the_pages_are_chinese(client, make):
    w = populated(make)[0]
    _login(w.t)
    for url in ("/console/scenario-campaigns", f"/console/scenario-campaigns/{w.scenario_campaign_id}",
                "/console/experiments", f"/console/experiments/{w.experiment_id}", "/console/pilots",
                f"/console/pilots/{w.pilot_id}", f"/console/scenario-campaigns/{w.pilot_campaign_id}"):
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        assert not english(r.text), (url, english(r.text))


def _local(delta: timedelta) -> str:
    return clock.local(clock.now() + delta).strftime("%Y-%m-%dT%H:%M")


def test_create_launch_and_read_the_results_in_the_console(make):
    t = make.tenant()
    ids = member_ids(t, t.members(6))
    seg = segment(t, ids, name="开学季家长")
    _login(t)
    page = t.client.get("/console/scenario-campaigns")
    assert "开学季家长" in page.text and 'id="campaign-calendar"' in page.text
    form = {"name": "开学季文具团", "scenario": "back_to_school", "segment_id": str(seg),
            "starts_at": _local(-timedelta(hours=1)), "ends_at": _local(timedelta(days=3)),
            "title": "开学季文具团购", "body": "书包文具邻里拼单更便宜。",
            "link_kind": "", "link_id": "", "coupon_template_id": ""}
    bad = t.client.post("/console/scenario-campaigns", data={**form, "ends_at": form["starts_at"]})
    assert bad.status_code == 422 and "结束时间须晚于开始时间" in bad.text
    r = t.client.post("/console/scenario-campaigns", data=form, follow_redirects=False)
    assert r.status_code == 303
    url = r.headers["location"]
    cid = int(url.rsplit("/", 1)[1])
    r = t.client.post("/console/experiments", data={"campaign_id": str(cid), "name": "标题实验", "weight_b": "50",
                                                    "conversion_days": "7", "title_b": "开学季文具买二送一",
                                                    "body_b": "", "coupon_b": ""}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/console/experiments/")
    experiment_url = r.headers["location"]
    assert t.client.post(f"{url}/launch", follow_redirects=False).status_code == 303
    assert "进行中" in t.client.get(url).text
    again = t.client.post(f"{url}/launch")
    assert again.status_code == 409 and "活动已发布" in again.text
    due(t)
    detail = t.client.get(url).text
    assert re.search(r'id="card-sent">\s*<div class="card-label">已发送</div>\s*<div class="card-value">6<', detail)
    results = t.client.get(experiment_url)
    assert results.status_code == 200 and "暂无胜出组" in results.text
    chart = json.loads(re.search(r'<script type="application/json" id="experiment-data">(.*?)</script>',
                                 results.text, re.S).group(1))
    assert sum(chart["rates"]) == 0 and len(chart["arms"]) == 2
    cal = t.client.get(f"/console/scenario-campaigns?month={clock.local(clock.now()).strftime('%Y-%m')}").text
    assert f'href="/console/scenario-campaigns/{cid}"' in cal


def test_pilot_review_and_roll_out_in_the_console(make):
    t = make.tenant()
    a, b = t.community(), t.community()
    ids = member_ids(t, t.members(2, a["id"])) + member_ids(t, t.members(2, b["id"]))
    c = campaign(t, segment(t, ids))
    _login(t)
    r = t.client.post("/console/pilots", data={"campaign_id": str(c["id"]), "name": "中秋试点",
                                               "community_ids": [str(a["id"])]}, follow_redirects=False)
    assert r.status_code == 303
    url = r.headers["location"]
    page = t.client.get(url)
    assert page.status_code == 200 and "试点中" in page.text and 'data-group="pilot"' in page.text
    assert t.client.post(f"{url}/roll-out", data={"scope": "all"}).status_code == 409  # review first
    assert t.client.post(f"{url}/reviewed", data={"note": "效果好"}, follow_redirects=False).status_code == 303
    assert t.client.post(f"{url}/roll-out", data={"scope": "all"}, follow_redirects=False).status_code == 303
    page = t.client.get(url).text
    assert "已推广到全部小区" in page and "效果好" in page
    assert t.client.get(f"/api/v1/scenario-campaigns/{c['id']}", headers=t.op).json()["community_ids"] is None
