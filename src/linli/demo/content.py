"""Demo: 邻里圈 through the content services as of their instants (each text screened like a real one): per
community a handful of residents' posts with topics, a resident's recipe and an official notice, likes,
comments and views on them; two tenant-wide official recipes linked to catalogue products (one pinned); a poll
per community with ballots, one tenant-wide co-creation vote; reviews of picked-up orders. Deterministic."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from linli.content import engagement, polls, reviews, service
from linli.content.schemas import CommentIn, PollIn, PostIn, ReviewIn, VoteIn
from linli.core import clock
from linli.core.errors import LinliError
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.member import service as members
from linli.order import service as orders

UGC = ["今天团的阳光玫瑰葡萄真甜，孩子一口气吃了半串 #水果# #晒单#",
       "楼下的桂花开了，晚上散步满小区都是香味 #小区日常#",
       "周末带娃去公园放风筝，天气太好了 #周末#", "谁家有多余的纸箱？搬家要用，可以上门来拿 #邻里互助#",
       "早上六点的菜场人还挺多，今天的豆腐特别嫩 #买菜#", "物业今天把儿童滑梯修好了，点个赞 #小区日常#",
       "自家种的小番茄结果了，有需要的邻居留言 #邻里互助#", "新学的做法：空气炸锅烤红薯，甜到流油 #家常菜#"]
COMMENTS = ["看着就好吃！", "同感，我家也买了", "在哪个楼？我下班过去拿", "谢谢分享", "明天也去试试", "赞一个"]
REVIEWS = [(5, "很新鲜，个头也大，下次还买 #晒单#"), (4, "味道不错，就是包装有点简单"), (5, "团长送得很及时，点赞"),
           (3, "一般般，比上次的小一些"), (2, "有两个坏的，联系团长换了 #售后#"), (5, "全家都爱吃 #晒单#")]

Member = Callable[[int], Principal]  # a member id -> that member as the caller


def seed(s: Session, ids: Ids, slug: str, now: datetime, seed: int = 20261203) -> int:
    rng = random.Random(seed)
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    user_of = dict(zip(ids.members, ids.member_users, strict=True))
    by_community: dict[int, list[int]] = defaultdict(list)
    for member_id, community_id in sorted(members.communities_of(s, ids.tenant, ids.members).items()):
        by_community[community_id].append(member_id)

    def member(member_id: int) -> Principal:
        return Principal(user_of[member_id], ids.tenant, slug, "member", member_id=member_id)

    made = 0
    products = ids.products
    with clock.frozen_at(now - timedelta(days=6)):
        service.create(s, admin, PostIn(kind="recipe", title="番茄炒蛋：十分钟家常快手菜", pinned=True,
                                        body="酸甜下饭的番茄炒蛋，食材社区团购一键买齐 #家常菜# #快手菜#",
                                        product_ids=products[:2], ingredients="番茄 2 个、鸡蛋 3 个、葱、糖少许",
                                        steps="1. 鸡蛋打散炒至凝固盛出\n2. 番茄切块炒出汁\n3. 倒回鸡蛋，加盐和糖翻匀"))
        service.create(s, admin, PostIn(kind="recipe", title="清蒸鲈鱼", product_ids=products[2:4],
                                        body="鲜嫩不腥的清蒸鲈鱼做法 #家常菜#",
                                        ingredients="鲈鱼一条、姜、葱、蒸鱼豉油",
                                        steps="1. 鱼身划刀塞姜片\n2. 水开后蒸 8 分钟\n3. 倒掉汤汁，淋豉油和热油"))
        cocreation = polls.create(s, admin, PollIn(kind="cocreation", title="邻里共创：给社区新推出的熟食起个名字",
                                                   options=["邻里红烧肉", "家常酱肘子", "外婆卤味"],
                                                   deadline=now + timedelta(days=10)))
    cocreation_options = [o.id for o in cocreation.options]
    made += 2
    for community_id, people in sorted(by_community.items()):
        if len(people) < 3:
            continue
        made += _community(s, admin, member, community_id, people, products, rng, now)
        voters = rng.sample(people, min(len(people), 2))
        for m in voters[:1]:
            _try(lambda m=m: polls.cast(s, member(m), cocreation.id, VoteIn(
                option_ids=[rng.choice(cocreation_options)])), now - timedelta(days=rng.randint(1, 4)))
    made += _reviews(s, ids, member, rng, now)
    return made


def _try(work: Any, at: datetime) -> object:  # a lambda binding its loop values
    """One action as of `at`; a refusal (a duplicate, a closed poll) is skipped like a real one would be."""
    with clock.frozen_at(at):
        try:
            return work()
        except LinliError:
            return None


def _community(s: Session, admin: Principal, member: Member, community_id: int, people: list[int],
               products: list[int], rng: random.Random, now: datetime) -> int:
    posts = []
    for i, text in enumerate(rng.sample(UGC, 3)):
        author = people[i % len(people)]
        with clock.frozen_at(now - timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 12))):
            posts.append(service.add(s, member(author), PostIn(body=text)))
    with clock.frozen_at(now - timedelta(days=rng.randint(2, 9))):
        posts.append(service.add(s, member(people[-1]), PostIn(
            kind="recipe", title="凉拌黄瓜", body="夏天最爱的开胃小菜 #家常菜#",
            product_ids=products[4:5] or products[:1],
            ingredients="黄瓜两根、蒜、醋、香油", steps="拍碎黄瓜，加蒜末、醋、盐和香油拌匀")))
        service.add(s, admin, PostIn(kind="pgc", community_id=community_id, title="本周六小区团购自提时间调整",
                                        body="本周六自提时间调整为 9:00-20:00，请邻居们合理安排 #通知#"))
    for post in posts:
        at = post.created_at + timedelta(hours=2)
        for viewer in rng.sample(people, min(len(people), rng.randint(1, 4))):
            _try(lambda v=viewer, p=post: engagement.view(s, member(v), p.id), at)
            if rng.random() < 0.6:
                _try(lambda v=viewer, p=post: engagement.react(s, member(v), p.id, "like", True), at)
            if rng.random() < 0.15:
                _try(lambda v=viewer, p=post: engagement.react(s, member(v), p.id, "favourite", True), at)
            if rng.random() < 0.25:
                _try(lambda v=viewer, p=post: engagement.comment(s, member(v), p.id, CommentIn(
                    body=rng.choice(COMMENTS))), at + timedelta(minutes=5))
    with clock.frozen_at(now - timedelta(days=3)):
        poll = polls.create(s, admin, PollIn(title="下周团购想要什么水果？", community_id=community_id,
                                             options=["阳光玫瑰葡萄", "沙田柚", "烟台苹果", "赣南脐橙"],
                                             deadline=now + timedelta(days=4)))
    for voter in rng.sample(people, min(len(people), 6)):
        _try(lambda v=voter: polls.cast(s, member(v), poll.id, VoteIn(option_ids=[rng.choice(poll.options).id])),
             now - timedelta(days=rng.randint(0, 2), hours=rng.randint(1, 20)))
    return len(posts) + 2


def _reviews(s: Session, ids: Ids, member: Member, rng: random.Random, now: datetime) -> int:
    picked = orders.picked_up_at_points(s, ids.tenant, ids.points)
    recent = [row for row in picked if now - timedelta(days=30) <= row[3] <= now - timedelta(hours=2)]
    made = 0
    for order_id, member_id, _, at in rng.sample(recent, min(len(recent), 20)):
        who = member(member_id)
        order = orders.get(s, who, order_id)
        stars, text = rng.choice(REVIEWS)
        when = min(at + timedelta(hours=20), now - timedelta(hours=1))
        done = _try(lambda o=order, st=stars, tx=text, w=who: reviews.create(s, w, ReviewIn(
            order_id=o.id, product_id=o.items[0].product_id, stars=st, body=tx)), when)
        made += done is not None
    return made
