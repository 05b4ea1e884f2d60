"""The FAQ bot: paraphrased questions find their entry (jieba + BM25 over question and keywords), weak
matches, 没帮助 and 转人工 hand off as a ticket, every exchange is logged, the index follows entry changes."""

from __future__ import annotations

import pytest

from linli.feedback import bot
from linli.models import FaqExchange
from tests.feedback.helpers import count, get

PARAPHRASES = [
    ("几点可以去拿货", "自提点几点开门，什么时间可以取货？"),
    ("退钱要多久才能到", "退款多久到账？"),
    ("积分能换什么东西", "积分有什么用？"),
    ("团没拼成钱会退吗", "拼团失败了钱怎么退？"),
    ("秒杀一个人最多买几件", "秒杀每人限购几件？"),
    ("能开电子发票吗", "可以开发票吗？"),
    ("我想换个提货点", "怎么修改自提点？"),
    ("水果烂了怎么办", "商品坏了、有质量问题怎么办？"),
    ("优惠券怎么领", "优惠券怎么领、怎么用？"),
    ("多久能送到家", "有送货上门吗？多久能送到？"),
]


@pytest.fixture
def shop(make):
    t = make.tenant()
    with t.db.unit_of_work() as s:
        assert bot.load_defaults(s, t.tenant_id) >= 20
        assert bot.load_defaults(s, t.tenant_id) == 0  # once
    return t


def test_paraphrases_find_their_entry(shop):
    _, mh = shop.member()
    wrong = []
    for question, expected in PARAPHRASES:
        r = shop.post("/feedback/bot/ask", {"question": question}, mh, expect=200)
        if r["outcome"] != "answered" or r["question"] != expected:
            wrong.append((question, r.get("question"), r["score"]))
    assert wrong == []
    stats = get(shop, "/feedback/bot/stats")
    assert stats["asked"] == len(PARAPHRASES) and stats["answer_rate"] == 1.0


def test_unknown_questions_hand_off_with_the_question(shop):
    _, mh = shop.member()
    r = shop.post("/feedback/bot/ask", {"question": "小区门口的路灯坏了"}, mh, expect=200)
    assert r["outcome"] == "handed_off" and r["ticket_id"] and r["answer"] is None
    ticket = get(shop, f"/feedback/tickets/{r['ticket_id']}", mh)
    assert ticket["source"] == "bot" and ticket["text"] == "小区门口的路灯坏了" and ticket["status"] == "open"


def test_not_helpful_and_transfer_hand_off_once(shop):
    _, mh = shop.member()
    _, other_h = shop.member()
    asked = shop.post("/feedback/bot/ask", {"question": "退款多久能到账"}, mh, expect=200)
    assert asked["outcome"] == "answered"
    shop.post(f"/feedback/bot/exchanges/{asked['exchange_id']}/helpful", {"helpful": False}, other_h, expect=404)
    first = shop.post(f"/feedback/bot/exchanges/{asked['exchange_id']}/helpful", {"helpful": False}, mh, expect=200)
    again = shop.post(f"/feedback/bot/exchanges/{asked['exchange_id']}/handoff", None, mh, expect=200)
    assert first["outcome"] == "handed_off" and again["ticket_id"] == first["ticket_id"]
    ticket = get(shop, f"/feedback/tickets/{first['ticket_id']}")
    assert ticket["category"] == "售后退款"
    assert [m["author_kind"] for m in ticket["messages"]] == ["member", "bot"]
    assert len(get(shop, "/feedback/tickets/mine", mh)) == 1

    good = shop.post("/feedback/bot/ask", {"question": "积分会过期吗"}, mh, expect=200)
    shop.post(f"/feedback/bot/exchanges/{good['exchange_id']}/helpful", {"helpful": True}, mh, expect=200)
    stats = get(shop, "/feedback/bot/stats")
    assert stats == {"asked": 2, "answered": 1, "handed_off": 1, "helpful": 1, "not_helpful": 1, "answer_rate": 0.5}
    assert count(shop, FaqExchange) == 2


def test_entry_changes_rebuild_the_index(shop):
    _, mh = shop.member()
    question = "小区里能寄快递吗"
    assert shop.post("/feedback/bot/ask", {"question": question}, mh, expect=200)["outcome"] == "handed_off"
    entry = shop.post("/feedback/faq", {"question": "可以代寄快递吗？", "keywords": "寄快递 快递 代收 驿站",
                                        "answer": "团长家自提点可代寄快递，运费按快递公司标准。", "category": "其他"})
    hit = shop.post("/feedback/bot/ask", {"question": question}, mh, expect=200)
    assert hit["outcome"] == "answered" and hit["faq_id"] == entry["id"]
    r = shop.client.put(f"/api/v1/feedback/faq/{entry['id']}", headers=shop.op, json={
        "question": "可以代寄快递吗？", "keywords": "寄快递", "answer": "暂不支持。", "category": "其他",
        "active": False})
    assert r.status_code == 200
    assert shop.post("/feedback/bot/ask", {"question": question}, mh, expect=200)["outcome"] == "handed_off"
    used = shop.client.delete(f"/api/v1/feedback/faq/{entry['id']}", headers=shop.op)
    assert used.status_code == 409 and used.json()["error"]["code"] == "faq_in_use"  # it answered someone
    unused = shop.post("/feedback/faq", {"question": "小区有快递柜吗？", "answer": "有，在 3 幢楼下。",
                                         "category": "其他"})
    assert shop.client.delete(f"/api/v1/feedback/faq/{unused['id']}", headers=shop.op).status_code == 204
    assert all(e["id"] != unused["id"] for e in get(shop, "/feedback/faq"))
    shop.post("/feedback/faq", {"question": "?", "answer": "x", "category": "其他"}, expect=422)
