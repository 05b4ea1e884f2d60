from __future__ import annotations

from linli.core.jobs import DueJob
from linli.order.cancellation import expire_unpaid

JOBS = [DueJob("order.expire_unpaid", expire_unpaid)]
