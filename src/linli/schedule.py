"""Every due job, in the order run-due runs them."""

from __future__ import annotations

from linli.alert.jobs import JOBS as ALERT_JOBS
from linli.assessment.jobs import JOBS as ASSESSMENT_JOBS
from linli.audience.jobs import JOBS as AUDIENCE_JOBS
from linli.campaign.jobs import JOBS as CAMPAIGN_JOBS
from linli.checkin.jobs import JOBS as CHECKIN_JOBS
from linli.commission.jobs import JOBS as COMMISSION_JOBS
from linli.core.jobs import DueJob
from linli.coupon.jobs import JOBS as COUPON_JOBS
from linli.crisis.jobs import JOBS as CRISIS_JOBS
from linli.feedback.jobs import JOBS as FEEDBACK_JOBS
from linli.flashsale.jobs import JOBS as FLASHSALE_JOBS
from linli.groupbuy.jobs import JOBS as GROUPBUY_JOBS
from linli.journey.jobs import JOBS as JOURNEY_JOBS
from linli.leader.jobs import JOBS as LEADER_JOBS
from linli.lifecycle.jobs import JOBS as LIFECYCLE_JOBS
from linli.localservice.jobs import JOBS as LOCALSERVICE_JOBS
from linli.locker.jobs import JOBS as LOCKER_JOBS
from linli.messaging.jobs import JOBS as MESSAGING_JOBS
from linli.order.jobs import JOBS as ORDER_JOBS
from linli.pickup.jobs import JOBS as PICKUP_JOBS
from linli.points.jobs import JOBS as POINTS_JOBS
from linli.referral.jobs import JOBS as REFERRAL_JOBS
from linli.tier.jobs import JOBS as TIER_JOBS

# expiry first, so units of expired orders are back before sales close
DUE_JOBS: list[DueJob] = [*ORDER_JOBS, *FLASHSALE_JOBS, *GROUPBUY_JOBS, *REFERRAL_JOBS, *COUPON_JOBS,
                          *CHECKIN_JOBS, *POINTS_JOBS, *LIFECYCLE_JOBS, *TIER_JOBS,
                          *COMMISSION_JOBS, *ASSESSMENT_JOBS, *LEADER_JOBS,
                          *AUDIENCE_JOBS,  # tags and segments before the journeys that aim at them
                          *JOURNEY_JOBS,  # journeys late: they see the stages lifecycle just moved
                          *MESSAGING_JOBS]  # deferred messages, the journeys' among them
DUE_JOBS += CAMPAIGN_JOBS  # after lifecycle and journeys: segments and stages are current
DUE_JOBS += FEEDBACK_JOBS  # SLA timers of feedback tickets
DUE_JOBS += LOCALSERVICE_JOBS  # local services: open slots, 2 h reminders, complete ended bookings
DUE_JOBS += LOCKER_JOBS  # locker parcels: reminders before expiry, then expiries
DUE_JOBS += PICKUP_JOBS  # closures that began: their points' awaiting orders move
DUE_JOBS += ALERT_JOBS  # last: the metrics read what every other job just moved
DUE_JOBS += CRISIS_JOBS  # follow-ups 3 and 7 days after a crisis compensation
