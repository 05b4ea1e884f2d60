"""One Aho-Corasick automaton (ahocorasick-rs) over a word list and its evasion variants.

Each term is folded like the text (normalise.fold), and Chinese terms of 2-4 characters also get their pinyin
spellings, full and mixed (赌博 -> dubo, 赌bo, du博), so "d u b o" and "赌 b o" fold onto a pattern. A pattern
edge that is a Latin letter matches only where the folded text has no Latin letter next to
it, so "dubo" is not found inside an English word, nor 加v inside 加vip."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import product

import ahocorasick_rs

from linli.moderation import normalise
from linli.moderation.words import Term

MAX_MIXED = 4  # 2**4 spellings per term at most


@dataclass(frozen=True)
class Hit:
    word: str
    category: str
    level: str
    start: int  # in the original text, end exclusive
    end: int
    matched: str


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@cache
def spellings(folded: str) -> tuple[str, ...]:
    """The folded term and its pinyin spellings (full and mixed) when it is 2-4 Chinese characters."""
    if not (2 <= len(folded) <= MAX_MIXED and all(_is_cjk(c) for c in folded)):
        return (folded,)
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(folded)
    if len(syllables) != len(folded) or not all(s.isascii() and s.isalpha() for s in syllables):
        return (folded,)
    out = []
    for choice in product((False, True), repeat=len(folded)):
        out.append("".join(s if use else c for c, s, use in zip(folded, syllables, choice, strict=True)))
    return tuple(out)


class Matcher:
    def __init__(self, terms: Iterable[Term]) -> None:
        patterns: list[str] = []
        owners: list[Term] = []
        seen: set[str] = set()
        for term in terms:
            folded = normalise.fold(term.word)
            if not folded or folded == normalise.BOUNDARY:
                continue
            for pattern in spellings(folded):
                if pattern not in seen:
                    seen.add(pattern)
                    patterns.append(pattern)
                    owners.append(term)
        self.size = len(owners)
        self._owners = owners
        self._edges = [(normalise.is_latin(p[0]), normalise.is_latin(p[-1])) for p in patterns]
        self._ac = ahocorasick_rs.AhoCorasick(patterns) if patterns else None

    def find(self, text: str) -> list[Hit]:
        if self._ac is None or not text:
            return []
        folded = normalise.fold(text)
        found = self._ac.find_matches_as_indexes(folded, overlapping=True)
        if not found:
            return []
        mapped = normalise.fold_with_map(text)
        raw: list[tuple[int, int, Term]] = []
        for index, start, end in found:
            if not _bounded(folded, start, end, *self._edges[index]):
                continue
            raw.append((start, end, self._owners[index]))
        return [Hit(t.word, t.category, t.level, a, b, text[a:b])
                for a, b, t in ((*mapped.original(s, e), t) for s, e, t in _outermost(raw))]


def _bounded(folded: str, start: int, end: int, latin_first: bool, latin_last: bool) -> bool:
    if latin_first and start > 0 and normalise.is_latin(folded[start - 1]):
        return False
    return not (latin_last and end < len(folded) and normalise.is_latin(folded[end]))


def _outermost(raw: list[tuple[int, int, Term]]) -> list[tuple[int, int, Term]]:
    """Drop a hit inside a longer one (赌博 inside 网络赌博), unless it is the stricter level."""
    raw.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, Term]] = []
    for start, end, term in raw:
        inside = [k for k in kept if k[0] <= start and end <= k[1]]
        if inside and not (term.level == "block" and all(k[2].level == "review" for k in inside)):
            continue
        kept.append((start, end, term))
    return kept
