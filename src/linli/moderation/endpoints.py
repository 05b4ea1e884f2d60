from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from linli.core.http import Db, Operator
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, Out, ShortSearch
from linli.models import ModerationCase
from linli.moderation import cases, service, wordlist
from linli.moderation.schemas import (
    CaseOut,
    CaseTab,
    Category,
    CheckIn,
    CheckOut,
    DecisionIn,
    EscalateIn,
    HitOut,
    Level,
    SettingsIn,
    SettingsOut,
    SubjectKind,
    WordIn,
    WordOut,
    WordRefIn,
)

router = APIRouter(prefix="/moderation", tags=["moderation"])
Cursor = Annotated[str | None, Query(max_length=20)]


class WordPage(Out):
    items: list[WordOut]
    total: int


def _case(c: ModerationCase) -> CaseOut:
    return CaseOut.model_validate(c, from_attributes=True)


@router.post("/check", response_model=CheckOut)
def check(data: CheckIn, p: Operator, s: Db) -> CheckOut:
    hits = service.find_hits(s, p.tenant_id, data.text)
    return CheckOut(decision=service.decision_of(hits),  # type: ignore[arg-type]
                    hits=[HitOut(**service.hit_dict(h)) for h in hits],  # type: ignore[arg-type]
                    highlighted=service.highlight(data.text, [(h.start, h.end) for h in hits]))


@router.get("/cases", response_model=Page[CaseOut])
def list_cases(p: Operator, s: Db, tab: CaseTab = "pending", subject_kind: SubjectKind | None = None,
               limit: Limit = 50, cursor: Cursor = None) -> Page[CaseOut]:
    rows, nxt = cases.search(s, p.tenant_id, tab, subject_kind, limit, cursor)
    return Page[CaseOut](items=[_case(c) for c in rows], next_cursor=nxt)


@router.get("/cases/{moderation_case_id}", response_model=CaseOut)
def get_case(moderation_case_id: Id, p: Operator, s: Db) -> CaseOut:
    return _case(cases.get(s, p.tenant_id, moderation_case_id))


@router.post("/cases/{moderation_case_id}/decision", response_model=CaseOut)
def decide(moderation_case_id: Id, data: DecisionIn, p: Operator, s: Db) -> CaseOut:
    return _case(cases.decide(s, p, moderation_case_id, data.decision, data.reason))


@router.post("/cases/{moderation_case_id}/escalate", response_model=CaseOut)
def escalate(moderation_case_id: Id, data: EscalateIn, p: Operator, s: Db) -> CaseOut:
    return _case(cases.escalate(s, p, moderation_case_id, data.reason))


@router.get("/words", response_model=WordPage)
def list_words(p: Operator, s: Db, q: ShortSearch = None, category: Category | None = None,
               level: Level | None = None, enabled: bool | None = None,
               offset: Annotated[int, Query(ge=0, le=100_000)] = 0, limit: Limit = 50) -> WordPage:
    items, total = wordlist.search(s, p.tenant_id, q, category, level, enabled, offset, limit)
    return WordPage(items=[WordOut(**vars(v)) for v in items], total=total)


@router.post("/words", status_code=201, response_model=WordOut)
def add_word(data: WordIn, p: Operator, s: Db) -> WordOut:
    return WordOut(**vars(wordlist.add(s, p.tenant_id, p.user_id, data.word, data.level, data.category)))


@router.post("/words/disable", response_model=WordOut)
def disable_word(data: WordRefIn, p: Operator, s: Db) -> WordOut:
    return WordOut(**vars(wordlist.set_enabled(s, p.tenant_id, p.user_id, data.word, False)))


@router.post("/words/enable", response_model=WordOut)
def enable_word(data: WordRefIn, p: Operator, s: Db) -> WordOut:
    return WordOut(**vars(wordlist.set_enabled(s, p.tenant_id, p.user_id, data.word, True)))


@router.get("/settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsOut:
    version, seniors = cases.settings(s, p.tenant_id)
    return SettingsOut(words_version=version, senior_user_ids=seniors)


@router.put("/settings", response_model=SettingsOut)
def put_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsOut:
    version, seniors = cases.set_seniors(s, p, data.senior_user_ids)
    return SettingsOut(words_version=version, senior_user_ids=seniors)
