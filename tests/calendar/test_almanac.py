"""The year's marks against published dates (not re-derived): solar terms, festivals, the 2026 arrangement."""

from __future__ import annotations

from datetime import date

from linli.calendar import activities, almanac, marks


def test_solar_terms_of_2026_on_their_published_days():
    terms = {t.name: t.day for t in almanac.year(2026).terms}
    assert len(terms) == 24
    assert terms["小寒"] == date(2026, 1, 5)
    assert terms["立春"] == date(2026, 2, 4)
    assert terms["清明"] == date(2026, 4, 5)
    assert terms["夏至"] == date(2026, 6, 21)
    assert terms["秋分"] == date(2026, 9, 23)
    assert terms["冬至"] == date(2026, 12, 22)
    assert almanac.year(2024).terms[-1].day == date(2024, 12, 21)  # 2024 冬至


def test_every_term_and_festival_has_a_suggested_activity():
    assert set(activities.TERM_ACTIVITIES) == set(almanac.TERMS)
    assert "青团" in activities.for_term("清明") and "饺子" in activities.for_term("冬至")
    names = {n for _, n in almanac.year(2026).festivals} | {h.name for h in almanac.year(2026).holidays}
    assert all(activities.for_festival(n) for n in names), names - set(activities.FESTIVAL_ACTIVITIES)


def test_2026_national_day_and_mid_autumn_arrangement():
    found = marks.between(date(2026, 9, 1), date(2026, 10, 31))
    off = sorted(d for d, ms in found.items() if marks.day_off(d, ms))
    assert off == [date(2026, 9, 25), date(2026, 9, 26), date(2026, 9, 27)] + [date(2026, 10, d) for d in range(1, 8)]
    work = sorted(d for d, ms in found.items() if marks.day_off(d, ms) is False)
    assert work == [date(2026, 9, 20), date(2026, 10, 10)]
    first = [m for m in found[date(2026, 10, 1)] if m.kind == "holiday"][0]
    assert first.label == "国庆节 放假" and first.suggestion  # the block's first day carries the suggestion
    assert not [m for m in found[date(2026, 10, 2)] if m.kind == "holiday"][0].suggestion
    assert [m.name for m in found[date(2026, 10, 1)]] == ["国庆节"]  # the festival is not said twice
    assert {m.name for m in found[date(2026, 9, 25)]} == {"中秋节"}
    assert {m.kind for m in found[date(2026, 10, 18)]} == {"festival"}  # 重阳节, lunar 9/9


def test_a_year_without_an_announced_arrangement_shows_terms_and_festivals_only():
    y = almanac.year(2031)
    assert not y.announced and y.holidays == () and y.workdays == ()
    assert len(y.terms) == 24
    assert (date(2031, 1, 22), "除夕") in y.festivals  # 春节 2031 is on 1月23日
    assert not marks.announced(date(2031, 1, 1), date(2031, 1, 31))
