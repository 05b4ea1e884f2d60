"""Each tenant's word list as one automaton, cached per (tenant, list version).

A tenant that never changed its list (version 0) shares the built-in automaton. Any word change raises the
version in the same transaction, so the next screen() after the commit builds the new automaton: the change
takes effect at once in every process, which each read the (tiny) version row per screening."""

from __future__ import annotations

import threading
from datetime import datetime

from sqlalchemy.orm import Session

from linli.moderation import repository as repo
from linli.moderation.matcher import Matcher
from linli.moderation.words import Term, builtin

_lock = threading.Lock()
_cache: dict[int, tuple[tuple[int, datetime | None], Matcher]] = {}
_shared: list[Matcher] = []


def default_matcher() -> Matcher:
    with _lock:
        if not _shared:
            _shared.append(Matcher(builtin()))
        return _shared[0]


def effective_terms(s: Session, tenant_id: int) -> list[Term]:
    rows = repo.tenant_words(s, tenant_id)
    disabled = {r.word for r in rows if not r.enabled}
    added = [Term(r.word, r.category, r.level) for r in rows if r.enabled and not r.builtin]
    # a tenant's own term first, so its level and category win over a built-in of the same spelling
    return added + [t for t in builtin() if t.word not in disabled]


def matcher_for(s: Session, tenant_id: int) -> Matcher:
    version = repo.words_version(s, tenant_id)
    if version[0] == 0:
        return default_matcher()
    cached = _cache.get(tenant_id)
    if cached and cached[0] == version:
        return cached[1]
    built = Matcher(effective_terms(s, tenant_id))
    with _lock:
        current = _cache.get(tenant_id)
        if current is None or current[0][0] <= version[0]:
            _cache[tenant_id] = (version, built)
    return built
