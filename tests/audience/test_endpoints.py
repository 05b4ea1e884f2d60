"""The operator API: tags and segments with previews, member lists (pages, CSV), a member's tags and RFM, bad rules."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from linli.audience import service
from linli.models import Segment, Tag
from tests.lifecycle.helpers import buy_and_pay

API = "/api/v1"


def _world(t) -> dict:
    t.community(name="阳光小区")
    fresh = t.product(category="新鲜水果", is_fresh=True, price_fen=1200, stock=1000)
    members = [t.member() for _ in range(5)]
    for _, h in members[:3]:
        buy_and_pay(t, h, fresh["id"])
    return {"members": [m for m, _ in members]}


def test_preview_create_list_and_members(make) -> None:
    t = make.tenant()
    w = _world(t)
    preview = t.post("/tags/preview", {"rule": "orders_30d >= 1 and fresh_share > 0.5"}, expect=200)
    assert (preview["members"], preview["total"]) == (3, 5)
    assert preview["ast"] == {"and": [{"field": "orders_30d", "op": ">=", "value": 1},
                                      {"field": "fresh_share", "op": ">", "value": 0.5}]}
    tag = t.post("/tags", {"code": "fresh_buyer", "name": "生鲜买家", "rule": "orders_30d >= 1 and fresh_share > 0.5"})
    t.post("/tags", {"code": "everyone", "name": "全部", "rule": "days_since_join >= 0"})
    seg = t.post("/segments", {"name": "未买生鲜", "definition": {"and": [{"tag": "everyone"},
                                                                       {"not": {"tag": "fresh_buyer"}}]}})
    assert t.post("/segments/preview", {"definition": {"tag": "everyone"}}, expect=200)["members"] == 0  # not run yet
    run = t.post("/audience/refresh", None, expect=200)
    assert run["tags_added"] == 8 and run["segments_entered"] == 2

    tags = t.client.get(f"{API}/tags", headers=t.op).json()["items"]
    assert {x["code"]: x["members"] for x in tags} == {"fresh_buyer": 3, "everyone": 5}
    assert t.client.get(f"{API}/segments/{seg['id']}", headers=t.op).json()["members"] == 2
    assert t.post("/segments/preview", {"definition": {"not": {"tag": "fresh_buyer"}}}, expect=200) == {
        "members": 2, "total": 5, "ast": None}

    first = t.client.get(f"{API}/tags/{tag['id']}/members", headers=t.op, params={"limit": 2}).json()
    rest = t.client.get(f"{API}/tags/{tag['id']}/members", headers=t.op,
                        params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [m["id"] for m in first["items"] + rest["items"]] == [m["id"] for m in w["members"][:3]]
    assert rest["next_cursor"] is None and first["items"][0]["community"] == "阳光小区"

    r = t.client.get(f"{API}/segments/{seg['id']}/members.csv", headers=t.op)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["会员ID", "姓名", "手机号", "小区", "加入时间"]
    assert [int(x[0]) for x in rows[1:]] == [m["id"] for m in w["members"][3:]]

    detail = t.client.get(f"{API}/members/{w['members'][0]['id']}/tags", headers=t.op).json()
    assert {x["code"] for x in detail["tags"]} == {"fresh_buyer", "everyone"}
    assert detail["segments"] == [] and detail["rfm"]["frequency"] == 1 and detail["rfm"]["r"] >= 1
    quiet = t.client.get(f"{API}/members/{w['members'][4]['id']}/tags", headers=t.op).json()
    assert quiet["segments"] == [seg["id"]] and quiet["rfm"]["rfm_class"] == "无消费"


def test_bad_rules_and_definitions_write_nothing(make) -> None:
    t = make.tenant()
    _world(t)
    cases = [("spend_forever > 1", "unknown_tag_field"), ("orders_30d ~ 1", "unknown_tag_operator"),
             ('orders_30d > "1"', "tag_type_mismatch"), ('category_share("火星") > 0', "unknown_category"),
             ("orders_30d >", "tag_rule_syntax")]
    for rule, code in cases:
        r = t.client.post(f"{API}/tags", json={"code": "bad", "name": "坏规则", "rule": rule}, headers=t.op)
        assert r.status_code == 422 and r.json()["error"]["code"] == code, (rule, r.text)
    for definition, code in [({}, "empty_segment"), ({"or": []}, "empty_segment"), ({"tag": "nope"}, "unknown_tag")]:
        r = t.client.post(f"{API}/segments", json={"name": "坏人群", "definition": definition}, headers=t.op)
        assert r.status_code == 422 and r.json()["error"]["code"] == code, r.text
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Tag)) == 0
        assert s.scalar(select(func.count()).select_from(Segment)) == 0


def test_delete_tag_in_use_then_segment_archived(make) -> None:
    t = make.tenant()
    _world(t)
    tag = t.post("/tags", {"code": "buyer", "name": "买家", "rule": "orders_30d >= 1"})
    seg = t.post("/segments", {"name": "买家人群", "definition": {"tag": "buyer"}})
    t.post("/audience/refresh", None, expect=200)
    r = t.client.delete(f"{API}/tags/{tag['id']}", headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "tag_in_use"
    assert t.client.delete(f"{API}/segments/{seg['id']}", headers=t.op).status_code == 204
    assert t.client.delete(f"{API}/segments/{seg['id']}", headers=t.op).status_code == 204  # twice: the same
    gone = t.client.get(f"{API}/segments/{seg['id']}", headers=t.op).json()
    assert gone["archived"] and gone["members"] == 0
    assert seg["id"] not in [x["id"] for x in t.client.get(f"{API}/segments", headers=t.op).json()["items"]]
    with t.db.unit_of_work() as s:  # journeys and campaigns naming it see nobody
        assert service.segment_member_ids(s, t.tenant_id, seg["id"]) == []
    r = t.client.put(f"{API}/segments/{seg['id']}", json={"name": "x", "definition": {"tag": "buyer"}}, headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "segment_archived"
    # the archived segment still names the tag: deleting it stays refused (its definition is kept for the record)
    assert t.client.delete(f"{API}/tags/{tag['id']}", headers=t.op).status_code == 409
    t.post("/segments", {"name": "买家人群", "definition": {"tag": "buyer"}})  # the name is free again


def test_hundreds_of_tags(make) -> None:
    t = make.tenant()
    _world(t)
    for i in range(300):
        rule = f"orders_365d >= {i % 3} or days_since_join > {i}"
        t.post("/tags", {"code": f"t{i}", "name": f"标签{i}", "rule": rule})
    run = t.post("/audience/refresh", None, expect=200)
    assert run["tags"] == 300 and run["tags_added"] == 100 * 5 + 100 * 3  # i % 3: 0 everyone, 1 buyers, 2 none
    assert len(t.client.get(f"{API}/tags", headers=t.op).json()["items"]) == 300
