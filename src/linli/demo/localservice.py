"""Demo: eight merchants near the communities (家政维修, 宠物托管, 亲子活动 ...) with their services and weekly
schedules (the next 14 days of slots open), last week's bookings completed and most of them rated, a few
cancelled, and upcoming bookings — all through the services, as members and operators would."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Conflict
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.localservice import booking, service
from linli.localservice.schemas import BookingIn, MerchantIn, RatingIn, ScheduleIn, ServiceIn, SlotIn
from linli.member import service as members

# (name, category, phone, address, description, [(service, description, price fen, minutes, seats,
#   [(weekday, "HH:MM")])])
MERCHANTS = [
    ("安心家政服务社", "家政维修", "0571-88861234", "文三路 218 号", "十年老店，阿姨持证上岗", [
        ("日常保洁 2 小时", "厨房、卫生间、客厅除尘拖地", 8000, 120, 1, [(0, "09:00"), (2, "14:00"), (5, "09:00")]),
        ("油烟机深度清洗", "拆洗油烟机，含清洗剂", 15000, 90, 1, [(3, "10:00"), (6, "15:00")]),
    ]),
    ("邻家水电维修", "家政维修", "13958001234", "翠苑二区底商 6 号", "水管、电路、灯具、门锁上门维修", [
        ("水电上门检修", "上门费，配件另计", 3000, 60, 1, [(1, "18:30"), (4, "18:30"), (5, "10:00")]),
    ]),
    ("萌宠之家", "宠物托管", "0571-86551122", "古墩路 88 号", "猫狗寄养、洗护，独立笼位", [
        ("宠物寄养（日托）", "早送晚接，含两次遛狗", 6000, 600, 4, [(0, "08:30"), (2, "08:30"), (4, "08:30")]),
        ("猫咪洗护", "洗澡、吹干、剪指甲", 8800, 60, 1, [(5, "14:00"), (6, "14:00")]),
    ]),
    ("汪星人上门喂养", "宠物托管", "13757112233", "上门服务", "出差旅行时上门喂猫遛狗", [
        ("上门喂猫一次", "添粮换水、铲屎，拍照反馈", 3500, 30, 1, [(1, "19:00"), (3, "19:00"), (6, "10:00")]),
    ]),
    ("小小探索家", "亲子活动", "0571-87773456", "社区活动中心二楼", "3-10 岁亲子手工、科学实验", [
        ("周末亲子烘焙课", "一起做饼干，材料全包", 0, 90, 12, [(5, "10:00"), (6, "10:00")]),
        ("少儿科学小实验", "火山喷发、彩虹雨", 4900, 60, 10, [(2, "16:30")]),
    ]),
    ("绿野亲子农场", "亲子活动", "13867001122", "余杭区径山镇", "采摘、喂小动物，周末班车从小区出发", [
        ("周末亲子采摘", "含往返班车与采摘 2 斤", 6800, 240, 20, [(5, "08:00")]),
    ]),
    ("康乐长者服务站", "健康养老", "0571-88123987", "社区卫生服务站旁", "血压血糖检测、理疗、助浴", [
        ("上门助浴", "两位护理员上门，约 1 小时", 12000, 60, 1, [(1, "09:30"), (3, "09:30")]),
        ("免费血压血糖检测", "每周二、四上午", 0, 30, 6, [(1, "08:30"), (3, "08:30")]),
    ]),
    ("书香少儿阅读馆", "教育培训", "0571-85001200", "学院路 56 号", "绘本共读、作业辅导", [
        ("周三绘本共读", "3-6 岁，家长陪同", 0, 60, 15, [(2, "19:00")]),
    ]),
]
COMMENTS = ["阿姨很细心，厨房擦得很干净", "准时上门，价格透明", "孩子玩得很开心，下次还来",
            "服务不错，就是稍微晚到了十分钟", "猫咪回来香香的，好评", "老师很有耐心", "",
            "师傅手艺好，顺便帮我看了插座"]


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    community_of = members.communities_of(s, ids.tenant, ids.members)
    served: list[tuple[int, list[int], set[int]]] = []  # (service id, last week's slots, communities)
    week_ago = now - timedelta(days=8)
    for i, (name, category, phone, address, about, offered) in enumerate(MERCHANTS):
        # each merchant serves about half of the communities, neighbours overlapping
        mine = [c for k, c in enumerate(ids.communities) if (k + i) % 2 == 0 or k % 5 == i % 5]
        with clock.frozen_at(week_ago - timedelta(days=30)):
            m = service.create_merchant(s, admin, MerchantIn(
                name=name, category=category, phone=phone, address=address, description=about,  # type: ignore[arg-type]
                community_ids=mine))
        for svc_name, text, price, minutes, seats, weekly in offered:
            with clock.frozen_at(week_ago - timedelta(days=30)):
                svc = service.create_service(s, admin, m.id, ServiceIn(
                    name=svc_name, description=text, price_fen=price, duration_minutes=minutes, capacity=seats))
            past = _past_slots(s, admin, svc.id, weekly, week_ago, now)
            with clock.frozen_at(now):
                for weekday, hhmm in weekly:
                    service.add_schedule(s, admin, svc.id, ScheduleIn(weekday=weekday, start_time=hhmm))
            served.append((svc.id, past, set(mine)))
    return _bookings(s, ids, slug, now, served, community_of)


def _past_slots(s: Session, admin: Principal, service_id: int, weekly: list[tuple[int, str]], since: datetime,
                now: datetime) -> list[int]:
    """Last week's slots of the schedule, added as they were then (for the completed, rated bookings)."""
    made = []
    with clock.frozen_at(since - timedelta(days=3)):
        first = clock.local(since).date()
        for offset in range(7):
            day = first + timedelta(days=offset)
            for weekday, hhmm in weekly:
                hh, mm = (int(x) for x in hhmm.split(":"))
                starts = clock.as_utc(datetime.combine(day, time(hh, mm)))
                if day.weekday() == weekday and starts < now - timedelta(hours=6):
                    made.append(service.add_slot(s, admin, service_id, SlotIn(starts_at=starts)).id)
    return made


def _bookings(s: Session, ids: Ids, slug: str, now: datetime, served: list[tuple[int, list[int], set[int]]],
              community_of: dict[int, int]) -> int:
    made = 0
    for j, (service_id, past, communities) in enumerate(served):
        people = [k for k, mid in enumerate(ids.members) if community_of.get(mid) in communities]
        if not people:
            continue
        admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
        for n, slot_id in enumerate(past[:2]):  # last week: booked a day ahead, done, mostly rated
            member = _member(ids, slug, people[(j * 3 + n) % len(people)])
            slot_start = booking.slot_start(s, ids.tenant, slot_id)
            made += _book(s, member, slot_id, slot_start - timedelta(days=1))
        with clock.frozen_at(now):
            upcoming = service.upcoming_slots(s, admin, service_id, 7)
        for n, sl in enumerate(upcoming[:2 if j % 2 else 1]):  # the coming days, a few cancelled
            member = _member(ids, slug, people[(j * 5 + n + 1) % len(people)])
            with clock.frozen_at(now - timedelta(hours=3 + n)):
                try:
                    b = booking.book(s, member, BookingIn(slot_id=sl.id, note="" if n else "请提前电话联系"))
                except Conflict:
                    continue
            made += 1
            if j % 4 == 1 and n == 1:
                with clock.frozen_at(now - timedelta(hours=1)):
                    booking.cancel(s, member, b.id)
    booking.complete_ended(s, ids.tenant, now)  # what the due job would have done by now
    _rate(s, ids, slug, now)
    return made


def _book(s: Session, member: Principal, slot_id: int, at: datetime) -> int:
    with clock.frozen_at(at):
        try:
            booking.book(s, member, BookingIn(slot_id=slot_id))
        except Conflict:
            return 0
    return 1


def _rate(s: Session, ids: Ids, slug: str, now: datetime) -> None:
    """Most completed bookings get their member's stars (4-5 mostly, one 3) and a short comment."""
    for k, b in enumerate(booking.completed_unrated(s, ids.tenant)):
        if k % 4 == 3:
            continue  # some never rate
        user_id = ids.member_users[ids.members.index(b.member_id)]
        member = Principal(user_id, ids.tenant, slug, "member", member_id=b.member_id)
        stars = 3 if k % 7 == 5 else 5 - k % 2
        with clock.frozen_at(min(now, b.ends_at + timedelta(hours=2 + k % 5))):
            booking.rate(s, member, b.id, RatingIn(stars=stars, comment=COMMENTS[k % len(COMMENTS)]))


def _member(ids: Ids, slug: str, k: int) -> Principal:
    return Principal(ids.member_users[k], ids.tenant, slug, "member", member_id=ids.members[k])
