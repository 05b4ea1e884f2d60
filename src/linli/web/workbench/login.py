"""Logging in to and out of the workbench (a member who became a leader uses their member username)."""

from __future__ import annotations

from linli.web.login_pages import login_router
from linli.web.member.templating import render
from linli.web.workbench.guard import FACE

router = login_router(FACE, render, "workbench/login.html", ("平台", "账号"),
                      "该账号不是团长账号，请使用团长账号登录。", title="团长登录")
