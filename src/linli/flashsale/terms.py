"""Each process's short memory of flash-sale terms (price, quantity, limit, window): the purchase path and the
fast lane read a sale's terms from here instead of the database.

Terms change only by an operator's edit before the sale starts. The process that edits forgets its copy at
the commit; every other process reads them again after at most `TERMS_SECONDS`. Meanwhile a stale copy can
only refuse (a window it thinks closed, a limit it thinks lower): it can never sell on old terms, because the
purchase's final UPDATE requires the sale's current `revision` and a mismatch rolls the purchase back."""

from __future__ import annotations

import time
from typing import Any

from linli.core.runtime import remembered

TERMS_SECONDS = 2.0  # one read per sale, process and 2 s: nothing next to the herd it serves
LIMIT = 10_000  # sales kept; a full book starts over (a lost entry costs one read)


class TermsBook:
    def __init__(self) -> None:
        self._entries: dict[tuple[int, int], tuple[float, Any]] = {}

    def get(self, tenant_id: int, sale_id: int) -> Any | None:
        """The terms read less than TERMS_SECONDS ago, else None."""
        found = self._entries.get((tenant_id, sale_id))
        if found is None or found[0] <= time.monotonic():
            return None
        return found[1]

    def put(self, tenant_id: int, sale_id: int, terms: Any) -> None:
        if len(self._entries) >= LIMIT:
            self._entries.clear()
        self._entries[(tenant_id, sale_id)] = (time.monotonic() + TERMS_SECONDS, terms)

    def forget(self, tenant_id: int, sale_id: int) -> None:
        self._entries.pop((tenant_id, sale_id), None)


def terms_book() -> TermsBook:
    """The runtime's book (`remembered` keeps the object; its entries change). A test's fresh runtime starts
    with an empty one."""
    return remembered(("flash_sale.terms_book",), TermsBook)
