"""邀请: a member's invite link signs a new neighbour up (member service, referral bound, signed in), an unknown
code is a Chinese 404, bad input shows the form again and creates nothing, the referral fraud flags hold, sign-ups
are limited per address — and 我的邀请 shows the member their link."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from linli.models import Member, Referral, User
from linli.referral import signup
from linli.tenancy import service as tenancy
from tests.client import Client
from tests.factories import PASSWORD, SAME_ORIGIN

COOKIE = "linli_member"


def _phone(t, headers=None) -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    if headers:
        c.cookies.set(COOKIE, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                      path="/m")
    return c


def _code(t, headers) -> str:
    r = t.client.get("/api/v1/me/referral", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["link"] == f"/m/invite/{r.json()['code']}"
    return r.json()["code"]


def _form(community, **kw):
    return {"name": "周晓燕", "phone": "13912345678", "username": "zhouxy", "password": "secret-123",
            "community_id": str(community)} | kw


def _members(t) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(Member).where(Member.tenant_id == t.tenant_id)) or 0)


def _referral_of(t, username):
    with t.db.unit_of_work() as s:
        member = s.scalar(select(Member).join(User, User.id == Member.user_id)
                          .where(User.tenant_id == t.tenant_id, User.username == username))
        assert member is not None
        referral = s.scalar(select(Referral).where(Referral.invitee_member_id == member.id))
        s.expunge_all()
        return member, referral


def test_invite_link_signs_a_new_neighbour_up_binds_the_inviter_and_signs_them_in(make):
    t = make.tenant()
    home = t.community(name="翠苑三区")
    other = t.community(name="古荡新村")
    inviter, ih = t.member(home["id"])
    code = _code(t, ih)
    browser = _phone(t)
    page = browser.get(f"/m/invite/{code}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="zh-CN">' in html and f"租户{t.slug}" in html
    assert f"<strong>{inviter['name'][0]}**</strong>（翠苑三区）" in html  # who invited them, name masked
    assert inviter["phone"] not in html
    assert "翠苑三区" in html and "古荡新村" in html and f'action="/m/invite/{code}"' in html
    assert "linli_device" in page.headers["set-cookie"]

    r = browser.post(f"/m/invite/{code}", data=_form(other["id"]), follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/m"
    assert COOKIE in browser.cookies
    landed = browser.get("/m")
    assert landed.status_code == 200 and "/m/login" not in str(landed.url)
    me = browser.get("/m/me").text
    assert "周晓燕" in me

    member, referral = _referral_of(t, "zhouxy")
    assert (member.name, member.phone, member.community_id) == ("周晓燕", "13912345678", other["id"])
    assert referral is not None and referral.inviter_member_id == inviter["id"]
    assert referral.status == "registered" and referral.flag_reason is None
    # the new member logs in with what they chose
    t.login("zhouxy", "secret-123")
    # the inviter sees the invite counted
    assert t.client.get("/api/v1/me/referral", headers=ih).json()["invited"] == 1


def test_unknown_invite_code_is_a_chinese_404_page(make):
    t = make.tenant()
    _, mh = t.member()
    code = _code(t, mh)
    browser = _phone(t)
    for bad in ("NOSUCH23", "x" * 40, "%E4%B8%AD%E6%96%87", "ABC%00D"):
        r = browser.get(f"/m/invite/{bad}")
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), bad
        assert "邀请链接无效" in r.text and "不存在或已失效" in r.text
    before = _members(t)
    r = browser.post("/m/invite/NOSUCH23", data=_form(t.default_community()), follow_redirects=False)
    assert r.status_code == 404 and "邀请链接无效" in r.text and _members(t) == before
    assert browser.get(f"/m/invite/{code.lower()}").status_code == 200  # typed by hand in lower case


@pytest.mark.parametrize(("change", "status", "message"), [
    ({"password": "short"}, 422, "密码至少 8 位"),
    ({"phone": "12ab"}, 422, "请填写正确的手机号"),
    ({"name": "   "}, 422, "请填写姓名"),
    ({"username": "周 x"}, 422, "账号为 2-60 位字母"),
    ({"community_id": ""}, 422, "请选择你所在的小区"),
    ({"community_id": "999999"}, 422, "请选择你所在的小区"),
    ({"username": "taken"}, 409, "该账号已被注册"),
])
def test_bad_input_shows_the_form_again_with_a_chinese_message_and_creates_nothing(make, change, status, message):
    t = make.tenant()
    _, ih = t.member()
    code = _code(t, ih)
    with t.db.unit_of_work() as s:
        tenancy.create_user(s, t.tenant_id, "taken", PASSWORD, "member", "已注册")
    before = _members(t)
    browser = _phone(t)
    r = browser.post(f"/m/invite/{code}", data=_form(t.default_community(), **change), follow_redirects=False)
    assert r.status_code == status and r.headers["content-type"].startswith("text/html")
    assert message in r.text and 'id="signup-form"' in r.text
    assert COOKIE not in browser.cookies
    assert _members(t) == before
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Referral)) == 0
    if "name" not in change:
        assert 'value="周晓燕"' in r.text  # what they typed is kept (never the password)
    assert "secret-123" not in r.text


def test_same_phone_as_the_inviter_is_held_for_review(make):
    t = make.tenant()
    inviter, ih = t.member()
    code = _code(t, ih)
    r = _phone(t).post(f"/m/invite/{code}", data=_form(t.default_community(), phone=inviter["phone"]),
                       follow_redirects=False)
    assert r.status_code == 303
    _, referral = _referral_of(t, "zhouxy")
    assert referral.status == "flagged" and referral.flag_reason == "same_phone"


def test_signing_a_friend_up_on_the_inviters_own_phone_is_held_for_review(make):
    t = make.tenant()
    _, ih = t.member()
    browser = _phone(t, ih)
    page = browser.get("/m/me/invite")  # the inviter's phone: its device id is recorded for the inviter
    assert page.status_code == 200
    code = _code(t, ih)
    browser.cookies.delete(COOKIE, domain="testserver.local", path="/m")  # logged out, same phone
    r = browser.post(f"/m/invite/{code}", data=_form(t.default_community()), follow_redirects=False)
    assert r.status_code == 303
    _, referral = _referral_of(t, "zhouxy")
    assert referral.status == "flagged" and referral.flag_reason == "same_device"


def test_sign_ups_are_limited_per_address(make, monkeypatch):
    monkeypatch.setattr(signup, "SIGNUPS_PER_ADDRESS", 2)
    t = make.tenant()
    _, ih = t.member()
    code = _code(t, ih)
    cid = t.default_community()
    for n in range(2):
        r = _phone(t).post(f"/m/invite/{code}", data=_form(cid, username=f"new{n}"), follow_redirects=False)
        assert r.status_code == 303, r.text
    before = _members(t)
    r = _phone(t).post(f"/m/invite/{code}", data=_form(cid, username="new9"), follow_redirects=False)
    assert r.status_code == 429 and "注册太频繁" in r.text
    assert _members(t) == before


def test_my_invite_page_shows_the_members_link_and_invites(make):
    t = make.tenant()
    _, mh = t.member()
    browser = _phone(t, mh)
    assert 'href="/m/me/invite"' in browser.get("/m/me").text
    page = browser.get("/m/me/invite")
    assert page.status_code == 200
    code = _code(t, mh)
    html = page.text
    assert f'id="invite-link" value="http://testserver/m/invite/{code}"' in html  # a full link to paste
    assert "已邀请 <strong id=\"invited\">0</strong> 人" in html
    assert "邀请 1 人完成首单：100 积分" in html
    assert _phone(t).get("/m/me/invite", follow_redirects=False).status_code == 303  # members only
