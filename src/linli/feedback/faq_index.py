"""The FAQ bot's retrieval: BM25 (bm25s) over jieba-segmented question + keywords, one index per tenant,
cached in the process and rebuilt when the tenant's faq_revision moves (every entry change bumps it, so
every process notices on its next question)."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# words that say nothing about which question is meant
_STOP = ("我想 我要 才能 就是 的 了 吗 呢 吧 啊 呀 么 是 在 我 你 他 她 我们 可以 能 能不能 可不可以 会 要 想 请问 请 "
         "一下 怎么 怎样 如何 什么 哪 哪里 哪儿 有 没有 和 与 或 就 都 也 还 又 去 到 给 把 被 让 这 那 这个 那个 "
         "一个 个 嘛 哦 呗")
STOPWORDS = frozenset(_STOP.split())
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    """score: BM25; coverage: the share of the question's words found in the entry (one rare shared word
    can score high on a short question about something else: "路灯坏了" is not "商品坏了")."""

    faq_id: int
    score: float
    coverage: float


@dataclass
class _Index:
    revision: int
    ids: list[int]
    words: list[frozenset[str]]
    model: Any  # bm25s.BM25, or None for a tenant without entries


MIN_COVERAGE = 0.5  # at least half the question's words must be in the entry
_cache: dict[int, _Index] = {}
_lock = threading.Lock()


def tokens(text: str) -> list[str]:
    """jieba's search-mode words (long words and their parts), lower-cased, without stopwords and punctuation."""
    import jieba  # imported when the bot is first asked: loading the dictionary costs ~1 s

    jieba.setLogLevel(logging.WARNING)
    return [w for w in (t.strip().lower() for t in jieba.lcut_for_search(text))
            if w and w not in STOPWORDS and not _PUNCT.match(w)]


def document(question: str, keywords: str) -> list[str]:
    return tokens(f"{question} {keywords.replace(',', ' ').replace('，', ' ')}")


def best(tenant_id: int, revision: int, entries: Sequence[tuple[int, str, str]] | None, question: str,
         load: Any = None) -> Hit | None:
    """The best-scoring entry for the question (None when nothing matches a word). `load()` returns the
    tenant's (id, question, keywords) rows; it is called only when the cached index is stale."""
    index = _cache.get(tenant_id)
    if index is None or index.revision != revision:
        rows = entries if entries is not None else load()
        index = _build(revision, rows)
        with _lock:
            _cache[tenant_id] = index
    query = tokens(question)
    if index.model is None or not query:
        return None
    scores = index.model.get_scores(query)
    top = int(scores.argmax())
    if scores[top] <= 0:
        return None
    coverage = sum(1 for w in query if w in index.words[top]) / len(query)
    return Hit(index.ids[top], round(float(scores[top]), 3), round(coverage, 3))


def _build(revision: int, rows: Sequence[tuple[int, str, str]]) -> _Index:
    if not rows:
        return _Index(revision, [], [], None)
    import bm25s

    docs = [document(q, k) or ["_"] for _, q, k in rows]
    model = bm25s.BM25()
    model.index(docs, show_progress=False)
    return _Index(revision, [i for i, _, _ in rows], [frozenset(d) for d in docs], model)


def forget(tenant_id: int | None = None) -> None:
    with _lock:
        if tenant_id is None:
            _cache.clear()
        else:
            _cache.pop(tenant_id, None)
