"""Every due job, in the order run-due runs them."""

from __future__ import annotations

from linli.core.jobs import DueJob
from linli.flashsale.jobs import JOBS as FLASHSALE_JOBS
from linli.groupbuy.jobs import JOBS as GROUPBUY_JOBS
from linli.order.jobs import JOBS as ORDER_JOBS
from linli.referral.jobs import JOBS as REFERRAL_JOBS

# expiry first, so units of expired orders are back before sales close
DUE_JOBS: list[DueJob] = [*ORDER_JOBS, *FLASHSALE_JOBS, *GROUPBUY_JOBS, *REFERRAL_JOBS]
