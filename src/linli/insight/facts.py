"""The figures every insight answer starts from, read once per request through the owning domains' read
functions and registered in an in-memory DuckDB (the brief's analytics engine): order lines net of refunds, who
bought them (community, building, unit type, family structure) and which category each product is in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from sqlalchemy.orm import Session

from linli.catalog import insight_queries as catalog_reads
from linli.community import insight_queries as community_reads
from linli.community import service as community
from linli.community.schemas import BuildingPlace
from linli.member import insight_queries as member_reads
from linli.order import insight_queries as order_reads

LINES = pa.schema([("order_id", pa.int64()), ("member_id", pa.int64()), ("product_id", pa.int64()),
                   ("units", pa.int64()), ("fen", pa.int64())])
PEOPLE = pa.schema([("member_id", pa.int64()), ("community_id", pa.int64()), ("household_id", pa.int64()),
                    ("building_id", pa.int64()), ("unit_type", pa.string()), ("family", pa.string())])
PRODUCTS = pa.schema([("product_id", pa.int64()), ("category_id", pa.int64())])


@dataclass(frozen=True)
class Household:
    building_id: int
    community_id: int
    unit_type: str
    family: str


@dataclass(frozen=True)
class Product:
    name: str
    category_id: int
    stock: int
    on_shelf: bool


@dataclass
class Facts:
    since: datetime
    until: datetime
    con: duckdb.DuckDBPyConnection  # tables: lines, people, products
    communities: dict[int, tuple[str, float, float]]  # id -> (name, lat, lng)
    buildings: dict[int, BuildingPlace]
    households: dict[int, Household]
    categories: dict[int, str]  # in the catalogue's order
    products: dict[int, Product]
    every_line: bool  # the lines of every community were read (not only one community's)

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()


def _arrow(schema: pa.Schema, rows: Iterable[tuple[Any, ...]]) -> pa.Table:
    cols = list(zip(*rows, strict=True)) or [() for _ in schema]
    return pa.table([pa.array(list(c), type=f.type) for c, f in zip(cols, schema, strict=True)], schema=schema)


def _lines(rows: list[tuple[int, int, int, int, int]]) -> pa.Table:
    """All-integer columns: one numpy conversion instead of a Python loop per value."""
    grid = np.array(rows, dtype=np.int64).reshape(len(rows), len(LINES))
    return pa.table([pa.array(grid[:, i]) for i in range(len(LINES))], schema=LINES)


@contextmanager
def loaded(s: Session, tenant_id: int, since: datetime, until: datetime,
           community_id: int | None = None) -> Iterator[Facts]:
    """community_id: only that community's members' lines are read (the heatmaps of one community); None: all."""
    households = {h: Household(b, c, u, f) for h, b, c, u, f in community_reads.households(s, tenant_id)}
    people = []
    for member_id, home_id, household_id in member_reads.placements(s, tenant_id):
        h = households.get(household_id) if household_id is not None else None
        people.append((member_id, home_id, household_id, h.building_id if h else None,
                       h.unit_type if h else None, h.family if h else None))
    products = {i: Product(n, c, st, a) for i, n, c, st, a in catalog_reads.products(s, tenant_id)}
    con = duckdb.connect()
    try:
        buyers = None if community_id is None else [m for m, c, *_ in people if c == community_id]
        con.register("lines", _lines(order_reads.net_lines(s, tenant_id, since, until, buyers)))
        con.register("people", _arrow(PEOPLE, people))
        con.register("products", _arrow(PRODUCTS, [(i, p.category_id) for i, p in products.items()]))
        yield Facts(since, until, con,
                    {i: (n, la, ln) for i, n, la, ln in community_reads.communities(s, tenant_id)},
                    community.building_places(s, tenant_id), households,
                    dict(catalog_reads.categories(s, tenant_id)), products, community_id is None)
    finally:
        con.close()
