"""内容管理: every post with filters (kind by tab, status, community, dates, search), paging and export; pin /
take down / restore; the form for an official post or a recipe; polls with their create form and results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from linli.community import service as community
from linli.content import listing as content_listing
from linli.content import polls
from linli.content import service as content
from linli.content.schemas import PollIn, PollOut, PostIn
from linli.core import clock
from linli.core.errors import LinliError
from linli.core.http import Db
from linli.core.schemas import PageSearch
from linli.core.security import Principal
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source
from linli.web.console.templating import render

router = APIRouter()
KINDS = {"ugc": "邻里动态", "pgc": "官方内容", "recipe": "菜谱", "review": "评价晒单"}
STATUSES = {"published": "已发布", "pending_review": "待审核", "rejected": "未通过", "taken_down": "已下架"}
COLUMNS = [
    Column("ID", lambda r, x: r.id), Column("类型", lambda r, x: KINDS.get(r.kind, r.kind)),
    Column("作者", lambda r, x: r.author_name), Column("小区ID", lambda r, x: r.community_id),
    Column("标题", lambda r, x: r.title), Column("内容", lambda r, x: r.body),
    Column("话题", lambda r, x: " ".join(r.topics)), Column("评分", lambda r, x: r.stars),
    Column("状态", lambda r, x: STATUSES.get(r.status, r.status)),
    Column("置顶", lambda r, x: "是" if r.pinned else ""),
    Column("浏览", lambda r, x: r.views), Column("点赞", lambda r, x: r.likes), Column("评论", lambda r, x: r.comments),
    Column("发布时间", lambda r, x: r.created_at)]


def _view(kind: str | None) -> ListView:
    path = f"/console/content/{kind}" if kind else "/console/content"
    return ListView(path, "内容管理", f"内容{'-' + KINDS[kind] if kind else ''}", statuses=STATUSES, community=True,
                    search="搜索标题或内容", date_label="发布时间", columns=COLUMNS)


def _source(kind: str | None) -> Source:
    return Source(lambda s, p, f, n, size: content_listing.page(s, p, f, n, size, kind),
                  lambda s, p, f: content_listing.export(s, p, f, kind))


def _list(request: Request, p: Principal, s: Db, q: str, kind: str | None) -> Response:
    view = _view(kind)
    return listing.answer(request, p, s, view, listing.read(request, view, q), _source(kind),
                          template="console/content_posts.html", table="console/_content_table.html",
                          nav="content", kinds=KINDS, kind=kind, statuses=STATUSES)


@router.get("/content")
def content_list(request: Request, p: ConsoleOperator, s: Db, q: PageSearch = "") -> Response:
    return _list(request, p, s, q, None)


@router.get("/content/new")
def new_post_page(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _form(request, p, s)


def _form(request: Request, p: Principal, s: Db, error: str | None = None, status_code: int = 200,
          **values: str) -> Response:
    found, _ = community.search_communities(s, p, None, 200, None)
    return render(request, "console/content_new.html", status_code, p=p, title="发布内容", nav="content",
                  communities=[(c.id, c.name) for c in found], error=error, values=values)


@router.post("/content/new")
def create_post(request: Request, p: ConsoleOperator, s: Db, kind: Annotated[str, Form(max_length=10)] = "pgc",
                title: Annotated[str, Form(max_length=200)] = "", body: Annotated[str, Form(max_length=4000)] = "",
                community_id: Annotated[str, Form(max_length=18)] = "",
                product_ids: Annotated[str, Form(max_length=400)] = "",
                ingredients: Annotated[str, Form(max_length=2000)] = "",
                steps: Annotated[str, Form(max_length=4000)] = "", pinned: Annotated[str, Form(max_length=2)] = ""
                ) -> Response:
    values = {"kind": kind, "title": title, "body": body, "community_id": community_id, "product_ids": product_ids,
              "ingredients": ingredients, "steps": steps}
    try:
        ids = [int(x) for x in product_ids.replace("，", ",").split(",") if x.strip().isdigit()]
        content.create(s, p, PostIn(
            kind="recipe" if kind == "recipe" else "pgc", title=title or None, body=body,
            community_id=int(community_id) if community_id.isdigit() else None, product_ids=ids,
            ingredients=ingredients or None, steps=steps or None, pinned=pinned == "1"))
    except ValidationError:
        return _form(request, p, s, "请填写内容（最多 2000 字），标题最多 100 字。", 422, **values)
    except LinliError as exc:
        s.rollback()
        text = {"recipe_needs_products": "菜谱至少关联一个商品。", "unknown_product": "关联的商品不存在。",
                "unknown_community": "所选小区不存在。"}.get(exc.code, exc.message)
        return _form(request, p, s, text, exc.status, **values)
    return RedirectResponse("/console/content", status_code=303)


@router.post("/content/{post_id}/action")
def post_action(request: Request, p: ConsoleOperator, s: Db, post_id: int,
                action: Annotated[str, Form(max_length=12)] = "") -> Response:
    if action in ("take_down", "restore", "pin", "unpin"):
        try:
            content.moderate(s, p, post_id, action)
        except LinliError:
            s.rollback()
    back = request.headers.get("referer", "")
    return RedirectResponse(back if "/console/content" in back else "/console/content", status_code=303)


@router.get("/content/{kind}")
def content_kind_list(request: Request, p: ConsoleOperator, s: Db, kind: str, q: PageSearch = "") -> Response:
    return _list(request, p, s, q, kind if kind in KINDS else None)


# --- polls -----------------------------------------------------------------------------------------

@router.get("/polls")
def poll_list(request: Request, p: ConsoleOperator, s: Db) -> Response:
    found, _ = polls.search(s, p, 100, None)
    return _polls(request, p, s, found)


def _polls(request: Request, p: Principal, s: Db, found: list[PollOut], error: str | None = None,
           status_code: int = 200) -> Response:
    cs, _ = community.search_communities(s, p, None, 200, None)
    return render(request, "console/polls.html", status_code, p=p, title="投票与共创", nav="polls", polls=found,
                  communities=[(c.id, c.name) for c in cs], error=error)


@router.post("/polls")
def create_poll(request: Request, p: ConsoleOperator, s: Db, kind: Annotated[str, Form(max_length=12)] = "poll",
                title: Annotated[str, Form(max_length=200)] = "", options: Annotated[str, Form(max_length=2000)] = "",
                max_choices: Annotated[str, Form(max_length=2)] = "1",
                deadline: Annotated[str, Form(max_length=20)] = "",
                community_id: Annotated[str, Form(max_length=18)] = "") -> Response:
    try:
        at = clock.as_utc(datetime.fromisoformat(deadline))
        poll = polls.create(s, p, PollIn(
            kind="cocreation" if kind == "cocreation" else "poll", title=title,
            options=[o.strip() for o in options.splitlines() if o.strip()],
            max_choices=int(max_choices) if max_choices.isdigit() else 1, deadline=at,
            community_id=int(community_id) if community_id.isdigit() else None))
    except (ValueError, ValidationError, LinliError) as exc:
        s.rollback()
        text = "请填写标题、2-10 个不重复的选项（每行一个）和未来的截止时间。"
        if isinstance(exc, LinliError) and exc.code == "invalid_max_choices":
            text = "最多可选数不能超过选项数。"
        found, _ = polls.search(s, p, 100, None)
        return _polls(request, p, s, found, text, 422)
    return RedirectResponse(f"/console/polls/{poll.id}", status_code=303)


@router.get("/polls/{poll_id}")
def poll_page(request: Request, p: ConsoleOperator, s: Db, poll_id: int) -> Response:
    try:
        poll = polls.get(s, p, poll_id)
    except LinliError:
        return render(request, "console/not_found.html", 404, p=p, title="投票不存在", nav="polls",
                      message="投票不存在。", back_url="/console/polls")
    chart = {"labels": [o.text for o in poll.options if o.status == "published"],
             "votes": [o.votes for o in poll.options if o.status == "published"]}
    return render(request, "console/poll_detail.html", p=p, title=poll.title, nav="polls", poll=poll, chart=chart)


@router.post("/poll-options/{option_id}/decision")
def decide_option(p: ConsoleOperator, s: Db, option_id: int,
                  approved: Annotated[str, Form(max_length=1)] = "") -> Response:
    try:
        out = polls.review_option(s, p, option_id, approved == "1")
    except LinliError:
        s.rollback()
        return RedirectResponse("/console/polls", status_code=303)
    return RedirectResponse(f"/console/polls/{out.poll_id}", status_code=303)
