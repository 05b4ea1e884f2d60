"""The demo tenant's behaviour stream, derived cheaply from its order history: every paid order line becomes a
purchase event (one INSERT … SELECT), and before most purchases the member looked at the product — a view, often
a dwell, sometimes a like, a favourite or a comment — and at a sibling in the same category they did not buy.
One executemany; deterministic for the seed."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.demo.writer import Ids
from linli.recommend import service as recommend
from linli.recommend.schemas import Behaviour


def seed(s: Session, ids: Ids, now: datetime, seed: int = 20261213) -> int:
    rng = random.Random(seed)  # its own stream: the steps before it keep theirs
    recommend.backfill_purchases(s, ids.tenant)
    bought = recommend.purchases(s, ids.tenant, now - timedelta(days=366), now)
    category_of = recommend.category_of_products(s, ids.tenant)
    siblings: dict[int, list[int]] = defaultdict(list)
    for pid, category_id in sorted(category_of.items()):
        siblings[category_id].append(pid)
    rows: list[Behaviour] = []
    for b in bought:
        if rng.random() < 0.6:
            continue  # bought straight from the group chat, no browsing recorded
        seen = b.at - timedelta(minutes=rng.randint(2, 240))
        rows.append(Behaviour(b.member_id, "product", b.item_id, "view", seen))
        roll = rng.random()
        if roll < 0.6:
            rows.append(Behaviour(b.member_id, "product", b.item_id, "dwell", seen + timedelta(seconds=5),
                                  dwell_ms=rng.randint(4_000, 90_000)))
        if roll < 0.12:
            rows.append(Behaviour(b.member_id, "product", b.item_id, rng.choice(("like", "favourite", "comment")),
                                  seen + timedelta(seconds=40)))
        others = siblings.get(category_of.get(b.item_id, 0), [])
        if len(others) > 1 and rng.random() < 0.3:
            other = rng.choice(others)
            if other != b.item_id:
                rows.append(Behaviour(b.member_id, "product", other, "view", seen - timedelta(minutes=1)))
    return recommend.record_many(s, ids.tenant, rows)
