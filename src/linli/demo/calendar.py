"""Community calendar demo: a few events around the load's instant — tenant-wide ones from the operator and
community ones (a 义诊, a 跳蚤市场 …), so the month grid and the member app's section have something to show."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.calendar import service
from linli.calendar.schemas import EventIn
from linli.core import clock
from linli.core.security import Principal
from linli.demo.writer import Ids

# (days from the load, hour, hours long, community index or None for all, title, place, description)
EVENTS = ((2, 9, 3, None, "社区邻里节", "各小区中心广场", "游园、义卖、亲子手工,欢迎全家参加"),
          (5, 14, 2, 0, "义诊与健康讲座", "翠苑三区活动室", "社区医院医生免费量血压、测血糖"),
          (8, 9, 3, 1, "周末跳蚤市场", "古荡新村南门空地", "闲置物品交换,自带摊布"),
          (-3, 19, 1, 2, "团长新品品鉴会", "嘉绿苑团长家", "试吃本周新到的时令水果"),
          (12, 10, 2, 0, "垃圾分类宣传日", "翠苑三区3幢楼下", "答对有奖,送环保袋"))


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    day = clock.local(now).replace(minute=0, second=0, microsecond=0)
    for days, hour, hours, community, title, place, description in EVENTS:
        start = clock.as_utc(day.replace(hour=hour) + timedelta(days=days))
        service.create_event(s, operator, EventIn(
            title=title, starts_at=start, ends_at=start + timedelta(hours=hours), place=place,
            description=description, community_id=ids.communities[community] if community is not None else None))
    return len(EVENTS)
