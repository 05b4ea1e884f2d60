"""The bulk computation in DuckDB: every feature of every member, RFM, every tag rule and every segment, and the
differences from what is stored. Input views (times are UTC epoch microseconds, BIGINT):

  members(member_id, joined_us, community, building, household_type, unit_type)
  orders(order_id, member_id, status, total_fen, discount_fen, payable_fen, refunded_fen, source,
         paid_us, ready_us, picked_us)                       -- paid orders only
  items(order_id, category, amount_fen, is_fresh)
  interactions(member_id, kind, at_us)
  old_tags(tag_id, member_id), old_segments(segment_id, member_id)

The same definitions as member_features.py (one member, Python); see features.py for their meaning.
"""

from __future__ import annotations

from typing import Any

import duckdb

from linli.audience import evaluate
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
    rfm_class,
)
from linli.audience.rules import Node, categories_of

QUANTILES = (0.2, 0.4, 0.6, 0.8)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join("'" + v + "'" for v in values) + ")"


def _band_case() -> str:
    hour = f"(((picked_us + {LOCAL_OFFSET_US}) // {HOUR_US}) % 24)"
    parts = []
    for rank, (_, start, end) in enumerate(HOUR_BANDS):
        cond = f"({hour} >= {start} AND {hour} < {end})"
        if end > 24:
            cond = f"({hour} >= {start} OR {hour} < {end - 24})"
        parts.append(f"WHEN {cond} THEN {rank}")
    return "CASE " + " ".join(parts) + " END"


def features_sql(at_us: int, categories: list[str]) -> str:
    def win(days: int, col: str = "paid_us") -> str:
        return f"({col} > {at_us - days * DAY_US} AND {col} <= {at_us})"

    counted = f"(status NOT IN {_in(COUNTED_EXCLUDED)})"
    cat_sums = "".join(f", sum(i.amount_fen) FILTER (WHERE i.category = {evaluate._literal(c)}) AS c{k}"
                       for k, c in enumerate(categories))
    cat_cols = "".join(f", CASE WHEN ct.total > 0 THEN coalesce(ct.c{k}, 0)::DOUBLE / ct.total ELSE 0.0 END AS "
                       f"{evaluate.ident('category_share:' + c)}" for k, c in enumerate(categories))
    band_names = "[" + ", ".join(f"'{n}'" for n, _, _ in HOUR_BANDS) + "]"
    due = (f"(status IN ('paid', 'picked_up') AND ready_us > {at_us - 365 * DAY_US}"
           f" AND ready_us <= {at_us - LATE_AFTER_US})")
    return f"""
WITH o AS (SELECT *, {counted} AS counted FROM orders),
ord AS (
  SELECT member_id,
    count(*) FILTER (WHERE counted AND {win(30)}) AS orders_30d,
    count(*) FILTER (WHERE counted AND {win(90)}) AS orders_90d,
    count(*) FILTER (WHERE counted AND {win(365)}) AS orders_365d,
    sum(payable_fen - refunded_fen) FILTER (WHERE counted AND {win(30)}) AS spend_30d_fen,
    sum(payable_fen - refunded_fen) FILTER (WHERE counted AND {win(90)}) AS spend_90d_fen,
    sum(payable_fen - refunded_fen) FILTER (WHERE counted AND {win(365)}) AS spend_365d_fen,
    max(paid_us) FILTER (WHERE counted AND paid_us <= {at_us}) AS last_us,
    count(*) FILTER (WHERE {win(365)} AND (status = 'refunded' OR refunded_fen > 0)) AS refunded_orders_365d,
    sum(discount_fen) FILTER (WHERE counted AND {win(365)}) AS discount_sum,
    sum(total_fen) FILTER (WHERE counted AND {win(365)}) AS total_sum,
    count(*) FILTER (WHERE counted AND {win(365)} AND (discount_fen > 0 OR source <> 'shop')) AS promo_n,
    count(*) FILTER (WHERE {win(365, 'picked_us')}) AS picked_n,
    count(*) FILTER (WHERE {win(365, 'picked_us')}
                     AND ((picked_us + {LOCAL_OFFSET_US}) // {DAY_US} + 3) % 7 >= 5) AS weekend_n,
    count(*) FILTER (WHERE {due}) AS due_n,
    count(*) FILTER (WHERE {due} AND (picked_us IS NULL OR picked_us - ready_us > {LATE_AFTER_US})) AS late_n
  FROM o GROUP BY member_id),
ct AS (
  SELECT o.member_id, sum(i.amount_fen) AS total, sum(i.amount_fen) FILTER (WHERE i.is_fresh) AS fresh{cat_sums}
  FROM items i JOIN o ON o.order_id = i.order_id
  WHERE o.counted AND {win(365, 'o.paid_us')} GROUP BY o.member_id),
bands AS (
  SELECT member_id, band, count(*) AS n FROM (SELECT member_id, {_band_case()} AS band FROM orders
  WHERE {win(365, 'picked_us')}) GROUP BY member_id, band),
band_pick AS (SELECT member_id, arg_max(band, n * 10 - band) AS band FROM bands GROUP BY member_id),
ia AS (
  SELECT member_id,
    count(*) FILTER (WHERE kind = 'checkin' AND {win(30, 'at_us')}) AS checkins_30d,
    count(*) FILTER (WHERE kind = 'review' AND {win(90, 'at_us')}) AS reviews_90d,
    count(*) FILTER (WHERE kind = 'share' AND {win(90, 'at_us')}) AS shares_90d,
    count(*) FILTER (WHERE kind IN {_in(CONTENT_KINDS)} AND {win(90, 'at_us')}) AS content_90d,
    count(*) FILTER (WHERE kind <> 'login' AND {win(30, 'at_us')}) AS interactions_30d
  FROM interactions GROUP BY member_id)
SELECT m.member_id,
  coalesce(ord.orders_30d, 0)::BIGINT AS orders_30d,
  coalesce(ord.orders_90d, 0)::BIGINT AS orders_90d,
  coalesce(ord.orders_365d, 0)::BIGINT AS orders_365d,
  coalesce(ord.spend_30d_fen, 0)::BIGINT AS spend_30d_fen,
  coalesce(ord.spend_90d_fen, 0)::BIGINT AS spend_90d_fen,
  coalesce(ord.spend_365d_fen, 0)::BIGINT AS spend_365d_fen,
  CASE WHEN coalesce(ord.orders_365d, 0) > 0 THEN (ord.spend_365d_fen // ord.orders_365d)::BIGINT ELSE 0 END
    AS avg_ticket_fen,
  CASE WHEN ord.last_us IS NULL THEN {NEVER_DAYS} ELSE ({at_us} - ord.last_us) // {DAY_US} END::BIGINT
    AS days_since_order,
  coalesce(ord.refunded_orders_365d, 0)::BIGINT AS refunded_orders_365d,
  CASE WHEN ord.total_sum > 0 THEN ord.discount_sum::DOUBLE / ord.total_sum ELSE 0.0 END AS discount_share,
  CASE WHEN ord.orders_365d > 0 THEN ord.promo_n::DOUBLE / ord.orders_365d ELSE 0.0 END AS promo_order_share,
  CASE WHEN ct.total > 0 THEN coalesce(ct.fresh, 0)::DOUBLE / ct.total ELSE 0.0 END AS fresh_share{cat_cols},
  coalesce(ia.checkins_30d, 0)::BIGINT AS checkins_30d,
  coalesce(ia.reviews_90d, 0)::BIGINT AS reviews_90d,
  coalesce(ia.shares_90d, 0)::BIGINT AS shares_90d,
  coalesce(ia.content_90d, 0)::BIGINT AS content_90d,
  coalesce(ia.interactions_30d, 0)::BIGINT AS interactions_30d,
  CASE WHEN band_pick.band IS NULL THEN '{NO_BAND}' ELSE {band_names}[band_pick.band + 1] END AS pickup_hour_band,
  CASE WHEN ord.picked_n > 0 THEN ord.weekend_n::DOUBLE / ord.picked_n ELSE 0.0 END AS weekend_pickup_share,
  CASE WHEN ord.due_n > 0 THEN ord.late_n::DOUBLE / ord.due_n ELSE 0.0 END AS late_pickup_share,
  m.community, m.building, m.household_type, m.unit_type,
  (greatest({at_us} - m.joined_us, 0) // {DAY_US})::BIGINT AS days_since_join
FROM members m
LEFT JOIN ord ON ord.member_id = m.member_id
LEFT JOIN ct ON ct.member_id = m.member_id
LEFT JOIN band_pick ON band_pick.member_id = m.member_id
LEFT JOIN ia ON ia.member_id = m.member_id
"""


def rfm_cutpoints(con: duckdb.DuckDBPyConnection) -> dict[str, list[int]]:
    q = "[" + ", ".join(str(x) for x in QUANTILES) + "]"
    row = con.execute(f"SELECT quantile_disc(days_since_order, {q}), quantile_disc(orders_365d, {q}),"
                      f" quantile_disc(spend_365d_fen, {q}) FROM base WHERE orders_365d > 0").fetchone()
    if row is None or row[0] is None:
        return {"r": [], "f": [], "m": []}
    return {"r": [int(x) for x in row[0]], "f": [int(x) for x in row[1]], "m": [int(x) for x in row[2]]}


def rfm_sql(cuts: dict[str, list[int]]) -> str:
    """Scores against the cut-points (the rule of features.score_up / score_down) and the class."""
    def up(col: str, cs: list[int]) -> str:
        return "1" + "".join(f" + ({col} > {c})::INT" for c in cs)

    def down(col: str, cs: list[int]) -> str:
        return "1" + "".join(f" + ({col} <= {c})::INT" for c in cs)

    none = "orders_365d = 0"
    classes = " ".join(f"WHEN r_score {'>=' if r else '<'} 3 AND f_score {'>=' if f else '<'} 3 AND m_score "
                       f"{'>=' if m else '<'} 3 THEN '{rfm_class(3 if r else 1, 3 if f else 1, 3 if m else 1)}'"
                       for r in (True, False) for f in (True, False) for m in (True, False))
    return f"""
WITH s AS (SELECT *,
  CASE WHEN {none} THEN 0 ELSE {down('days_since_order', cuts['r'])} END AS r_score,
  CASE WHEN {none} THEN 0 ELSE {up('orders_365d', cuts['f'])} END AS f_score,
  CASE WHEN {none} THEN 0 ELSE {up('spend_365d_fen', cuts['m'])} END AS m_score FROM base)
SELECT *, CASE WHEN r_score = 0 THEN '无消费' {classes} END AS rfm_class FROM s
"""


def compute(con: duckdb.DuckDBPyConnection, at_us: int, tags: list[tuple[int, Node]],
            segments: list[tuple[int, Node]], tag_rules: dict[str, Node]) -> dict[str, Any]:
    """Run everything on `con` (input views registered). Leaves tables features, tags_added, tags_removed,
    segments_entered, segments_left; returns the cut-points and counts.
    tag_rules: the AST of each tag code (segments are evaluated with their tags' rules inlined)."""
    categories = sorted(set().union(*(categories_of(ast) for _, ast in tags))) if tags else []
    con.execute(f"CREATE OR REPLACE TEMP TABLE base AS {features_sql(at_us, categories)}")
    cuts = rfm_cutpoints(con)
    con.execute(f"CREATE OR REPLACE TEMP TABLE features AS {rfm_sql(cuts)}")
    con.execute("DROP TABLE base")
    tag_exprs = [(tid, evaluate.to_sql(ast)) for tid, ast in tags]
    seg_exprs = [(sid, evaluate.segment_sql(d, tag_rules)) for sid, d in segments]
    hits = _diff(con, "tag_id", tag_exprs, "old_tags", "tags_added", "tags_removed")
    _diff(con, "segment_id", seg_exprs, "old_segments", "segments_entered", "segments_left")
    count = {name: _count(con, name) for name in ("features", "tags_added", "tags_removed",
                                                  "segments_entered", "segments_left")}
    return {"cutpoints": cuts, "tag_hits": hits, **count}


def _diff(con: duckdb.DuckDBPyConnection, key: str, exprs: list[tuple[int, str]], old: str, added: str,
          removed: str) -> int:
    """Each member's matches as 64-bit words (bit k: the k-th rule), compared with the stored rows folded the same
    way; only members whose words differ are unfolded into (key, member) rows added and removed. Returns how many
    (key, member) pairs match now. The cost is one pass over the features and one over the stored rows, not a
    join of every pair."""
    words = max(1, -(-len(exprs) // 64))
    ws = range(words)
    new_cols = []
    for j in ws:
        bits = [f"(({sql})::UBIGINT << {k % 64})" for k, (_, sql) in enumerate(exprs) if k // 64 == j]
        new_cols.append(f"{' | '.join(bits) or '0::UBIGINT'} AS w{j}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE new_w AS SELECT member_id, {', '.join(new_cols)} FROM features")
    positions = ", ".join(f"({int(i)}, {k // 64}, {k % 64})" for k, (i, _) in enumerate(exprs)) or "(NULL, 0, 0)"
    con.execute(f"CREATE OR REPLACE TEMP TABLE pos AS SELECT * FROM (VALUES {positions}) t(id, j, b)")
    old_cols = ", ".join(f"bit_or(CASE WHEN p.j = {j} THEN 1::UBIGINT << p.b ELSE 0::UBIGINT END) AS w{j}"
                         for j in ws)
    con.execute(f"CREATE OR REPLACE TEMP TABLE old_w AS SELECT o.member_id, {old_cols} FROM {old} o "
                f"JOIN pos p ON p.id = o.{key} GROUP BY o.member_id")
    differ = " OR ".join(f"n.w{j} <> coalesce(o.w{j}, 0::UBIGINT)" for j in ws)
    con.execute(f"CREATE OR REPLACE TEMP TABLE changed AS SELECT n.member_id, "
                f"[{', '.join(f'n.w{j}' for j in ws)}] AS nw, "
                f"[{', '.join(f'coalesce(o.w{j}, 0::UBIGINT)' for j in ws)}] AS ow "
                f"FROM new_w n LEFT JOIN old_w o ON o.member_id = n.member_id WHERE {differ}")
    for table, have, lack in ((added, "nw", "ow"), (removed, "ow", "nw")):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT p.id::BIGINT AS {key}, c.member_id "
                    f"FROM changed c, pos p WHERE (({have}[p.j + 1] >> p.b) & 1) = 1 "
                    f"AND (({lack}[p.j + 1] >> p.b) & 1) = 0")
    row = con.execute(f"SELECT coalesce(sum({' + '.join(f'bit_count(w{j})' for j in ws)}), 0) FROM new_w").fetchone()
    for name in ("new_w", "old_w", "pos", "changed"):
        con.execute(f"DROP TABLE {name}")
    return int(row[0]) if row else 0


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
