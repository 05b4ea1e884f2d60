"""The demo tenant runs the four seed SOPs, each from its template, switched on at the load's instant (so the
history the loader wrote, whose events are still in the outbox, enrols nobody)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.models import Journey, JourneyEnrolment, Tenant
from tests.demo.conftest import Demo


@pytest.mark.xdist_group("small-demo")
def test_demo_runs_the_seed_sops(small_demo: Demo):
    with small_demo.db.unit_of_work() as s:
        tenant_id = s.scalar(select(Tenant.id).where(Tenant.slug == "demo"))
        rows = s.execute(select(Journey.template_code, Journey.status, Journey.activated_at)
                         .where(Journey.tenant_id == tenant_id).order_by(Journey.id)).all()
        enrolled = s.scalar(select(func.count()).select_from(JourneyEnrolment)
                            .where(JourneyEnrolment.tenant_id == tenant_id))
    assert [(code, status) for code, status, _ in rows] == [
        ("welcome_48h", "active"), ("fresh_recipe_3d", "active"), ("silent_wakeup_30d", "active"),
        ("idle_callback_3d", "active")]
    assert all(at == small_demo.at for _, _, at in rows)
    assert enrolled == 0
