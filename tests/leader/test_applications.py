"""团长招募 over HTTP: apply, prove residence, approve/reject, then sign in as leader with the same account."""

from __future__ import annotations

from linli.leader.idcard import check_char
from linli.models import LeaderApplication
from tests.factories import PASSWORD, bearer


def _id_number(body17: str = "33010619900307123") -> str:
    return body17 + check_char(body17)


def _apply_body(community_id: int, **kw):
    body = {"community_id": community_id, "pickup_kind": "leader_home", "address": "3幢1单元101",
            "lat": 30.28, "lng": 120.12, "intro": "热心居民", "real_name": "王芳", "id_number": _id_number(),
            "leader_type": "social"}
    return body | kw


def _count_applications(t) -> int:
    with t.db.unit_of_work() as s:
        return s.query(LeaderApplication).filter_by(tenant_id=t.tenant_id).count()


def _login(t, username, role=None):
    body = {"tenant": t.slug, "username": username, "password": PASSWORD} | ({"role": role} if role else {})
    return t.client.post("/api/v1/auth/login", json=body)


def test_member_becomes_leader_and_keeps_shopping(make):
    t = make.tenant()
    cid = t.community(pickup_point=False)["id"]  # the approval opens its only point
    member, h = t.member()
    bad = _id_number()[:17] + ("0" if _id_number()[17] != "0" else "1")
    r = t.client.post("/api/v1/leader-applications", headers=h, json=_apply_body(cid, id_number=bad))
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_id_number"
    assert _count_applications(t) == 0  # nothing written

    app = t.post("/leader-applications", _apply_body(cid), h)
    assert app["status"] == "pending" and app["id_number_masked"] == "3301**********" + _id_number()[-4:]
    assert _id_number() not in str(app)
    again = t.client.post("/api/v1/leader-applications", headers=h, json=_apply_body(cid))
    assert again.status_code == 409 and again.json()["error"]["code"] == "application_exists"

    files = {"file": ("proof.png", b"\x89PNG\r\n\x1a\n fake image bytes", "image/png")}
    r = t.client.post(f"/api/v1/leader-applications/{app['id']}/proof", headers=h, files=files)
    assert r.status_code == 200 and r.json()["has_proof"] is True
    bad_type = t.client.post(f"/api/v1/leader-applications/{app['id']}/proof", headers=h,
                             files={"file": ("x.txt", b"hello", "text/plain")})
    assert bad_type.status_code == 422
    proof = t.client.get(f"/api/v1/leader-applications/{app['id']}/proof", headers=t.op)
    assert proof.status_code == 200 and proof.content == b"\x89PNG\r\n\x1a\n fake image bytes"
    assert proof.headers["content-type"].startswith("image/png")
    listed = t.client.get("/api/v1/leader-applications?status=pending", headers=t.op).json()["items"]
    assert [a["id"] for a in listed] == [app["id"]]

    done = t.post(f"/leader-applications/{app['id']}/approve", None, t.op, expect=200)
    twice = t.client.post(f"/api/v1/leader-applications/{app['id']}/approve", headers=t.op)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "not_pending"
    points = t.client.get(f"/api/v1/pickup-points?community_id={cid}", headers=t.op).json()["items"]
    assert [(p["id"], p["leader_id"]) for p in points] == [(done["pickup_point_id"], done["leader_id"])]
    mine = t.client.get("/api/v1/me/leader-application", headers=h).json()
    assert mine["status"] == "approved" and mine["leader_id"] == done["leader_id"]

    username = member["username"]
    as_leader = _login(t, username, "leader")
    assert as_leader.status_code == 200 and as_leader.json()["role"] == "leader"
    lh = bearer(as_leader.json()["access_token"])
    me = t.client.get("/api/v1/me", headers=lh).json()
    assert (me["role"], me["leader_id"], me["member_id"]) == ("leader", done["leader_id"], member["id"])
    profile = t.client.get("/api/v1/leader/profile", headers=lh).json()
    assert profile["profile"]["tier"] == "none" and profile["profile"]["type"] == "social"

    mh = bearer(_login(t, username).json()["access_token"])  # without role: the account's own (member)
    assert t.client.get("/api/v1/me", headers=mh).json()["role"] == "member"
    product = t.product()
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                               "pickup_point_id": done["pickup_point_id"]}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)

    again = t.client.post("/api/v1/leader-applications", headers=h, json=_apply_body(cid))
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_leader"
    assert _login(t, username, "operator").status_code == 401


def test_reject_needs_a_reason_and_members_see_it(make):
    t = make.tenant()
    member, h = t.member()
    app = t.post("/leader-applications", _apply_body(t.default_community()), h)
    assert t.client.post(f"/api/v1/leader-applications/{app['id']}/reject", headers=t.op,
                         json={}).status_code == 422
    out = t.post(f"/leader-applications/{app['id']}/reject", {"reason": "地址不在小区内"}, t.op, expect=200)
    assert out["status"] == "rejected" and out["reason"] == "地址不在小区内"
    mine = t.client.get("/api/v1/me/leader-application", headers=h).json()
    assert mine["status"] == "rejected" and mine["reason"] == "地址不在小区内"
    assert t.client.post(f"/api/v1/leader-applications/{app['id']}/approve", headers=t.op).status_code == 409
    # a rejected application is closed: the member may apply again, and cannot log in as leader
    assert t.client.post("/api/v1/leader-applications", headers=h,
                         json=_apply_body(t.default_community())).status_code == 201
    r = t.client.post("/api/v1/auth/login", json={"tenant": t.slug, "username": member["username"],
                                                  "password": PASSWORD, "role": "leader"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_credentials"
