"""One mechanism for every console list: the filters read from the query string (search, status, a date range,
community, leader), numbered pages with the total and money sums, and export of the filtered list as CSV or Excel.

A page declares a `ListView` (what it filters by, its export columns) and gives its domain's numbered page or
batches; this module reads the parameters, renders the pager and summary, and writes the file."""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, Any
from urllib.parse import quote

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response, StreamingResponse

from linli.community import service as communities
from linli.core import clock
from linli.core.listing import Filters, Numbered
from linli.core.security import Principal
from linli.leader import service as leaders
from linli.web.console.templating import PAGE_SIZE, is_id, is_partial, page_url, render

EXPORT_MAX_ROWS = 200_000  # beyond this an operator should narrow the filters (Excel's own limit is 1,048,576)
CHOICES_SHOWN = 500  # communities / leaders offered in a filter's select
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a cell starting so is run by a spreadsheet: written as text

Lookup = Callable[[Sequence[Any]], Mapping[str, Any]]  # one page or batch of rows -> names etc. for the columns


@dataclass(frozen=True)
class Column:
    """One exported column: its header and its value for a row (str, int, Decimal yuan, datetime or None),
    given the batch's lookups."""

    header: str
    value: Callable[[Any, Mapping[str, Any]], Any]


def money(fen: int) -> Decimal:
    """Fen as yuan for a spreadsheet cell: exact, two places."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class ListView:
    path: str
    title: str
    filename: str  # the download's name, without date or extension, e.g. 订单
    columns: Sequence[Column]
    date_label: str = "创建时间"  # what the date range filters
    statuses: Mapping[str, str] = field(default_factory=dict)  # non-empty: a status select
    community: bool = False
    leader: bool = False
    paid_date: bool = False  # orders: the range may be on the payment date instead
    search: str = ""  # the search box's placeholder; empty: no search box
    sums: Mapping[str, str] = field(default_factory=dict)  # column -> label of its sum, e.g. 应付合计


@dataclass(frozen=True)
class ListParams:
    """The filters as typed (kept for the form and the links) and the page number."""

    q: str = ""
    status: str = ""
    start: str = ""  # YYYY-MM-DD, an Asia/Shanghai day, inclusive
    end: str = ""
    community: str = ""
    leader: str = ""
    on: str = "created"
    page: int = 1

    def filters(self) -> Filters:
        since = _day(self.start)
        until = _day(self.end)
        return Filters(q=self.q or None, status=self.status if self.status not in ("", "all") else None,
                       since=clock.as_utc(datetime.combine(since, time())) if since else None,
                       until=clock.as_utc(datetime.combine(until + timedelta(days=1), time())) if until else None,
                       community_id=int(self.community) if self.community else None,
                       leader_id=int(self.leader) if self.leader else None, on=self.on)

    def query(self, **changes: Any) -> dict[str, str | int | None]:
        """The non-default parameters for a link, with `changes` applied."""
        values: dict[str, str | int | None] = {
            "q": self.q, "status": self.status, "start": self.start, "end": self.end,
            "community": self.community, "leader": self.leader,
            "on": self.on if self.on != "created" else None, "page": self.page if self.page > 1 else None}
        values.update(changes)
        return values


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if _DAY.fullmatch(text) else None
    except ValueError:
        return None


def read(request: Request, view: ListView, q: str = "", status: str | None = None) -> ListParams:
    """The list's parameters from the query string; anything malformed is left out (the unfiltered list),
    as a hand-edited URL should still show a page. `status` overrides the query's: a queue's tab, where "all"
    (every status) differs from no status (the queue's default tab)."""
    args = request.query_params
    wanted = args.get("status", "") if status is None else status
    page = args.get("page", "")
    return ListParams(
        q=q.strip() if view.search else "",
        status=wanted if wanted in view.statuses or (status == "all") else "",
        start=_text_day(args.get("start", "")), end=_text_day(args.get("end", "")),
        community=_id(args.get("community", "")) if view.community else "",
        leader=_id(args.get("leader", "")) if view.leader else "",
        on="paid" if view.paid_date and args.get("on") == "paid" else "created",
        page=min(int(page), 10**6) if is_id(page) and int(page) > 0 else 1)


def _text_day(text: str) -> str:
    return text if _day(text) else ""


def _id(text: str) -> str:
    return text if is_id(text) and int(text) > 0 else ""


def export_format(request: Request) -> str | None:
    fmt = request.query_params.get("format")
    return fmt if fmt in ("csv", "xlsx") else None


@dataclass(frozen=True)
class Listing:
    """What the templates get: the page of rows, the figures, the links and the filter choices."""

    view: ListView
    params: ListParams
    numbered: Numbered[Any]
    communities: Sequence[tuple[int, str]]
    leaders: Sequence[tuple[int, str]]

    @property
    def rows(self) -> list[Any]:
        return self.numbered.rows

    def url(self, **changes: Any) -> str:
        return page_url(self.view.path, **self.params.query(**changes))

    def page_link(self, number: int) -> str:
        return self.url(page=number if number > 1 else None)

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: the first, the last and two either side of this one; None marks a gap."""
        n, last = self.numbered.page, self.numbered.pages
        shown = sorted({1, last, *range(max(1, n - 2), min(last, n + 2) + 1)})
        out: list[int | None] = []
        for i, number in enumerate(shown):
            if i and number - shown[i - 1] > 1:
                out.append(None)
            out.append(number)
        return out

    def export_url(self, fmt: str) -> str:
        return self.url(page=None, format=fmt)

    @property
    def sums(self) -> list[tuple[str, int]]:
        return [(label, self.numbered.sums.get(column, 0)) for column, label in self.view.sums.items()]

    @property
    def filtered(self) -> bool:
        p = self.params
        return any((p.q, p.status, p.start, p.end, p.community, p.leader))


@dataclass(frozen=True)
class Source:
    """A domain's console list (e.g. linli.order.listing): a numbered page and the batches of the whole list."""

    page: Callable[[Session, Principal, Filters, int, int], Numbered[Any]]
    export: Callable[[Session, Principal, Filters], Iterator[list[Any]]]


def answer(request: Request, p: Principal, s: Session, view: ListView, params: ListParams, source: Source, *,
           template: str, nav: str, table: str | None = None, lookup: Lookup | None = None, status_code: int = 200,
           **context: Any) -> Response:
    """The list as the request wants it: a file (?format=csv|xlsx), only its results for htmx (when the page has
    a `table` fragment), or the whole page. `lookup` gives the names a page or batch of rows needs, to the
    template and to the export columns alike."""
    fmt = export_format(request)
    if fmt is not None:
        return download(view, fmt, source.export(s, p, params.filters()), lookup)
    found = source.page(s, p, params.filters(), params.page, PAGE_SIZE)
    shown = listing(s, p, view, params, found)
    extra = dict(lookup(found.rows)) if lookup else {}
    partial = table is not None and is_partial(request)
    response = render(request, table if partial and table else template, status_code=status_code, p=p, nav=nav,
                      title=view.title, listing=shown, rows=found.rows, **extra, **context)
    if table is not None:
        response.headers["Vary"] = "HX-Request"
    return response


def listing(s: Session, p: Principal, view: ListView, params: ListParams, numbered: Numbered[Any]) -> Listing:
    """The template's view of a list: its page and the choices its community / leader filters offer."""
    return Listing(view, params, numbered, _communities(s, p) if view.community else [],
                   _leaders(s, p) if view.leader else [])


def _communities(s: Session, p: Principal) -> list[tuple[int, str]]:
    rows, _ = communities.search_communities(s, p, None, CHOICES_SHOWN, None)
    return sorted(((c.id, c.name) for c in rows), key=lambda c: c[0])


def _leaders(s: Session, p: Principal) -> list[tuple[int, str]]:
    rows, _ = leaders.search(s, p.tenant_id, None, None, CHOICES_SHOWN, None)
    return sorted(((r.id, r.name) for r in rows), key=lambda r: r[0])


# --- export ----------------------------------------------------------------------------------------------------

def download(view: ListView, fmt: str, batches: Iterable[list[Any]], lookup: Lookup | None = None) -> Response:
    """The whole filtered list as a file. Rows are read in batches and written to a temporary file (spilling to
    disk past a few MB), which is then streamed: memory stays bounded for any list, and the database work is done
    inside the request's unit of work."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by _chunks
    rows = _rows(view, batches, lookup)
    truncated = (_write_xlsx if fmt == "xlsx" else _write_csv)(spool, view, rows)
    size = spool.tell()
    spool.seek(0)
    stamp = clock.local(clock.now()).strftime("%Y%m%d-%H%M")
    name = f"{view.filename}-{stamp}.{fmt}"
    ascii_name = f"{view.path.rsplit('/', 1)[-1]}-{stamp}.{fmt}"
    media = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
             else "text/csv; charset=utf-8")
    headers = {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
               "Content-Length": str(size), "Cache-Control": "private, no-store"}
    if truncated:
        headers["X-Export-Truncated"] = str(EXPORT_MAX_ROWS)
    return StreamingResponse(_chunks(spool), media_type=media, headers=headers)


class _Rows:
    """The export's rows, counted, stopping at EXPORT_MAX_ROWS."""

    def __init__(self, it: Iterator[list[Any]]) -> None:
        self.it = it
        self.truncated = False

    def __iter__(self) -> Iterator[list[Any]]:
        for count, row in enumerate(self.it):
            if count == EXPORT_MAX_ROWS:
                self.truncated = True
                return
            yield row


def _rows(view: ListView, batches: Iterable[list[Any]], lookup: Lookup | None) -> _Rows:
    def generate() -> Iterator[list[Any]]:
        for batch in batches:
            extra = lookup(batch) if lookup else {}
            for row in batch:
                yield [c.value(row, extra) for c in view.columns]
    return _Rows(generate())


def _text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def _write_csv(out: IO[bytes], view: ListView, rows: _Rows) -> bool:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")  # the BOM lets Excel read the Chinese
    writer = csv.writer(text)
    writer.writerow([c.header for c in view.columns])
    for row in rows:
        writer.writerow(["" if v is None else local_text(v) if isinstance(v, datetime) else _text(v) for v in row])
    text.flush()
    text.detach()  # keep `out` open for the response
    return rows.truncated


def _write_xlsx(out: IO[bytes], view: ListView, rows: _Rows) -> bool:
    from openpyxl import Workbook  # only exports pay for the import

    book = Workbook(write_only=True)  # rows go to a temporary file as they come, not into memory
    sheet = book.create_sheet(view.title[:31])
    sheet.append([c.header for c in view.columns])
    for row in rows:
        sheet.append([clock.local(v).replace(tzinfo=None) if isinstance(v, datetime) else _text(v) for v in row])
    book.save(out)
    return rows.truncated


def local_text(at: datetime) -> str:
    return clock.local(at).strftime("%Y-%m-%d %H:%M:%S")


def _chunks(spool: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := spool.read(size):
            yield chunk
    finally:
        spool.close()
