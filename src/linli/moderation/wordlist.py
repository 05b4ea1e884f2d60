"""The tenant's view of the word list: built-in terms plus its own, searchable; add, disable and enable.

A change raises the tenant's list version in the same transaction (lists.py rebuilds on the next screen)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Invalid, NotFound
from linli.models import ModerationWord
from linli.moderation import normalise
from linli.moderation import repository as repo
from linli.moderation.words import builtin


@dataclass(frozen=True)
class WordView:
    word: str
    category: str
    level: str
    builtin: bool
    enabled: bool


def search(s: Session, tenant_id: int, q: str | None, category: str | None, level: str | None,
           enabled: bool | None, offset: int, limit: int) -> tuple[list[WordView], int]:
    """Tenant terms first (newest first), then the built-in list; (page, total)."""
    rows = repo.tenant_words(s, tenant_id)
    off = {r.word for r in rows if r.builtin and not r.enabled}
    views = [WordView(r.word, r.category, r.level, False, r.enabled) for r in reversed(rows) if not r.builtin]
    views += [WordView(t.word, t.category, t.level, True, t.word not in off) for t in builtin()]
    needle = normalise.fold(q) if q else ""
    picked = [v for v in views
              if (not needle or needle in normalise.fold(v.word))
              and (category is None or v.category == category) and (level is None or v.level == level)
              and (enabled is None or v.enabled == enabled)]
    return picked[offset:offset + limit], len(picked)


def _builtin_term(word: str) -> tuple[str, str] | None:
    for t in builtin():
        if t.word == word:
            return t.category, t.level
    return None


def add(s: Session, tenant_id: int, user_id: int, word: str, level: str, category: str) -> WordView:
    word = word.strip().lower()
    if not normalise.fold(word).replace(normalise.BOUNDARY, ""):
        raise Invalid("a term needs at least one letter, digit or Chinese character", code="invalid_word")
    if len(normalise.fold(word)) < 2:
        raise Invalid("a term is at least two characters (one would hit ordinary text)", code="word_too_short")
    row = repo.word(s, tenant_id, word)
    known = _builtin_term(word)
    if row is None and known is None:
        row = ModerationWord(tenant_id=tenant_id, word=word, category=category, level=level, builtin=False,
                             enabled=True, created_by=user_id)
        s.add(row)
    elif row is None:  # a built-in term: nothing to add, it is on already
        return WordView(word, known[0], known[1], True, True)  # type: ignore[index]
    else:
        row.enabled, row.updated_at = True, clock.now()
        if not row.builtin:
            row.level, row.category = level, category
    s.flush()
    repo.bump_version(s, tenant_id)
    return WordView(row.word, row.category, row.level, row.builtin, row.enabled)


def set_enabled(s: Session, tenant_id: int, user_id: int, word: str, enabled: bool) -> WordView:
    word = word.strip().lower()
    row = repo.word(s, tenant_id, word)
    known = _builtin_term(word)
    if row is None and known is None:
        raise NotFound("word not found", code="word_not_found")
    if row is None:
        assert known is not None
        row = ModerationWord(tenant_id=tenant_id, word=word, category=known[0], level=known[1], builtin=True,
                             enabled=enabled, created_by=user_id)
        s.add(row)
    else:
        row.enabled, row.updated_at = enabled, clock.now()
    s.flush()
    repo.bump_version(s, tenant_id)
    return WordView(row.word, row.category, row.level, row.builtin, row.enabled)
