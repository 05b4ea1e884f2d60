"""团长课堂: practical guides for the weak spots seed 002 names — running the group chat, promoting products and
after-sales service — plus reading one's own numbers. The basic track is open to every leader; the advanced
track opens with a tier's training access (社区观察员 and up by default). A locked course shows its title and
length, not its content, so the leader knows what the next tier brings."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from linli.core.security import Principal
from linli.leader.schemas import CourseOut
from linli.leader.service import benefits, tier_of


@dataclass(frozen=True)
class Course:
    code: str
    title: str
    topic: str  # 社群运营 | 商品推广 | 售后服务 | 数据
    advanced: bool
    minutes: int
    steps: tuple[str, ...]


COURSES = (
    Course("first-week", "新团长第一周：建群、拉人、做成第一单", "社群运营", False, 15, (
        "用真实姓名和小区名做群昵称，群公告写清自提点地址和提货时间",
        "先邀请同楼栋熟悉的 20 户，请他们各带一位邻居",
        "第一单选家家要买的鸡蛋、大米，价格透明，当天晚上 8 点前截单",
        "到货后在群里逐一@提醒提货，记下没来取的人第二天再提醒")),
    Course("pickup-and-after-sales", "提货核销与售后规范", "售后服务", False, 10, (
        "只凭 6 位提货码核销：码不对不交货，防止错领冒领",
        "生鲜当面请居民检查，破损当场拍照，在群里说明并发起退款",
        "退货时限：普通商品提货后 30 天、生鲜 15 天，超出时限请联系运营",
        "每天收摊前清点未提货订单，第二天上午再次提醒")),
    Course("share-materials", "一键发圈：用好素材中心", "商品推广", False, 8, (
        "素材中心的文案已带价格和截单时间，复制后补一句自己的试吃感受",
        "海报二维码直达商品页，发朋友圈比发链接的打开率高",
        "早 7 点、午 12 点、晚 8 点是小区群最活跃的时段")),
    Course("group-rhythm", "社群活跃：早安问候、接龙与拼团节奏", "社群运营", True, 20, (
        "每天固定时间发早安和当日上新，让居民养成看群的习惯",
        "拼团在群里接龙：差 1-2 人成团时单独私信老顾客",
        "每周一次小区话题（换物、遛娃、义诊），群里不只卖货",
        "新进群的居民 24 小时内欢迎并发一张新人券")),
    Course("hit-products", "爆品打造：选品、定价与秒杀预热", "商品推广", True, 25, (
        "用活动日程提前看排期，挑本小区复购高的品类做主推",
        "秒杀前一天在群里预告开抢时间和库存，开抢前 10 分钟再提醒",
        "同一周主推不超过 3 个商品，避免刷屏",
        "记录每次活动的下单人数和成团率，下次选品时对比")),
    Course("complaints", "客诉处理与口碑维护", "售后服务", True, 15, (
        "先道歉、再核实、后处理：30 分钟内回复每一条投诉",
        "能当场解决的当场退款或补发，不能的告诉居民处理时限",
        "处理完回访一次，把满意的评价留在群里",
        "同一问题出现两次以上，反馈给运营而不是自己硬扛")),
    Course("read-your-numbers", "读懂看板：转化率、复购与星火计划", "数据", True, 12, (
        "转化率 = 近 30 天在你这里下单的居民 ÷ 小区居民，管家的门槛是 15 %",
        "看「我的居民」里沉默的老顾客，打个电话比发十条群消息有用",
        "月度考核看销售、拉新、服务评分和社群活跃，最弱的一项就是下月重点")),
)


def courses(s: Session, p: Principal) -> list[CourseOut]:
    assert p.leader_id is not None
    tier = tier_of(s, p.tenant_id, p.leader_id)
    open_advanced = benefits(s, p.tenant_id)[tier].training_access
    return [CourseOut(code=c.code, title=c.title, topic=c.topic, advanced=c.advanced, minutes=c.minutes,
                      unlocked=not c.advanced or open_advanced,
                      steps=list(c.steps) if not c.advanced or open_advanced else [])
            for c in COURSES]
