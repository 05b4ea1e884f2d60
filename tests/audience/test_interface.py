"""The interface journeys and campaigns call: segment members, membership, a member's tag codes."""

from __future__ import annotations

import pytest

from linli.audience import service
from linli.core import clock
from linli.core.errors import NotFound
from linli.models import MemberTag, Segment, SegmentMember, Tag


def test_segment_interface_reads_what_was_computed(make) -> None:
    t = make.tenant()
    m1, _ = t.member()
    m2, _ = t.member()
    with t.db.unit_of_work() as s:
        tag = Tag(tenant_id=t.tenant_id, code="fresh_fan", name="生鲜达人", description="", rule="orders_90d >= 1",
                  ast={"op": "cmp"})
        seg = Segment(tenant_id=t.tenant_id, name="测试人群", description="", definition={"tag": "fresh_fan"})
        s.add_all([tag, seg])
        s.flush()
        s.add(MemberTag(tenant_id=t.tenant_id, tag_id=tag.id, member_id=m1["id"], since=clock.now()))
        s.add(SegmentMember(tenant_id=t.tenant_id, segment_id=seg.id, member_id=m1["id"], since=clock.now()))
        seg_id = seg.id
    with t.db.unit_of_work() as s:
        assert service.segment_member_ids(s, t.tenant_id, seg_id) == [m1["id"]]
        assert service.member_in_segment(s, t.tenant_id, seg_id, m1["id"]) is True
        assert service.member_in_segment(s, t.tenant_id, seg_id, m2["id"]) is False
        assert service.member_tag_codes(s, t.tenant_id, m1["id"]) == {"fresh_fan"}
        assert service.member_tag_codes(s, t.tenant_id, m2["id"]) == set()
        with pytest.raises(NotFound):
            service.segment_member_ids(s, t.tenant_id, seg_id + 999)
        with pytest.raises(NotFound):
            service.member_in_segment(s, t.tenant_id, seg_id + 999, m1["id"])
    other = make.tenant()
    with other.db.unit_of_work() as s:  # another tenant sees neither the segment nor the tags
        with pytest.raises(NotFound):
            service.segment_member_ids(s, other.tenant_id, seg_id)
        assert service.member_tag_codes(s, other.tenant_id, m1["id"]) == set()
