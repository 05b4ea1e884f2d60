"""Heatmap matrices: building / family structure / unit type x category of one metric, activity per building and
sales per H3 cell. Absolute values and shares per cell; refunded units are already off the lines (facts.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

import h3

from linli.community.schemas import UnitType
from linli.insight.facts import Facts
from linli.insight.schemas import (
    DIMENSION_NAMES,
    FAMILY_NAMES,
    METRIC_NAMES,
    UNREGISTERED,
    GeoCell,
    GeoOut,
    MatrixOut,
    Period,
)

METRIC_SQL = {"sales_fen": "sum(l.fen)", "orders": "count(DISTINCT l.order_id)", "units": "sum(l.units)"}
ROW_SQL = {"building": "CAST(m.building_id AS VARCHAR)", "family": "m.family", "unit_type": "m.unit_type"}
NONE_KEY = "none"


def period(f: Facts) -> Period:
    return Period(since=f.since, until=f.until, days=round((f.until - f.since).total_seconds() / 86400))


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def matrix(f: Facts, title: str, metric: str, community_id: int | None, rows: Sequence[tuple[str, str]],
           columns: Sequence[tuple[str, str]], cells: dict[tuple[str, str], int]) -> MatrixOut:
    """rows / columns: (key, label) in display order; cells: (row key, column key) -> value (absent: 0)."""
    values = [[cells.get((r, c), 0) for c, _ in columns] for r, _ in rows]
    row_totals = [sum(v) for v in values]
    column_totals = [sum(v[j] for v in values) for j in range(len(columns))]
    total = sum(row_totals)
    return MatrixOut(
        title=title, metric=metric, community_id=community_id, period=period(f),
        rows=[label for _, label in rows], row_keys=[k for k, _ in rows], columns=[label for _, label in columns],
        values=values, shares=[[_share(x, total) for x in v] for v in values],
        row_shares=[[_share(x, rt) for x in v] for v, rt in zip(values, row_totals, strict=True)],
        row_totals=row_totals, column_totals=column_totals, total=total)


def _where(community_id: int | None) -> tuple[str, list[object]]:
    return ("WHERE m.community_id = ?", [community_id]) if community_id is not None else ("", [])


def category_matrix(f: Facts, dimension: str, metric: str, community_id: int | None) -> MatrixOut:
    where, params = _where(community_id)
    sql = (f"SELECT coalesce({ROW_SQL[dimension]}, '{NONE_KEY}'), CAST(p.category_id AS VARCHAR), "
           f"{METRIC_SQL[metric]} FROM lines l JOIN people m USING (member_id) JOIN products p USING (product_id) "
           f"{where} GROUP BY 1, 2")
    cells = {(r, c): int(v) for r, c, v in f.rows(sql, params)}
    rows = _rows(f, dimension, community_id, {r for r, _ in cells})
    columns = [(str(i), name) for i, name in f.categories.items()]
    title = f"{DIMENSION_NAMES[dimension]} × 品类 · {METRIC_NAMES[metric]}"
    return matrix(f, title, metric, community_id, rows, columns, cells)


def _rows(f: Facts, dimension: str, community_id: int | None, seen: set[str]) -> list[tuple[str, str]]:
    """Every building of the community (also those with nothing sold), or the known family structures / unit
    types that occur; members without a household last."""
    if dimension == "building":
        rows = [(str(b.building_id), _building_label(f, b.building_id, community_id))
                for b in f.buildings.values() if community_id is None or b.community_id == community_id]
    elif dimension == "family":
        rows = [(k, label) for k, label in FAMILY_NAMES.items() if k in seen or _has(f, "family", k, community_id)]
    else:
        rows = [(k, k) for k in get_args(UnitType) if k in seen or _has(f, "unit_type", k, community_id)]
        rows += [(k, k) for k in sorted(seen - {k for k, _ in rows} - {NONE_KEY})]
    if NONE_KEY in seen:
        rows.append((NONE_KEY, UNREGISTERED))
    return rows


def _building_label(f: Facts, building_id: int, community_id: int | None) -> str:
    b = f.buildings[building_id]
    return b.name if community_id is not None else f"{f.communities[b.community_id][0]} {b.name}"


def _has(f: Facts, attribute: str, key: str, community_id: int | None) -> bool:
    return any(getattr(h, attribute) == key and (community_id is None or h.community_id == community_id)
               for h in f.households.values())


ACTIVITY_COLUMNS = [("members", "会员数"), ("active_members", "活跃会员"), ("active_households", "活跃户数"),
                    ("buyers", "下单会员"), ("orders", "订单数"), ("checkins", "签到次数"), ("posts", "发帖数")]


def activity_matrix(f: Facts, community_id: int | None, checkins: dict[int, int], posts: dict[int, int]) -> MatrixOut:
    """Per building: members, members active in the period (ordered, checked in or posted), their households,
    buyers, orders, check-ins and posts."""
    where, params = _where(community_id)
    orders = {int(m): int(n) for m, n in f.rows(
        "SELECT l.member_id, count(DISTINCT l.order_id) FROM lines l JOIN people m USING (member_id) "
        f"{where} GROUP BY 1", params)}
    cells: dict[tuple[str, str], int] = {}
    households: dict[str, set[int]] = {}
    seen: set[str] = set()
    for member_id, building_id, household_id in f.rows(
            f"SELECT m.member_id, m.building_id, m.household_id FROM people m {where}", params):
        row = NONE_KEY if building_id is None else str(building_id)
        seen.add(row)
        bought, checked, posted = orders.get(member_id, 0), checkins.get(member_id, 0), posts.get(member_id, 0)
        active = bool(bought or checked or posted)
        for key, n in (("members", 1), ("active_members", int(active)), ("buyers", int(bought > 0)),
                       ("orders", bought), ("checkins", checked), ("posts", posted)):
            cells[(row, key)] = cells.get((row, key), 0) + n
        if active and household_id is not None:
            households.setdefault(row, set()).add(household_id)
    for row, ids in households.items():
        cells[(row, "active_households")] = len(ids)
    rows = _rows(f, "building", community_id, seen)
    return matrix(f, "楼栋活跃度", "activity", community_id, rows, ACTIVITY_COLUMNS, cells)


def geo(f: Facts, resolution: int) -> GeoOut:
    """Sales per H3 cell over the tenant's buildings; a member without a household counts at their community."""
    by_place: dict[tuple[str, int], tuple[int, int]] = {}
    for building_id, community_id, fen, orders in f.rows(
            "SELECT m.building_id, m.community_id, sum(l.fen), count(DISTINCT l.order_id) "
            "FROM lines l JOIN people m USING (member_id) GROUP BY 1, 2"):
        key = ("b", int(building_id)) if building_id is not None else ("c", int(community_id))
        old = by_place.get(key, (0, 0))
        by_place[key] = (old[0] + int(fen), old[1] + int(orders))
    cells: dict[str, tuple[int, int, list[str]]] = {}

    def add(cell: str, fen: int, orders: int, name: str | None) -> None:
        old = cells.get(cell, (0, 0, []))
        cells[cell] = (old[0] + fen, old[1] + orders, old[2] + ([name] if name else []))
    for b in f.buildings.values():
        fen, orders = by_place.get(("b", b.building_id), (0, 0))
        add(h3.latlng_to_cell(b.lat, b.lng, resolution), fen, orders, f"{f.communities[b.community_id][0]} {b.name}")
    for cid, (_, lat, lng) in f.communities.items():
        fen, orders = by_place.get(("c", cid), (0, 0))
        if fen or orders:
            add(h3.latlng_to_cell(lat, lng, resolution), fen, orders, None)
    total = sum(v[0] for v in cells.values())
    out = []
    for cell, (fen, orders, names) in sorted(cells.items(), key=lambda kv: (-kv[1][0], kv[0])):
        lat, lng = h3.cell_to_latlng(cell)
        out.append(GeoCell(cell=cell, lat=round(lat, 6), lng=round(lng, 6), buildings=names, sales_fen=fen,
                           orders=orders, share=_share(fen, total)))
    return GeoOut(resolution=resolution, period=period(f), cells=out, total_fen=total)
