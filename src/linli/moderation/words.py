"""The built-in sensitive-word list: data files words/<level>_<category>.txt, one term per line ('#' comments).

Levels: block (illegal or prohibited: refuse) and review (suspicious for a community shop: a person looks)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

WORDS_DIR = Path(__file__).parent / "words"
LEVELS = ("block", "review")
CATEGORIES = {
    "gambling": "赌博", "drugs": "毒品", "weapons": "枪支弹药", "fraud": "诈骗", "counterfeit": "假币假证",
    "invoice": "代开发票", "porn": "色情", "contraband": "违禁交易", "violence": "暴力恐怖",
    "contact": "引流加微信", "fake_orders": "刷单返现", "private_deal": "私下交易", "abuse": "辱骂",
    "competitor": "竞品导流", "food_rumour": "食品安全谣言", "custom": "自定义",
}


@dataclass(frozen=True)
class Term:
    word: str
    category: str
    level: str


@cache
def builtin() -> tuple[Term, ...]:
    """Every built-in term, block files first (a term listed twice keeps its stricter level)."""
    seen: dict[str, Term] = {}
    for level in LEVELS:
        for path in sorted(WORDS_DIR.glob(f"{level}_*.txt")):
            category = path.stem.split("_", 1)[1]
            for line in path.read_text(encoding="utf-8").splitlines():
                word = line.strip()
                if word and not word.startswith("#") and word not in seen:
                    seen[word] = Term(word, category, level)
    return tuple(seen.values())


def category_label(category: str) -> str:
    return CATEGORIES.get(category, category)
