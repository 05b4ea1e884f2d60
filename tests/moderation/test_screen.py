"""screen(): the verdict other domains act on, the case it queues, and the counting for the spike alert."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linli.core.db import Database
from linli.core.errors import Invalid
from linli.moderation import blocked, service


def test_ordinary_text_passes_and_records_nothing(db: Database, tenant_id: int, noon) -> None:
    with db.unit_of_work() as s:
        v = service.screen(s, tenant_id, subject_kind="post", subject_id=1, text="今天的草莓很甜，明天还团吗？")
        assert (v.decision, v.hits, v.case_id) == ("pass", [], None)
        assert service.hit_count(s, tenant_id, since=noon - timedelta(hours=1), until=noon + timedelta(hours=1)) == 0


def test_review_queues_one_case_with_hits_in_original_positions(db: Database, tenant_id: int, noon) -> None:
    text = "有需要的加 V X 私聊"
    with db.unit_of_work() as s:
        v = service.screen(s, tenant_id, subject_kind="comment", subject_id=7, text=text, author_member_id=3)
        assert v.decision == "review" and v.case_id is not None
        (hit,) = v.hits
        assert (hit.word, hit.category, text[hit.start:hit.end]) == ("加vx", "contact", "加 V X")
        again = service.screen(s, tenant_id, subject_kind="comment", subject_id=7, text="加微信聊")
        assert again.case_id == v.case_id  # one open case per subject, text replaced
    with db.unit_of_work() as s:
        assert service.open_case(s, tenant_id, "comment", 7) == v.case_id
        assert service.hit_count(s, tenant_id, since=noon, until=noon + timedelta(seconds=1)) == 2


def test_block_is_counted_even_when_the_caller_rolls_back(db: Database, tenant_id: int, noon) -> None:
    with pytest.raises(Invalid) as refused, db.unit_of_work() as s:
        v = service.screen(s, tenant_id, subject_kind="post", subject_id=9, text="周末一起網絡賭博")
        assert v.decision == "block" and v.case_id is None
        raise service.sensitive_content(v)
    assert refused.value.code == "sensitive_content" and "网络赌博" in refused.value.message
    blocked.wait_written()
    with db.unit_of_work() as s:
        assert service.hit_count(s, tenant_id, since=noon, until=noon + timedelta(seconds=1)) == 1
        assert service.open_case(s, tenant_id, "post", 9) is None


def test_unknown_subject_kind_is_refused(db: Database, tenant_id: int) -> None:
    with pytest.raises(Invalid), db.unit_of_work() as s:
        service.screen(s, tenant_id, subject_kind="order", subject_id=1, text="x")
