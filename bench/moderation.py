"""Sensitive-word screening throughput: linli.moderation's matcher (fold + Aho-Corasick over the full built-in
list with its pinyin spellings) over a few MB of generated Chinese shop talk, next to two references measured
in the same run on the same text and list: a naive per-term `in` scan and one Python regex alternation (both
on the raw text, without any evasion handling). Normalisation (fold) is timed on its own too.

`python -m bench --suites moderation` or `python -m bench.moderation [--moderation-mb 4]`. Prints figures only."""

from __future__ import annotations

import argparse
import random
import re
import time
from typing import Any

SENTENCES = [
    "今天的草莓很甜，孩子特别爱吃。",
    "明天上午十点在小区东门自提，记得带上取货码。",
    "团长辛苦了！这次的西瓜又大又沙。",
    "请问鸡蛋还有吗？想再订两盒。",
    "这家的大米煮粥特别香，推荐给大家。",
    "周末有没有人一起拼单买车厘子？",
    "快递到了，放在3号楼门口的便利店了。",
    "上次买的牛奶日期很新鲜，好评。",
    "建议团长下次多进一点青菜。",
    "苹果有点磕碰，团长直接给换了，服务真好。",
    "晚上八点开团，限量一百份。",
    "大闸蟹到了，个头挺大的。",
]
SPIKES = ["有需要的加 V X 私聊", "好评返现五元", "周末一起網絡賭博", "代开各类发票"]


def corpus(mb: float, seed: int = 7) -> str:
    """Ordinary posts with one suspicious sentence in about every 200 (realistic: most texts pass)."""
    rnd = random.Random(seed)
    parts: list[str] = []
    size = 0
    target = int(mb * 1024 * 1024)
    while size < target:
        s = rnd.choice(SPIKES) if rnd.random() < 0.005 else rnd.choice(SENTENCES)
        parts.append(s)
        size += len(s.encode())
    return "".join(parts)


def _rate(fn: Any, text: str, repeat: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(text)
        best = min(best, time.perf_counter() - t0)
    return len(text.encode()) / best / 1e6, out


def bench_moderation(args: argparse.Namespace) -> list[dict[str, Any]]:
    from linli.moderation import normalise
    from linli.moderation.matcher import Matcher
    from linli.moderation.words import builtin

    terms = builtin()
    t0 = time.perf_counter()
    matcher = Matcher(terms)
    build_s = time.perf_counter() - t0
    text = corpus(args.moderation_mb)
    words = [t.word for t in terms]
    alternation = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    # texts are screened one post at a time: split the corpus into posts of ~200 characters
    posts = [text[i:i + 200] for i in range(0, len(text), 200)]

    def per_post(fn: Any) -> Any:
        return lambda _t: sum(len(fn(p)) for p in posts)

    rows = []
    for name, fn in [("screen (fold + automaton)", lambda t: matcher.find(t)),
                     ("screen per 200-char post", per_post(matcher.find)),
                     ("fold only (normalisation)", normalise.fold),
                     ("ref: regex alternation", lambda t: alternation.findall(t)),
                     ("ref: per-term `in` scan", lambda t: [w for w in words if w in t])]:
        mbs, out = _rate(fn, text, repeat=1 if "`in`" in name else 3)
        rows.append({"suite": "moderation", "target": name, "mb_per_s": round(mbs, 2),
                     "hits": len(out) if isinstance(out, list) else out if isinstance(out, int) else None})
    rows[0]["terms"], rows[0]["patterns"], rows[0]["build_s"] = len(terms), matcher.size, round(build_s, 2)
    rows[0]["text_mb"] = round(len(text.encode()) / 1e6, 2)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'target':<28} {'MB/s':>8} {'hits':>8}"]
    lines += [f"{r['target']:<28} {r['mb_per_s']:>8.2f} {r['hits'] if r['hits'] is not None else '-':>8}"
              for r in rows]
    return "\n".join(lines)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--moderation-mb", type=float, default=4.0, help="MB of text the moderation suite screens")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.moderation", description=__doc__)
    add_arguments(ap)
    rows = bench_moderation(ap.parse_args(argv))
    r = rows[0]
    print(f"moderation: {r['text_mb']} MB of shop talk, {r['terms']:,} terms -> {r['patterns']:,} patterns "
          f"(automaton built in {r['build_s']} s)")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
