"""The process's memory of which sales were sold out a moment ago (本地售罄标记).

After a sale sells out, nearly every attempt of the herd would be refused; the fast lane
(`flashsale/fastlane.py`) answers those from here without a database or Redis trip. A mark lasts
`flash_sale_sold_out_memo_seconds`. It never lets a unit be oversold — the purchase path keeps every
guard — it can only refuse for that long after a unit came back in another process. A unit that comes
back in this process (an expired order, a Redis repair) forgets the mark at once.

When a mark expires, the first attempt to see it takes the recheck: it renews the mark and goes down the
full purchase path, while the others are still refused. One attempt per process and interval asks the
database (or Redis); if it buys, its success forgets the mark."""

from __future__ import annotations

import time

from linli.core.runtime import get_runtime, remembered

LIMIT = 10_000  # marks kept; a full memo starts over (a lost mark costs one full-path attempt)


class SoldOutMemo:
    def __init__(self) -> None:
        self._until: dict[tuple[int, int], float] = {}

    def refuses(self, tenant_id: int, sale_id: int) -> bool:
        """True while the mark lasts. At expiry the caller is the one that rechecks: False for it alone."""
        key = (tenant_id, sale_id)
        until = self._until.get(key)
        if until is None:
            return False
        now = time.monotonic()
        if now < until:
            return True
        self._until[key] = now + _seconds()  # this caller takes the recheck; the herd stays refused
        return False

    def mark(self, tenant_id: int, sale_id: int) -> None:
        seconds = _seconds()
        if seconds <= 0:
            return
        if len(self._until) >= LIMIT:
            self._until.clear()
        self._until[(tenant_id, sale_id)] = time.monotonic() + seconds

    def forget(self, tenant_id: int, sale_id: int) -> None:
        self._until.pop((tenant_id, sale_id), None)


def _seconds() -> float:
    return get_runtime().settings.flash_sale_sold_out_memo_seconds


def memo() -> SoldOutMemo:
    """The runtime's memo: `remembered` keeps the object, which is never replaced, while its marks change;
    they are this process's alone by design. A test's fresh runtime starts with an empty one."""
    return remembered(("flash_sale.sold_out",), SoldOutMemo)
