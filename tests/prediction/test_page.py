"""参与预测 in the console: the campaign picker and a campaign's likely participants, in Chinese."""

from __future__ import annotations

from typing import Any

from linli.core import clock
from tests.prediction.world import build
from tests.web.test_chinese_text import english


def test_the_console_lists_likely_participants(client: Any, make: Any) -> None:
    kit = make.tenant()
    w = build(kit, n_members=60, n_campaigns=6, seed=5)
    client.cookies.set("linli_token", kit.op["Authorization"].split(" ", 1)[1], domain="testserver.local",
                       path="/console")
    kind, campaign_id, _ = w.campaigns[-1]
    with clock.frozen_at(w.end):
        picker = client.get("/console/predictions")
        page = client.get("/console/predictions", params={"campaign": f"{kind}:{campaign_id}"})
        first = client.get("/console/predictions", params={"campaign": f"{w.campaigns[0][0]}:{w.campaigns[0][1]}"})
    assert picker.status_code == 200 and 'id="prediction-table"' not in picker.text
    assert picker.text.count("<option") == 6
    assert page.status_code == 200, page.text[:300]
    assert page.text.count("/console/members/") == 50  # the 50 most likely, each linking to the member
    assert "模型基于此前 5 场活动" in page.text
    assert "暂按最近下单时间排序" in first.text  # nothing earlier to learn from
    for r in (picker, page, first):
        assert not english(r.text), english(r.text)
    assert client.get("/console/predictions", params={"campaign": "lottery:1"}).status_code == 422
    assert client.get("/console/predictions", params={"campaign": "group_buy:999999"}).status_code == 404
