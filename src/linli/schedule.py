"""Every due job, in the order run-due runs them."""

from __future__ import annotations

from linli.core.jobs import DueJob
from linli.order.jobs import JOBS as ORDER_JOBS

DUE_JOBS: list[DueJob] = [*ORDER_JOBS]
