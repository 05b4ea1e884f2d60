"""The kiosk's tickets: submission (moderated, own orders only), the conversation, assign, resolve, the
member's confirmation and rating, follow-up, and the console's queues."""

from __future__ import annotations

from linli.models import FeedbackMessage, FeedbackTicket
from tests.feedback.helpers import count, get, submit


def _paid_order(t, headers) -> int:
    product = t.product()
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}]}, headers)
    t.post(f"/orders/{order['id']}/pay", None, headers, expect=200)
    return order["id"]


def test_submit_with_own_order_and_walk_to_closed(make):
    t = make.tenant()
    m, mh = t.member()
    order_id = _paid_order(t, mh)
    ticket = submit(t, mh, order_id=order_id)
    assert ticket["status"] == "open" and ticket["order_id"] == order_id and ticket["member_id"] == m["id"]
    assert ticket["community_id"] == m["community_id"] and ticket["due_timer"] == "first_response"
    assert ticket["seconds_left"] == 3600
    assert [x["author_kind"] for x in ticket["messages"]] == ["member"]

    t.post(f"/feedback/tickets/{ticket['id']}/replies", {"body": "您好，已联系团长核实，稍后给您答复"})
    after = get(t, f"/feedback/tickets/{ticket['id']}", mh)
    assert after["status"] == "processing" and after["first_responded_at"] and after["due_timer"] == "resolution"
    assert after["messages"][-1]["author_kind"] == "operator"
    inbox = t.client.get("/api/v1/me/messages", headers=mh).json()["items"]
    assert any(x["title"] == "您的反馈有新回复" for x in inbox)

    t.post(f"/feedback/tickets/{ticket['id']}/assign", {}, expect=200)
    t.post(f"/feedback/tickets/{ticket['id']}/resolve", {"note": "已为您退款两个苹果的金额"}, expect=200)
    t.post(f"/feedback/tickets/{ticket['id']}/resolve", {"note": "again"}, expect=409)
    done = t.post(f"/feedback/tickets/{ticket['id']}/confirm", {"solved": True, "rating": 5}, mh, expect=200)
    assert done["status"] == "closed" and done["rating"] == 5 and done["followed_up_at"]
    t.post(f"/feedback/tickets/{ticket['id']}/replies", {"body": "还在吗"}, mh, expect=409)


def test_not_solved_reopens_and_operator_follow_up_closes(make):
    t = make.tenant()
    _, mh = t.member()
    ticket = submit(t, mh, category="配送与自提", text="自提点经常不开门")
    t.post(f"/feedback/tickets/{ticket['id']}/follow-up", {"note": "太早"}, expect=409)
    t.post(f"/feedback/tickets/{ticket['id']}/resolve", {"note": "已提醒团长按时开门"}, expect=200)
    back = t.post(f"/feedback/tickets/{ticket['id']}/confirm", {"solved": False, "comment": "今天还是没开"}, mh,
                  expect=200)
    assert back["status"] == "processing" and back["resolved_at"] is None
    t.post(f"/feedback/tickets/{ticket['id']}/resolve", {"note": "已更换自提点负责人"}, expect=200)
    closed = t.post(f"/feedback/tickets/{ticket['id']}/follow-up", {"note": "电话回访，居民满意"}, expect=200)
    assert closed["status"] == "closed" and closed["followed_up_at"]
    detail = get(t, f"/feedback/tickets/{ticket['id']}")
    assert detail["follow_up_note"] == "电话回访，居民满意"
    assert any("未解决" in x["body"] for x in detail["messages"])


def test_refusals_write_nothing(make):
    t = make.tenant()
    _, mh = t.member()
    _, other_h = t.member()
    others_order = _paid_order(t, other_h)
    submit(t, mh, order_id=others_order, expect=404)
    submit(t, mh, category="随便", expect=422)
    r = t.client.post("/api/v1/feedback/tickets", json={"category": "其他", "text": "这里有人出售冰毒"}, headers=mh)
    assert r.status_code == 422 and r.json()["error"]["code"] == "sensitive_content"
    assert count(t, FeedbackTicket) == 0 and count(t, FeedbackMessage) == 0
    t.post("/feedback/tickets", {"category": "其他", "text": "x"}, t.op, expect=403)


def test_review_words_keep_the_ticket_pending(make):
    t = make.tenant()
    _, mh = t.member()
    ticket = submit(t, mh, category="其他", text="有问题加微信聊")
    assert ticket["review_status"] == "pending" and ticket["status"] == "open"


def test_members_see_only_their_own(make):
    t = make.tenant()
    _, mh = t.member()
    _, other_h = t.member()
    mine = submit(t, mh)
    assert [x["id"] for x in get(t, "/feedback/tickets/mine", mh)] == [mine["id"]]
    assert get(t, "/feedback/tickets/mine", other_h) == []
    get(t, f"/feedback/tickets/{mine['id']}", other_h, expect=404)
    t.post(f"/feedback/tickets/{mine['id']}/replies", {"body": "我也是"}, other_h, expect=404)
    t.post(f"/feedback/tickets/{mine['id']}/confirm", {"solved": True}, other_h, expect=404)
    other_tenant = make.tenant()
    get(other_tenant, f"/feedback/tickets/{mine['id']}", expect=404)


def test_queues_and_filters(make):
    t = make.tenant()
    t.default_community()
    c2 = t.community()["id"]
    _, mh = t.member()
    _, far_h = t.member(c2)
    a = submit(t, mh)
    b = submit(t, far_h, category="功能建议", text="希望增加夜间配送")
    c = submit(t, mh, category="售后退款", text="退款还没到账")
    t.post(f"/feedback/tickets/{b['id']}/replies", {"body": "收到建议"})
    t.post(f"/feedback/tickets/{c['id']}/resolve", {"note": "已加急处理"}, expect=200)

    def ids(**q):
        return [x["id"] for x in get(t, "/feedback/tickets", **q)["items"]]

    assert ids(queue="pending") == [a["id"]]
    assert ids(queue="processing") == [b["id"]]
    assert ids(queue="follow_up") == [c["id"]]
    assert ids(queue="closed") == [] and ids(queue="overdue") == []
    assert ids(category="功能建议") == [b["id"]]
    assert ids(community_id=c2) == [b["id"]]
    assert set(ids()) == {a["id"], b["id"], c["id"]}
    page = get(t, "/feedback/tickets", limit=2)
    assert len(page["items"]) == 2 and page["next_cursor"]
    assert ids(since="2030-01-01T00:00:00+08:00") == []
