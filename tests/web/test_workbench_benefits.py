"""星火计划 benefits where the leader meets them: the 我的权益 card on the dashboard (and the API's dashboard), and
优先选品 — a 社区管家 sees the campaign line-up 14 days ahead, a 新团长 3 days."""

from __future__ import annotations

import re
from datetime import timedelta

from linli.core import clock
from linli.leader import service as leaders
from tests.web.test_workbench import _phone


def _steward(t):
    leader_id, _, lh = t.leader()
    with t.db.unit_of_work() as s:
        leaders.set_tier(s, t.tenant_id, leader_id, "steward", "test")
    return leader_id, lh


def test_the_dashboard_shows_my_tier_benefits_and_the_next_ones(make):
    t = make.tenant()
    _, _, newcomer = t.leader()
    _, steward = _steward(t)
    board = t.client.get("/api/v1/leader/dashboard", headers=newcomer).json()
    assert board["benefits"]["tier"] == "none" and board["benefits"]["commission_bp"] == 500
    assert board["next_benefits"]["tier"] == "observer" and board["next_benefits"]["training_access"] is True
    html = _phone(t, newcomer).get("/w").text
    card = re.search(r'id="benefits">(.*?)</section>', html, re.S).group(1)
    assert "新团长" in card and "5%" in card and "未开通" in card
    assert "升级到「社区观察员」：佣金 6%，开通进阶课" in card

    board = t.client.get("/api/v1/leader/dashboard", headers=steward).json()
    assert (board["benefits"]["marketing_subsidy_fen"], board["next_benefits"]["tier"]) == (20_000, "ambassador")
    card = re.search(r'id="benefits">(.*?)</section>', _phone(t, steward).get("/w").text, re.S).group(1)
    assert "8%" in card and "¥200.00 / 月" in card and "未开通" not in card


def test_priority_selection_shows_campaigns_14_days_ahead(make):
    t = make.tenant()
    _, _, newcomer = t.leader()
    _, steward = _steward(t)
    for name, days in (("明天的鸡蛋", 1), ("下周的大米", 7), ("一个月后的月饼", 30)):
        start = clock.now() + timedelta(days=days)
        product = t.product(name=name)
        t.post("/flash-sales", {"product_id": product["id"], "price_fen": 500, "quantity": 10,
                                "per_member_limit": 1, "starts_at": start.isoformat(),
                                "ends_at": (start + timedelta(hours=2)).isoformat()})
    html = _phone(t, newcomer).get("/w/calendar").text
    assert "明天的鸡蛋" in html and "下周的大米" not in html and "一个月后的月饼" not in html
    assert "可查看未来 3 天的活动排期；另有 2 场活动在此之后开始，升级到社区管家享优先选品，可提前 14 天看到" in html
    html = _phone(t, steward).get("/w/calendar").text
    assert "明天的鸡蛋" in html and "下周的大米" in html and "一个月后的月饼" not in html
    assert "可查看未来 14 天的活动排期；另有 1 场活动在此之后开始。" in html


def test_the_advanced_training_opens_with_the_tiers_training_access(make):
    t = make.tenant()
    _, _, newcomer = t.leader()
    leader_id, _, observer = t.leader()
    with t.db.unit_of_work() as s:
        leaders.set_tier(s, t.tenant_id, leader_id, "observer", "test")
    courses = t.client.get("/api/v1/leader/training", headers=newcomer).json()
    basic = [c for c in courses if not c["advanced"]]
    advanced = [c for c in courses if c["advanced"]]
    assert basic and advanced
    assert all(c["unlocked"] and c["steps"] for c in basic)
    assert all(not c["unlocked"] and c["steps"] == [] for c in advanced)  # the title shows, the content not
    assert all(c["unlocked"] and c["steps"] for c in t.client.get("/api/v1/leader/training", headers=observer).json())
    html = _phone(t, newcomer).get("/w/training").text
    locked = re.findall(r'class="card wb-course locked" id="course-([\w-]+)"', html)
    assert sorted(locked) == sorted(c["code"] for c in advanced) and "升级到社区观察员即可开通进阶课程" in html
    assert advanced[0]["title"] in html and "<ol" in html
    assert 'class="card wb-course locked"' not in _phone(t, observer).get("/w/training").text

