from __future__ import annotations

from linli.core.jobs import DueJob
from linli.groupbuy.settlement import expire

JOBS = [DueJob("groupbuy.settle_deadlines", expire)]
