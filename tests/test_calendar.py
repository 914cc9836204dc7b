"""Working calendar: the Russian production calendar and working-day arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmimpl.plan.calendar import Person, PersonCalendar, WorkCalendar, effort_duration

RU = WorkCalendar("RU", years=[2025, 2026])


def _count_by_walking(cal: WorkCalendar, year: int) -> int:
    d, n = date(year, 1, 1), 0
    while d.year == year:
        n += cal.is_working(d)
        d += timedelta(days=1)
    return n


@pytest.mark.parametrize("year", [2025, 2026])
def test_ru_has_247_working_days(year: int) -> None:
    assert RU.working_days_in_year(year) == 247
    assert _count_by_walking(RU, year) == 247


def test_ru_moved_days_2025() -> None:
    assert RU.is_working(date(2025, 11, 1))  # a worked Saturday
    for d in [date(2025, 5, 2), date(2025, 5, 8), date(2025, 6, 13), date(2025, 11, 3),
              date(2025, 12, 31)]:
        assert d.weekday() < 5 and not RU.is_working(d), d
    off, work = RU.moved_days(date(2025, 1, 1), date(2025, 12, 31))
    assert work == [date(2025, 11, 1)]
    assert date(2025, 11, 3) in off and date(2025, 11, 4) in off


def test_new_year_holidays() -> None:
    assert [RU.is_working(date(2026, 1, d)) for d in range(1, 13)] == [False] * 11 + [True]
    assert RU.add_working_days(date(2025, 12, 30), 1) == date(2026, 1, 12)
    assert RU.add_working_days(date(2026, 1, 12), -1) == date(2025, 12, 30)
    assert RU.next_working_day(date(2026, 1, 1)) == date(2026, 1, 12)
    assert RU.previous_working_day(date(2026, 1, 1)) == date(2025, 12, 30)


def test_working_days_between_is_inclusive() -> None:
    assert RU.working_days_between(date(2025, 10, 27), date(2025, 11, 7)) == 9
    assert RU.working_days_between(date(2025, 11, 7), date(2025, 10, 27)) == -9
    listed = list(RU.working_days(date(2025, 10, 30), date(2025, 11, 5)))
    assert listed == [date(2025, 10, 30), date(2025, 10, 31), date(2025, 11, 1), date(2025, 11, 5)]


def test_project_days_and_range_growth() -> None:
    cal = WorkCalendar("RU", years=[2025], extra_holidays={date(2025, 3, 3)},
                       extra_working_days={date(2025, 3, 1)})
    assert not cal.is_working(date(2025, 3, 3))
    assert cal.is_working(date(2025, 3, 1))
    # Far outside the precomputed years: the range grows by itself.
    assert cal.add_working_days(date(2025, 12, 30), 300).year == 2027
    assert cal.add_working_days(date(2025, 1, 9), -30).year == 2024
    plain = WorkCalendar(None, years=[2025])
    assert plain.is_working(date(2025, 11, 3)) and not plain.is_working(date(2025, 11, 1))


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2024, 1, 1), date(2027, 12, 31)), st.integers(-400, 400))
def test_add_working_days_matches_stepping(d: date, n: int) -> None:
    got = RU.add_working_days(d, n)
    assert RU.is_working(got)
    step = 1 if n >= 0 else -1
    cur = RU.next_working_day(d)
    for _ in range(abs(n)):
        cur += timedelta(days=step)
        while not RU.is_working(cur):
            cur += timedelta(days=step)
    assert got == cur
    if n >= 0:
        assert RU.working_days_between(RU.next_working_day(d), got) == n + 1


def test_person_calendar() -> None:
    ann = Person("ann", availability=0.5, vacations=((date(2025, 7, 7), date(2025, 7, 18)),))
    pc = PersonCalendar(RU, ann)
    assert pc.on_vacation(date(2025, 7, 10)) and not pc.is_working(date(2025, 7, 10))
    assert pc.hours_on(date(2025, 7, 21)) == 4.0
    assert pc.hours_on(date(2025, 11, 1)) == 4.0  # worked Saturday
    assert pc.hours_on(date(2025, 11, 3)) == 0.0
    with pytest.raises(ValueError):
        Person("bob", availability=0)


def test_effort_duration() -> None:
    assert effort_duration(24, [1.0]) == 3
    assert effort_duration(25, [1.0]) == 4
    assert effort_duration(40, [1.0, 0.5]) == 4  # 40 / 12 = 3.33 → 4
    assert effort_duration(0, [1.0]) == 0
    with pytest.raises(ValueError):
        effort_duration(8, [])
