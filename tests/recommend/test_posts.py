"""Post ranking: the member's topics, the products a post shows, neighbours' engagement (dwell > like >
favourite > comment), the member's own community and freshness; a post already seen counts half."""

from __future__ import annotations

from datetime import timedelta

from linli.content.schemas import PostCandidate
from linli.core import clock
from linli.recommend import posts
from linli.recommend.schemas import SettingsIn


def _post(pid: int, hours: float, topic: str | None = None, community: int | None = None,
          products: list[int] | None = None) -> PostCandidate:
    return PostCandidate(id=pid, community_id=community, kind="post", topic=topic, product_ids=products or [],
                         created_at=clock.now() - timedelta(hours=hours))


def test_posts_rank_by_topic_products_engagement_and_community() -> None:
    now = clock.now()
    settings = SettingsIn()
    liked_before = _post(1, 72, topic="家常菜")
    candidates = [liked_before, _post(2, 10, topic="家常菜"), _post(3, 10, products=[501]),
                  _post(4, 10, community=9), _post(5, 10), _post(6, 10)]
    # the member dwelt on a home-cooking post; neighbours engage with post 6 much more than with post 5
    mine = [(1, "dwell", 45_000, now - timedelta(hours=20))]
    engaged = {6: 12.0, 5: 1.0}
    got = posts.rank(candidates, engaged, settings, mine, {501: 1.0}, 9, now, limit=6)
    ids = [r.id for r in got]
    assert ids.index(2) < ids.index(5) and ids.index(3) < ids.index(5) and ids.index(4) < ids.index(5)
    assert ids.index(6) < ids.index(5)
    by_id = {r.id: r for r in got}
    assert by_id[2].reason == "你关注的话题：#家常菜"
    assert by_id[3].reason == "与你喜欢的商品相关"
    assert by_id[4].reason == "本小区动态"
    assert by_id[6].reason == "邻居热议"
    assert by_id[5].reasons == ["新鲜发布"]
    assert ids.index(1) > ids.index(2)  # same topic, but seen and older
    assert by_id[1].score < by_id[2].score / 2
    assert posts.rank([], engaged, settings, mine, {}, 9, now, 5) == []


def test_engagement_weights_follow_the_seed_order() -> None:
    import numpy as np

    from linli.recommend.model import weights

    s = SettingsIn()
    w = weights(s, ["dwell", "like", "favourite", "comment", "view", "dwell"], [30_000, None, None, None, None, 3_000],
                np.zeros(6))
    assert list(w[:5]) == [4.0, 3.0, 2.0, 1.0, 0.5]
    assert w[5] == 0.4  # a 3 s glance is a tenth of a full dwell
    aged = weights(s, ["like"], [None], np.array([s.half_life_days * 86400]))
    assert aged[0] == 1.5
