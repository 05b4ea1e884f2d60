"""What the year itself says, no database: the 24 solar terms and the traditional (lunar) festivals from sxtwl
for any year, the official holidays and make-up workdays (调休上班) from chinese_calendar for the years whose
arrangement has been announced. chinese_calendar raises NotImplementedError for other years: those show
terms and festivals only (`announced` is False -> 节假日安排未公布)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
import sxtwl

from linli.core.clock import SHANGHAI

# sxtwl's jqIndex 0 is 冬至 (the astronomical year starts there)
TERMS = ("冬至", "小寒", "大寒", "立春", "雨水", "惊蛰", "春分", "清明", "谷雨", "立夏", "小满", "芒种",
         "夏至", "小暑", "大暑", "立秋", "处暑", "白露", "秋分", "寒露", "霜降", "立冬", "小雪", "大雪")
HOLIDAY_NAMES = {"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
                 "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
                 "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日"}
# (lunar month, lunar day, name); 除夕 is the day before 春节 and found from it
LUNAR_FESTIVALS = ((1, 1, "春节"), (1, 15, "元宵节"), (2, 2, "龙抬头"), (5, 5, "端午节"), (7, 7, "七夕"),
                   (8, 15, "中秋节"), (9, 9, "重阳节"), (12, 8, "腊八节"))
SOLAR_FESTIVALS = ((1, 1, "元旦"), (3, 8, "妇女节"), (5, 1, "劳动节"), (6, 1, "儿童节"), (9, 10, "教师节"),
                   (10, 1, "国庆节"))
MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True)
class Term:
    day: date
    name: str
    at: datetime  # the instant, Asia/Shanghai


@dataclass(frozen=True)
class DayOff:
    day: date
    name: str  # the holiday it belongs to (a make-up workday names the holiday it pays for)


@dataclass(frozen=True)
class Year:
    year: int
    terms: tuple[Term, ...]
    festivals: tuple[tuple[date, str], ...]
    announced: bool  # chinese_calendar knows this year's official arrangement
    holidays: tuple[DayOff, ...]
    workdays: tuple[DayOff, ...]  # weekend days that are working days (调休上班)


def _terms(year: int) -> tuple[Term, ...]:
    found: dict[date, Term] = {}
    for y in (year - 1, year):  # getJieQiByYear(y) runs from 立春 of y: 小寒 and 大寒 come from y - 1
        for info in sxtwl.getJieQiByYear(y):
            dd = sxtwl.JD2DD(info.jd)  # Beijing time
            if year != dd.Y:
                continue
            seconds = round(dd.s) if dd.s < 59.5 else 59
            at = datetime(dd.Y, dd.M, dd.D, int(dd.h), int(dd.m), seconds, tzinfo=SHANGHAI)
            found[at.date()] = Term(at.date(), TERMS[info.jqIndex], at)
    return tuple(sorted(found.values(), key=lambda t: t.day))


def _festivals(year: int) -> tuple[tuple[date, str], ...]:
    out = [(date(year, m, d), name) for m, d, name in SOLAR_FESTIVALS]
    for lyear in (year - 1, year):
        for lm, ld, name in LUNAR_FESTIVALS:
            day = sxtwl.fromLunar(lyear, lm, ld)
            solar = date(day.getSolarYear(), day.getSolarMonth(), day.getSolarDay())
            if solar.year == year:
                out.append((solar, name))
            if name == "春节" and (solar - timedelta(days=1)).year == year:
                out.append((solar - timedelta(days=1), "除夕"))
    return tuple(sorted(set(out)))


def _official(year: int) -> tuple[bool, tuple[DayOff, ...], tuple[DayOff, ...]]:
    holidays, workdays = [], []
    day = date(year, 1, 1)
    try:
        while day.year == year:
            is_holiday, name = chinese_calendar.get_holiday_detail(day)
            if name:
                label = HOLIDAY_NAMES.get(name, name)
                if is_holiday:
                    holidays.append(DayOff(day, label))
                elif day.weekday() >= 5:
                    workdays.append(DayOff(day, label))
            day += timedelta(days=1)
    except NotImplementedError:  # the year's arrangement is not in the library (not announced yet)
        return False, (), ()
    return True, tuple(holidays), tuple(workdays)


@lru_cache(maxsize=16)
def year(y: int) -> Year:
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(f"year {y} is outside {MIN_YEAR}-{MAX_YEAR}")
    announced, holidays, workdays = _official(y)
    return Year(y, _terms(y), _festivals(y), announced, holidays, workdays)
