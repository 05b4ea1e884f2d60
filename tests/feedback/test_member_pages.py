"""The kiosk in the member app: the bot answers and hands off, a submission with a photo and a recording, the
ticket page with the conversation and the member's confirmation."""

from __future__ import annotations

from fastapi.testclient import TestClient

from linli.feedback import bot
from tests.client import Client
from tests.feedback.helpers import get
from tests.web.test_chinese_text import english

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
M4A = b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 64


def _phone(t, headers) -> TestClient:
    c = Client(t.client.app, headers={"Origin": "http://testserver"})  # a browser's same-origin form posts
    c.cookies.set("linli_member", headers["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                  path="/m")
    return c


def test_ask_submit_and_confirm(make):
    t = make.tenant()
    with t.db.unit_of_work() as s:
        bot.load_defaults(s, t.tenant_id)
    _, mh = t.member()
    _, other_h = t.member()
    phone = _phone(t, mh)
    page = phone.get("/m/feedback")
    assert page.status_code == 200 and not english(page.text), english(page.text)
    answered = phone.post("/m/feedback/ask", data={"question": "几点可以去拿货"})
    assert answered.status_code == 200 and "8:00-21:00" in answered.text and "没帮助" in answered.text
    handed = phone.post("/m/feedback/ask", data={"question": "楼下路灯坏了好几天"}, follow_redirects=False)
    assert handed.status_code == 303 and "handed_off=1" in handed.headers["location"]

    bad = phone.post("/m/feedback", data={"category": "商品质量", "text": "图片有问题"},
                     files=[("files", ("x.png", b"<script>", "image/png"))])
    assert bad.status_code == 422 and "只支持" in bad.text
    assert len(get(t, "/feedback/tickets/mine", mh)) == 1  # the hand-off only: the refused one wrote nothing
    r = phone.post("/m/feedback", data={"category": "商品质量", "text": "收到的鸡蛋碎了三个"},
                   files=[("files", ("egg.png", PNG, "image/png")), ("files", ("voice.m4a", M4A, "audio/mp4"))],
                   follow_redirects=False)
    assert r.status_code == 303
    ticket_url = r.headers["location"].split("?")[0]
    ticket_id = int(ticket_url.rsplit("/", 1)[1])
    detail = get(t, f"/feedback/tickets/{ticket_id}")
    assert [a["kind"] for a in detail["attachments"]] == ["image", "voice"]
    shown = phone.get(ticket_url)
    assert shown.status_code == 200 and "收到的鸡蛋碎了三个" in shown.text and not english(shown.text)
    voice = phone.get(f"/m/feedback/attachments/{detail['attachments'][1]['id']}")
    assert voice.status_code == 200 and voice.content == M4A
    assert _phone(t, other_h).get(ticket_url).status_code == 404
    assert _phone(t, other_h).get(f"/m/feedback/attachments/{detail['attachments'][1]['id']}").status_code == 404

    t.post(f"/feedback/tickets/{ticket_id}/resolve", {"note": "已补发三个鸡蛋"}, expect=200)
    assert "问题解决了吗" in phone.get(ticket_url).text
    phone.post(f"{ticket_url}/confirm", data={"solved": "yes", "rating": "4", "comment": "很及时"})
    assert get(t, f"/feedback/tickets/{ticket_id}")["rating"] == 4


def test_the_leader_reads_the_community_feedback(make):
    t = make.tenant()
    c1 = t.default_community()
    c2 = t.community()["id"]
    _, mh = t.member(c1)
    _, far_h = t.member(c2)
    _, _, leader_h = t.leader(c1)
    t.post("/feedback/tickets", {"category": "团长服务", "text": "团长很热心，点赞"}, mh)
    t.post("/feedback/tickets", {"category": "其他", "text": "别的小区的反馈"}, far_h)
    wb = Client(t.client.app, headers={"Origin": "http://testserver"})
    wb.cookies.set("linli_leader", leader_h["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                   path="/w")
    page = wb.get("/w/feedback")
    assert page.status_code == 200 and "团长很热心" in page.text and "别的小区" not in page.text
    assert not english(page.text)
