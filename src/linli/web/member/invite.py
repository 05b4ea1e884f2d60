"""邀请: a member's invite link (/m/invite/{code}) signs a new neighbour up and binds them to the inviter;
我的邀请 (/m/me/invite) shows the member their link and how their invites stand.

The browser keeps a device id in a cookie of its own: the inviter's page records it for the inviter and the
sign-up hands it to the referral rules, so signing a "friend" up on one's own phone is held for review."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from linli.core.errors import LinliError, NotFound, TooManyRequests
from linli.core.http import Db
from linli.member.schemas import MemberIn
from linli.referral import service as referrals
from linli.referral import signup
from linli.referral.signup import Invitation
from linli.web.member.guard import FACE, MemberPage
from linli.web.member.pages import is_id
from linli.web.member.templating import mask, render
from linli.web.signin import Refusal, sign_in

router = APIRouter()
Field = Annotated[str, Form(max_length=200)]
DEVICE_COOKIE = "linli_device"
DEVICE_DAYS = 365

# why a sign-up was refused, as the form says it (by the error's code, else by the field that failed)
_BY_CODE = {"username_taken": "该账号已被注册，请换一个。",
            "invalid_username": "账号为 2-60 位字母、数字、下划线、点或连字符。",
            "weak_password": "密码至少 8 位。",
            "unknown_community": "请选择你所在的小区。",
            "already_referred": "你已绑定过邀请人。",
            "not_new_member": "只有新会员可以绑定邀请人。",
            "self_invite": "不能邀请自己。"}
_BY_FIELD = {"name": "请填写姓名（不超过 100 个字）。", "phone": "请填写正确的手机号（6-15 位数字）。",
             "username": _BY_CODE["invalid_username"], "password": _BY_CODE["weak_password"],
             "community_id": _BY_CODE["unknown_community"]}


def _device(request: Request) -> str | None:
    value = request.cookies.get(DEVICE_COOKIE, "")
    return value if value.isascii() and 8 <= len(value) <= 80 and value.replace("-", "").replace("_", "").isalnum() \
        else None


def _keep_device(response: Response, request: Request, device: str) -> Response:
    response.set_cookie(DEVICE_COOKIE, device, max_age=DEVICE_DAYS * 86400, path=FACE.home, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https")
    return response


def _form(request: Request, invite: Invitation, error: str | None = None, status_code: int = 200,
          **values: str) -> Response:
    device = _device(request) or secrets.token_urlsafe(16)
    page = render(request, "member/invite.html", status_code=status_code, p=None, title="邀请你加入",
                  invite=invite, inviter=mask(invite.inviter_name), error=error,
                  community=next((c for c in invite.communities if c.id == invite.inviter_community_id), None),
                  values=values)
    return _keep_device(page, request, device)


def _unknown(request: Request) -> Response:
    return render(request, "member/not_found.html", status_code=404, p=None, title="邀请链接无效",
                  message="这个邀请链接不存在或已失效，请向邀请你的邻居重新要一个。")


@router.get("/invite/{code}")
def invite_page(request: Request, code: str, s: Db) -> Response:
    try:
        invite = signup.invitation(s, code)
    except NotFound:
        return _unknown(request)
    return _form(request, invite, community_id=str(invite.inviter_community_id))


@router.post("/invite/{code}")
def sign_up(request: Request, code: str, s: Db, name: Field = "", phone: Field = "", username: Field = "",
            password: Field = "", community_id: Field = "") -> Response:
    try:
        invite = signup.invitation(s, code)
    except NotFound:
        return _unknown(request)
    name, phone, username = name.strip(), phone.strip(), username.strip()
    again = {"name": name, "phone": phone, "username": username, "community_id": community_id}
    try:
        data = MemberIn(name=name, phone=phone, username=username, password=password,
                        community_id=int(community_id) if is_id(community_id) else 0)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors() and exc.errors()[0]["loc"] else ""
        return _form(request, invite, _BY_FIELD.get(field, "请检查填写的信息。"), 422, **again)
    address = request.client.host if request.client else "unknown"
    try:
        signup.sign_up(s, invite, data, address, _device(request))
    except TooManyRequests:
        s.rollback()
        return _form(request, invite, "注册太频繁，请稍后再试。", 429, **again)
    except LinliError as exc:  # bad input or a conflict: nothing was written
        s.rollback()
        return _form(request, invite, _BY_CODE.get(exc.code, "注册信息有误，请检查后重试。"), exc.status, **again)
    token = sign_in(request, s, invite.tenant_slug, username, password, "member", ("平台", "账号"),
                    "该账号不是会员账号。")
    if isinstance(token, Refusal):  # the account exists now; the login page says why it cannot sign in yet
        return RedirectResponse(f"{FACE.login}?tenant={invite.tenant_slug}", status_code=303)
    response = RedirectResponse(FACE.home, status_code=303)
    FACE.set_token(response, request, token.access_token, token.expires_in)
    return response


@router.get("/me/invite")
def my_invite(request: Request, p: MemberPage, s: Db) -> Response:
    assert p.member_id is not None
    mine = referrals.mine(s, p)
    device = _device(request) or secrets.token_urlsafe(16)
    referrals.remember_device(s, p.tenant_id, p.member_id, device)  # so a sign-up on this phone is flagged
    page = render(request, "member/my_invite.html", p=p, title="邀请好友", back="/m/me", mine=mine,
                  url=str(request.base_url).rstrip("/") + mine.link, program=referrals.program(s, p.tenant_id))
    return _keep_device(page, request, device)
