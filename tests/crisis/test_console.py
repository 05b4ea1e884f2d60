"""The console pages: the alert centre (filters, 确认 / 解决, the home's count), thresholds (saved and refused),
a case opened from an alert, the compensation preview and issue, the follow-ups shown."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from linli.crisis import jobs
from tests.alert.helpers import YESTERDAY, add_orders, point_of
from tests.crisis.helpers import world
from tests.factories import PASSWORD, Factory
from tests.web.test_chinese_text import english


def test_alert_centre_thresholds_and_a_crisis_through_the_pages(make: Factory) -> None:
    kit = make.tenant()
    w = world(kit, buyers=2)
    c = kit.community()
    m, _ = kit.member(c["id"])
    add_orders(kit.db, kit.tenant_id, m["id"], point_of(kit, c["id"]), 30, at=YESTERDAY, status="cancelled")
    web = kit.client
    assert web.post("/console/login", data={"tenant": kit.slug, "username": "admin", "password": PASSWORD},
                    follow_redirects=False).status_code == 303
    assert "已完成检测" in web.post("/console/alerts/evaluate").text
    page = web.get("/console/alerts?status=open&metric=cancel_rate").text
    assert "订单取消率" in page and "&gt; 15%" in page and 'data-metric="cancel_rate"' in page
    assert not english(page)
    alert_id = int(page.split('data-alert="')[1].split('"')[0])
    assert 'id="todo-alerts"' in web.get("/console").text
    bad = web.post("/console/alerts/thresholds", data={"metric": "cancel_rate", "threshold": "150", "min_base": "1"})
    assert bad.status_code == 422 and "阈值须为 0 到 100" in bad.text
    ok = web.post("/console/alerts/thresholds", data={"metric": "cancel_rate", "threshold": "20", "min_base": "5",
                                                      "enabled": "on"})
    assert ok.status_code == 200 and "已保存" in ok.text
    assert kit.client.get("/api/v1/alerts/thresholds", headers=kit.op).json()[0]["threshold"] == 20
    form = web.get(f"/console/crises?alert_id={alert_id}").text
    assert "订单取消率" in form and not english(form)
    opened = web.post("/console/crises", data={"title": "取消率异常", "severity": "2", "alert_id": str(alert_id)},
                      follow_redirects=False)
    case_url = opened.headers["location"]
    since = clock.local(YESTERDAY - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    until = clock.local(clock.now()).strftime("%Y-%m-%dT%H:%M")
    body = {"product_id": str(w["product_id"]), "since": since, "until": until, "kind": "coupon",
            "coupon_template_id": str(w["coupon_id"]), "points": "0", "message": "抱歉"}
    preview = web.post(f"{case_url}/compensations/preview", data=body).text
    assert 'id="preview-to-issue">2<' in preview
    assert web.post(f"{case_url}/compensations", data={**body, "kind": "points"}).status_code == 422  # no points
    assert "补偿已发放" in web.post(f"{case_url}/compensations", data=body).text
    jobs.run_due(kit.db, clock.now() + timedelta(days=3))
    detail = web.get(case_url).text
    assert 'id="followups-3">2<' in detail and 'id="followups-7">0<' in detail and not english(detail)
    assert web.post(f"/console/alerts/{alert_id}/resolve", data={"note": "已处理"}).status_code == 200
    assert "已解决" in web.get("/console/alerts?status=resolved").text
