"""Console pages for 会员运营: points rules, the tier ladder, coupon templates, the stage chart and one
member's page — forms that change things, forms refused in Chinese, and operators only."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.schedule import DUE_JOBS
from tests.client import Client
from tests.factories import PASSWORD, SAME_ORIGIN

PAGES = ("/console/loyalty/points-rules", "/console/loyalty/tiers", "/console/coupons", "/console/loyalty/stages")


def _login(t):
    r = t.client.post("/console/login", data={"tenant": t.slug, "username": "admin", "password": PASSWORD},
                      follow_redirects=False)
    assert r.status_code == 303
    return r


def _api(t, path, headers=None):
    r = t.client.get(f"/api/v1{path}", headers=headers or t.op)
    assert r.status_code == 200, r.text
    return r.json()


def _deliver(t):
    return run_due(t.db, DUE_JOBS, build_registry())


def _grant(t, member_id, amount, reason="运营补偿"):
    r = t.client.post("/api/v1/points/grants", json={"member_id": member_id, "amount": amount, "reason": reason},
                      headers={**t.op, "Idempotency-Key": uuid.uuid4().hex})
    assert r.status_code == 201, r.text


def _cards(page):
    return dict(re.findall(r'<div class="card" id="([\w-]+)">\s*<div class="card-label">[^<]*</div>\s*'
                           r'<div class="card-value">([^<]*)</div>', page))


def _inputs(page):
    """The form's current values: name -> value (checkboxes: "on" when checked)."""
    values = dict(re.findall(r'<input name="(\w+)" value="([^"]*)"', page))
    values |= {n: "on" for n in re.findall(r'<input type="checkbox" name="(\w+)" value="on" checked>', page)}
    values |= dict(re.findall(r'<select name="(\w+)">.*?<option value="(\w+)" selected>', page, re.S))
    return values


# --- 积分规则 ------------------------------------------------------------------------------------

def test_points_rules_page_shows_the_rules_and_saves_them(make):
    t = make.tenant()
    _login(t)
    page = t.client.get("/console/loyalty/points-rules")
    assert page.status_code == 200 and "会员运营" in page.text and 'aria-current="page">积分规则</a>' in page.text
    for label in ("购物（每元）", "每日签到", "连续签到奖励", "评价", "分享", "邀请好友", "内容互动", "抵扣比例"):
        assert label in page.text
    form = _inputs(page.text)
    assert form["checkin_points"] == "5" and form["checkin_cap"] == "5" and form["review_cap"] == "30"
    assert form["points_per_yuan_deduction"] == "100" and form["expiry"] == "end_of_next_year"
    form |= {"checkin_points": "8", "checkin_cap": "8", "share_enabled": "", "review_cap": "",
             "points_per_yuan_deduction": "50", "max_order_deduction_percent": "30", "expiry": "days",
             "expiry_days": "365"}
    r = t.client.post("/console/loyalty/points-rules", data={k: v for k, v in form.items() if v != ""} | {
        "review_cap": ""}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/loyalty/points-rules?saved=1"
    rules = _api(t, "/points/rules")
    assert rules["checkin"] == {"points": 8, "daily_cap": 8, "enabled": True}
    assert rules["share"]["enabled"] is False and rules["review"]["daily_cap"] is None
    assert rules["points_per_yuan_deduction"] == 50 and rules["max_order_deduction_percent"] == 30
    assert rules["expiry"] == "days" and rules["expiry_days"] == 365
    saved = t.client.get(r.headers["location"]).text
    assert "积分规则已保存" in saved and _inputs(saved)["checkin_points"] == "8"
    # a member checking in now earns the new amount
    _, mh = t.member()
    assert t.post("/checkins", None, mh)["points"] == 8


@pytest.mark.parametrize(("field", "value", "message"), [
    ("checkin_points", "abc", "每日签到积分请填写 0–1000000 之间的整数。"),
    ("review_cap", "0", "评价每日上限请填写 1–1000000000 之间的整数。"),
    ("max_order_deduction_percent", "120", "抵扣上限请填写 0–100 之间的整数。"),
    ("points_per_yuan_deduction", "", "抵扣比例请填写 1–1000000 之间的整数。"),
    ("expiry", "never", "请选择积分有效期规则。"),
])
def test_points_rules_form_refuses_bad_input_in_chinese(make, field, value, message):
    t = make.tenant()
    _login(t)
    before = _api(t, "/points/rules")
    form = _inputs(t.client.get("/console/loyalty/points-rules").text) | {field: value}
    r = t.client.post("/console/loyalty/points-rules", data=form)
    assert r.status_code == 422 and message in r.text and "请修改标红的内容后再提交" in r.text
    assert f'name="{field}" value="{value}"' in r.text or field == "expiry"  # what was typed stays
    assert _api(t, "/points/rules") == before  # nothing written


def test_expiry_in_days_needs_the_days(make):
    t = make.tenant()
    _login(t)
    form = _inputs(t.client.get("/console/loyalty/points-rules").text) | {"expiry": "days", "expiry_days": ""}
    r = t.client.post("/console/loyalty/points-rules", data=form)
    assert r.status_code == 422 and "按天过期时请填写有效天数。" in r.text
    assert _api(t, "/points/rules")["expiry"] == "end_of_next_year"


# --- 会员等级 ------------------------------------------------------------------------------------

def test_tiers_page_shows_the_ladder_and_black_card_holders(make):
    t = make.tenant()
    _login(t)
    product = t.product(price_fen=10000, stock=50)
    for quantity in (1, 2, 3):
        _, mh = t.member()
        order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": quantity}]}, mh)
        t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    page = t.client.get("/console/loyalty/tiers").text
    assert 'aria-current="page">会员等级</a>' in page and "近12个月消费前 10%" in page
    assert _cards(page) == {"fig-regular": "≥ 0", "fig-silver": "≥ 1000", "fig-gold": "≥ 5000", "fig-black": "0"}
    form = _inputs(page)
    assert form["silver_min_growth"] == "1000" and form["gold_discount_percent"] == "5"
    assert form["gold_priority"] == "on" and "regular_priority" not in form and form["action_review"] == "5"
    r = t.client.post("/api/v1/tiers/black-card/recompute", headers=t.op)
    assert r.status_code == 200 and r.json()["holders"] == 1
    assert _cards(t.client.get("/console/loyalty/tiers").text)["fig-black"] == "1"


def test_tiers_form_saves_the_ladder(make):
    t = make.tenant()
    _login(t)
    form = _inputs(t.client.get("/console/loyalty/tiers").text) | {
        "silver_name": "银卡会员", "silver_min_growth": "800", "gold_min_growth": "3000", "gold_early": "45",
        "black_group_size": "200", "growth_per_yuan": "2", "action_share": "3"}
    form.pop("silver_priority")
    r = t.client.post("/console/loyalty/tiers", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/console/loyalty/tiers?saved=1"
    prog = _api(t, "/tiers")
    silver, gold = prog["levels"][1], prog["levels"][2]
    assert (silver["name"], silver["min_growth"], silver["priority_service"]) == ("银卡会员", 800, False)
    assert (gold["min_growth"], gold["flash_sale_early_minutes"]) == (3000, 45)
    assert prog["black_card"]["group_size_max"] == 200 and prog["growth_per_yuan"] == 2
    assert prog["action_growth"]["share"] == 3 and prog["action_growth"]["review"] == 5
    page = t.client.get(r.headers["location"]).text
    assert "会员等级已保存" in page and _cards(page)["fig-silver"] == "≥ 800"


@pytest.mark.parametrize(("changes", "message"), [
    ({"gold_min_growth": "900"}, "黄金会员所需成长值必须高于白银会员。"),
    ({"silver_min_growth": "0"}, "所需成长值请填写 1–1000000000 之间的整数。"),
    ({"gold_name": ""}, "等级名称请填写 1–20 个字。"),
    ({"black_discount_percent": "60"}, "会员价优惠（%）请填写 0–50 之间的整数。"),
    ({"regular_group_size": "1"}, "拼团人数上限请填写 2–1000 之间的整数。"),
    ({"action_review": "x"}, "评价成长值请填写 0–1000 之间的整数。"),
])
def test_tiers_form_refuses_bad_input_in_chinese(make, changes, message):
    t = make.tenant()
    _login(t)
    before = _api(t, "/tiers")
    form = _inputs(t.client.get("/console/loyalty/tiers").text) | changes
    r = t.client.post("/console/loyalty/tiers", data=form)
    assert r.status_code == 422 and message in r.text and "请修改标红的内容后再提交" in r.text
    assert _api(t, "/tiers") == before


# --- 优惠券 --------------------------------------------------------------------------------------

def _coupon_form(**kw):
    form = {"name": "满30减5", "discount": "5", "min_spend": "30", "total": "100", "per_member_limit": "1",
            "valid_from": "", "valid_to": "", "valid_days": "7"}
    return form | kw


def test_create_a_coupon_through_the_form_and_see_its_figures(make):
    t = make.tenant()
    _login(t)
    page = t.client.get("/console/coupons")
    assert page.status_code == 200 and "还没有优惠券" in page.text
    for label in ("立减金额", "门槛", "总量", "每人限领", "有效期至", "领取后有效天数"):
        assert label in page.text
    r = t.client.post("/console/coupons", data=_coupon_form(), follow_redirects=False)
    assert r.status_code == 303
    coupon_id = int(r.headers["location"].rsplit("/", 1)[1])
    api = _api(t, f"/coupons/{coupon_id}")
    assert (api["discount_fen"], api["min_spend_fen"], api["total"], api["per_member_limit"], api["valid_days"]) \
        == (500, 3000, 100, 1, 7)
    # two members claim one each; none is used on an order yet
    for _ in range(2):
        _, mh = t.member()
        t.post(f"/coupons/{coupon_id}/claim", None, mh)
    detail = t.client.get(f"/console/coupons/{coupon_id}").text
    assert _cards(detail) == {"fig-total": "100", "fig-claimed": "2", "fig-remaining": "98", "fig-used": "0"}
    assert "立减 ¥5.00" in detail and "满 ¥30.00" in detail and "领取后 7 天有效" in detail
    row = re.search(rf'<tr data-coupon="{coupon_id}">(.*?)</tr>', t.client.get("/console/coupons").text, re.S)
    assert row and re.search(r'fig-total">100<.*fig-claimed">2<.*fig-used">0<', row.group(1), re.S)


def test_a_coupon_used_on_an_order_counts_as_used(make):
    t = make.tenant()
    _login(t)
    product = t.product(price_fen=4000, stock=10)
    m, mh = t.member()
    coupon = t.post("/coupons", {"name": "满30减5", "discount_fen": 500, "min_spend_fen": 3000, "total": 10,
                                 "valid_days": 7})
    held = t.post(f"/coupons/{coupon['id']}/claim", None, mh)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                               "coupon_id": held["member_coupon_id"]}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    assert _cards(t.client.get(f"/console/coupons/{coupon['id']}").text)["fig-used"] == "1"
    coupons = re.search(r'id="member-coupons">(.*?)</table>', t.client.get(f"/console/members/{m['id']}").text,
                        re.S).group(1)
    assert "已使用" in coupons and f'href="/console/orders/{order["id"]}"' in coupons


def test_a_coupon_with_an_end_time_and_no_threshold(make):
    t = make.tenant()
    _login(t)
    ends = clock.local(clock.now()).replace(year=clock.local(clock.now()).year + 1).strftime("%Y-%m-%dT%H:%M")
    r = t.client.post("/console/coupons", data=_coupon_form(name="无门槛券", min_spend="0", valid_days="",
                                                            valid_to=ends), follow_redirects=False)
    assert r.status_code == 303, r.text
    api = _api(t, "/coupons")["items"][0]
    assert api["min_spend_fen"] == 0 and api["valid_days"] is None and api["valid_to"] is not None
    assert "无门槛" in t.client.get(r.headers["location"]).text


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": " "}, "name", "请填写优惠券名称。"),
    ({"discount": "abc"}, "discount", "立减金额请填写金额（元），例如 9.90，最多两位小数。"),
    ({"discount": "30"}, "discount", "立减金额必须小于使用门槛。"),
    ({"total": "0"}, "total", "发放总量请填写 1–100000000 之间的整数。"),
    ({"per_member_limit": "101"}, "per_member_limit", "每人限领请填写 1–100 之间的整数。"),
    ({"valid_days": ""}, "valid_days", "请填写截止时间或领取后有效天数（至少一项）。"),
    ({"valid_from": "2030-01-02T10:00", "valid_to": "2030-01-01T10:00"}, "valid_to", "截止时间必须晚于生效时间。"),
])
def test_coupon_form_refuses_bad_input_in_chinese(make, changes, field, message):
    t = make.tenant()
    _login(t)
    r = t.client.post("/console/coupons", data=_coupon_form(**changes))
    assert r.status_code == 422 and message in r.text and "请修改标红的内容后再提交" in r.text
    assert re.search(rf'field has-error">\s*<span class="field-label">[^<]*</span>\s*<[^>]*name="{field}"', r.text)
    assert _api(t, "/coupons")["items"] == []  # nothing written


def test_coupon_detail_not_found_and_switching_off(make):
    t = make.tenant()
    _login(t)
    for bad in ("999999", "abc", "１"):
        r = t.client.get(f"/console/coupons/{bad}")
        assert r.status_code == 404 and "不存在" in r.text
    other = make.tenant()
    foreign = other.post("/coupons", {"name": "别家的券", "discount_fen": 100, "total": 1, "valid_days": 1})
    assert t.client.get(f"/console/coupons/{foreign['id']}").status_code == 404
    coupon = t.post("/coupons", {"name": "满30减5", "discount_fen": 500, "min_spend_fen": 3000, "total": 10,
                                 "valid_days": 7})
    r = t.client.post(f"/console/coupons/{coupon['id']}/active", data={"active": "0"}, follow_redirects=False)
    assert r.status_code == 303 and _api(t, f"/coupons/{coupon['id']}")["active"] is False
    page = t.client.get(r.headers["location"]).text
    assert "已停用" in page and "恢复发放" in page
    t.client.post(f"/console/coupons/{coupon['id']}/active", data={"active": "1"})
    assert _api(t, f"/coupons/{coupon['id']}")["active"] is True


# --- 生命周期 ------------------------------------------------------------------------------------

def test_stage_chart_holds_thirty_days_and_todays_counts(make):
    t = make.tenant()
    _login(t)
    t.members(3)
    _deliver(t)  # the lifecycle handlers record each joining
    page = t.client.get("/console/loyalty/stages").text
    found = re.search(r'<script type="application/json" id="stage-data">(.*?)</script>', page, re.S)
    assert found and 'data-stage-chart="stage-data"' in page and "echarts.min.js" in page
    chart = json.loads(found.group(1))
    assert len(chart["days"]) == 30 and chart["days"][-1] == clock.local(clock.now()).strftime("%m-%d")
    assert [s["name"] for s in chart["series"]] == ["新用户", "活跃", "沉默", "沉睡", "核心"]
    assert all(len(s["data"]) == 30 for s in chart["series"])
    assert chart["series"][0]["data"][-1] == 3
    assert _cards(page) == {"card-new": "3", "card-active": "0", "card-silent": "0", "card-dormant": "0",
                            "card-core": "0"}
    assert "共 3 位会员" in page


# --- 会员详情 ------------------------------------------------------------------------------------

def test_member_detail_shows_stage_tier_points_and_coupons(make):
    t = make.tenant()
    _login(t)
    m, mh = t.member()
    _deliver(t)
    for i in range(21):
        _grant(t, m["id"], 10, reason=f"补偿{i + 1}")
    coupon = t.post("/coupons", {"name": "满30减5", "discount_fen": 500, "min_spend_fen": 3000, "total": 10,
                                 "valid_days": 7})
    t.post(f"/coupons/{coupon['id']}/claim", None, mh)
    t.post("/checkins", None, mh)
    _deliver(t)
    listing = t.client.get("/console/members").text
    assert f'href="/console/members/{m["id"]}"' in listing
    page = t.client.get(f"/console/members/{m['id']}")
    assert page.status_code == 200 and m["name"] in page.text and m["phone"] in page.text
    cards = _cards(page.text)
    assert cards["fig-points"] == "215" and cards["fig-stage"] == "新用户" and cards["fig-tier"] == "普通会员"
    assert cards["fig-growth"] == "1"  # the check-in's growth
    assert "注册" in page.text and "— → <strong>新用户</strong>" in page.text
    ledger = re.search(r'id="points-ledger">(.*?)</table>', page.text, re.S).group(1)
    assert ledger.count("<tr>") == 1 + 20 and "每日签到" in ledger and "运营发放" in ledger and "+10" in ledger
    coupons = re.search(r'id="member-coupons">(.*?)</table>', page.text, re.S).group(1)
    assert "满30减5" in coupons and "可使用" in coupons and "领取" in coupons
    nxt = re.search(r'href="([^"]*points_cursor=\d+[^"]*)" id="points-next"', page.text)
    assert nxt
    second = t.client.get(nxt.group(1).replace("&amp;", "&")).text
    ledger = re.search(r'id="points-ledger">(.*?)</table>', second, re.S).group(1)
    assert ledger.count("<tr>") == 1 + 2 and "补偿1<" in ledger


def test_member_detail_not_found(make):
    t = make.tenant()
    _login(t)
    other = make.tenant()
    stranger, _ = other.member()
    for bad in ("999999", "abc", str(stranger["id"])):
        r = t.client.get(f"/console/members/{bad}")
        assert r.status_code == 404 and "不存在" in r.text, bad


# --- operators only ------------------------------------------------------------------------------

def test_loyalty_pages_are_for_operators_only(make):
    t = make.tenant()
    m, mh = t.member()
    coupon = t.post("/coupons", {"name": "满30减5", "discount_fen": 500, "total": 10, "valid_days": 7})
    anonymous = Client(t.client.app, headers=SAME_ORIGIN)
    member = Client(t.client.app, headers=SAME_ORIGIN)
    member.cookies.set("linli_token", mh["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                       path="/console")
    before = (_api(t, "/points/rules"), _api(t, "/tiers"), _api(t, "/coupons"))
    for c in (anonymous, member):
        for path in (*PAGES, f"/console/coupons/{coupon['id']}", f"/console/members/{m['id']}"):
            r = c.get(path, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), path
        for path, data in (("/console/loyalty/points-rules", {"checkin_points": "99"}),
                           ("/console/loyalty/tiers", {"silver_min_growth": "1"}),
                           ("/console/coupons", {"name": "偷偷发券", "discount": "5", "total": "1",
                                                 "valid_days": "1"}),
                           (f"/console/coupons/{coupon['id']}/active", {"active": "0"})):
            r = c.post(path, data=data, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), path
    assert (_api(t, "/points/rules"), _api(t, "/tiers"), _api(t, "/coupons")) == before
