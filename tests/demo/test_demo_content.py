"""The demo tenant's 邻里圈: residents' posts and recipes per community, official recipes (one pinned), polls with
ballots, likes, comments, views and reviews of picked-up orders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.content import polls, service
from linli.core.security import Principal
from linli.models import Post, PostComment, PostReaction, Tenant, User
from tests.demo.conftest import Demo


@pytest.mark.xdist_group("small-demo")
def test_demo_has_a_lively_community_wall(small_demo: Demo):
    with small_demo.db.unit_of_work() as s:
        tenant_id = s.scalar(select(Tenant.id).where(Tenant.slug == "demo"))
        admin = s.scalar(select(User.id).where(User.tenant_id == tenant_id, User.role == "operator"))
        op = Principal(admin, tenant_id, "demo", "operator")

        def count(model, *where) -> int:
            return s.scalar(select(func.count()).select_from(model).where(model.tenant_id == tenant_id, *where))

        assert count(Post, Post.kind == "ugc") >= 8 and count(Post, Post.kind == "recipe") >= 3
        assert count(Post, Post.kind == "review") >= 3 and count(Post, Post.kind == "pgc") >= 2
        assert count(PostReaction) > 0 and count(PostComment) > 0
        pinned, _ = service.wall(s, op, None, None, "recipe", 5, None)
        assert pinned[0].pinned and pinned[0].product_ids
        found, _ = polls.search(s, op, 50, None)
        assert any(p.kind == "cocreation" for p in found) and all(p.ballots > 0 for p in found)
        hot = service.hot_posts(s, tenant_id, min_views=2, since=small_demo.at - timedelta(days=30))
        assert hot and hot[0].views >= 2
        reviews, bad = service.review_stats(s, tenant_id, since=small_demo.at - timedelta(days=31),
                                            until=small_demo.at)
        assert reviews >= 3 and 0 <= bad <= reviews
