"""Working calendars: a country's production calendar, project holidays, people.

A :class:`WorkCalendar` knows which days are worked: Monday to Friday, less the country's
public holidays and moved days off, plus its working weekend days (in Russia a Saturday is
sometimes worked in exchange for a bridge day). The Russian calendar comes from the
``holidays`` package, which models both kinds of moved day.

For speed the calendar keeps index arrays over whole years: every working day has an
integer *working-day index* (0 for the first working day of the first year covered), so
adding working days is an addition and a difference of indices counts working days. The
scheduler works in these indices and converts to dates only at the end. The range grows by
itself when a date outside it is asked for.

A :class:`PersonCalendar` adds one person's vacations and availability (the share of a
working day the person gives the project) on top of a :class:`WorkCalendar`.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

_DEFAULT_YEARS = range(2024, 2031)
_MAX_YEAR_SPAN = 200


class WorkCalendar:
    """A production calendar with O(1) working-day arithmetic.

    Args:
        country: ISO country code understood by ``holidays.country_holidays``; ``None``
            for a plain Monday-to-Friday calendar.
        years: years to precompute (the range grows on demand); default 2024–2030.
        extra_holidays: project-specific days off (company holidays).
        extra_working_days: project-specific working days (a worked Saturday); these
            win over holidays.
        hours_per_day: working hours in a full day (8 by default).
    """

    def __init__(
        self,
        country: str | None = "RU",
        years: Iterable[int] | None = None,
        extra_holidays: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        hours_per_day: float = 8,
    ) -> None:
        if hours_per_day <= 0:
            raise ValueError("hours_per_day must be positive")
        self.country = country
        self.hours_per_day = hours_per_day
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_working_days = frozenset(extra_working_days)
        wanted = set(years) if years is not None else set(_DEFAULT_YEARS)
        for d in self.extra_holidays | self.extra_working_days:
            wanted.add(d.year)
        self._build(min(wanted), max(wanted))

    # -- construction ---------------------------------------------------------------

    def _build(self, first_year: int, last_year: int) -> None:
        if last_year - first_year > _MAX_YEAR_SPAN:
            raise ValueError(f"calendar span {first_year}–{last_year} is unreasonably long")
        self.first_year, self.last_year = first_year, last_year
        self._origin = date(first_year, 1, 1)
        self._origin_ord = self._origin.toordinal()
        days = date(last_year + 1, 1, 1).toordinal() - self._origin_ord
        off, extra_work = self._country_days(range(first_year, last_year + 1))
        off |= self.extra_holidays
        extra_work |= self.extra_working_days
        is_work = bytearray(days)
        for i in range(days):
            d = date.fromordinal(self._origin_ord + i)
            is_work[i] = d in extra_work or (d.weekday() < 5 and d not in off)
        self._is_work = is_work
        # _cum[i]: working days strictly before day offset i (length days + 1).
        cum = [0] * (days + 1)
        work_offsets: list[int] = []
        for i in range(days):
            cum[i + 1] = cum[i] + is_work[i]
            if is_work[i]:
                work_offsets.append(i)
        self._cum = cum
        self._work_offsets = work_offsets

    def _country_days(self, years: range) -> tuple[set[date], set[date]]:
        """Holidays and working weekend days of the country for ``years``."""
        if self.country is None:
            return set(), set()
        import holidays  # imported here: ~100 ms, only needed with a country

        country = holidays.country_holidays(self.country, years=list(years))
        off = {d for d in country if d.weekday() < 5}
        # Since holidays 0.5x: RU and others list worked Saturdays/Sundays here.
        extra_work = set(getattr(country, "weekend_workdays", ()) or ())
        return off, extra_work

    def _ensure(self, d: date) -> None:
        if d.year < self.first_year:
            self._build(d.year, self.last_year)
        elif d.year > self.last_year:
            self._build(self.first_year, d.year)

    # -- index arithmetic (used by the scheduler) ---------------------------------------

    def index_of(self, d: date) -> int:
        """Working-day index of ``d``, or of the next working day if ``d`` is not worked.

        Indices are only comparable while the calendar's range does not grow
        backwards; :meth:`date_at` and :meth:`index_of` keep the range as needed.
        """
        self._ensure(d)
        return self._cum[d.toordinal() - self._origin_ord]

    def date_at(self, index: int) -> date:
        """Date of the working day with working-day index ``index``."""
        if index < 0 or index >= len(self._work_offsets):
            raise IndexError(f"working-day index {index} is outside the calendar")
        return date.fromordinal(self._origin_ord + self._work_offsets[index])

    def cover(self, first: date, last: date) -> None:
        """Precompute at least ``[first, last]`` so later look-ups keep indices stable.

        Growing the range backwards shifts every working-day index; the scheduler calls
        this before it computes any index.
        """
        if first.year < self.first_year or last.year > self.last_year:
            self._build(min(first.year, self.first_year), max(last.year, self.last_year))

    def date_at_growing(self, index: int) -> date:
        """Like :meth:`date_at`, growing the range forwards when ``index`` is past it."""
        while index >= len(self._work_offsets):
            self._build(self.first_year, self.last_year + 5)
        return self.date_at(index)

    # -- public date API ----------------------------------------------------------------

    def is_working(self, d: date) -> bool:
        """Whether ``d`` is a working day."""
        self._ensure(d)
        return bool(self._is_work[d.toordinal() - self._origin_ord])

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is worked, else the first working day after it."""
        return self.add_working_days(d, 0)

    def previous_working_day(self, d: date) -> date:
        """``d`` itself if it is worked, else the last working day before it."""
        return d if self.is_working(d) else self.add_working_days(d, -1)

    def add_working_days(self, d: date, n: int) -> date:
        """The working day ``n`` working days after ``d`` (before it if ``n`` < 0).

        ``d`` is first moved to the next working day if it is not worked, so
        ``add_working_days(d, 0)`` is :meth:`next_working_day`.
        """
        while True:
            target = self.index_of(d) + n
            if target < 0:
                self._build(self.first_year - 5, self.last_year)
            elif target >= len(self._work_offsets):
                self._build(self.first_year, self.last_year + 5)
            else:
                return self.date_at(target)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``[a, b]``, both ends included (negative if ``b`` < ``a``)."""
        if b < a:
            return -self.working_days_between(b, a)
        self._ensure(a)
        self._ensure(b)
        return self._cum[b.toordinal() - self._origin_ord + 1] - self._cum[
            a.toordinal() - self._origin_ord
        ]

    def working_days(self, a: date, b: date) -> Iterator[date]:
        """Iterate the working days in ``[a, b]`` in order."""
        if b < a:
            return
        first, last = self.index_of(a), self.index_of(b + timedelta(days=1))
        for i in range(first, last):
            yield self.date_at(i)

    def working_days_in_year(self, year: int) -> int:
        """Number of working days in ``year``."""
        return self.working_days_between(date(year, 1, 1), date(year, 12, 31))

    def moved_days(self, a: date, b: date) -> tuple[list[date], list[date]]:
        """Exceptions to the Monday-to-Friday week in ``[a, b]``.

        Returns:
            ``(days_off, working_weekend_days)``: weekdays that are not worked and
            Saturdays/Sundays that are.
        """
        off: list[date] = []
        work: list[date] = []
        d = a
        while d <= b:
            worked = self.is_working(d)
            if d.weekday() < 5 and not worked:
                off.append(d)
            elif d.weekday() >= 5 and worked:
                work.append(d)
            d += timedelta(days=1)
        return off, work


@dataclass(frozen=True)
class Person:
    """A person's availability for the project.

    Attributes:
        id: identifier used in task assignments.
        availability: share of a working day given to the project, 0 < a <= 1.
        vacations: inclusive date ranges ``(first, last)`` when the person is away.
    """

    id: str
    availability: float = 1.0
    vacations: tuple[tuple[date, date], ...] = ()

    def __post_init__(self) -> None:
        if not 0 < self.availability <= 1:
            raise ValueError(f"availability of {self.id!r} must be in (0, 1]")
        for first, last in self.vacations:
            if last < first:
                raise ValueError(f"vacation of {self.id!r} ends before it starts")


class PersonCalendar:
    """A person's working hours on top of a :class:`WorkCalendar`."""

    def __init__(self, base: WorkCalendar, person: Person) -> None:
        self.base = base
        self.person = person
        self._away = sorted(person.vacations)
        self._starts = [v[0] for v in self._away]

    def on_vacation(self, d: date) -> bool:
        """Whether ``d`` falls in one of the person's vacations."""
        i = bisect.bisect_right(self._starts, d) - 1
        return i >= 0 and self._away[i][0] <= d <= self._away[i][1]

    def is_working(self, d: date) -> bool:
        """Whether the person works on ``d`` (a working day outside vacations)."""
        return self.base.is_working(d) and not self.on_vacation(d)

    def hours_on(self, d: date) -> float:
        """Project hours the person can give on ``d``."""
        if not self.is_working(d):
            return 0.0
        return self.base.hours_per_day * self.person.availability

    def hours_at_index(self, index: int) -> float:
        """Project hours on the working day with working-day index ``index``."""
        return self.hours_on(self.base.date_at(index))


def effort_duration(
    effort_hours: float, availabilities: Iterable[float], hours_per_day: float = 8
) -> int:
    """Whole working days an effort takes: ``ceil(effort / (hours_per_day * Σ availability))``.

    Args:
        effort_hours: total work in hours.
        availabilities: availability share of each assignee (0 < a <= 1).
        hours_per_day: hours in a full working day.

    Returns:
        Duration in whole working days (0 for no effort).
    """
    rate = hours_per_day * sum(availabilities)
    if rate <= 0:
        raise ValueError("an effort needs at least one available assignee")
    if effort_hours <= 0:
        return 0
    # Round away float noise (24 h at 8 h/day is 3 days, not 4).
    return math.ceil(round(effort_hours / rate, 9))
