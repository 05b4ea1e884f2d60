"""Logging in to and out of the console."""

from __future__ import annotations

from linli.web.console.guard import FACE
from linli.web.console.templating import render
from linli.web.login_pages import login_router

router = login_router(FACE, render, "console/login.html", ("租户", "用户名"), "该账号不是运营账号，不能登录运营后台。")
