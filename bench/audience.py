"""Audience bulk job at scale: the job's own DuckDB definitions (linli.audience.bulk_sql.compute: every feature,
RFM, every tag rule, every segment, the differences to what is stored) over generated members, orders, order lines
and interactions. Generation is not timed. Run: `python -m bench.audience` or `python -m bench --suites audience`.

References measured in the same run: a raw DuckDB scan (orders grouped by member: the floor of any feature pass),
and the incremental path's Python (member_features.compute + every rule evaluated) on a sample of members,
projected to all of them.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from typing import Any

import duckdb

from linli.audience import bulk_sql, evaluate, member_features
from linli.audience.features import DAY_US, HOUR_US
from linli.audience.rules import Node, categories_of, parse

AT_US = 1_780_000_000_000_000  # a fixed "now" (2026-05-28 UTC)
CATEGORIES = ["新鲜水果", "蔬菜", "肉禽蛋", "水产海鲜", "乳品烘焙", "粮油调味", "休闲零食", "酒水饮料", "日用百货",
              "母婴用品", "个护清洁", "冷冻速食"]
FRESH = CATEGORIES[:5]
GOAL_SECONDS = 60.0


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--audience-members", type=int, default=1_000_000, help="members (default 1 000 000)")
    ap.add_argument("--audience-orders", type=int, default=10_000_000, help="orders (default 10 000 000)")
    ap.add_argument("--audience-tags", type=int, default=200, help="tag rules (default 200)")
    ap.add_argument("--audience-segments", type=int, default=20, help="segments (default 20)")
    ap.add_argument("--audience-sample", type=int, default=2000, help="members in the Python reference sample")


def _lit(values: list[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def generate(con: duckdb.DuckDBPyConnection, members: int, orders: int) -> None:
    """Members, orders (skewed towards a core of frequent buyers), 1-2 lines an order, 0.5 interactions a member
    a month: straight into DuckDB tables shaped like the job's export."""
    con.execute("SELECT setseed(0.42)")
    con.execute(f"""CREATE TABLE members AS SELECT i + 1 AS member_id,
        {AT_US} - CAST(random() * 1000 * {DAY_US} AS BIGINT) AS joined_us,
        '小区' || (i % 300) AS community, ((i // 7) % 24 + 1) || '幢' AS building,
        {_lit(['', 'with_children', 'elderly', 'young_family', 'single'])}[1 + (i % 5)] AS household_type,
        {_lit(['', '一室一厅', '两室一厅', '三室两厅'])}[1 + (i % 4)] AS unit_type
        FROM range({members}) t(i)""")
    con.execute(f"""CREATE TABLE orders AS SELECT order_id, member_id, status, total_fen, discount_fen,
        total_fen - discount_fen AS payable_fen,
        CASE WHEN status = 'refunded' THEN total_fen - discount_fen ELSE 0 END AS refunded_fen, source,
        paid_us, ready_us,
        CASE WHEN status IN ('picked_up', 'refunded') THEN ready_us + CAST(random() * 72 * {HOUR_US} AS BIGINT)
        END AS picked_us
        FROM (SELECT *, paid_us + CAST(random() * 48 * {HOUR_US} AS BIGINT) AS ready_us FROM (SELECT i + 1 AS order_id,
          1 + CAST(pow(random(), 2.5) * {members - 1} AS BIGINT) AS member_id,
          {_lit(['picked_up'] * 15 + ['paid', 'paid', 'refunded', 'cancelled', 'awaiting_group'])}
            [1 + CAST(random() * 20 AS INT) % 20] AS status,
          500 + CAST(random() * 19500 AS BIGINT) AS total_fen,
          CASE WHEN random() < 0.3 THEN CAST(random() * 400 AS BIGINT) ELSE 0 END AS discount_fen,
          {_lit(['shop'] * 8 + ['flash_sale', 'group_buy'])}[1 + CAST(random() * 10 AS INT) % 10] AS source,
          {AT_US} - CAST(random() * 730 * {DAY_US} AS BIGINT) AS paid_us,
          FROM range({orders}) t(i)))""")
    line = (f"SELECT order_id, {_lit(CATEGORIES)}[1 + CAST(random() * 12 AS INT) % 12] AS category, "
            "100 + CAST(random() * 9900 AS BIGINT) AS amount_fen, false AS is_fresh FROM orders")
    con.execute(f"CREATE TABLE items AS {line} UNION ALL {line} WHERE order_id % 2 = 0")
    con.execute(f"UPDATE items SET is_fresh = category IN ({', '.join(repr(c) for c in FRESH)})")
    con.execute(f"""CREATE TABLE interactions AS SELECT 1 + CAST(random() * {members - 1} AS BIGINT) AS member_id,
        {_lit(['checkin', 'checkin', 'review', 'share', 'post', 'comment', 'vote', 'geo_checkin'])}
          [1 + CAST(random() * 8 AS INT) % 8] AS kind,
        {AT_US} - CAST(random() * 90 * {DAY_US} AS BIGINT) AS at_us FROM range({members * 3 // 2}) t(i)""")
    con.execute("CREATE TABLE old_tags (tag_id BIGINT, member_id BIGINT)")
    con.execute("CREATE TABLE old_segments (segment_id BIGINT, member_id BIGINT)")


def rules(n: int, seed: int = 7) -> list[str]:
    """n different rules over every group of features, some nested."""
    rnd = random.Random(seed)
    makers = [
        lambda: f"orders_{rnd.choice([30, 90, 365])}d >= {rnd.randint(1, 12)}",
        lambda: f"spend_{rnd.choice([30, 90, 365])}d_fen >= {rnd.randint(1, 200) * 1000}",
        lambda: f"fresh_share > {rnd.randint(1, 9) / 10} and orders_90d >= {rnd.randint(1, 4)}",
        lambda: f'category_share("{rnd.choice(CATEGORIES)}") >= {rnd.randint(1, 6) / 10}',
        lambda: f"days_since_order > {rnd.randint(7, 400)} and orders_365d >= 1",
        lambda: f"discount_share > {rnd.randint(1, 5) / 100} or promo_order_share >= {rnd.randint(3, 9) / 10}",
        lambda: f"avg_ticket_fen >= {rnd.randint(20, 150) * 100} and not (refunded_orders_365d > 1)",
        lambda: f"checkins_30d >= {rnd.randint(1, 3)} or shares_90d >= {rnd.randint(1, 3)}",
        lambda: f'pickup_hour_band == "{rnd.choice(["上午", "中午", "下午", "晚上", "夜间"])}"'
                f" and weekend_pickup_share > {rnd.randint(2, 8) / 10}",
        lambda: f"late_pickup_share >= {rnd.randint(1, 9) / 10}",
        lambda: f'building in ("{rnd.randint(1, 24)}幢", "{rnd.randint(1, 24)}幢") and household_type == '
                f'"{rnd.choice(["with_children", "elderly", "young_family"])}"',
        lambda: f'rfm_class in ("{rnd.choice(["重要价值", "重要发展", "重要唤回", "重要挽留"])}", "一般价值")'
                f" or (r_score >= {rnd.randint(2, 5)} and m_score >= {rnd.randint(2, 5)})",
        lambda: f"days_since_join < {rnd.randint(7, 120)} and orders_30d = 0",
        lambda: f"(content_90d >= 1 or reviews_90d >= {rnd.randint(1, 3)}) and not spend_365d_fen < "
                f"{rnd.randint(1, 50) * 1000}",
    ]
    out: list[str] = []
    while len(out) < n:
        rule = rnd.choice(makers)()
        if rule not in out:
            out.append(rule)
    return out


def segments(n: int, tag_codes: list[str], seed: int = 11) -> list[Node]:
    rnd = random.Random(seed)
    out: list[Node] = []
    for _ in range(n):
        a, b, c = rnd.sample(tag_codes, 3)
        out.append({"and": [{"tag": a}, {"or": [{"tag": b}, {"not": {"tag": c}}]}]})
    return out


def _time(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def python_reference(con: duckdb.DuckDBPyConnection, asts: list[Node], sample: int, members: int) -> float:
    """Seconds the incremental path's Python would need for every member, from a timed sample."""
    ids = list(range(1, members + 1, max(1, members // sample)))[:sample]
    con.execute("CREATE TEMP TABLE sample AS SELECT unnest($1::BIGINT[]) AS member_id", [ids])
    sampled = con.execute("SELECT m.* FROM members m JOIN sample USING (member_id)").fetchall()
    by: dict[int, tuple[Any, list[Any], list[Any], list[Any]]] = {r[0]: (r, [], [], []) for r in sampled}
    for o in con.execute("SELECT o.* FROM orders o JOIN sample USING (member_id)").fetchall():
        by[o[1]][1].append(o)
    owner = {o[0]: o[1] for m in by for o in by[m][1]}
    for i in con.execute("SELECT i.* FROM items i JOIN (SELECT order_id FROM orders JOIN sample USING (member_id))"
                         " USING (order_id)").fetchall():
        by[owner[i[0]]][2].append(i)
    for inter in con.execute("SELECT x.* FROM interactions x JOIN sample USING (member_id)").fetchall():
        by[inter[0]][3].append(inter)
    cats = sorted(set().union(*(categories_of(a) for a in asts)))
    cuts = {"r": [10, 30, 60, 120], "f": [2, 4, 8, 16], "m": [10_000, 30_000, 80_000, 200_000]}
    start = time.perf_counter()
    for member, mine, lines, acts in by.values():
        f = member_features.compute(AT_US, member, mine, lines, acts, cats, cuts)
        for ast in asts:
            evaluate.matches(ast, f)
    return (time.perf_counter() - start) / len(by) * members


def bench_audience(args: argparse.Namespace) -> list[dict[str, Any]]:
    con = duckdb.connect()
    print(f"  [audience] generating {args.audience_members:,} members, {args.audience_orders:,} orders "
          "(not timed) ...", file=sys.stderr)
    gen_s, _ = _time(lambda: generate(con, args.audience_members, args.audience_orders))
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
              for t in ("members", "orders", "items", "interactions")}
    texts = rules(args.audience_tags)
    asts = [parse(t, set(CATEGORIES)) for t in texts]
    tags = list(enumerate(asts, start=1))
    codes = {f"t{i}": ast for i, ast in tags}
    segs = list(enumerate(segments(args.audience_segments, list(codes)), start=1))
    print(f"  [audience] generated in {gen_s:.1f}s: {counts}; raw scan reference ...", file=sys.stderr)
    scan_s, _ = _time(lambda: con.execute("CREATE TEMP TABLE scan AS SELECT member_id, count(*), sum(payable_fen), "
                                          "max(paid_us) FROM orders GROUP BY member_id"))
    print("  [audience] first run (nothing stored yet) ...", file=sys.stderr)
    first_s, first = _time(lambda: bulk_sql.compute(con, AT_US, tags, segs, codes))
    # what the first run wrote is stored now (its additions: nothing was stored before)
    con.execute("CREATE OR REPLACE TABLE old_tags AS SELECT tag_id, member_id FROM tags_added")
    con.execute("CREATE OR REPLACE TABLE old_segments AS SELECT segment_id, member_id FROM segments_entered")
    print("  [audience] next night's run (differences against the first) ...", file=sys.stderr)
    next_s, nxt = _time(lambda: bulk_sql.compute(con, AT_US + DAY_US, tags, segs, codes))
    print(f"  [audience] Python reference on {args.audience_sample} members ...", file=sys.stderr)
    py_s = python_reference(con, asts, args.audience_sample, args.audience_members)
    con.close()
    base = {"suite": "audience", "members": counts["members"], "orders": counts["orders"], "items": counts["items"],
            "interactions": counts["interactions"], "tags": len(tags), "segments": len(segs)}
    return [
        {**base, "target": "raw scan (reference)", "seconds": scan_s},
        {**base, "target": "bulk job, first run", "seconds": first_s, "tag_rows": first["tag_hits"],
         "added": first["tags_added"], "removed": first["tags_removed"],
         "segment_changes": first["segments_entered"] + first["segments_left"]},
        {**base, "target": "bulk job, next night", "seconds": next_s, "tag_rows": nxt["tag_hits"],
         "added": nxt["tags_added"], "removed": nxt["tags_removed"],
         "segment_changes": nxt["segments_entered"] + nxt["segments_left"]},
        {**base, "target": "Python per member (projected)", "seconds": py_s},
    ]


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'target':<30} {'seconds':>9} {'members/s':>12} {'tag rows':>11} {'added':>10} {'removed':>10} "
             f"{'segment changes':>16}"]
    for r in rows:
        lines.append(f"{r['target']:<30} {r['seconds']:>9.2f} {r['members'] / r['seconds']:>12,.0f} "
                     f"{r.get('tag_rows', '-'):>11} {r.get('added', '-'):>10} {r.get('removed', '-'):>10} "
                     f"{r.get('segment_changes', '-'):>16}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.audience", description=__doc__)
    add_arguments(ap)
    args = ap.parse_args(argv)
    rows = bench_audience(args)
    r = rows[0]
    print(f"\naudience: {r['members']:,} members, {r['orders']:,} orders, {r['items']:,} lines, "
          f"{r['interactions']:,} interactions, {r['tags']} tag rules, {r['segments']} segments")
    print(table(rows))
    print(f"goal (not asserted): bulk job under {GOAL_SECONDS:g} s on this machine")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
