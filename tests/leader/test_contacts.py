"""我的居民 through the API: a leader lists the members of their own community with stage, last order and
their latest call or visit note, notes a contact, and reads the history; nobody else's members, no bad notes."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.core.jobs import run_due
from linli.events import build_registry
from linli.models import ContactNote


def _note_count(t) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(ContactNote)
                            .where(ContactNote.tenant_id == t.tenant_id)) or 0)


def _paid_order(t, mh, product_id, point_id):
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": 1}], "pickup_point_id": point_id}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)


def test_my_members_show_stage_last_order_and_my_latest_note(make):
    t = make.tenant()
    mine = t.community()["id"]
    _, point_id, lh = t.leader(mine)
    _, _, colleague = t.leader(mine)  # a second leader in the same community keeps their own notes
    buyer, bh = t.member(mine)
    quiet, _ = t.member(mine)
    stranger, _ = t.member(t.community()["id"])
    _paid_order(t, bh, t.product(price_fen=900)["id"], point_id)
    run_due(t.db, [], build_registry())

    first = t.post(f"/leader/members/{buyer['id']}/notes", {"kind": "call", "note": "问了鸡蛋的口味"}, lh)
    latest = t.post(f"/leader/members/{buyer['id']}/notes", {"kind": "visit", "note": "  送了试吃装  "}, lh)
    t.post(f"/leader/members/{buyer['id']}/notes", {"kind": "message", "note": "同事的记录"}, colleague)
    assert latest["note"] == "送了试吃装" and latest["kind"] == "visit" and latest["member_id"] == buyer["id"]

    page = t.client.get("/api/v1/leader/members", headers=lh).json()
    rows = {m["id"]: m for m in page["items"]}
    assert set(rows) == {buyer["id"], quiet["id"]}
    assert rows[buyer["id"]]["stage"] == "new" and rows[buyer["id"]]["last_order_at"] is not None
    assert rows[buyer["id"]]["last_note"]["id"] == latest["id"]
    assert rows[quiet["id"]]["last_order_at"] is None and rows[quiet["id"]]["last_note"] is None
    found = t.client.get("/api/v1/leader/members", params={"q": quiet["name"]}, headers=lh).json()["items"]
    assert [m["id"] for m in found] == [quiet["id"]]
    assert stranger["id"] not in rows

    history = t.client.get(f"/api/v1/leader/members/{buyer['id']}/notes", headers=lh).json()["items"]
    assert [n["id"] for n in history] == [latest["id"], first["id"]]  # mine only, newest first


def test_notes_on_strangers_or_bad_notes_are_refused_and_write_nothing(make):
    t = make.tenant()
    mine = t.community()["id"]
    _, _, lh = t.leader(mine)
    neighbour, mh = t.member(mine)
    stranger, _ = t.member(t.community()["id"])
    other = make.tenant()
    outsider, _ = other.member()

    for member_id in (stranger["id"], outsider["id"], 99999999):
        r = t.client.post(f"/api/v1/leader/members/{member_id}/notes", json={"kind": "call", "note": "hi"},
                          headers=lh)
        assert r.status_code == 404 and r.json()["error"]["code"] == "member_not_found", r.text
        assert t.client.get(f"/api/v1/leader/members/{member_id}/notes", headers=lh).status_code == 404
    for body in ({"kind": "call", "note": "   "}, {"kind": "email", "note": "hi"}, {"kind": "call"},
                 {"kind": "call", "note": "长" * 501}):
        r = t.client.post(f"/api/v1/leader/members/{neighbour['id']}/notes", json=body, headers=lh)
        assert r.status_code == 422, (body, r.text)
    for headers in (mh, t.op):
        r = t.client.post(f"/api/v1/leader/members/{neighbour['id']}/notes", json={"kind": "call", "note": "hi"},
                          headers=headers)
        assert r.status_code == 403
        assert t.client.get("/api/v1/leader/members", headers=headers).status_code == 403
    assert _note_count(t) == 0
