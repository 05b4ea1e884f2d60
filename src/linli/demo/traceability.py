"""Traceability demo: a few batches of fresh products with their origin and 4-6 entries each (harvest to the
pickup point, one sold out), appended through the service as of their instants so the chains verify."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.security import Principal
from linli.demo.history import Product
from linli.demo.writer import Ids
from linli.traceability import service
from linli.traceability.schemas import BatchIn, EntryIn, Stage

# (origin, producer, inspection no.), one per fresh product taken in catalogue order
ORIGINS = (("山东烟台栖霞", "栖霞苹果专业合作社", "SD-QX-0917"), ("云南昆明呈贡", "呈贡蔬菜种植基地", "YN-CG-0918"),
           ("浙江杭州临安", "临安山核桃合作社", "ZJ-LA-0915"), ("海南三亚", "三亚热带果园", "HN-SY-0916"),
           ("内蒙古锡林郭勒", "锡林郭勒牧业", "NM-XL-0914"))
# (stage, hours after the harvest, place, operator, details)
STEPS: tuple[tuple[Stage, int, str, str, str], ...] = (
         ("harvest", 0, "{origin}基地", "种植户 王师傅", "清晨采摘,当日分拣"),
         ("inspection", 6, "{origin}检测站", "质检员 李敏", "农残快检合格"),
         ("storage", 20, "杭州余杭冷链仓", "仓管 张强", "0-4℃ 冷库入库"),
         ("transport", 30, "杭州余杭冷链仓 → 西湖区", "司机 陈东", "冷链车配送,全程温控"),
         ("arrival", 36, "小区自提点", "团长", "到店签收,开始自提"),
         ("sold_out", 60, "小区自提点", "团长", "本批次已售罄"))


def seed(s: Session, ids: Ids, slug: str, products: list[Product], now: datetime) -> int:
    operator = Principal(ids.admin_user, ids.tenant, slug, "operator")
    fresh = [i for i, p in enumerate(products) if p.is_fresh][:len(ORIGINS)]
    made = 0
    for n, (index, (origin, producer, inspection)) in enumerate(zip(fresh, ORIGINS, strict=False)):
        harvested = clock.local(now).replace(hour=5, minute=30, second=0, microsecond=0) - timedelta(days=3 + n % 3)
        steps = STEPS[:4 + n % 3]  # 4, 5 or 6 entries: the older ones have reached the pickup point or sold out
        code = f"B{harvested:%Y%m%d}-{n + 1:02d}"
        with clock.frozen_at(harvested):
            batch = service.create(s, operator, BatchIn(
                code=code, product_id=ids.products[index], origin=origin, producer=producer,
                produced_on=date(harvested.year, harvested.month, harvested.day), quantity=120 + 40 * n,
                unit=products[index].unit or "件", inspection_no=inspection, notes="演示批次"))
        for stage, hours, place, who, details in steps:
            at = clock.as_utc(harvested + timedelta(hours=hours))
            if at > now:
                break
            with clock.frozen_at(at):
                service.append(s, operator, batch.id, EntryIn(
                    stage=stage, occurred_at=at, place=place.format(origin=origin), operator=who, details=details))
        made += 1
    return made
