"""我的居民 on the workbench: noting a call or visit from the member list, and what a bad note gets."""

from __future__ import annotations

import re

from tests.web.test_workbench import _phone


def _row(html: str, member_id: int) -> str:
    return dict(re.findall(r'data-member="(\d+)">(.*?)</li>', html, re.S))[str(member_id)]


def test_a_leader_notes_a_visit_and_sees_it_on_the_member_row(make):
    t = make.tenant()
    mine = t.community()["id"]
    _, _, lh = t.leader(mine)
    neighbour, _ = t.member(mine)
    c = _phone(t, lh)
    assert "记一笔" in _row(c.get("/w/members").text, neighbour["id"])
    r = c.post(f"/w/members/{neighbour['id']}/notes", data={"kind": "visit", "note": "帮张阿姨搬了米", "q": ""},
               follow_redirects=False)
    assert r.status_code == 303 and f"noted={neighbour['id']}" in r.headers["location"]
    html = c.get(r.headers["location"]).text
    assert "已记下这次联系" in html
    assert "上门" in _row(html, neighbour["id"]) and "帮张阿姨搬了米" in _row(html, neighbour["id"])
    api = t.client.get(f"/api/v1/leader/members/{neighbour['id']}/notes", headers=lh).json()["items"]
    assert [(n["kind"], n["note"]) for n in api] == [("visit", "帮张阿姨搬了米")]


def test_an_empty_note_or_a_stranger_is_refused_on_the_page(make):
    t = make.tenant()
    mine = t.community()["id"]
    _, _, lh = t.leader(mine)
    neighbour, _ = t.member(mine)
    stranger, _ = t.member(t.community()["id"])
    c = _phone(t, lh)
    r = c.post(f"/w/members/{neighbour['id']}/notes", data={"kind": "call", "note": "  "})
    assert r.status_code == 422 and "请选择联系方式并写下记录" in r.text
    r = c.post(f"/w/members/{stranger['id']}/notes", data={"kind": "call", "note": "你好"})
    assert r.status_code == 404 and "只能记录本小区的居民" in r.text
    assert t.client.get(f"/api/v1/leader/members/{neighbour['id']}/notes", headers=lh).json()["items"] == []
