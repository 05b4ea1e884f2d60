"""Posts: who may post where, the wall's visibility rules, topics, pinning, moderation outcomes, images."""

from __future__ import annotations

from linli.models import Post, PostTopic
from tests.content.helpers import BLOCKED, PNG, SUSPICIOUS, api, count, decide, interactions, post, wall


def test_member_posts_in_own_community_and_wall_shows_community_plus_tenant_wide(make):
    t = make.tenant()
    a, b = t.community()["id"], t.community()["id"]
    _, ah = t.member(a)
    _, bh = t.member(b)
    mine = post(t, ah, "小区门口的桂花开了 #秋天# #桂花#")
    assert mine["status"] == "published" and mine["community_id"] == a and mine["topics"] == ["秋天", "桂花"]
    assert mine["author_name"].startswith("居民")
    official = post(t, t.op, "全平台中秋活动 #中秋#", kind="pgc")  # tenant-wide
    local_b = post(t, t.op, "B 小区停水通知", kind="pgc", community_id=b)

    assert [p["id"] for p in wall(t, ah)] == [official["id"], mine["id"]]
    assert [p["id"] for p in wall(t, bh, community_id=a)] == [local_b["id"], official["id"]]  # own community only
    assert api(t, "GET", f"/posts/{mine['id']}", bh).status_code == 404  # another community's post
    assert api(t, "GET", f"/posts/{official['id']}", bh).status_code == 200
    assert [p["id"] for p in wall(t, ah, topic="桂花")] == [mine["id"]]
    assert wall(t, ah, topic="没有") == []
    # a member may not post in another community, nor publish official content
    r = api(t, "POST", "/posts", ah, {"body": "hi", "community_id": b})
    assert r.status_code == 422 and r.json()["error"]["code"] == "not_your_community"
    assert api(t, "POST", "/posts", ah, {"body": "hi", "kind": "pgc"}).status_code == 403
    assert interactions(t, "post") == [f"post:{mine['id']}"]  # points and growth for the member's post only


def test_pinned_first_take_down_and_restore(make):
    t = make.tenant()
    _, h = t.member()
    old = post(t, t.op, "置顶公告：团购规则", kind="pgc")
    newer = post(t, h, "新鲜的 #晚餐#")
    assert [p["id"] for p in wall(t, h)] == [newer["id"], old["id"]]
    assert t.post(f"/posts/{old['id']}/status", {"action": "pin"}, expect=200)["pinned"] is True
    assert [p["id"] for p in wall(t, h)] == [old["id"], newer["id"]]
    t.post(f"/posts/{newer['id']}/status", {"action": "take_down"}, expect=200)
    assert [p["id"] for p in wall(t, h)] == [old["id"]]
    assert api(t, "GET", f"/posts/{newer['id']}", h).json()["status"] == "taken_down"  # the author still sees it
    t.post(f"/posts/{newer['id']}/status", {"action": "restore"}, expect=200)
    assert len(wall(t, h)) == 2
    r = api(t, "POST", f"/posts/{old['id']}/status", h, {"action": "pin"})
    assert r.status_code == 403


def test_blocked_text_is_refused_and_nothing_is_written(make):
    t = make.tenant()
    _, h = t.member()
    r = api(t, "POST", "/posts", h, {"body": f"#话题# {BLOCKED}"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "sensitive_content"
    assert count(t, Post) == 0 and count(t, PostTopic) == 0
    assert interactions(t, "post") == []


def test_suspicious_post_waits_for_review_visible_to_author_only(make):
    t = make.tenant()
    _, h = t.member()
    _, neighbour = t.member()
    held = post(t, h, SUSPICIOUS)
    assert held["status"] == "pending_review"
    assert [p["id"] for p in wall(t, h)] == [held["id"]]  # the author sees it (审核中)
    assert wall(t, neighbour) == []
    assert api(t, "GET", f"/posts/{held['id']}", neighbour).status_code == 404
    assert api(t, "GET", f"/posts/{held['id']}", t.op).json()["status"] == "pending_review"  # the console does
    assert interactions(t, "post") == []
    decide(t, "post", held["id"], "approved")
    decide(t, "post", held["id"], "approved")  # a redelivery changes nothing
    assert [p["id"] for p in wall(t, neighbour)] == [held["id"]]
    assert interactions(t, "post") == [f"post:{held['id']}"]
    rejected = post(t, h, SUSPICIOUS + "再来")
    decide(t, "post", rejected["id"], "rejected")
    assert api(t, "GET", f"/posts/{rejected['id']}", h).json()["status"] == "rejected"
    assert [p["id"] for p in wall(t, neighbour)] == [held["id"]]


def test_images_are_checked_by_their_bytes(make):
    t = make.tenant()
    _, h = t.member()
    r = t.client.post("/api/v1/post-images", files={"file": ("a.png", PNG, "image/png")}, headers=h)
    assert r.status_code == 201, r.text
    name = r.json()["name"]
    assert t.client.get(r.json()["url"]).content == PNG
    bad = t.client.post("/api/v1/post-images", files={"file": ("a.png", b"<svg onload=x>", "image/png")}, headers=h)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unsupported_file_type"
    made = post(t, h, "晒图", images=[name])
    assert made["image_urls"] == [f"/api/v1/post-images/{name}"]
    unknown = api(t, "POST", "/posts", h, {"body": "x", "images": ["0" * 64 + ".png"]})
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "unknown_image"
    too_many = api(t, "POST", "/posts", h, {"body": "x", "images": [name] * 10})
    assert too_many.status_code == 422
    assert count(t, Post) == 1


def test_recipe_links_products_and_tenants_are_isolated(make):
    t = make.tenant()
    _, h = t.member()
    product = t.product()
    recipe = post(t, t.op, "糖醋排骨 #家常菜#", kind="recipe", title="糖醋排骨", product_ids=[product["id"]],
                  ingredients="排骨 500 克", steps="1. 焯水\n2. 炒糖色")
    assert recipe["product_ids"] == [product["id"]] and recipe["community_id"] is None
    r = api(t, "POST", "/posts", t.op, {"body": "x", "kind": "recipe", "product_ids": []})
    assert r.status_code == 422 and r.json()["error"]["code"] == "recipe_needs_products"
    member_recipe = post(t, h, "我的番茄炒蛋", kind="recipe", product_ids=[product["id"]])
    assert member_recipe["kind"] == "recipe" and member_recipe["author_member_id"] is not None

    other = make.tenant()
    _, oh = other.member()
    assert wall(other, oh) == []
    assert api(other, "GET", f"/posts/{recipe['id']}", oh).status_code == 404
    r = api(other, "POST", "/posts", other.op, {"body": "x", "kind": "recipe", "product_ids": [product["id"]]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_product"
