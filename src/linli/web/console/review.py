"""The shape the console's review queues share (团长招募, 提现审核): status tabs over a list filtered, paged and
exported like every console list (web/console/listing.py), approve, and reject with a reason; a refusal shows the
queue's first tab again with the error, success goes to the tab of the new status. Each page keeps its own
wording, reason rule and conflict messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, NotFound
from linli.core.security import Principal
from linli.web.console import listing
from linli.web.console.listing import ListView, Lookup, Source
from linli.web.console.templating import is_id


@dataclass(frozen=True)
class Queue:
    view: ListView  # path, title, the statuses (status -> tab label; the first is the default tab, 待审核), filters
    template: str
    nav: str
    source: Source
    not_found: str  # the message for an unknown id, with {} for the id
    lookup: Callable[[Session, Principal], Lookup] | None = None  # names a page or an export batch shows

    @property
    def path(self) -> str:
        return self.view.path

    @property
    def first(self) -> str:
        return next(iter(self.view.statuses))

    def page(self, request: Request, p: Principal, s: Session, status: str, status_code: int = 200,
             **context: Any) -> Response:
        """The tab of `status` ("all": every status; anything else unknown: the first tab), filtered and paged
        by the query string like every console list."""
        wanted = status if status in self.view.statuses or status == "all" else self.first
        params = listing.read(request, self.view, status=wanted)
        return listing.answer(request, p, s, self.view, params, self.source, template=self.template, nav=self.nav,
                              lookup=self.lookup(s, p) if self.lookup else None, status_code=status_code,
                              queue_path=self.path, status=wanted,
                              tabs=[*self.view.statuses.items(), ("all", "全部")], **context)

    def decide(self, request: Request, p: Principal, s: Session, item_id: str, act: Callable[[int], object],
               done: str, conflicts: Mapping[str, str], otherwise: str) -> Response:
        """Run `act` on the id; answer with the tab of the `done` status, or the first tab with why not
        (404 for an unknown id, 409 with conflicts[code] or `otherwise` when the item cannot be decided)."""
        try:
            if not is_id(item_id):
                raise NotFound("not found", code="not_found")
            act(int(item_id))
        except NotFound:
            return self.page(request, p, s, self.first, 404, error=self.not_found.format(item_id))
        except Conflict as e:
            return self.page(request, p, s, self.first, 409, error=conflicts.get(e.code, otherwise))
        return RedirectResponse(f"{self.path}?status={done}&done={done}", status_code=303)
