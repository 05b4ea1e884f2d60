"""The assortment rule and the average-stock formula on hand-built figures (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from linli.insight import advice, turnover
from linli.insight.advice import CommunityMix, ProductFigures
from linli.insight.facts import Product
from linli.insight.schemas import Period

T0 = datetime(2026, 9, 12, tzinfo=UTC)


def test_similar_communities_decide_what_to_add_and_slow_movers_what_to_cut():
    target = CommunityMix(1, "阳光小区", {"young_family": 6, "elderly": 4}, {"母婴用品": 500, "日用百货": 9500})
    near1 = CommunityMix(2, "翠苑", {"young_family": 5, "elderly": 5}, {"母婴用品": 3000, "日用百货": 7000})
    near2 = CommunityMix(3, "文鼎苑", {"young_family": 7, "elderly": 3}, {"母婴用品": 2000, "日用百货": 8000})
    elderly = CommunityMix(4, "夕阳红", {"elderly": 10}, {"日用百货": 10000})
    assert advice.distance(target.households, near1.households) == 0.1
    assert advice.distance(target.households, elderly.households) == 0.6
    peers = advice.similar(target, [target, elderly, near2, near1])
    assert [p.name for p in peers] == ["翠苑", "文鼎苑"]  # equally near: by id; 夕阳红 is too different

    tenant = {"母婴用品": 5500, "日用百货": 34500}
    items = advice.categories(target, peers, tenant, ["母婴用品", "日用百货"], 30)
    assert len(items) == 1
    assert (items[0].action, items[0].category) == ("增加", "母婴用品")
    assert items[0].reason == ("近30天家庭结构相近的小区（翠苑、文鼎苑）平均「母婴用品」占销售额 25.0%，本小区仅 5.0%"
                               "（全平台 13.8%），低 20.0 个百分点：建议增加该品类的品种与备货。")
    assert items[0].figures == {"own_share": 0.05, "benchmark_share": 0.25, "tenant_share": 0.1375, "gap": 0.2,
                                "own_sales_fen": 500, "benchmark": "similar"}
    # a gap under 5 points is left alone (25% vs 21%: not 1.5 times either)
    close = CommunityMix(1, "阳光小区", target.households, {"母婴用品": 2100, "日用百货": 7900})
    assert advice.categories(close, peers, tenant, ["母婴用品", "日用百货"], 30) == []
    # a small category: 2 points below and the peers buy 1.5 times as much of it (3% vs 5.5%)
    small = CommunityMix(1, "阳光小区", target.households, {"个人护理": 300, "日用百货": 9700})
    peers2 = [CommunityMix(2, "翠苑", near1.households, {"个人护理": 500, "日用百货": 9500}),
              CommunityMix(3, "文鼎苑", near2.households, {"个人护理": 600, "日用百货": 9400})]
    got_small = advice.categories(small, peers2, tenant, ["个人护理", "日用百货"], 30)
    assert [(i.action, i.category, i.figures["gap"]) for i in got_small] == [("增加", "个人护理", 0.025)]

    rows = [ProductFigures(11, "衣架", "日用百货", 80, 0, 0, 0.0, 0.0, None),
            ProductFigures(12, "抽纸", "日用百货", 50, 0, 12, 3.6, 1.2, 25.0),
            ProductFigures(15, "香皂", "日用百货", 50, 0, 6, 1.8, 1.2, 25.0),  # few expected here: nothing said
            ProductFigures(13, "花生油", "粮油调味", 300, 2, 9, 2.7, 0.3, 1000.0),
            ProductFigures(14, "纸尿裤", "母婴用品", 40, 5, 20, 6.0, 2.0, 60.0)]
    got = [(i.action, i.product_name, i.reason) for i in advice.products(rows, 30)]
    assert got == [
        ("减少", "抽纸", "近30天本小区零销量，按本小区销售额占比应售约 3.6 件（全平台售出 12 件）："
                       "建议本小区减少推送与备货。"),
        ("减少", "花生油", "近30天全平台周转率 0.30 次，低于 0.5 次，库存可售 1000 天：建议减少备货。"),
        ("清理", "衣架", "近30天全平台零销量，库存 80 件：建议促销清理库存或下架。")]


def test_average_stock_is_time_weighted_over_the_ledger():
    since, until = T0, T0 + timedelta(days=30)
    moves = [(20, T0 + timedelta(days=10)), (-15, T0 + timedelta(days=20)), (7, until + timedelta(hours=1))]
    # 17 now; 10 at `until`; 5 from the start, 25 after day 10, 10 after day 20
    sums = turnover.sums_of(moves, since, until)
    assert (sums.since_start, sums.inside) == (12, 5)
    assert round(turnover.average_stock(17, sums, since, until), 4) == round((5 * 10 + 25 * 10 + 10 * 10) / 30, 4)
    assert turnover.average_stock(8, turnover.NO_MOVES, since, until) == 8.0


def test_a_product_without_ledger_rows_uses_its_current_stock():
    period = Period(since=T0, until=T0 + timedelta(days=30), days=30)
    out = turnover.report(period, {1: Product("米", 1, 60, True), 2: Product("油", 1, 0, False)}, {1: "粮油调味"},
                          {1: 30}, {1: 30}, {}, set())
    rice = out.products[0]
    assert (rice.stock_source, rice.average_stock, rice.turnover, rice.days_on_hand) == ("current", 60.0, 0.5, 60.0)
    assert out.on_shelf == 1 and out.slow_movers == 0 and out.slow_mover_rate == 0.0  # 油 is off the shelf
    assert out.products[1].turnover is None  # no stock at all
