"""The console's feedback pages: queues with the time left or overdue, filters and export, a ticket's reply /
resolve / follow-up forms, the FAQ editor and the SLA settings — in Chinese."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from tests.factories import PASSWORD
from tests.feedback.helpers import due, submit
from tests.web.test_chinese_text import english


def _login(t) -> None:
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303


def test_queues_detail_and_forms(make, morning):
    t = make.tenant()
    _, mh = t.member()
    late = submit(t, mh)
    due(t, morning + timedelta(hours=2))
    clock.set_process_time(morning + timedelta(hours=2))
    fresh = submit(t, mh, category="功能建议", text="希望增加夜间配送")
    _login(t)
    pending = t.client.get("/console/feedback")
    assert pending.status_code == 200 and not english(pending.text), english(pending.text)
    assert f'data-ticket="{fresh["id"]}"' in pending.text and "剩余 1 小时 0 分钟" in pending.text
    assert "已超时 1 小时 0 分钟" in pending.text  # the late one, still waiting for its first answer
    overdue = t.client.get("/console/feedback?status=overdue")
    assert f'data-ticket="{late["id"]}"' in overdue.text and f'data-ticket="{fresh["id"]}"' not in overdue.text
    assert "组长" in overdue.text
    only = t.client.get("/console/feedback?status=all&category=功能建议")
    assert f'data-ticket="{fresh["id"]}"' in only.text and f'data-ticket="{late["id"]}"' not in only.text
    csv = t.client.get("/console/feedback?status=all&format=csv")
    assert csv.status_code == 200 and "希望增加夜间配送" in csv.content.decode("utf-8-sig")

    page = t.client.get(f"/console/feedback/{late['id']}")
    assert page.status_code == 200 and not english(page.text) and "首次响应超时" in page.text
    assert t.client.post(f"/console/feedback/{late['id']}/reply", data={"body": " "}).status_code == 422
    r = t.client.post(f"/console/feedback/{late['id']}/reply", data={"body": "抱歉久等，正在核实"},
                      follow_redirects=False)
    assert r.status_code == 303
    t.client.post(f"/console/feedback/{late['id']}/assign")
    t.client.post(f"/console/feedback/{late['id']}/resolve", data={"note": "已退款"})
    assert t.client.post(f"/console/feedback/{late['id']}/resolve", data={"note": "再来"}).status_code == 409
    done = t.client.post(f"/console/feedback/{late['id']}/follow-up", data={"note": "电话回访满意"})
    assert done.status_code == 200 and "已完成回访" in done.text and "已关闭" in done.text
    assert t.client.get("/console/feedback/999999").status_code == 404


def test_faq_editor_and_settings(make):
    t = make.tenant()
    _login(t)
    page = t.client.get("/console/feedback/faq")
    assert page.status_code == 200 and not english(page.text)
    t.client.post("/console/feedback/faq/defaults")
    listed = t.client.get("/console/feedback/faq")
    assert listed.text.count("data-faq=") >= 20
    bad = t.client.post("/console/feedback/faq", data={"question": "x", "answer": "", "category": "其他"})
    assert bad.status_code == 422
    ok = t.client.post("/console/feedback/faq", data={"question": "可以代收快递吗？", "answer": "团长家可代收。",
                                                      "keywords": "快递 代收", "category": "其他", "active": "on"})
    assert ok.status_code == 200 and "可以代收快递吗？" in ok.text
    settings = t.client.get("/console/feedback/settings")
    assert settings.status_code == 200 and not english(settings.text) and 'value="60"' in settings.text
    saved = t.client.post("/console/feedback/settings", data={"first_response_minutes": "30", "resolution_hours": "48",
                                                              "follow_up_hours": "96", "bot_min_score": "1.5"})
    assert saved.status_code == 200 and 'value="30"' in saved.text and 'value="48"' in saved.text
    bad = t.client.post("/console/feedback/settings", data={"first_response_minutes": "3000",
                                                            "resolution_hours": "1", "follow_up_hours": "2",
                                                            "bot_min_score": "1"})
    assert bad.status_code == 422
