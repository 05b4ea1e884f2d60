"""Topics (#话题#) in a post's text: `#` + 1-20 characters without whitespace or `#` + `#`."""

from __future__ import annotations

import re

TOPIC = re.compile(r"#([^#\s]{1,20})#")
MAX_TOPICS = 5


def parse(text: str) -> list[str]:
    """The distinct topics in order of appearance, at most five."""
    out: list[str] = []
    for m in TOPIC.finditer(text):
        topic = m.group(1)
        if topic not in out:
            out.append(topic)
        if len(out) == MAX_TOPICS:
            break
    return out
