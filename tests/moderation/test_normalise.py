"""Evasion handling: each way of disguising a term still hits, at its original position; ordinary text passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from linli.moderation import lists, normalise
from linli.moderation.words import builtin

EVASIONS = [
    ("traditional", "週末一起賭博嗎", "賭博", "赌博"),
    ("full-width", "加ＶＸ详聊", "加ＶＸ", "加vx"),
    ("upper case", "加VX详聊", "加VX", "加vx"),
    ("spaces", "来 赌 博 吧", "赌 博", "赌博"),
    ("symbols", "赌 * 博 和 赌.博", "赌 * 博", "赌博"),
    ("zero-width", "代\u200b开\u200b发\u200b票", "代\u200b开\u200b发\u200b票", "代开发票"),
    ("emoji", "赌🎲博", "赌🎲博", "赌博"),
    ("pinyin", "今晚dubo吗", "dubo", "赌博"),
    ("spaced pinyin", "今晚 d u b o 吗", "d u b o", "赌博"),
    ("mixed pinyin", "今晚赌bo吗", "赌bo", "赌博"),
    ("homophone", "有事加薇信", "加薇信", "加薇信"),
]


@pytest.mark.parametrize(("kind", "text", "matched", "word"), EVASIONS, ids=[e[0] for e in EVASIONS])
def test_each_evasion_still_hits_at_its_original_position(kind: str, text: str, matched: str, word: str) -> None:
    hits = lists.default_matcher().find(text)
    assert [(h.word, h.matched) for h in hits][:1] == [(word, matched)]
    assert text[hits[0].start:hits[0].end] == matched


def test_no_match_across_a_chinese_sentence_boundary_or_inside_latin_words() -> None:
    m = lists.default_matcher()
    assert m.find("食物中毒。品尝要小心") == []  # 毒品 spans a 。
    assert m.find("dubonnet is a wine, and we do book early") == []
    assert m.find("会员加VIP积分") == []  # 加v, but followed by more letters


def test_ordinary_shop_posts_have_no_hits() -> None:
    m = lists.default_matcher()
    posts = (Path(__file__).parent / "ordinary_posts.txt").read_text(encoding="utf-8").splitlines()
    assert len(posts) >= 50
    assert {p: [h.word for h in m.find(p)] for p in posts if m.find(p)} == {}


def test_the_builtin_list_is_large_and_levelled() -> None:
    terms = builtin()
    assert len(terms) >= 2000
    assert {t.level for t in terms} == {"block", "review"}
    assert {"gambling", "drugs", "invoice", "contact", "fake_orders", "private_deal", "abuse", "competitor",
            "food_rumour"} <= {t.category for t in terms}


def test_fold_keeps_a_map_back_to_the_original() -> None:
    text = "Ａ 賭*博！好"
    folded = normalise.fold_with_map(text)
    assert folded.text == normalise.fold(text) == "a赌博\n好"
    assert folded.original(1, 3) == (2, 5)
