"""The member pages of 邻里圈: wall with topics, a post (view, like toggle, comment, dwell), compose with an image,
polls, and a review from a picked-up order."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from linli.core import clock
from linli.models import Post
from tests.client import Client
from tests.content.helpers import BLOCKED, PNG, behaviours, count, post
from tests.factories import SAME_ORIGIN
from tests.lifecycle.helpers import picked_up


def _phone(t, headers) -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set("linli_member", headers["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                  path="/m")
    return c


def test_wall_post_and_compose_pages(make):
    t = make.tenant()
    _, h = t.member()
    phone = _phone(t, h)
    mine = post(t, h, "楼下的 #桂花# 开了")
    page = phone.get("/m/community").text
    assert f'data-post-id="{mine["id"]}"' in page and "#桂花#" in page and "邻里圈" in page
    assert "还没有动态" in phone.get("/m/community?topic=没有").text
    detail = phone.get(f"/m/community/posts/{mine['id']}")
    assert detail.status_code == 200 and 'data-dwell-url' in detail.text
    r = phone.post(f"/m/community/posts/{mine['id']}/react", data={"kind": "like"}, follow_redirects=False)
    assert r.status_code == 303
    assert 'aria-pressed="true"' in phone.get(f"/m/community/posts/{mine['id']}").text
    phone.post(f"/m/community/posts/{mine['id']}/react", data={"kind": "like"})
    assert t.client.get(f"/api/v1/posts/{mine['id']}", headers=h).json()["likes"] == 0
    r = phone.post(f"/m/community/posts/{mine['id']}/comments", data={"body": BLOCKED})
    assert r.status_code == 422 and "违规" in r.text
    phone.post(f"/m/community/posts/{mine['id']}/comments", data={"body": "好香"})
    assert "好香" in phone.get(f"/m/community/posts/{mine['id']}").text
    assert phone.post(f"/m/community/posts/{mine['id']}/dwell", data={"ms": "abc"}).status_code == 204
    assert phone.post(f"/m/community/posts/{mine['id']}/dwell", data={"ms": "99999999"}).status_code == 204
    assert [d for _, _, d in behaviours(t, "dwell")] == [600_000]
    assert phone.get("/m/community/posts/99999").status_code == 404

    r = phone.post("/m/community/new", data={"body": "晒晒 #晚餐#"}, files=[("files", ("a.png", PNG, "image/png"))],
                   follow_redirects=False)
    assert r.status_code == 303
    new_id = int(re.fullmatch(r"/m/community/posts/(\d+)", r.headers["location"]).group(1))
    assert t.client.get(f"/api/v1/posts/{new_id}", headers=h).json()["images"]
    r = phone.post("/m/community/new", data={"body": BLOCKED})
    assert r.status_code == 422 and "违规" in r.text
    r = phone.post("/m/community/new", data={"body": "x"}, files=[("files", ("a.png", b"<svg>", "image/png"))])
    assert r.status_code == 422 and "JPEG" in r.text
    assert count(t, Post) == 2


def test_poll_and_review_pages(make):
    t = make.tenant()
    _, point_id, leader_h = t.leader()
    product = t.product(stock=5)
    _, h = t.member()
    phone = _phone(t, h)
    poll = t.post("/polls", {"title": "下周团什么", "options": ["葡萄", "柚子"],
                             "deadline": (clock.now() + timedelta(days=2)).isoformat()})
    assert "下周团什么" in phone.get("/m/polls").text
    assert 'id="vote-form"' in phone.get(f"/m/polls/{poll['id']}").text
    r = phone.post(f"/m/polls/{poll['id']}/vote", data={"option": str(poll["options"][1]["id"])},
                   follow_redirects=False)
    assert r.status_code == 303
    page = phone.get(f"/m/polls/{poll['id']}").text
    assert 'id="results"' in page and "1 票 · 100.0%" in page
    assert phone.post(f"/m/polls/{poll['id']}/vote", data={"option": str(poll["options"][0]["id"])}).status_code == 409

    assert "没有待评价的商品" in phone.get("/m/reviews/new").text
    order_id = picked_up(t, h, product["id"], point_id, leader_h)
    assert f'value="{order_id}:{product["id"]}"' in phone.get("/m/reviews/new").text
    r = phone.post("/m/reviews/new", data={"item": f"{order_id}:{product['id']}", "stars": "4", "body": "很甜"},
                   follow_redirects=False)
    assert r.status_code == 303
    assert "没有待评价的商品" in phone.get("/m/reviews/new").text
