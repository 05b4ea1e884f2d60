"""Reviews: only of a picked-up product of one's own order, once per order and product; the agreed reads."""

from __future__ import annotations

from datetime import timedelta

from linli.content import service
from linli.core import clock
from linli.models import Post
from tests.content.helpers import BLOCKED, api, count, interactions, post
from tests.lifecycle.helpers import picked_up


def test_review_a_picked_up_product_once(make):
    t = make.tenant()
    _, point_id, leader_h = t.leader()
    apple, pear = t.product(stock=10), t.product(stock=10)
    _, h = t.member()
    _, other = t.member()
    order_id = picked_up(t, h, apple["id"], point_id, leader_h)
    body = {"order_id": order_id, "product_id": apple["id"], "stars": 2, "body": "有点不新鲜 #售后#"}
    assert api(t, "POST", "/reviews", other, body).status_code == 404  # not their order
    r = api(t, "POST", "/reviews", h, {**body, "product_id": pear["id"]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "product_not_in_order"
    assert api(t, "POST", "/reviews", h, {**body, "stars": 6}).status_code == 422
    r = api(t, "POST", "/reviews", h, {**body, "body": BLOCKED})
    assert r.status_code == 422 and r.json()["error"]["code"] == "sensitive_content"
    assert count(t, Post) == 0
    review = t.post("/reviews", body, h)
    assert (review["kind"], review["stars"], review["status"]) == ("review", 2, "published")
    r = api(t, "POST", "/reviews", h, body)
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_reviewed"
    listed = t.client.get(f"/api/v1/products/{apple['id']}/reviews", headers=other).json()["items"]
    assert [x["id"] for x in listed] == [review["id"]]
    assert interactions(t, "review") == [f"review:{order_id}:{apple['id']}"]
    with t.db.unit_of_work() as s:
        since, until = clock.now() - timedelta(days=1), clock.now() + timedelta(days=1)
        assert service.review_stats(s, t.tenant_id, since=since, until=until) == (1, 1)
        assert service.review_stats(s, t.tenant_id, since=since, until=until, community_id=999) == (0, 0)
        assert service.review_stats(s, t.tenant_id, since=until, until=until + timedelta(days=1)) == (0, 0)


def test_review_needs_pickup(make):
    t = make.tenant()
    product = t.product(stock=10)
    _, h = t.member()
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}]}, h)
    t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
    r = api(t, "POST", "/reviews", h, {"order_id": order["id"], "product_id": product["id"], "stars": 5,
                                       "body": "好"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_picked_up"


def test_candidate_posts_are_published_visible_newest_first(make):
    t = make.tenant()
    a, b = t.community()["id"], t.community()["id"]
    _, ah = t.member(a)
    _, bh = t.member(b)
    product = t.product()
    first = post(t, ah, "#早餐# 豆浆油条")
    post(t, bh, "B 小区的帖子")
    post(t, ah, "想团购的加微信聊")  # held for review: not a candidate
    recipe = post(t, t.op, "番茄炒蛋 #家常菜#", kind="recipe", product_ids=[product["id"]])
    with t.db.unit_of_work() as s:
        found = service.candidate_posts(s, t.tenant_id, a, 10)
        assert [(c.id, c.topic, c.product_ids) for c in found] == [
            (recipe["id"], "家常菜", [product["id"]]), (first["id"], "早餐", [])]
        assert len(service.candidate_posts(s, t.tenant_id, None, 10)) == 3
        assert len(service.candidate_posts(s, t.tenant_id, a, 1)) == 1
