"""The pages: a product page view is recorded and shows up in the member home's 猜你喜欢 with its reason;
the console's member detail lists the member's recommendations with reasons."""

from __future__ import annotations

from sqlalchemy import select

from linli.models import BehaviourEvent
from tests.client import Client
from tests.factories import PASSWORD, SAME_ORIGIN


def test_view_is_recorded_and_feeds_home_and_console(make) -> None:
    t = make.tenant()
    apple = t.product(category="新鲜水果", name="阿克苏苹果")["id"]
    t.product(category="粮油调味", name="东北大米")
    m, mh = t.member()
    c = Client(t.client.app, headers=SAME_ORIGIN)
    assert c.post("/m/login", data={"tenant": t.slug, "username": m["username"], "password": PASSWORD},
                  follow_redirects=False).status_code == 303
    assert c.get(f"/m/products/{apple}").status_code == 200
    with t.db.unit_of_work() as s:
        rows = s.execute(select(BehaviourEvent.member_id, BehaviourEvent.item_kind, BehaviourEvent.item_id,
                                BehaviourEvent.action).where(BehaviourEvent.tenant_id == t.tenant_id)).all()
    assert [tuple(r) for r in rows] == [(m["id"], "product", apple, "view")]

    home = c.get("/m").text
    assert "猜你喜欢" in home and "阿克苏苹果" in home and "您看过" in home
    first = home.index('id="home-picks"')
    assert home.index("阿克苏苹果", first) < home.index("东北大米", first)  # the viewed product leads

    op = Client(t.client.app, headers=SAME_ORIGIN)
    op.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD})
    page = op.get(f"/console/members/{m['id']}")
    assert page.status_code == 200
    section = page.text[page.text.index('id="member-recommendations"'):]
    assert "推荐" in section and "阿克苏苹果" in section and "您看过" in section

    # posts: a neighbour's post the member dwelt on ranks on /m/recommended with its reason, via the API too
    _, author = t.member()
    older = t.post("/posts", {"body": "今天做了红烧肉 #家常菜#"}, author)["id"]
    newer = t.post("/posts", {"body": "楼下的桂花开了 #秋天#"}, author)["id"]
    assert t.client.post(f"/api/v1/posts/{older}/dwell", json={"ms": 40_000}, headers=mh).status_code < 300
    ranked = t.client.get("/api/v1/recommendations?kind=post", headers=mh).json()
    assert {i["id"] for i in ranked["items"]} == {older, newer} and ranked["cold"] is False
    page = c.get("/m/recommended")
    assert page.status_code == 200 and "红烧肉" in page.text and "桂花" in page.text
    assert "本小区动态" in page.text or "新鲜发布" in page.text
