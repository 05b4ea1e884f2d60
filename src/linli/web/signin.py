"""The sign-in step every face's login form shares (console, member app, workbench): validate, log in for
one role, count a failed attempt, and answer in Chinese. The pages differ only in template and wording."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.auth import service as auth
from linli.auth.schemas import LoginIn, TokenOut
from linli.core.errors import TooManyRequests, Unauthorized
from linli.core.http import count_failure
from linli.core.runtime import get_runtime


@dataclass(frozen=True)
class Refusal:
    message: str
    status_code: int


def sign_in(request: Request, s: Session, tenant: str, username: str, password: str, role: str,
            words: tuple[str, str], not_this_role: str) -> TokenOut | Refusal:
    """Log in as `role`. The account's own role is tried first; a member who became a leader is then signed in
    as the leader (one account, two faces); any other account of the wrong role is refused with
    `not_this_role`. `words` name the tenant and account fields as the page shows them, e.g. ("平台", "账号")."""
    place, account = words
    try:
        data = LoginIn(tenant=tenant, username=username, password=password)
    except ValidationError:
        return Refusal(f"请填写{place}、{account}和密码。", 422)
    address = request.client.host if request.client else "unknown"
    try:
        token = auth.login(s, get_runtime().signer, data, address)
    except Unauthorized:
        count_failure(s, list(auth.throttle_keys(data, address)), auth.window())
        return Refusal(f"{place}、{account}或密码错误。", 401)
    except TooManyRequests:
        return Refusal("登录失败次数过多，请稍后再试。", 429)
    if token.role == "member" and role == "leader":
        try:  # the password is right; only a member with a leaders row may take this face
            token = auth.login(s, get_runtime().signer, data.model_copy(update={"role": role}), address)
        except Unauthorized:
            return Refusal(not_this_role, 403)
    return token if token.role == role else Refusal(not_this_role, 403)
