"""投票与共创: the polls a member may vote in, a poll's page (vote, results, propose an option)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.content import polls
from linli.content.schemas import ProposalIn, VoteIn
from linli.core.errors import LinliError
from linli.core.http import Db
from linli.core.security import Principal
from linli.web.member.guard import MemberPage
from linli.web.member.templating import render

router = APIRouter()
_TEXT = {"already_voted": "你已经投过票了。", "poll_closed": "投票已截止。", "too_many_choices": "选择的选项太多了。",
         "unknown_option": "选项无效。", "too_many_options": "选项已满，不能再提议。",
         "duplicate_option": "这个选项已经有了。"}


@router.get("/polls")
def polls_page(request: Request, p: MemberPage, s: Db) -> Response:
    found, _ = polls.search(s, p, 50, None)
    return render(request, "member/polls.html", p=p, title="投票与共创", back="/m/community", polls=found)


@router.get("/polls/{poll_id}")
def poll_page(request: Request, p: MemberPage, s: Db, poll_id: int) -> Response:
    return _poll(request, p, s, poll_id)


def _poll(request: Request, p: Principal, s: Session, poll_id: int, error: str | None = None,
          status_code: int = 200) -> Response:
    try:
        poll = polls.get(s, p, poll_id)
    except LinliError:
        return render(request, "member/not_found.html", 404, p=p, title="投票不存在", back="/m/polls",
                      message="投票不存在。")
    return render(request, "member/poll.html", status_code, p=p, title=poll.title, back="/m/polls", poll=poll,
                  error=error)


@router.post("/polls/{poll_id}/vote")
async def vote(request: Request, p: MemberPage, s: Db, poll_id: int) -> Response:
    form = await request.form()
    chosen = [int(v) for v in form.getlist("option") if isinstance(v, str) and v.isascii() and v.isdigit()
              and len(v) < 18]
    return _vote(request, p, s, poll_id, chosen)


def _vote(request: Request, p: Principal, s: Session, poll_id: int, chosen: list[int]) -> Response:
    try:
        polls.vote(s, p, poll_id, VoteIn(option_ids=chosen))
    except ValidationError:
        return _poll(request, p, s, poll_id, "请选择至少一个选项。", 422)
    except LinliError as exc:
        s.rollback()
        return _poll(request, p, s, poll_id, _TEXT.get(exc.code, "投票失败，请稍后再试。"), exc.status)
    return RedirectResponse(f"/m/polls/{poll_id}#results", status_code=303)


@router.post("/polls/{poll_id}/propose")
async def propose(request: Request, p: MemberPage, s: Db, poll_id: int) -> Response:
    text = (await request.form()).get("text")
    try:
        polls.propose(s, p, poll_id, ProposalIn(text=text if isinstance(text, str) else ""))
    except ValidationError:
        return _poll(request, p, s, poll_id, "选项为 1-100 字。", 422)
    except LinliError as exc:
        s.rollback()
        message = exc.message if exc.code == "sensitive_content" else _TEXT.get(exc.code, "提议失败。")
        return _poll(request, p, s, poll_id, message, exc.status)
    return RedirectResponse(f"/m/polls/{poll_id}#options", status_code=303)
