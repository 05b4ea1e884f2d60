"""Logging in to and out of the member app."""

from __future__ import annotations

from linli.web.login_pages import login_router
from linli.web.member.guard import FACE
from linli.web.member.templating import render

router = login_router(FACE, render, "member/login.html", ("平台", "账号"),
                      "该账号不是会员账号，请使用会员账号登录。", title="登录")
