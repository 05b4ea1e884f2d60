"""Recording behaviour: validation with clear codes, one row per call, nothing written on bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from linli.core.errors import Invalid
from linli.models import BehaviourEvent
from linli.recommend import service


def _count(t) -> int:
    with t.db.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(BehaviourEvent)
                        .where(BehaviourEvent.tenant_id == t.tenant_id)) or 0


def test_record_behaviour_validates_and_appends(make) -> None:
    t = make.tenant()
    m, _ = t.member()
    with t.db.unit_of_work() as s:
        service.record_behaviour(s, t.tenant_id, m["id"], item_kind="post", item_id=7, action="dwell",
                                 dwell_ms=12_000, community_id=m["community_id"])
        service.record_behaviour(s, t.tenant_id, m["id"], item_kind="product", item_id=3, action="view")
    bad = [({"item_kind": "video", "item_id": 1, "action": "view"}, "invalid_item_kind"),
           ({"item_kind": "post", "item_id": 1, "action": "stare"}, "invalid_action"),
           ({"item_kind": "post", "item_id": 0, "action": "view"}, "invalid_item_id"),
           ({"item_kind": "post", "item_id": 1, "action": "dwell"}, "dwell_ms_required"),
           ({"item_kind": "post", "item_id": 1, "action": "dwell", "dwell_ms": -5}, "invalid_dwell_ms")]
    for kw, code in bad:
        with t.db.unit_of_work() as s, pytest.raises(Invalid) as err:
            service.record_behaviour(s, t.tenant_id, m["id"], **kw)
        assert err.value.code == code
    assert _count(t) == 2
    with t.db.unit_of_work() as s:
        rows = s.execute(select(BehaviourEvent.item_kind, BehaviourEvent.action, BehaviourEvent.dwell_ms,
                                BehaviourEvent.community_id).where(BehaviourEvent.tenant_id == t.tenant_id)
                         .order_by(BehaviourEvent.id)).all()
    assert [tuple(r) for r in rows] == [("post", "dwell", 12_000, m["community_id"]), ("product", "view", None, None)]
