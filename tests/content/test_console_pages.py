"""The console's 内容管理: the list with kind tabs, status and community filters, export; pin / take down; the
official post and recipe form; polls created and their results page."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from linli.core import clock
from tests.client import Client
from tests.content.helpers import SUSPICIOUS, post
from tests.factories import SAME_ORIGIN


def _console(t) -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set("linli_token", t.op["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                  path="/console")
    return c


def test_content_list_filters_actions_and_export(make):
    t = make.tenant()
    a = t.community()["id"]
    _, h = t.member(a)
    ugc = post(t, h, "楼下的 #桂花# 开了")
    held = post(t, h, SUSPICIOUS)
    product = t.product()
    console = _console(t)
    page = console.get("/console/content").text
    assert f'data-post-id="{ugc["id"]}"' in page and f'data-post-id="{held["id"]}"' in page and "内容管理" in page
    assert f'data-post-id="{ugc["id"]}"' not in console.get("/console/content?status=pending_review").text
    assert f'data-post-id="{ugc["id"]}"' not in console.get("/console/content/recipe").text
    assert f'data-post-id="{ugc["id"]}"' in console.get(f"/console/content/ugc?community={a}").text
    csv = console.get("/console/content?format=csv")
    assert csv.status_code == 200 and "桂花" in csv.content.decode("utf-8-sig")

    r = console.post(f"/console/content/{ugc['id']}/action", data={"action": "take_down"}, follow_redirects=False)
    assert r.status_code == 303
    assert t.client.get(f"/api/v1/posts/{ugc['id']}", headers=t.op).json()["status"] == "taken_down"
    r = console.post("/console/content/new", data={"kind": "recipe", "title": "番茄炒蛋", "body": "家常菜 #菜谱#",
                                                  "product_ids": str(product["id"]), "steps": "先炒蛋"},
                     follow_redirects=False)
    assert r.status_code == 303
    recipe = t.client.get("/api/v1/posts", params={"kind": "recipe"}, headers=h).json()["items"]
    assert [x["title"] for x in recipe] == ["番茄炒蛋"]
    r = console.post("/console/content/new", data={"kind": "recipe", "body": "x"})
    assert r.status_code == 422 and "至少关联一个商品" in r.text


def test_polls_pages(make):
    t = make.tenant()
    _, h = t.member()
    console = _console(t)
    deadline = clock.local(clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    r = console.post("/console/polls", data={"title": "下周团什么", "options": "葡萄\n柚子\n", "deadline": deadline,
                                             "kind": "cocreation"}, follow_redirects=False)
    assert r.status_code == 303
    poll_id = int(r.headers["location"].rsplit("/", 1)[1])
    option = t.client.get(f"/api/v1/polls/{poll_id}", headers=h).json()["options"][0]["id"]
    t.post(f"/polls/{poll_id}/votes", {"option_ids": [option]}, h)
    page = console.get(f"/console/polls/{poll_id}").text
    assert 'id="poll-chart"' in page and "100.0%" in page and "下周团什么" in console.get("/console/polls").text
    r = console.post("/console/polls", data={"title": "x", "options": "只有一个", "deadline": deadline})
    assert r.status_code == 422
