"""邻里洞察: heatmaps (building / family structure / unit type x category, activity per building, sales per H3
cell) drawn with ECharts, assortment advice for the chosen community and stock turnover — filters for community,
period and metric; every table exports as CSV or Excel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from linli.core.errors import NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.insight import service as insight
from linli.insight.schemas import METRIC_NAMES, MatrixOut
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, money
from linli.web.console.templating import is_id, render

router = APIRouter()
PATH = "/console/insight"
PERIODS = [(7, "近7天"), (30, "近30天"), (90, "近90天")]
METRICS = [("sales_fen", "销售额"), ("orders", "订单数"), ("units", "销量")]
VIEWS = [("value", "按数值着色"), ("share", "按行内占比着色")]  # share: each row's mix, e.g. what 老年家庭 buy
MATRIX_KEYS = {"building": "楼栋", "family": "家庭结构", "unit_type": "户型", "activity": "楼栋活跃度"}
EXPORTS = {**{k: f"{v}热力图" for k, v in MATRIX_KEYS.items()}, "geo": "地理网格", "advice": "选品建议",
           "turnover": "商品周转", "categories": "品类周转"}


def _filters(request: Request, s: Session, p: Principal) -> tuple[int | None, int, str]:
    q = request.query_params
    community = q.get("community", "")
    community_id = int(community) if is_id(community) else None
    if community_id is not None and community_id not in dict(insight.communities(s, p)):
        raise NotFound("community not found", code="community_not_found")
    days = int(q.get("days", "")) if q.get("days", "") in {str(d) for d, _ in PERIODS} else insight.DEFAULT_DAYS
    metric = q.get("metric", "")
    return community_id, days, metric if metric in METRIC_NAMES else "sales_fen"


def _chart(m: MatrixOut, money_cells: bool, by_share: bool) -> dict[str, Any]:
    """The heatmap's data for insight.js: [column, row, value, share of the row] per cell; coloured by the value
    or by the share of the row."""
    cells = [[j, i, (v / 100 if money_cells else v), m.row_shares[i][j]]
             for i, row in enumerate(m.values) for j, v in enumerate(row)]
    return {"rows": m.rows, "columns": m.columns, "cells": cells, "money": money_cells, "by_share": by_share,
            "max": max((c[3] if by_share else c[2] for c in cells), default=0)}


@router.get("/insight")
def insight_page(request: Request, p: ConsoleOperator, s: Db) -> Response:
    try:
        community_id, days, metric = _filters(request, s, p)
    except NotFound:
        return render(request, "console/insight/index.html", status_code=404, p=p, nav="insight", title="邻里洞察",
                      error="所选小区不存在。", board=None, communities=insight.communities(s, p), community_id=None,
                      days=insight.DEFAULT_DAYS, metric="sales_fen", periods=PERIODS, metrics=METRICS, view="value",
                      views=VIEWS)
    view = request.query_params.get("view", "")
    view = view if view in dict(VIEWS) else "value"
    board = insight.dashboard(s, p, community_id, metric, days)
    charts = {k: _chart(m, k != "activity" and metric == "sales_fen", view == "share")
              for k, m in board.matrices.items()}
    geo = {"cells": [[c.lng, c.lat, c.sales_fen / 100, c.cell, "、".join(c.buildings[:4])] for c in board.geo.cells]}
    query = request.url.query
    return render(request, "console/insight/index.html", p=p, nav="insight", title="邻里洞察", error=None,
                  board=board, charts=charts, geo=geo, communities=insight.communities(s, p),
                  community_id=community_id, days=days, metric=metric, periods=PERIODS, metrics=METRICS,
                  view=view, views=VIEWS, matrix_names=MATRIX_KEYS, export_query=query)


def _matrix_rows(m: MatrixOut, money_cells: bool) -> tuple[list[str], list[list[Any]]]:
    def cell(v: int) -> Any:
        return money(v) if money_cells else v
    headers = ["维度", *m.columns, "合计", *(f"{c} 占比" for c in m.columns)]
    rows = [[label, *(cell(v) for v in values), cell(total), *(f"{x * 100:.1f}%" for x in shares)]
            for label, values, total, shares in zip(m.rows, m.values, m.row_totals, m.row_shares, strict=True)]
    rows.append(["合计", *(cell(v) for v in m.column_totals), cell(m.total),
                 *(f"{(v / m.total if m.total else 0) * 100:.1f}%" for v in m.column_totals)])
    return headers, rows


def _table(board: insight.Dashboard, key: str, metric: str) -> tuple[list[str], list[list[Any]]]:
    if key in board.matrices:
        return _matrix_rows(board.matrices[key], key != "activity" and metric == "sales_fen")
    if key == "geo":
        return (["H3 网格", "纬度", "经度", "楼栋", "销售额（元）", "订单数", "占比"],
                [[c.cell, c.lat, c.lng, "、".join(c.buildings), money(c.sales_fen), c.orders, f"{c.share * 100:.1f}%"]
                 for c in board.geo.cells])
    if key == "advice":
        items = board.advice.items if board.advice else []
        return (["建议", "品类", "商品", "原因"],
                [[i.action, i.category, i.product_name or "", i.reason] for i in items])
    if key == "turnover":
        headers = ["商品ID", "商品", "品类", "上架", "期间销量", "平均库存", "当前库存", "周转率", "库存可售天数",
                   "近30天零销量", "库存口径"]
        return headers, [[r.product_id, r.name, r.category, "是" if r.on_shelf else "否", r.units_sold,
                          Decimal(str(r.average_stock)), r.stock_now, r.turnover, r.days_on_hand,
                          "是" if r.no_sales_30d else "否", "库存流水" if r.stock_source == "ledger" else "当前库存"]
                         for r in board.turnover.products]
    return (["品类", "商品数", "期间销量", "平均库存", "周转率", "滞销品数"],
            [[c.category, c.products, c.units_sold, Decimal(str(c.average_stock)), c.turnover, c.slow_movers]
             for c in board.turnover.categories])


def _view(key: str, headers: Sequence[str]) -> ListView:
    def value(i: int) -> Callable[[Any, Any], Any]:
        return lambda row, _: row[i]
    return ListView(f"{PATH}/{key}", EXPORTS[key], f"邻里洞察-{EXPORTS[key]}",
                    [Column(h, value(i)) for i, h in enumerate(headers)])


@router.get("/insight/export")
def export(request: Request, p: ConsoleOperator, s: Db) -> Response:
    key = request.query_params.get("table", "")
    fmt = listing.export_format(request) or "csv"
    try:
        if key not in EXPORTS:
            raise NotFound("no such table", code="insight_table_not_found")
        community_id, days, metric = _filters(request, s, p)
    except NotFound:
        return render(request, "console/not_found.html", status_code=404, p=p, nav="insight", title="邻里洞察",
                      message="要导出的表或所选小区不存在。", back_url=PATH)
    headers, rows = _table(insight.dashboard(s, p, community_id, metric, days), key, metric)
    return listing.download(_view(key, headers), fmt, [rows])
