"""The moderation API: check, the three-level queue with one `moderation.decided` per decision, words."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from linli.core.db import Database
from linli.core.outbox import OutboxEvent
from linli.moderation import service
from linli.tenancy import service as tenancy
from tests.factories import PASSWORD

API = "/api/v1/moderation"


def _decided(db: Database, tenant_id: int) -> list[dict[str, Any]]:
    with db.unit_of_work() as s:
        return [e.payload for e in s.scalars(select(OutboxEvent).where(
            OutboxEvent.tenant_id == tenant_id, OutboxEvent.topic == "moderation.decided"))]


def _case(db: Database, tenant_id: int, subject_id: int, text: str = "要的私聊，加我微信") -> int:
    with db.unit_of_work() as s:
        v = service.screen(s, tenant_id, subject_kind="post", subject_id=subject_id, text=text)
    assert v.case_id
    return v.case_id


def test_check_answers_hits_and_highlighted_pieces(make: Any) -> None:
    t = make.tenant()
    r = t.client.post(f"{API}/check", json={"text": "周末网络赌 博，有事加V"}, headers=t.op)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["decision"] == "block"
    assert [(h["word"], h["level"]) for h in body["hits"]] == [("网络赌博", "block"), ("加v", "review")]
    assert body["highlighted"] == [["周末", False], ["网络赌 博", True], ["，有事", False], ["加V", True]]
    assert t.client.post(f"{API}/check", json={"text": "草莓很甜"}, headers=t.op).json()["decision"] == "pass"


def test_operator_decides_once_and_a_second_decision_is_409(make: Any, db: Database) -> None:
    t = make.tenant()
    case_id = _case(db, t.tenant_id, 11)
    listed = t.client.get(f"{API}/cases", params={"tab": "pending"}, headers=t.op).json()["items"]
    assert [c["id"] for c in listed] == [case_id] and listed[0]["hits"][0]["word"] == "加我微信"
    r = t.client.post(f"{API}/cases/{case_id}/decision", json={"decision": "reject", "reason": "引流"}, headers=t.op)
    assert r.status_code == 200 and r.json()["status"] == "rejected" and r.json()["decided_level"] == "operator"
    again = t.client.post(f"{API}/cases/{case_id}/decision", json={"decision": "approve"}, headers=t.op)
    assert again.status_code == 409 and again.json()["error"]["code"] == "case_decided"
    assert t.client.post(f"{API}/cases/{case_id}/escalate", json={"reason": "x"}, headers=t.op).status_code == 409
    assert _decided(db, t.tenant_id) == [{"subject_kind": "post", "subject_id": 11, "decision": "rejected",
                                          "case_id": case_id}]
    assert [c["id"] for c in t.client.get(f"{API}/cases", params={"tab": "decided"}, headers=t.op)
            .json()["items"]] == [case_id]


def test_escalated_cases_are_decided_by_a_named_senior_only(make: Any, db: Database) -> None:
    t = make.tenant()
    with db.unit_of_work() as s:
        senior = tenancy.create_user(s, t.tenant_id, "senior", PASSWORD, "operator", "审核主管").id
    senior_h = t.login("senior")
    assert t.client.put(f"{API}/settings", json={"senior_user_ids": [senior]}, headers=t.op).status_code == 200
    bad = t.client.put(f"{API}/settings", json={"senior_user_ids": [senior + 999]}, headers=t.op)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_senior_reviewer"
    case_id = _case(db, t.tenant_id, 12)
    r = t.client.post(f"{API}/cases/{case_id}/escalate", json={"reason": "疑似竞品"}, headers=t.op)
    assert r.status_code == 200 and r.json()["status"] == "escalated"
    assert t.client.get(f"{API}/cases", params={"tab": "pending"}, headers=t.op).json()["items"] == []
    refused = t.client.post(f"{API}/cases/{case_id}/decision", json={"decision": "approve"}, headers=t.op)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_senior_reviewer"
    assert _decided(db, t.tenant_id) == []
    done = t.client.post(f"{API}/cases/{case_id}/decision", json={"decision": "approve"}, headers=senior_h)
    assert done.status_code == 200 and done.json()["decided_level"] == "senior" and done.json()["decided_by"] == senior
    assert [e["decision"] for e in _decided(db, t.tenant_id)] == ["approved"]


def test_words_added_and_disabled_take_effect_at_once_for_that_tenant_only(make: Any) -> None:
    t, other = make.tenant(), make.tenant()

    def decision(kit: Any, text: str) -> str:
        return kit.client.post(f"{API}/check", json={"text": text}, headers=kit.op).json()["decision"]

    assert decision(t, "团购黑话来了") == "pass"
    r = t.client.post(f"{API}/words", json={"word": "团购黑话", "level": "block"}, headers=t.op)
    assert r.status_code == 201 and r.json() == {"word": "团购黑话", "category": "custom", "level": "block",
                                                 "builtin": False, "enabled": True}
    assert decision(t, "团购 黑话来了") == "block" and decision(other, "团购黑话来了") == "pass"
    assert t.client.post(f"{API}/words/disable", json={"word": "加微信"}, headers=t.op).json()["enabled"] is False
    assert decision(t, "加微信") == "pass" and decision(other, "加微信") == "review"
    assert t.client.post(f"{API}/words/enable", json={"word": "加微信"}, headers=t.op).status_code == 200
    assert decision(t, "加微信") == "review"
    short = t.client.post(f"{API}/words", json={"word": "赌", "level": "block"}, headers=t.op)
    assert short.status_code == 422 and short.json()["error"]["code"] == "word_too_short"
    missing = t.client.post(f"{API}/words/disable", json={"word": "没有这个词"}, headers=t.op)
    assert missing.status_code == 404
    page = t.client.get(f"{API}/words", params={"q": "黑话"}, headers=t.op).json()
    assert page["total"] == 1 and page["items"][0]["word"] == "团购黑话"
    off = t.client.get(f"{API}/words", params={"enabled": "false"}, headers=t.op).json()
    assert off["total"] == 0


def test_member_names_are_screened_where_they_are_set(make: Any, db: Database) -> None:
    t = make.tenant()
    community_id = t.default_community()
    body = {"username": "bad1", "password": PASSWORD, "name": "出售冰毒", "phone": "13800009999",
            "community_id": community_id}
    r = t.client.post("/api/v1/members", json=body, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "sensitive_content"
    assert t.client.get("/api/v1/members", headers=t.op).json()["items"] == []
    flagged = t.post("/members", {**body, "username": "odd1", "name": "加微信团购"})
    assert flagged["name"] == "加微信团购"
    (case,) = t.client.get(f"{API}/cases", headers=t.op).json()["items"]
    assert (case["subject_kind"], case["subject_id"]) == ("member_name", flagged["id"])
