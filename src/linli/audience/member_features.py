"""One member's features in Python, from the same rows the bulk export reads (repository.export_* filtered to
the member): the incremental path. Definitions identical to bulk_sql.py; see features.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from linli.audience.features import (
    CONTENT_KINDS,
    COUNTED_EXCLUDED,
    DAY_US,
    HOUR_BANDS,
    HOUR_US,
    LATE_AFTER_US,
    LOCAL_OFFSET_US,
    NEVER_DAYS,
    NO_BAND,
    column,
    hour_band,
    rfm_class,
    score_down,
    score_up,
)

# row shapes, as exported (times in UTC epoch microseconds)
MemberRow = tuple[int, int, str, str, str, str]  # member_id, joined_us, community, building, household_type, unit_type
# order_id, member_id, status, total_fen, discount_fen, payable_fen, refunded_fen, source, paid_us, ready_us, picked_us
OrderRow = tuple[int, int, str, int, int, int, int, str, int, int, int | None]
ItemRow = tuple[int, str, int, bool]  # order_id, category, amount_fen, is_fresh
InteractionRow = tuple[int, str, int]  # member_id, kind, at_us


def _share(part: int, whole: int) -> float:
    return part / whole if whole > 0 else 0.0


def compute(at_us: int, member: MemberRow, orders: Sequence[OrderRow], items: Sequence[ItemRow],
            interactions: Sequence[InteractionRow], categories: Sequence[str],
            cuts: dict[str, list[int]]) -> dict[str, Any]:
    def within(t: int | None, days: int) -> bool:
        return t is not None and at_us - days * DAY_US < t <= at_us

    counted = [o for o in orders if o[2] not in COUNTED_EXCLUDED]
    f: dict[str, Any] = {}
    for days in (30, 90, 365):
        window = [o for o in counted if within(o[8], days)]
        f[f"orders_{days}d"] = len(window)
        f[f"spend_{days}d_fen"] = sum(o[5] - o[6] for o in window)
    year = [o for o in counted if within(o[8], 365)]
    f["avg_ticket_fen"] = f["spend_365d_fen"] // len(year) if year else 0
    last = max((o[8] for o in counted if o[8] <= at_us), default=None)
    f["days_since_order"] = NEVER_DAYS if last is None else (at_us - last) // DAY_US
    f["refunded_orders_365d"] = sum(1 for o in orders if within(o[8], 365) and (o[2] == "refunded" or o[6] > 0))
    f["discount_share"] = _share(sum(o[4] for o in year), sum(o[3] for o in year))
    f["promo_order_share"] = _share(sum(1 for o in year if o[4] > 0 or o[7] != "shop"), len(year))

    year_ids = {o[0] for o in year}
    lines = [i for i in items if i[0] in year_ids]
    total = sum(i[2] for i in lines)
    f["fresh_share"] = _share(sum(i[2] for i in lines if i[3]), total)
    for c in categories:
        f[column("category_share", c)] = _share(sum(i[2] for i in lines if i[1] == c), total)

    def count(kinds: tuple[str, ...] | None, days: int, exclude_login: bool = False) -> int:
        return sum(1 for _, kind, at in interactions if within(at, days)
                   and (kinds is None or kind in kinds) and not (exclude_login and kind == "login"))

    f["checkins_30d"] = count(("checkin",), 30)
    f["reviews_90d"] = count(("review",), 90)
    f["shares_90d"] = count(("share",), 90)
    f["content_90d"] = count(CONTENT_KINDS, 90)
    f["interactions_30d"] = count(None, 30, exclude_login=True)

    picked = [o[10] for o in orders if within(o[10], 365)]
    bands = Counter(hour_band(((t + LOCAL_OFFSET_US) // HOUR_US) % 24) for t in picked if t is not None)
    order = [name for name, _, _ in HOUR_BANDS]
    f["pickup_hour_band"] = (min(bands, key=lambda b: (-bands[b], order.index(b))) if bands else NO_BAND)
    weekend = sum(1 for t in picked if t is not None and ((t + LOCAL_OFFSET_US) // DAY_US + 3) % 7 >= 5)
    f["weekend_pickup_share"] = _share(weekend, len(picked))
    due = [o for o in orders if o[2] in ("paid", "picked_up")
           and at_us - 365 * DAY_US < o[9] <= at_us - LATE_AFTER_US]
    late = sum(1 for o in due if o[10] is None or o[10] - o[9] > LATE_AFTER_US)
    f["late_pickup_share"] = _share(late, len(due))

    _, joined_us, community, building, household_type, unit_type = member
    f.update(community=community, building=building, household_type=household_type, unit_type=unit_type,
             days_since_join=max(at_us - joined_us, 0) // DAY_US)
    f.update(rfm(f, cuts))
    return f


def rfm(f: dict[str, Any], cuts: dict[str, list[int]]) -> dict[str, Any]:
    if f["orders_365d"] == 0:
        r = fs = m = 0
    else:
        r = score_down(f["days_since_order"], cuts.get("r", []))
        fs = score_up(f["orders_365d"], cuts.get("f", []))
        m = score_up(f["spend_365d_fen"], cuts.get("m", []))
    return {"r_score": r, "f_score": fs, "m_score": m, "rfm_class": rfm_class(r, fs, m)}
