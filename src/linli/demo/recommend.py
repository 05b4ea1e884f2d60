"""The demo tenant's behaviour stream, derived cheaply from its order history: every paid order line becomes a
purchase event, and around many purchases the member looked at the product — a view, often a dwell, sometimes a
like, a favourite or a comment — or at the next product of the same category. All INSERT … SELECT statements
(no rows through Python); deterministic."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.demo.writer import Ids
from linli.recommend import service as recommend


def seed(s: Session, ids: Ids) -> int:
    return recommend.backfill_purchases(s, ids.tenant) + recommend.synthesise_browsing(s, ids.tenant)
