"""Polls: one ballot per member, results with shares, the deadline, co-creation proposals, who sees what."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from linli.core import clock
from linli.models import PollBallot, PollOption
from tests.content.helpers import BLOCKED, SUSPICIOUS, api, count, decide, interactions


def _poll(t, h=None, **kw):
    body = {"title": "下周团购什么水果？", "options": ["葡萄", "柚子", "苹果"],
            "deadline": (clock.now() + timedelta(days=3)).isoformat()}
    body.update(kw)
    return t.post("/polls", body, h or t.op)


def test_one_ballot_per_member_results_and_deadline(make):
    t = make.tenant()
    (_, a), (_, b) = t.member(), t.member()
    poll = _poll(t)
    grape, pomelo, _ = (o["id"] for o in poll["options"])
    t.post(f"/polls/{poll['id']}/votes", {"option_ids": [grape]}, a)
    r = api(t, "POST", f"/polls/{poll['id']}/votes", a, {"option_ids": [pomelo]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_voted"
    r = api(t, "POST", f"/polls/{poll['id']}/votes", b, {"option_ids": [grape, pomelo]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "too_many_choices"
    voted = t.post(f"/polls/{poll['id']}/votes", {"option_ids": [pomelo]}, b)
    assert voted["ballots"] == 2 and voted["my_choices"] == [pomelo]
    assert [(o["votes"], o["share"]) for o in voted["options"]] == [(1, 0.5), (1, 0.5), (0, 0.0)]
    assert interactions(t, "vote") == [f"poll:{poll['id']}"] * 2
    _, late = t.member()
    clock.set_process_time(clock.now() + timedelta(days=3))
    r = api(t, "POST", f"/polls/{poll['id']}/votes", late, {"option_ids": [grape]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "poll_closed"
    assert api(t, "GET", f"/polls/{poll['id']}", late).json()["closed"] is True
    assert count(t, PollBallot) == 2


def test_multiple_choice_and_bad_polls(make):
    t = make.tenant()
    _, h = t.member()
    poll = _poll(t, max_choices=2)
    ids = [o["id"] for o in poll["options"]]
    assert t.post(f"/polls/{poll['id']}/votes", {"option_ids": ids[:2]}, h)["options"][0]["share"] == 1.0
    bad = [{"options": ["只有一个"]}, {"options": ["同", "同"]}, {"max_choices": 4},
           {"deadline": (clock.now() - timedelta(minutes=1)).isoformat()}, {"options": [str(i) for i in range(11)]}]
    for change in bad:
        body = {"title": "t", "options": ["a", "b", "c"], "deadline": (clock.now() + timedelta(days=1)).isoformat()}
        assert api(t, "POST", "/polls", t.op, {**body, **change}).status_code == 422, change
    assert api(t, "POST", "/polls", h, {"title": "t", "options": ["a", "b"],
                                         "deadline": (clock.now() + timedelta(days=1)).isoformat()}).status_code == 403
    other = _poll(t)
    r = api(t, "POST", f"/polls/{poll['id']}/votes", h, {"option_ids": [other["options"][0]["id"]]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_option"


def test_leader_polls_own_community_and_members_elsewhere_do_not_see_it(make):
    t = make.tenant()
    a, b = t.community()["id"], t.community()["id"]
    _, _, leader_h = t.leader(a)
    _, in_a = t.member(a)
    _, in_b = t.member(b)
    poll = _poll(t, leader_h, community_id=None)
    assert poll["community_id"] == a
    assert api(t, "POST", "/polls", leader_h, {"title": "t", "options": ["a", "b"], "community_id": b,
                                                "deadline": (clock.now() + timedelta(days=1)).isoformat()}
               ).status_code == 403
    assert [p["id"] for p in t.client.get("/api/v1/polls", headers=in_a).json()["items"]] == [poll["id"]]
    assert t.client.get("/api/v1/polls", headers=in_b).json()["items"] == []
    assert api(t, "POST", f"/polls/{poll['id']}/votes", in_b, {"option_ids": [poll["options"][0]["id"]]}
               ).status_code == 404
    other = make.tenant()
    _, stranger = other.member()
    assert api(other, "GET", f"/polls/{poll['id']}", stranger).status_code == 404


def test_cocreation_proposals_are_screened(make):
    t = make.tenant()
    (_, h), (_, neighbour) = t.member(), t.member()
    poll = _poll(t, kind="cocreation", title="给新菜品起名")
    shown = t.post(f"/polls/{poll['id']}/options", {"text": "邻里红烧肉"}, h)
    assert shown["status"] == "published"
    r = api(t, "POST", f"/polls/{poll['id']}/options", h, {"text": BLOCKED})
    assert r.status_code == 422 and r.json()["error"]["code"] == "sensitive_content"
    held = t.post(f"/polls/{poll['id']}/options", {"text": SUSPICIOUS}, h)
    assert held["status"] == "pending_review"
    assert count(t, PollOption) == 5
    texts = [o["text"] for o in api(t, "GET", f"/polls/{poll['id']}", neighbour).json()["options"]]
    assert "邻里红烧肉" in texts and SUSPICIOUS not in texts
    assert SUSPICIOUS in [o["text"] for o in api(t, "GET", f"/polls/{poll['id']}", h).json()["options"]]
    decide(t, "poll", held["id"], "rejected")
    assert api(t, "POST", f"/polls/{poll['id']}/votes", neighbour, {"option_ids": [held["id"]]}).status_code == 422
    t.post(f"/polls/{poll['id']}/votes", {"option_ids": [shown["id"]]}, neighbour)
    plain = _poll(t)
    r = api(t, "POST", f"/polls/{plain['id']}/options", h, {"text": "新选项"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "not_cocreation"


def test_concurrent_duplicate_votes_leave_one_ballot(make):
    """Meaningful on PostgreSQL (SQLite serialises writers): the unique key lets exactly one ballot in."""
    t = make.tenant()
    _, h = t.member()
    poll = _poll(t)
    option = poll["options"][0]["id"]

    def vote(_: int) -> int:
        return t.client.post(f"/api/v1/polls/{poll['id']}/votes", json={"option_ids": [option]},
                             headers=h).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = sorted(pool.map(vote, range(6)))
    assert codes == [201] + [409] * 5
    assert count(t, PollBallot) == 1
    assert api(t, "GET", f"/polls/{poll['id']}", h).json()["options"][0]["votes"] == 1
