"""The demo tenant's scenario campaigns: 中秋 with an A/B test sent 10 days before the load (history orders since
convert), 国庆 piloted in two communities, and two drafts ahead for the calendar."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.campaign import experiments, pilots
from linli.campaign import service as campaigns
from linli.core.security import Principal
from linli.member import service as members
from linli.models import CampaignRecipient, Tenant, User
from tests.demo.conftest import Demo


@pytest.mark.xdist_group("small-demo")
def test_demo_has_scenario_campaigns_an_ab_test_and_a_pilot(small_demo: Demo):
    with small_demo.db.unit_of_work() as s:
        tenant_id = s.scalar(select(Tenant.id).where(Tenant.slug == "demo"))
        admin = s.scalar(select(User.id).where(User.tenant_id == tenant_id, User.role == "operator"))
        op = Principal(admin, tenant_id, "demo", "operator")
        rows, _ = campaigns.search(s, op, None, 50, None)
        by_name = {c.name: c for c in rows}
        assert {n: c.status for n, c in by_name.items()} == {
            "中秋团圆季": "running", "国庆邻里节": "running", "开学季文具团": "draft", "停水通知": "draft"}
        mid, national = by_name["中秋团圆季"], by_name["国庆邻里节"]
        assert mid.sending.recipients > 0 and mid.sending.pending == 0
        results = experiments.results(s, op, mid.experiment_id)
        assert sum(v.exposed for v in results.variants) == mid.sending.sent
        assert all(v.exposed > 0 for v in results.variants)
        assert 0 <= sum(v.converted for v in results.variants) <= mid.sending.sent
        pilot = next(x for x in pilots.search(s, op, None, 10, None)[0] if x.campaign_id == national.id)
        assert pilot.status == "pilot" and len(pilot.community_ids) == 2
        assert national.community_ids == pilot.community_ids
        sent_to = list(s.scalars(select(CampaignRecipient.member_id).where(
            CampaignRecipient.campaign_id == national.id)))
        assert sent_to and set(members.communities_of(s, tenant_id, sent_to).values()) <= set(pilot.community_ids)
        review = pilots.review(s, op, pilot.id)
        assert review.pilot.communities == 2 and review.rest.communities >= 1
        assert review.pilot.orders + review.rest.orders > 0
        cal = campaigns.calendar(s, op, mid.starts_at.strftime("%Y-%m"))
        assert mid.id in {c.id for c in cal.campaigns}
        assert s.scalar(select(func.count()).select_from(CampaignRecipient).where(
            CampaignRecipient.tenant_id == tenant_id)) == mid.sending.recipients + national.sending.recipients
