"""Properties: the Python evaluator and the DuckDB-compiled SQL agree on any rule over any features, and the one-member
feature code (incremental) and the DuckDB feature SQL (bulk) agree on any orders, lines and interactions."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.audience import bulk_sql, evaluate, member_features
from linli.audience.bulk import arrow
from linli.audience.features import DAY_US, FIELDS, HOUR_US, column
from linli.audience.rules import parse

CATEGORIES = ["新鲜水果", "蔬菜", "粮油"]
TEXTS = {"community": ["阳光小区", "翠苑"], "building": ["", "3幢", "5幢"], "household_type": ["", "with_children"],
         "unit_type": ["", "两室一厅"], "pickup_hour_band": ["上午", "晚上", "无"],
         "rfm_class": ["重要价值", "无消费", "一般挽留"]}
INT_FIELDS = [f.name for f in FIELDS.values() if f.type == "int"]
FLOAT_FIELDS = [f.name for f in FIELDS.values() if f.type == "float" and not f.takes_category]
SHARES = st.builds(lambda a, b: a / (a + b) if a + b else 0.0, st.integers(0, 9), st.integers(0, 9))


def _feature_row() -> st.SearchStrategy[dict[str, Any]]:
    parts: dict[str, st.SearchStrategy[Any]] = {f: st.integers(0, 12) for f in INT_FIELDS}
    parts.update({f: SHARES for f in FLOAT_FIELDS})
    parts.update({column("category_share", c): SHARES for c in CATEGORIES})
    parts.update({f: st.sampled_from(v) for f, v in TEXTS.items()})
    return st.fixed_dictionaries(parts)


NUMBERS = st.one_of(st.integers(-1, 13), st.sampled_from([0.0, 0.25, 0.5, 1 / 3, 2 / 3, 0.75, 1.0, 2.5]))


def _num_field() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(INT_FIELDS + FLOAT_FIELDS),
                     st.sampled_from(CATEGORIES).map(lambda c: f'category_share("{c}")'))


def _lit(v: Any) -> str:
    return repr(v) if isinstance(v, float) else str(v)


tests = st.one_of(
    st.tuples(_num_field(), st.sampled_from([">=", "<=", ">", "<", "==", "=", "!="]), NUMBERS)
    .map(lambda t: f"{t[0]} {t[1]} {_lit(t[2])}"),
    st.tuples(_num_field(), st.booleans(), st.lists(NUMBERS, min_size=1, max_size=4))
    .map(lambda t: f"{t[0]} {'not in' if t[1] else 'in'} ({', '.join(_lit(v) for v in t[2])})"),
    st.sampled_from(sorted(TEXTS)).flatmap(lambda f: st.tuples(
        st.just(f), st.sampled_from(["==", "!=", "in", "not in"]), st.lists(st.sampled_from(TEXTS[f] + ["x'y"]),
                                                                             min_size=1, max_size=3)))
    .map(lambda t: f"{t[0]} {t[1]} ({', '.join(repr(v) for v in t[2])})" if "in" in t[1]
         else f"{t[0]} {t[1]} {t[2][0]!r}"),
)
rules = st.recursive(tests, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    inner.map(lambda r: f"not ({r})")), max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(_feature_row(), min_size=1, max_size=8), texts=st.lists(rules, min_size=1, max_size=5))
def test_python_and_duckdb_agree_on_any_rule(rows: list[dict[str, Any]], texts: list[str]) -> None:
    asts = [parse(t, set(CATEGORIES)) for t in texts]
    table = pa.Table.from_pylist([dict(r, member_id=i) for i, r in enumerate(rows)])
    con = duckdb.connect()
    con.register("features", table)
    for text, ast in zip(texts, asts, strict=True):
        got = {m for (m,) in con.execute(f"SELECT member_id FROM features WHERE {evaluate.to_sql(ast)}").fetchall()}
        want = {i for i, r in enumerate(rows) if evaluate.matches(ast, r)}
        assert got == want, (text, evaluate.to_sql(ast))


AT = 1_780_000_000_000_000  # 2026-05-28, UTC epoch µs
STATUSES = ["paid", "picked_up", "refunded", "cancelled", "awaiting_group"]
orders_st = st.lists(st.tuples(
    st.integers(0, 2), st.sampled_from(STATUSES), st.integers(100, 9000), st.integers(0, 90),
    st.sampled_from(["shop", "flash_sale"]), st.integers(-400 * 24, 2) , st.integers(0, 3 * 24),
    st.one_of(st.none(), st.integers(0, 5 * 24))), max_size=14)
items_st = st.lists(st.tuples(st.integers(0, 13), st.sampled_from(CATEGORIES + ["日用"]), st.integers(1, 900),
                              st.booleans()), max_size=20)
KINDS = ["checkin", "review", "share", "post", "login", "vote"]
inter_st = st.lists(st.tuples(st.integers(0, 2), st.sampled_from(KINDS), st.integers(-100 * 24, 0)), max_size=12)


@settings(max_examples=120, deadline=None)
@given(orders=orders_st, items=items_st, inters=inter_st, joined=st.lists(st.integers(-800, 5), min_size=3, max_size=3))
def test_one_member_features_equal_the_bulk_sql(orders, items, inters, joined) -> None:
    members = [(m, AT + joined[m] * DAY_US, "阳光小区", "3幢" if m else "", "with_children", "") for m in range(3)]
    order_rows = []
    for oid, (m, status, total, disc, source, paid_h, ready_h, picked_h) in enumerate(orders):
        paid = AT + paid_h * HOUR_US + 17
        ready = paid + ready_h * HOUR_US
        refunded = total // 3 if status == "refunded" else 0
        disc = min(disc, total)
        picked = None if picked_h is None else ready + picked_h * HOUR_US
        order_rows.append((oid, m, status, total, disc, total - disc, min(refunded, total - disc), source, paid, ready,
                           picked))
    item_rows = [(i, c, a, f) for i, c, a, f in items if i < len(order_rows)]
    inter_rows = [(m, k, AT + h * HOUR_US - 5) for m, k, h in inters]
    cuts = {"r": [3, 30, 90, 200], "f": [1, 1, 2, 4], "m": [1000, 3000, 6000, 9000]}

    con = duckdb.connect()
    for name, rows in (("members", members), ("orders", order_rows), ("items", item_rows),
                       ("interactions", inter_rows)):
        con.register(name, arrow(name, rows))
    con.execute(f"CREATE TEMP TABLE base AS {bulk_sql.features_sql(AT, CATEGORIES)}")
    cur = con.execute(f"SELECT * FROM ({bulk_sql.rfm_sql(cuts)}) ORDER BY member_id")
    names = [d[0] for d in cur.description]
    bulk = {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}
    for m in members:
        mine = [o for o in order_rows if o[1] == m[0]]
        ids = {o[0] for o in mine}
        one = member_features.compute(AT, m, mine, [i for i in item_rows if i[0] in ids],
                                      [x for x in inter_rows if x[0] == m[0]], CATEGORIES, cuts)
        other = {k: v for k, v in bulk[m[0]].items() if k != "member_id"}
        assert one == other
