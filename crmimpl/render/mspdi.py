"""MS Project XML (MSPDI) writer for a :class:`~crmimpl.plan.schedule.Schedule`.

The file opens in MS Project, ProjectLibre and anything MPXJ reads. It carries the
project calendar (working week plus holidays and worked weekend days as exceptions),
the WBS (``OutlineLevel``), links with lags, constraints, progress, resources and
assignments with their costs, levelling delays and the baseline. Working time follows
the calendar's hours per day: 08:00–12:00 and 13:00–17:00 for 8 hours (6 hours:
08:00–12:00 and 13:00–15:00), so a start is written at the day's first working minute and
a finish at its last. Output is deterministic: the same schedule gives the same bytes.

Resource levelling is kept two ways: ``LevelingDelay`` (elapsed days, what MS Project's
"Clear Leveling" removes) and a "start no earlier than" constraint on the levelled start,
because MS Project's levelling is not reproducible by other schedulers (MPXJ and
ProjectLibre ignore levelling delays): every reader lands on the same dates.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from crmimpl.plan.calendar import Person, WorkCalendar
from crmimpl.plan.schedule import Schedule, ScheduledTask
from crmimpl.store import atomic_write_bytes

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

NAMESPACE = "http://schemas.microsoft.com/project"
LINK_TYPE_CODES = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
ELAPSED_DAY = 14_400  # tenths of a minute in 24 hours
LAG_FORMAT_ELAPSED_DAYS = 8
LAG_FORMAT_DAYS = 7
DURATION_FORMAT_DAYS = 7
CONSTRAINT_ASAP, CONSTRAINT_SNET = 0, 4
PROJECT_CALENDAR_UID = 1


@dataclass(frozen=True)
class Resource:
    """A person or role that works on tasks.

    Attributes:
        id: identifier (matches :class:`~crmimpl.plan.calendar.Person` ids for availability
            and vacations).
        name: display name.
        rate_per_hour: standard rate per hour.
    """

    id: str
    name: str
    rate_per_hour: float = 0.0


@dataclass(frozen=True)
class Assignment:
    """Work of one resource on one task, in hours."""

    task_id: str
    resource_id: str
    work_hours: float
    units: float = 1.0
    cost: float = 0.0


@dataclass(frozen=True)
class Baseline:
    """A task's baseline (baseline 0 in MS Project)."""

    start: date
    finish: date
    work_hours: float | None = None
    cost: float | None = None


def work_periods(hours_per_day: float) -> tuple[tuple[str, str], ...]:
    """Working time of a day with ``hours_per_day`` hours: from 08:00 with a lunch hour
    at 12:00 (a day of up to 4 hours has none); days longer than 15 hours start at 00:00.
    """
    minutes = round(hours_per_day * 60)
    if minutes <= 4 * 60:
        return (("08:00:00", _clock(8 * 60 + minutes)),)
    if minutes <= 15 * 60:
        return (("08:00:00", "12:00:00"), ("13:00:00", _clock(13 * 60 + minutes - 240)))
    return (("00:00:00", _clock(minutes)),)


def _clock(minutes: int) -> str:
    if minutes >= 24 * 60:
        return "00:00:00"  # midnight ends the day
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def day_bounds(hours_per_day: float) -> tuple[str, str]:
    """The first and last working minute of a day, as written in dates."""
    periods = work_periods(hours_per_day)
    end = periods[-1][1]
    return periods[0][0], "23:59:00" if end == "00:00:00" else end


def mspdi_bytes(
    sched: Schedule,
    resources: Iterable[Resource] = (),
    assignments: Iterable[Assignment] = (),
    *,
    title: str = "",
    currency: str = "RUB",
    baselines: dict[str, Baseline] | None = None,
) -> bytes:
    """Render ``sched`` as MSPDI XML.

    Args:
        sched: the schedule to write.
        resources: people or roles (rates per hour).
        assignments: work hours (and costs) of resources on tasks.
        title: the project title.
        currency: ISO currency code.
        baselines: baseline 0 per task id.

    Returns:
        UTF-8 XML bytes with an XML declaration.
    """
    resources = list(resources)
    assignments = list(assignments)
    root = ET.Element("Project", xmlns=NAMESPACE)
    _project_header(root, sched, title, currency)
    calendars = _sub(root, "Calendars")
    _project_calendar(calendars, sched)
    res_uids = {r.id: n for n, r in enumerate(resources, start=1)}
    res_cal_uids = _resource_calendars(calendars, sched, resources)
    task_uids = {tid: n for n, tid in enumerate(sched.tasks, start=1)}
    work = _work_by_task(assignments)
    cost = _cost_by_task(assignments)
    tasks_el = _sub(root, "Tasks")
    for tid, st in sched.tasks.items():
        _task(tasks_el, st, task_uids, work.get(tid, 0.0), sched.calendar, sched.start,
              cost.get(tid, 0.0), (baselines or {}).get(tid))
    res_el = _sub(root, "Resources")
    for r in resources:
        _resource(res_el, r, res_uids[r.id], sched.people.get(r.id), res_cal_uids.get(r.id))
    asg_el = _sub(root, "Assignments")
    for n, a in enumerate(assignments, start=1):
        _assignment(asg_el, n, a, sched.tasks[a.task_id], task_uids, res_uids,
                    sched.calendar.hours_per_day)
    ET.indent(root, space="  ")
    # Plain tags plus an xmlns attribute keep the default namespace without prefixes.
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body + "\n").encode()


def write_mspdi(
    path: Path | str,
    sched: Schedule,
    resources: Iterable[Resource] = (),
    assignments: Iterable[Assignment] = (),
    *,
    title: str = "",
    currency: str = "RUB",
    baselines: dict[str, Baseline] | None = None,
) -> Path:
    """Write ``sched`` as an MSPDI file at ``path`` atomically (see :func:`mspdi_bytes`)."""
    data = mspdi_bytes(sched, resources, assignments, title=title, currency=currency,
                       baselines=baselines)
    return atomic_write_bytes(path, data)


# --------------------------------------------------------------------------------------


def _sub(parent: ET.Element, tag: str, text: object = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = str(text)
    return el


def _fields(parent: ET.Element, *pairs: tuple[str, object]) -> None:
    for tag, value in pairs:
        _sub(parent, tag, value)


def _dt(d: date, time: str) -> str:
    return f"{d.isoformat()}T{time}"


def _money(value: float) -> str:
    """A cost as MSPDI writes it: in hundredths of the currency unit (kopecks, pence)."""
    return str(round(value * 100))


def _hours(hours: float) -> str:
    """ISO-8601 duration as MSPDI writes it: ``PT16H0M0S``."""
    minutes = round(hours * 60)
    return f"PT{minutes // 60}H{minutes % 60}M0S"


def _minutes_x10(days: int, cal: WorkCalendar) -> int:
    return round(days * cal.hours_per_day * 600)


def _project_header(root: ET.Element, sched: Schedule, title: str, currency: str) -> None:
    hpd = sched.calendar.hours_per_day
    day_start, day_finish = day_bounds(hpd)
    _fields(
        root,
        ("SaveVersion", 14),
        ("Name", title or "Project"),
        ("Title", title or "Project"),
        ("ScheduleFromStart", 1),
        ("StartDate", _dt(sched.start, day_start)),
        ("FinishDate", _dt(sched.finish, day_finish)),
        ("CriticalSlackLimit", 0),
        ("CurrencyDigits", 2),
        ("CurrencyCode", currency),
        ("CalendarUID", PROJECT_CALENDAR_UID),
        ("DefaultStartTime", day_start),
        ("DefaultFinishTime", day_finish),
        ("MinutesPerDay", round(hpd * 60)),
        ("MinutesPerWeek", round(hpd * 300)),
        ("DaysPerMonth", 20),
        ("DefaultTaskType", 1),
        ("DurationFormat", DURATION_FORMAT_DAYS),
        ("WorkFormat", 2),
        ("HonorConstraints", 1),
        ("NewTasksEffortDriven", 0),
        ("CurrentDate", _dt(sched.start, day_start)),
    )


def _week_days(cal_el: ET.Element, hours_per_day: float) -> None:
    week = _sub(cal_el, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday … 7 = Saturday
        wd = _sub(week, "WeekDay")
        working = 2 <= day_type <= 6
        _fields(wd, ("DayType", day_type), ("DayWorking", int(working)))
        if working:
            _working_times(wd, hours_per_day)


def _working_times(parent: ET.Element, hours_per_day: float) -> None:
    times = _sub(parent, "WorkingTimes")
    for start, finish in work_periods(hours_per_day):
        wt = _sub(times, "WorkingTime")
        _fields(wt, ("FromTime", start), ("ToTime", finish))


def _ranges(days: list[date]) -> list[tuple[date, date]]:
    """Merge sorted days into runs of consecutive days."""
    out: list[tuple[date, date]] = []
    for d in days:
        if out and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _exception(parent: ET.Element, first: date, last: date, name: str, working: bool,
               hours_per_day: float = 8) -> None:
    ex = _sub(parent, "Exception")
    _sub(ex, "EnteredByOccurrences", 0)
    period = _sub(ex, "TimePeriod")
    _fields(period, ("FromDate", _dt(first, "00:00:00")), ("ToDate", _dt(last, "23:59:00")))
    _fields(ex, ("Occurrences", 1), ("Name", name), ("Type", 1), ("DayWorking", int(working)))
    if working:
        _working_times(ex, hours_per_day)


def _calendar_years(sched: Schedule) -> tuple[date, date]:
    return date(sched.start.year, 1, 1), date(sched.finish.year, 12, 31)


def _project_calendar(calendars: ET.Element, sched: Schedule) -> None:
    cal_el = _sub(calendars, "Calendar")
    _fields(cal_el, ("UID", PROJECT_CALENDAR_UID), ("Name", "Standard"),
            ("IsBaseCalendar", 1), ("BaseCalendarUID", -1))
    hpd = sched.calendar.hours_per_day
    _week_days(cal_el, hpd)
    off, work = sched.calendar.moved_days(*_calendar_years(sched))
    exceptions = _sub(cal_el, "Exceptions")
    items = [(a, b, "Day off", False) for a, b in _ranges(off)]
    items += [(a, b, "Working day", True) for a, b in _ranges(work)]
    for first, last, name, working in sorted(items):
        _exception(exceptions, first, last, name, working, hpd)


def _resource_calendars(
    calendars: ET.Element, sched: Schedule, resources: list[Resource]
) -> dict[str, int]:
    """A calendar per resource with vacations (based on the project calendar)."""
    uids: dict[str, int] = {}
    for r in resources:
        person = sched.people.get(r.id)
        if person is None or not person.vacations:
            continue
        uid = PROJECT_CALENDAR_UID + 1 + len(uids)
        uids[r.id] = uid
        cal_el = _sub(calendars, "Calendar")
        _fields(cal_el, ("UID", uid), ("Name", r.name), ("IsBaseCalendar", 0),
                ("BaseCalendarUID", PROJECT_CALENDAR_UID))
        exceptions = _sub(cal_el, "Exceptions")
        for first, last in sorted(person.vacations):
            _exception(exceptions, first, last, "Vacation", False)
    return uids


def _work_by_task(assignments: list[Assignment]) -> dict[str, float]:
    out: dict[str, float] = {}
    for a in assignments:
        out[a.task_id] = out.get(a.task_id, 0.0) + a.work_hours
    return out


def _cost_by_task(assignments: list[Assignment]) -> dict[str, float]:
    out: dict[str, float] = {}
    for a in assignments:
        out[a.task_id] = out.get(a.task_id, 0.0) + a.cost
    return out


def task_times(st: ScheduledTask, hours_per_day: float = 8) -> tuple[str, str]:
    """Start and finish date-times (a milestone may sit at either end of a day)."""
    day_start, day_finish = day_bounds(hours_per_day)
    start = _dt(st.start, day_finish if st.start_at_day_end else day_start)
    finish = _dt(st.finish, day_start if st.finish_at_day_start else day_finish)
    return start, finish


def _pin(st: ScheduledTask, project_start: date, cal: WorkCalendar) -> date | None:
    """The "start no earlier than" date to write, on a working day.

    Our scheduler never starts a task before the project start; MS Project lets leads and
    FF/SF links pull a task before it. A task held at the project start by that rule gets
    an explicit constraint, so MS Project keeps it there too; a pin before the project
    start is written as the project start. A task levelling delayed is pinned at its
    levelled start (see the module's docstring), and so is one whose people were on
    vacation when its links allowed it to start (readers that ignore resource calendars
    for the start, as MPXJ does, keep it there).
    """
    t = st.task
    if (st.levelled_from or st.held_from) is not None and not st.summary:
        return st.start  # levelling or the people's vacations moved it
    if t.not_earlier_than is not None:
        return cal.next_working_day(max(t.not_earlier_than, project_start))
    if t.predecessors and not st.summary and st.start == project_start:
        return project_start
    return None


def _task(
    parent: ET.Element,
    st: ScheduledTask,
    uids: dict[str, int],
    work: float,
    cal: WorkCalendar,
    project_start: date,
    cost: float = 0.0,
    baseline: Baseline | None = None,
) -> None:
    t = st.task
    el = _sub(parent, "Task")
    start, finish = task_times(st, cal.hours_per_day)
    day_start, day_finish = day_bounds(cal.hours_per_day)
    _fields(
        el,
        ("UID", uids[t.id]),
        ("ID", uids[t.id]),
        ("Name", t.name or t.id),
        ("Type", 1),
        ("IsNull", 0),
        ("WBS", st.wbs),
        ("OutlineNumber", st.wbs),
        ("OutlineLevel", st.outline_level),
        ("Priority", 500),
        ("Start", start),
        ("Finish", finish),
        ("Duration", _hours(st.duration_days * cal.hours_per_day)),
        ("DurationFormat", DURATION_FORMAT_DAYS),
        ("Work", _hours(work)),
        ("EffortDriven", 0),
        ("Milestone", int(st.milestone)),
        ("Summary", int(st.summary)),
        ("Critical", int(st.critical)),
        ("EarlyStart", _dt(st.early_start, day_start)),
        ("EarlyFinish", _dt(st.early_finish, day_finish)),
        ("LateStart", _dt(st.late_start, day_start)),
        ("LateFinish", _dt(st.late_finish, day_finish)),
        ("TotalSlack", _minutes_x10(st.total_float, cal)),
        ("PercentComplete", round(t.percent_complete)),
    )
    if not st.summary:
        _sub(el, "Cost", _money(cost))
    if st.levelled_from is not None and not st.summary:
        _fields(el, ("LevelingDelay", (st.start - st.levelled_from).days * ELAPSED_DAY),
                ("LevelingDelayFormat", LAG_FORMAT_ELAPSED_DAYS))
    if t.actual_start is not None:
        _sub(el, "ActualStart", _dt(t.actual_start, day_start))
    if t.actual_finish is not None:
        _sub(el, "ActualFinish", _dt(t.actual_finish, day_finish))
    total = st.duration_days * cal.hours_per_day
    done = total if t.actual_finish is not None else total * t.percent_complete / 100
    _sub(el, "ActualDuration", _hours(done))
    _sub(el, "RemainingDuration", _hours(total - done))
    pinned = _pin(st, project_start, cal)
    _sub(el, "ConstraintType", CONSTRAINT_SNET if pinned else CONSTRAINT_ASAP)
    if pinned is not None:
        _sub(el, "ConstraintDate", _dt(pinned, day_start))
    for link in t.predecessors:
        pl = _sub(el, "PredecessorLink")
        _fields(
            pl,
            ("PredecessorUID", uids[link.pred_id]),
            ("Type", LINK_TYPE_CODES[link.type]),
            ("CrossProject", 0),
            ("LinkLag", _minutes_x10(link.lag_days, cal)),
            ("LagFormat", LAG_FORMAT_DAYS),
        )
    if baseline is not None:
        _baseline(el, baseline, cal.hours_per_day, st.summary)


def _baseline(parent: ET.Element, b: Baseline, hours_per_day: float, summary: bool) -> None:
    el = _sub(parent, "Baseline")
    day_start, day_finish = day_bounds(hours_per_day)
    _fields(el, ("Number", 0),
            ("Start", _dt(b.start, day_start)), ("Finish", _dt(b.finish, day_finish)))
    if b.work_hours is not None:
        _sub(el, "Work", _hours(b.work_hours))
    if b.cost is not None and not summary:
        _sub(el, "Cost", _money(b.cost))


def _resource(
    parent: ET.Element, r: Resource, uid: int, person: Person | None, cal_uid: int | None
) -> None:
    el = _sub(parent, "Resource")
    _fields(
        el,
        ("UID", uid),
        ("ID", uid),
        ("Name", r.name),
        ("Type", 1),
        ("IsNull", 0),
        ("MaxUnits", f"{(person.availability if person else 1.0):.2f}"),
        ("StandardRate", f"{r.rate_per_hour:g}"),
        ("StandardRateFormat", 2),
        ("CalendarUID", cal_uid if cal_uid is not None else PROJECT_CALENDAR_UID),
    )


def _assignment(
    parent: ET.Element,
    uid: int,
    a: Assignment,
    st: ScheduledTask,
    task_uids: dict[str, int],
    res_uids: dict[str, int],
    hours_per_day: float = 8,
) -> None:
    el = _sub(parent, "Assignment")
    start, finish = task_times(st, hours_per_day)
    _fields(
        el,
        ("UID", uid),
        ("TaskUID", task_uids[a.task_id]),
        ("ResourceUID", res_uids[a.resource_id]),
        ("Finish", finish),
        ("Start", start),
        ("Units", f"{a.units:g}"),
        ("Work", _hours(a.work_hours)),
        ("Cost", _money(a.cost)),
    )


def write_plan_mspdi(plan: Plan, path: Path | str) -> Path:
    """Write the plan as MS Project XML: schedule, people with rates, assignments."""
    from crmimpl.plan.costs import hourly_rate

    used = {a.person_id for t in plan.tasks for a in t.assignments}
    hours_per_day = plan.project.plan.hours_per_day
    resources = [Resource(p.id, p.name, float(hourly_rate(p, hours_per_day)))
                 for p in plan.project.team if p.id in used]
    assignments = [Assignment(t.id, a.person_id, float(a.hours), cost=float(a.cost))
                   for t in plan.tasks for a in t.assignments if a.hours > 0]
    baselines = {
        t.id: Baseline(t.baseline_start, t.baseline_finish,
                       None if t.baseline_hours is None else float(t.baseline_hours),
                       None if t.baseline_cost is None else float(t.baseline_cost))
        for t in plan.tasks if t.baseline_start is not None and t.baseline_finish is not None
    }
    info = plan.project.project
    return write_mspdi(path, plan.schedule, resources, assignments, title=info.title,
                       currency=info.currency, baselines=baselines)
