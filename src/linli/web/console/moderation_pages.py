"""内容审核 (the queue: 待审核 / 已升级 / 已处理, a case with its highlighted hits, decide or escalate) and
敏感词库 (search the list, add a term, disable or enable one, test a text)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.moderation import cases, service, wordlist
from linli.moderation.words import CATEGORIES, category_label
from linli.web.console.guard import ConsoleOperator
from linli.web.console.templating import is_id, render

router = APIRouter()
TABS = {"pending": "待审核", "escalated": "已升级", "decided": "已处理"}
KINDS = {"post": "帖子", "comment": "评论", "member_name": "会员昵称", "feedback": "反馈", "poll": "投票选项",
         "rating": "服务评价"}
STATUS = {"pending": "待审核", "escalated": "已升级", "approved": "已通过", "rejected": "已驳回"}
ERRORS = {"case_decided": "该内容已处理，不能重复处理。", "case_not_pending": "只有待审核的内容可以升级。",
          "not_senior_reviewer": "已升级的内容只能由高级审核员处理。", "word_too_short": "敏感词至少两个字符。",
          "invalid_word": "敏感词需要包含文字或字母。", "word_not_found": "词库中没有这个词。"}
Reason = Annotated[str, Form(max_length=500)]
Word = Annotated[str, Form(max_length=50)]
PAGE = 50


def _queue(request: Request, p: Principal, s: Session, tab: str, status_code: int = 200,
           error: str | None = None) -> Response:
    tab = tab if tab in TABS else "pending"
    rows, _ = cases.search(s, p.tenant_id, tab, None, 100, None)
    return render(request, "console/moderation.html", status_code=status_code, p=p, nav="moderation",
                  title="内容审核", rows=rows, tab=tab, tabs=TABS, counts=cases.counts(s, p.tenant_id),
                  kinds=KINDS, statuses=STATUS, error=error, label=category_label)


@router.get("/moderation")
def queue(request: Request, p: ConsoleOperator, s: Db, tab: str = "pending") -> Response:
    return _queue(request, p, s, tab)


def _detail(request: Request, p: Principal, s: Session, case_id: str, status_code: int = 200,
            error: str | None = None) -> Response:
    if not is_id(case_id):
        return _queue(request, p, s, "pending", 404, f"内容审核 #{case_id} 不存在。")
    try:
        case = cases.get(s, p.tenant_id, int(case_id))
    except NotFound:
        return _queue(request, p, s, "pending", 404, f"内容审核 #{case_id} 不存在。")
    spans = [(int(str(h["start"])), int(str(h["end"]))) for h in case.hits]
    pieces = service.highlight(case.text, spans)
    return render(request, "console/moderation_case.html", status_code=status_code, p=p, nav="moderation",
                  title=f"内容审核 #{case.id}", case=case, pieces=pieces, kinds=KINDS, statuses=STATUS,
                  label=category_label, senior=cases.is_senior(s, p), error=error)


@router.get("/moderation/cases/{case_id}")
def case_page(request: Request, p: ConsoleOperator, s: Db, case_id: str) -> Response:
    return _detail(request, p, s, case_id)


@router.post("/moderation/cases/{case_id}/decide")
def decide(request: Request, p: ConsoleOperator, s: Db, case_id: str, decision: Annotated[str, Form()] = "",
           reason: Reason = "") -> Response:
    if decision not in ("approve", "reject") or not is_id(case_id):
        return _detail(request, p, s, case_id, 422, "请选择通过或驳回。")
    if decision == "reject" and not reason.strip():
        return _detail(request, p, s, case_id, 422, "驳回时请填写原因。")
    try:
        cases.decide(s, p, int(case_id), decision, reason.strip() or None)
    except NotFound:
        return _queue(request, p, s, "pending", 404, f"内容审核 #{case_id} 不存在。")
    except (Conflict, Forbidden) as e:
        s.rollback()
        return _detail(request, p, s, case_id, e.status, ERRORS.get(e.code, "处理失败。"))
    return RedirectResponse(f"/console/moderation/cases/{case_id}?done=decided", status_code=303)


@router.post("/moderation/cases/{case_id}/escalate")
def escalate(request: Request, p: ConsoleOperator, s: Db, case_id: str, reason: Reason = "") -> Response:
    if not reason.strip() or not is_id(case_id):
        return _detail(request, p, s, case_id, 422, "升级时请填写原因。")
    try:
        cases.escalate(s, p, int(case_id), reason.strip())
    except NotFound:
        return _queue(request, p, s, "pending", 404, f"内容审核 #{case_id} 不存在。")
    except Conflict as e:
        s.rollback()
        return _detail(request, p, s, case_id, 409, ERRORS.get(e.code, "升级失败。"))
    return RedirectResponse(f"/console/moderation/cases/{case_id}?done=escalated", status_code=303)


def _words(request: Request, p: Principal, s: Session, q: str = "", offset: int = 0, status_code: int = 200,
           error: str | None = None, tested: str | None = None) -> Response:
    items, total = wordlist.search(s, p.tenant_id, q or None, None, None, None, offset, PAGE)
    test = None
    if tested:
        hits = service.find_hits(s, p.tenant_id, tested)
        test = {"decision": service.decision_of(hits), "hits": hits,
                "pieces": service.highlight(tested, [(h.start, h.end) for h in hits])}
    return render(request, "console/moderation_words.html", status_code=status_code, p=p, nav="moderation_words",
                  title="敏感词库", items=items, total=total, q=q, offset=offset, page=PAGE, error=error,
                  categories=CATEGORIES, label=category_label, tested=tested or "", test=test)


@router.get("/moderation/words")
def words(request: Request, p: ConsoleOperator, s: Db, q: Annotated[str, Query(max_length=50)] = "",
          offset: int = 0) -> Response:
    return _words(request, p, s, q.replace("\x00", ""), max(0, min(offset, 100_000)))


@router.post("/moderation/words")
def add_word(request: Request, p: ConsoleOperator, s: Db, word: Word = "", level: Annotated[str, Form()] = "review",
             category: Annotated[str, Form()] = "custom") -> Response:
    if level not in ("block", "review") or category not in CATEGORIES or not word.strip() or "\x00" in word:
        return _words(request, p, s, status_code=422, error="请填写敏感词并选择级别和分类。")
    try:
        wordlist.add(s, p.tenant_id, p.user_id, word, level, category)
    except Invalid as e:
        s.rollback()
        return _words(request, p, s, status_code=422, error=ERRORS.get(e.code, "添加失败。"))
    return RedirectResponse(f"/console/moderation/words?q={quote(word.strip())}", status_code=303)


@router.post("/moderation/words/{action}")
def toggle_word(request: Request, p: ConsoleOperator, s: Db, action: str, word: Word = "",
                q: Annotated[str, Form(max_length=50)] = "") -> Response:
    if action not in ("disable", "enable"):
        return _words(request, p, s, status_code=404, error="页面不存在。")
    try:
        wordlist.set_enabled(s, p.tenant_id, p.user_id, word, action == "enable")
    except NotFound:
        return _words(request, p, s, q, status_code=404, error=ERRORS["word_not_found"])
    return RedirectResponse(f"/console/moderation/words?q={quote(q)}", status_code=303)


@router.post("/moderation/test")
def test_text(request: Request, p: ConsoleOperator, s: Db,
              text: Annotated[str, Form(max_length=4000)] = "") -> Response:
    return _words(request, p, s, tested=text.replace("\x00", "") or None)
