"""The demo tenant's tags and segments are defined and computed at the load's instant."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.demo.audience import SEGMENTS, TAGS
from linli.models import Member, MemberRfm, MemberTag, Segment, SegmentMember, Tag, Tenant
from tests.demo.conftest import Demo


@pytest.mark.xdist_group("small-demo")
def test_demo_tags_and_segments_are_computed(small_demo: Demo):
    with small_demo.db.unit_of_work() as s:
        tid = s.scalar(select(Tenant.id).where(Tenant.slug == "demo"))
        carried = dict(s.execute(select(Tag.code, func.count(MemberTag.id))
                                 .outerjoin(MemberTag, MemberTag.tag_id == Tag.id)
                                 .where(Tag.tenant_id == tid).group_by(Tag.code)).all())
        sizes = dict(s.execute(select(Segment.name, func.count(SegmentMember.id))
                               .outerjoin(SegmentMember, SegmentMember.segment_id == Segment.id)
                               .where(Segment.tenant_id == tid).group_by(Segment.name)).all())
        members = s.scalar(select(func.count()).select_from(Member).where(Member.tenant_id == tid))
        rfm = s.scalar(select(func.count()).select_from(MemberRfm).where(MemberRfm.tenant_id == tid))
    assert set(carried) == {code for code, *_ in TAGS} and set(sizes) == {name for name, *_ in SEGMENTS}
    busy = [code for code, n in carried.items() if 0 < n < members]
    assert len(busy) >= len(TAGS) - 3, carried  # most tags pick some members, not all
    assert sum(1 for n in sizes.values() if n > 0) >= 3, sizes
    assert rfm == members
