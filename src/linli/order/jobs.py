from __future__ import annotations

from linli.core.jobs import DueJob
from linli.order.cancellation import expire_unpaid, forfeit_unpaid_balances

JOBS = [DueJob("order.expire_unpaid", expire_unpaid),
        DueJob("order.forfeit_unpaid_balances", forfeit_unpaid_balances)]
