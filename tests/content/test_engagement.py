"""Likes and favourites toggle idempotently; comments are moderated; views, dwell and shares are recorded."""

from __future__ import annotations

from datetime import timedelta

from linli.content import service
from linli.core import clock
from linli.models import PostComment
from tests.content.helpers import BLOCKED, SUSPICIOUS, api, behaviours, count, decide, interactions, post


def test_like_and_favourite_are_idempotent_toggles(make):
    t = make.tenant()
    m, h = t.member()
    _, other = t.member()
    p = post(t, other)
    for _ in range(2):  # setting twice keeps one
        r = api(t, "PUT", f"/posts/{p['id']}/like", h)
        assert r.status_code == 200 and r.json() == {"post_id": p["id"], "kind": "like", "active": True, "count": 1}
    assert api(t, "PUT", f"/posts/{p['id']}/favourite", h).json()["count"] == 1
    shown = api(t, "GET", f"/posts/{p['id']}", h).json()
    assert (shown["likes"], shown["favourites"], shown["liked"], shown["favourited"]) == (1, 1, True, True)
    assert [x["id"] for x in t.client.get("/api/v1/me/favourites", headers=h).json()["items"]] == [p["id"]]
    for _ in range(2):
        assert api(t, "DELETE", f"/posts/{p['id']}/like", h).json()["count"] == 0
    assert api(t, "GET", f"/posts/{p['id']}", other).json()["liked"] is False
    assert behaviours(t, "like") == [(m["id"], p["id"], None)]  # one event per real change
    assert api(t, "PUT", f"/posts/{p['id']}/like", t.op).status_code == 403


def test_comments_are_moderated_and_blocked_ones_write_nothing(make):
    t = make.tenant()
    _, h = t.member()
    _, neighbour = t.member()
    p = post(t, h)
    ok = t.post(f"/posts/{p['id']}/comments", {"body": "看起来真不错"}, neighbour)
    assert ok["status"] == "published"
    r = api(t, "POST", f"/posts/{p['id']}/comments", neighbour, {"body": BLOCKED})
    assert r.status_code == 422 and r.json()["error"]["code"] == "sensitive_content"
    assert api(t, "POST", f"/posts/{p['id']}/comments", neighbour, {"body": "长" * 501}).status_code == 422
    assert api(t, "POST", f"/posts/{p['id']}/comments", neighbour, {"body": "  "}).status_code == 422
    assert count(t, PostComment) == 1
    held = t.post(f"/posts/{p['id']}/comments", {"body": SUSPICIOUS}, neighbour)
    assert held["status"] == "pending_review"
    assert [c["id"] for c in api(t, "GET", f"/posts/{p['id']}/comments", h).json()] == [ok["id"]]
    assert [c["id"] for c in api(t, "GET", f"/posts/{p['id']}/comments", neighbour).json()] == [ok["id"], held["id"]]
    assert api(t, "GET", f"/posts/{p['id']}", h).json()["comments"] == 1
    decide(t, "comment", held["id"], "approved")
    assert api(t, "GET", f"/posts/{p['id']}", h).json()["comments"] == 2
    assert sorted(interactions(t, "comment")) == [f"comment:{ok['id']}", f"comment:{held['id']}"]
    assert len(behaviours(t, "comment")) == 2


def test_views_dwell_and_shares_feed_hot_posts(make):
    t = make.tenant()
    m, h = t.member()
    p, quiet = post(t, h), post(t, h, "没人看")
    for _ in range(3):
        assert api(t, "POST", f"/posts/{p['id']}/views", h).status_code == 200
    api(t, "POST", f"/posts/{quiet['id']}/views", h)
    assert api(t, "GET", f"/posts/{p['id']}", h).json()["views"] == 3
    assert api(t, "POST", f"/posts/{p['id']}/dwell", h, {"ms": 45_000}).json() == {"counted_ms": 45_000}
    assert api(t, "POST", f"/posts/{p['id']}/dwell", h, {"ms": 5 * 3600_000}).json() == {"counted_ms": 600_000}
    assert api(t, "POST", f"/posts/{p['id']}/dwell", h, {"ms": 100}).json() == {"counted_ms": 0}  # a bounce
    assert api(t, "POST", f"/posts/{p['id']}/dwell", h, {"ms": -5}).status_code == 422
    assert [d for _, _, d in behaviours(t, "dwell")] == [45_000, 600_000]
    assert len(behaviours(t, "view")) == 4
    for _ in range(2):
        api(t, "POST", f"/posts/{p['id']}/shares", h)
    assert interactions(t, "share") == [f"post:{p['id']}"] * 2  # the same ref: points credit it once
    with t.db.unit_of_work() as s:
        hot = service.hot_posts(s, t.tenant_id, min_views=2, since=clock.now() - timedelta(hours=1))
        assert [(x.id, x.views, x.kind) for x in hot] == [(p["id"], 3, "ugc")]
        assert service.hot_posts(s, t.tenant_id, min_views=1, since=clock.now() + timedelta(minutes=1)) == []
