"""The console pages without a browser: the queue's tabs, a case page with its highlighted hit, the decide
form (reject needs a reason; a decided case is refused), and the word list's search, add, disable and test."""

from __future__ import annotations

from typing import Any

from linli.core.db import Database
from linli.moderation import service
from tests.factories import PASSWORD


def _login(t: Any) -> None:
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303, r.text


def test_queue_case_and_words_pages(make: Any, db: Database) -> None:
    t = make.tenant()
    with db.unit_of_work() as s:
        case_id = service.screen(s, t.tenant_id, subject_kind="feedback", subject_id=5, text="好评返现，联系我").case_id
    _login(t)
    page = t.client.get("/console/moderation")
    assert page.status_code == 200 and f'data-case="{case_id}"' in page.text and "待审核（1）" in page.text
    detail = t.client.get(f"/console/moderation/cases/{case_id}")
    assert "<mark>好评返现</mark>" in detail.text
    no_reason = t.client.post(f"/console/moderation/cases/{case_id}/decide", data={"decision": "reject"})
    assert no_reason.status_code == 422 and "驳回时请填写原因" in no_reason.text
    done = t.client.post(f"/console/moderation/cases/{case_id}/decide", data={"decision": "reject", "reason": "刷单"})
    assert done.status_code == 200 and "已驳回" in done.text
    again = t.client.post(f"/console/moderation/cases/{case_id}/decide", data={"decision": "approve"})
    assert again.status_code == 409 and "不能重复处理" in again.text
    assert "已处理（1）" in t.client.get("/console/moderation?tab=decided").text

    words = t.client.get("/console/moderation/words", params={"q": "好评返现"})
    assert 'data-word="好评返现"' in words.text
    t.client.post("/console/moderation/words/disable", data={"word": "好评返现", "q": "好评返现"})
    assert "已停用" in t.client.get("/console/moderation/words", params={"q": "好评返现"}).text
    added = t.client.post("/console/moderation/words",
                          data={"word": "团购暗号", "level": "block", "category": "custom"})
    assert added.status_code == 200 and 'data-word="团购暗号"' in added.text
    tested = t.client.post("/console/moderation/test", data={"text": "说个团购 暗号"})
    assert "拦截" in tested.text and "<mark>团购 暗号</mark>" in tested.text
