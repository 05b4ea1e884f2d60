"""The shape the console's review queues share (团长招募, 提现审核): status tabs over a paged list, approve, and
reject with a reason; a refusal shows the queue's first tab again with the error, success goes to the tab of
the new status. Each page keeps its own search, wording, reason rule and conflict messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import Conflict, NotFound
from linli.core.security import Principal
from linli.web.console.templating import cursor_param, is_id, page_url, render

Listing = tuple[Sequence[Any], str | None, dict[str, Any]]  # rows, the next page's cursor, more template context
Fetch = Callable[[Session, Principal, str | None, str | None], Listing]  # (s, p, status or None for all, cursor)


@dataclass(frozen=True)
class Queue:
    path: str
    template: str
    nav: str
    title: str
    statuses: Mapping[str, str]  # status -> tab label; the first is the queue's default tab (待审核)
    fetch: Fetch
    not_found: str  # the message for an unknown id, with {} for the id

    @property
    def first(self) -> str:
        return next(iter(self.statuses))

    def page(self, request: Request, p: Principal, s: Session, status: str, cursor: str, status_code: int = 200,
             **context: object) -> Response:
        wanted = status if status in self.statuses else (None if status == "all" else self.first)
        rows, nxt, extra = self.fetch(s, p, wanted, cursor_param(cursor))
        shown = wanted or "all"
        return render(request, self.template, status_code=status_code, p=p, nav=self.nav, title=self.title,
                      queue_path=self.path, rows=rows, status=shown, tabs=[*self.statuses.items(), ("all", "全部")],
                      cursor=cursor, next_url=page_url(self.path, status=shown, cursor=nxt) if nxt else None,
                      first_url=page_url(self.path, status=shown), **extra, **context)

    def decide(self, request: Request, p: Principal, s: Session, item_id: str, act: Callable[[int], object],
               done: str, conflicts: Mapping[str, str], otherwise: str) -> Response:
        """Run `act` on the id; answer with the tab of the `done` status, or the first tab with why not
        (404 for an unknown id, 409 with conflicts[code] or `otherwise` when the item cannot be decided)."""
        try:
            if not is_id(item_id):
                raise NotFound("not found", code="not_found")
            act(int(item_id))
        except NotFound:
            return self.page(request, p, s, self.first, "", 404, error=self.not_found.format(item_id))
        except Conflict as e:
            return self.page(request, p, s, self.first, "", 409, error=conflicts.get(e.code, otherwise))
        return RedirectResponse(f"{self.path}?status={done}&done={done}", status_code=303)
