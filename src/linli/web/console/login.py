"""Logging in to and out of the console."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from linli.core.http import Db
from linli.web.console import guard
from linli.web.console.templating import render
from linli.web.signin import Refusal, sign_in

router = APIRouter()
Field = Annotated[str, Form(max_length=200)]
WORDS = ("租户", "用户名")  # what the form calls the tenant and the account
NOT_THIS_ROLE = "该账号不是运营账号，不能登录运营后台。"


def _form(request: Request, error: str | None = None, status_code: int = 200, tenant: str = "",
          username: str = "", next_path: str = "") -> Response:
    return render(request, "console/login.html", status_code=status_code, error=error, tenant=tenant,
                  username=username, next_path=next_path)


@router.get("/login")
def login_form(request: Request, next: str = "") -> Response:
    if guard.current_operator(request) is not None:
        return RedirectResponse(guard.safe_next(next), status_code=303)
    return _form(request, next_path=guard.safe_next(next))


@router.post("/login")
def login(request: Request, s: Db, tenant: Field = "", username: Field = "", password: Field = "",
          next: Field = "") -> Response:
    tenant, username = tenant.strip(), username.strip()
    again = {"tenant": tenant, "username": username, "next_path": guard.safe_next(next)}
    token = sign_in(request, s, tenant, username, password, "operator", WORDS, NOT_THIS_ROLE)
    if isinstance(token, Refusal):
        return _form(request, token.message, token.status_code, **again)
    response = RedirectResponse(guard.safe_next(next), status_code=303)
    guard.set_token(response, request, token.access_token, token.expires_in)
    return response


@router.get("/logout")
def logout() -> Response:
    response = RedirectResponse(guard.LOGIN, status_code=303)
    guard.clear_token(response)
    return response
