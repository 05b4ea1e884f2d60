"""Text normalisation against evasion, keeping a way back to the original positions.

One length-preserving character table (traditional -> simplified per character via OpenCC t2s, full-width ->
half-width, ASCII upper -> lower, Chinese sentence punctuation -> a boundary) followed by dropping the noise
between characters (spaces, ASCII symbols, zero-width characters, emoji: anything that is not a letter, digit or
boundary). Chinese full-width punctuation (，。！？；：、 and newlines) stays a boundary so a term never matches
across two clauses ("中毒。品尝" is not 毒品); ASCII symbols and spaces are the evasion noise ("赌 * 博", "赌.博").

The map back is only computed when there are hits (most texts have none), from the same pass."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

BOUNDARY = "\n"
_BOUNDARY_CHARS = "，。！？；：、\n\r…"
_KEPT = re.compile(r"[^\W_]+|\n+")
_LATIN = frozenset("abcdefghijklmnopqrstuvwxyz")


@cache
def _t2s_chars() -> dict[int, str]:
    """Single-character traditional -> simplified pairs (OpenCC t2s applied one character at a time, so the
    mapping is length-preserving; phrase-level conversions do not matter for matching)."""
    import opencc

    chars = [chr(c) for c in range(0x4E00, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {ord(a): b for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1}


@cache
def table() -> dict[int, str]:
    t = dict(_t2s_chars())
    for c in range(0xFF01, 0xFF5F):  # full-width ASCII block
        t[c] = chr(c - 0xFEE0)
    t[0x3000] = " "
    for c in range(ord("A"), ord("Z") + 1):
        t[c] = chr(c + 32)
    for c in range(0xFF21, 0xFF3B):  # full-width capitals straight to lower case
        t[c] = chr(c - 0xFEE0 + 32)
    for ch in _BOUNDARY_CHARS:
        t[ord(ch)] = BOUNDARY
    return t


_STRIP = re.compile(r"[^\w\n]+|_+")


def fold(text: str) -> str:
    """The normalised text alone (the fast path; screening uses this and maps back only on hits)."""
    return _STRIP.sub("", text.translate(table()))


@dataclass(frozen=True)
class Folded:
    text: str
    _norm_starts: list[int]
    _orig_starts: list[int]

    def original(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the normalised span [start, end)."""
        return self._at(start), self._at(end - 1) + 1

    def _at(self, pos: int) -> int:
        i = bisect_right(self._norm_starts, pos) - 1
        return self._orig_starts[i] + (pos - self._norm_starts[i])


def fold_with_map(text: str) -> Folded:
    translated = text.translate(table())
    parts: list[str] = []
    norm_starts: list[int] = []
    orig_starts: list[int] = []
    at = 0
    for m in _KEPT.finditer(translated):
        run = m.group()
        norm_starts.append(at)
        orig_starts.append(m.start())
        parts.append(run)
        at += len(run)
    return Folded("".join(parts), norm_starts or [0], orig_starts or [0])


def is_latin(ch: str) -> bool:
    return ch in _LATIN
