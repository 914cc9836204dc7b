"""Critical-path scheduling on a working calendar, with optional resource levelling.

Input is plain data (:class:`SchedTask` with :class:`Link` predecessors); output is a
:class:`Schedule` of :class:`ScheduledTask`. The engine knows nothing of projects or
methodologies: the plan builder turns a project into tasks and calls :func:`schedule`.

Conventions (those of MS Project, so an MSPDI export rescheduled there gives the same
dates):

* Durations and lags are whole working days of the project calendar. A fractional
  duration is rounded **up** (1.2 days takes 2 days); 0 is a milestone.
* A task's ``start`` is its first working day and ``finish`` its last one (inclusive).
  A milestone has ``start == finish``.
* Links constrain points in working time: FS ``succ.start >= pred.finish + lag``, SS
  ``succ.start >= pred.start + lag``, FF ``succ.finish >= pred.finish + lag``, SF
  ``succ.finish >= pred.start + lag``. With FS and lag 0 the successor starts on the next
  working day after the predecessor's finish; a negative lag is a lead.
* Internally a point in time is a *tick*: ``2*i`` is the start of working day ``i`` and
  ``2*i + 1`` its end (the same instant of working time as the start of day ``i + 1``).
  A milestone sits on either, as in MS Project: after an FS predecessor at the end of the
  predecessor's last day, after a positive lag at the end of a day, after a lead or at
  the project start at the start of a day.
* Links into a summary task (FS/SS only) apply to each of its children; links out of a
  summary start from its first child start or its last child finish. A summary spans its
  children.
* Actual dates override computed ones. Completed tasks are never critical.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from crmimpl.errors import CrmimplError, Problem, count_problems
from crmimpl.plan.calendar import Person, WorkCalendar

LinkType = Literal["FS", "SS", "FF", "SF"]
LINK_TYPES: tuple[str, ...] = ("FS", "SS", "FF", "SF")
_NEG = -(1 << 60)
_POS = 1 << 60
_EPS = 1e-9


@dataclass(frozen=True)
class Link:
    """A dependency on ``pred_id``: type FS/SS/FF/SF and a lag in working days (< 0: lead)."""

    pred_id: str
    type: LinkType = "FS"
    lag_days: int = 0


@dataclass
class SchedTask:
    """One task (or a summary, if other tasks name it as ``parent``).

    Attributes:
        id: unique identifier.
        name: display name.
        duration_days: working days (rounded up); 0 makes a milestone. Ignored for
            summaries and for effort-driven tasks.
        parent: id of the summary task (phase) this task belongs to.
        predecessors: links to the tasks this one depends on.
        not_earlier_than: pinned start ("start no earlier than").
        effort_hours: work in hours, shared by the assignees.
        assignees: ids of the people doing the task (see :class:`Person`).
        effort_driven: compute the duration from ``effort_hours`` and the assignees'
            calendars (vacations, availability) where the task falls.
        percent_complete: progress, 0–100 (carried to the output).
        actual_start: the day work really started (overrides the computed start).
        actual_finish: the day work really finished (overrides the computed finish).
        alternatives: people who may take an assignee's place (assignee id → ids). With
            levelling, each assignee is the one of them (the assignee first) with whom
            the task starts earliest; ties go to the least booked person.
        bookings: hours already booked for people by this task on given days (training
            sessions placed by the planner); levelling books them before placing
            anything, and the task itself is not levelled.
        lead: the person the task cannot go on without (the auditor of an audit): it
            never starts or runs on the lead's vacation, even when others could work.
        meeting: everyone assigned takes part (a kickoff, a demo): an effort-driven
            task starts on a day when all of its people work, not merely one of them.
    """

    id: str
    name: str = ""
    duration_days: float = 0
    parent: str | None = None
    predecessors: list[Link] = field(default_factory=list)
    not_earlier_than: date | None = None
    effort_hours: float | None = None
    assignees: list[str] = field(default_factory=list)
    effort_driven: bool = False
    percent_complete: float = 0
    actual_start: date | None = None
    actual_finish: date | None = None
    alternatives: dict[str, list[str]] = field(default_factory=dict)
    bookings: list[tuple[date, str, float]] = field(default_factory=list)
    lead: str | None = None
    meeting: bool = False


@dataclass(frozen=True)
class ScheduledTask:
    """A task's computed dates (all inclusive working days)."""

    task: SchedTask
    start: date
    finish: date
    early_start: date
    early_finish: date
    late_start: date
    late_finish: date
    total_float: int
    critical: bool
    duration_days: int
    summary: bool
    milestone: bool
    outline_level: int
    wbs: str
    assignees: tuple[str, ...] = ()
    """The people who do the task (levelling may have picked alternatives)."""
    start_at_day_end: bool = False
    """Starts at the end of its day (a milestone after a finish, or a summary it opens)."""
    finish_at_day_start: bool = False
    """Finishes at the start of its day (a milestone at a day's start, or its summary)."""
    levelled_from: date | None = None
    """Resource levelling delayed the task: the day its links and pins allowed it to start
    (``None`` when levelling did not move it)."""
    held_from: date | None = None
    """Its people's days off (vacations) delayed the start of this effort-driven task: the
    day its links allowed (``None`` when they did not)."""


@dataclass(frozen=True)
class Move:
    """A task that resource levelling delayed, and the people whose load delayed it."""

    task_id: str
    old_start: date
    new_start: date
    waiting_for: tuple[str, ...] = ()


@dataclass
class Schedule:
    """The result of :func:`schedule`: tasks in outline order, project start and finish."""

    tasks: dict[str, ScheduledTask]
    start: date
    finish: date
    calendar: WorkCalendar
    critical_path: list[str]
    moved: list[Move] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)
    load: dict[str, dict[date, float]] = field(default_factory=dict)
    """Hours booked per person and day by levelling (empty without levelling)."""

    def __getitem__(self, task_id: str) -> ScheduledTask:
        return self.tasks[task_id]


def _shift(tick: int, lag_days: int) -> int:
    """Move a point in time by ``lag_days`` working days (non-zero), as MS Project does.

    Adding working time ends when the last hour is used up (the end of a day, 17:00);
    taking it away ends at the start of a day (08:00). Only milestones show the
    difference: both points are the same instant of working time.
    """
    work = (tick + 1) // 2 + lag_days
    return 2 * work - 1 if lag_days > 0 else 2 * work


def whole_days(duration_days: float) -> int:
    """Round a duration up to whole working days (tolerating float noise)."""
    return max(0, math.ceil(round(duration_days, 9)))


def schedule(
    tasks: Sequence[SchedTask],
    calendar: WorkCalendar,
    project_start: date,
    *,
    people: Iterable[Person] = (),
    leveling: bool = False,
) -> Schedule:
    """Schedule ``tasks`` from ``project_start`` by the critical path method.

    Args:
        tasks: the tasks; summaries are the tasks other tasks name as ``parent``.
        calendar: the project's working calendar.
        project_start: no task starts before the first working day on or after it.
        people: availability and vacations of assignees (unknown ids: full time).
        leveling: delay lower-priority tasks (later late start, then more float) so
            nobody is booked over their availability on any day.

    Returns:
        The schedule.

    Raises:
        CrmimplError: unknown ids, bad links, or a dependency cycle (listed).
    """
    engine = _Engine(list(tasks), calendar, project_start, {p.id: p for p in people})
    return engine.run(leveling)


# --------------------------------------------------------------------------------------
# Validation and graph building


def _problem(task_id: str, message: str, hint: str = "") -> Problem:
    return Problem("schedule", f"tasks[{task_id}]", message, hint)


def _validate(tasks: list[SchedTask]) -> dict[str, int]:
    """Check ids, parents and links; return the index of each id."""
    problems: list[Problem] = []
    index: dict[str, int] = {}
    for i, t in enumerate(tasks):
        if t.id in index:
            problems.append(_problem(t.id, "duplicate task id"))
        index[t.id] = i
    for t in tasks:
        problems.extend(_task_problems(t, index))
    if problems:
        raise CrmimplError(problems, summary=f"{count_problems(len(problems))} in the task network")
    _check_parent_cycles(tasks, index)
    return index


def _task_problems(t: SchedTask, index: dict[str, int]) -> list[Problem]:
    out: list[Problem] = []
    if t.parent is not None and t.parent not in index:
        out.append(_problem(t.id, f"unknown parent {t.parent!r}"))
    if t.duration_days < 0:
        out.append(_problem(t.id, f"negative duration {t.duration_days}"))
    if t.effort_driven and not (t.effort_hours and t.assignees):
        out.append(_problem(t.id, "an effort-driven task needs effort_hours and assignees"))
    for link in t.predecessors:
        if link.pred_id not in index:
            out.append(_problem(t.id, f"unknown predecessor {link.pred_id!r}"))
        elif link.pred_id == t.id:
            out.append(_problem(t.id, "a task cannot depend on itself"))
        if link.type not in LINK_TYPES:
            out.append(_problem(t.id, f"unknown link type {link.type!r}", "use FS, SS, FF or SF"))
    return out


def _check_parent_cycles(tasks: list[SchedTask], index: dict[str, int]) -> None:
    for t in tasks:
        seen = [t.id]
        p = t.parent
        while p is not None:
            if p in seen:
                raise CrmimplError([_problem(t.id, "parent cycle: " + " → ".join([*seen, p]))])
            seen.append(p)
            p = tasks[index[p]].parent


def _cycle_error(names: list[str], remaining: set[int], succ: list[list[int]]) -> CrmimplError:
    """Find one cycle among ``remaining`` nodes and describe it."""
    start = min(remaining)
    path: list[int] = []
    pos: dict[int, int] = {}
    node = start
    while node not in pos:
        pos[node] = len(path)
        path.append(node)
        node = next(n for n in succ[node] if n in remaining)
    cycle = [*path[pos[node] :], node]
    ids: list[str] = []
    for n in cycle:
        if not ids or ids[-1] != names[n]:
            ids.append(names[n])
    return CrmimplError(
        [Problem("schedule", "", "dependency cycle: " + " → ".join(ids),
                 "remove or reverse one of these links")]
    )


# --------------------------------------------------------------------------------------
# The engine


class _Engine:
    """Forward and backward passes over a node graph, in ticks (see module docstring).

    Each leaf task is one node. A summary has two: its *in* node takes the links into
    the summary and passes them down to the children; its *out* node gathers the
    children and feeds the links out of the summary.
    """

    def __init__(
        self, tasks: list[SchedTask], cal: WorkCalendar, start: date, people: dict[str, Person]
    ) -> None:
        self.tasks = tasks
        self.cal = cal
        self.people = people
        self._caps: dict[tuple[str, int], float] = {}
        self.index = _validate(tasks)
        n = len(tasks)
        self.children: list[list[int]] = [[] for _ in range(n)]
        self.parent = [-1] * n
        for i, t in enumerate(tasks):
            if t.parent is not None:
                self.parent[i] = self.index[t.parent]
                self.children[self.parent[i]].append(i)
        self.is_summary = [bool(c) for c in self.children]
        self._check_summary_links()
        self._prepare_calendar(start)
        self.dur = [0 if self.is_summary[i] else whole_days(t.duration_days) for i, t in
                    enumerate(tasks)]
        self.who = [list(t.assignees) for t in tasks]  # levelling may swap alternatives
        self.fixed = list(self.dur)  # durations as given (effort-driven ones are computed)
        self._build_graph()

    # -- setup --------------------------------------------------------------------------

    def _ancestors(self, i: int) -> set[int]:
        out: set[int] = set()
        while self.parent[i] >= 0:
            i = self.parent[i]
            out.add(i)
        return out

    def _check_summary_links(self) -> None:
        problems: list[Problem] = []
        for i, t in enumerate(self.tasks):
            anc = self._ancestors(i)
            for link in t.predecessors:
                p = self.index[link.pred_id]
                if p in anc or i in self._ancestors(p):
                    problems.append(_problem(t.id, f"link between a summary and its own "
                                             f"subtask ({link.pred_id!r})"))
                if self.is_summary[i] and link.type in ("FF", "SF"):
                    problems.append(_problem(t.id, f"{link.type} link into a summary task",
                                             "link to one of its subtasks instead"))
        if problems:
            raise CrmimplError(problems)

    def _prepare_calendar(self, start: date) -> None:
        dates = [start]
        for t in self.tasks:
            dates.extend(d for d in (t.not_earlier_than, t.actual_start, t.actual_finish) if d)
        # Cover generously backwards so leads and late dates never grow the range back.
        self.cal.cover(min(dates) - timedelta(days=400), max(dates) + timedelta(days=400))
        self.start_tick = 2 * self.cal.index_of(start)

    def _build_graph(self) -> None:
        n = len(self.tasks)
        self.in_node = list(range(n))
        self.out_node = list(range(n))
        names = [t.id for t in self.tasks]
        for i in range(n):
            if self.is_summary[i]:
                self.out_node[i] = len(names)
                names.append(self.tasks[i].id)
        self.names = names
        self._summary_of_out = [i for i in range(n) if self.is_summary[i]]
        succ: list[list[int]] = [[] for _ in names]
        for i, t in enumerate(self.tasks):
            for link in t.predecessors:
                succ[self.out_node[self.index[link.pred_id]]].append(self.in_node[i])
            if self.parent[i] >= 0:
                succ[self.in_node[self.parent[i]]].append(self.in_node[i])
                succ[self.out_node[i]].append(self.out_node[self.parent[i]])
        self.succ = succ
        self.order = self._topological_order()
        # succ_links[p]: (successor task, type, lag in days) for links out of task p.
        self.succ_links: list[list[tuple[int, str, int]]] = [[] for _ in range(n)]
        self.pred_links: list[list[tuple[int, str, int]]] = [[] for _ in range(n)]
        for i, t in enumerate(self.tasks):
            for link in t.predecessors:
                p = self.index[link.pred_id]
                self.pred_links[i].append((p, link.type, link.lag_days))
                self.succ_links[p].append((i, link.type, link.lag_days))

    def _indegrees(self) -> list[int]:
        indeg = [0] * len(self.names)
        for targets in self.succ:
            for m in targets:
                indeg[m] += 1
        return indeg

    def _topological_order(self) -> list[int]:
        indeg = self._indegrees()
        queue = deque(i for i, d in enumerate(indeg) if d == 0)
        order: list[int] = []
        while queue:
            node = queue.popleft()
            order.append(node)
            for m in self.succ[node]:
                indeg[m] -= 1
                if indeg[m] == 0:
                    queue.append(m)
        if len(order) < len(self.names):
            remaining = {i for i, d in enumerate(indeg) if d > 0}
            raise _cycle_error(self.names, remaining, self.succ)
        return order

    # -- forward pass -------------------------------------------------------------------

    def _forward_reset(self) -> None:
        n = len(self.tasks)
        self.es = [0] * n
        self.ef = [0] * n
        self.bound = [self.start_tick] * n  # lower bound on a summary's children's starts
        self.used: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        self.who = [list(t.assignees) for t in self.tasks]
        self.blockers: dict[int, tuple[str, ...]] = {}
        self.link_start: dict[int, int] = {}  # levelled tasks: the start links allowed
        self.held: dict[int, int] = {}  # tasks whose people were away: the start links allowed

    def _link_bounds(self, i: int) -> tuple[int, int]:
        """Lower bounds (ticks) on task ``i``'s start and finish from its predecessors."""
        s_lb, f_lb = _NEG, _NEG
        es, ef = self.es, self.ef
        for p, kind, lag in self.pred_links[i]:
            if kind == "FS":
                s_lb = max(s_lb, _shift(ef[p], lag) if lag else ef[p])
            elif kind == "SS":
                s_lb = max(s_lb, _shift(es[p], lag) if lag else es[p])
            elif kind == "FF":
                f_lb = max(f_lb, _shift(ef[p], lag) if lag else ef[p])
            else:
                f_lb = max(f_lb, _shift(es[p], lag) if lag else es[p])
        return s_lb, f_lb

    def _start_bound(self, i: int) -> int:
        par = self.parent[i]
        lb = self.bound[par] if par >= 0 else self.start_tick
        pinned = self.tasks[i].not_earlier_than
        if pinned is not None:
            lb = max(lb, 2 * self.cal.index_of(pinned))
        return lb

    def _forward_node(self, node: int, leveling: bool = False) -> None:
        n = len(self.tasks)
        if node >= n:  # out node of a summary
            i = self._summary_of_out[node - n]
            kids = self.children[i]
            self.es[i] = min(self.es[c] for c in kids)
            self.ef[i] = max(self.ef[c] for c in kids)
            return
        s_lb, f_lb = self._link_bounds(node)
        s_lb = max(s_lb, self._start_bound(node))
        if self.is_summary[node]:
            self.bound[node] = s_lb
            return
        self._place(node, s_lb, f_lb, leveling)

    def _place(self, i: int, s_lb: int, f_lb: int, leveling: bool) -> None:
        t = self.tasks[i]
        if t.actual_start is not None or t.actual_finish is not None:
            self._place_actual(i)
            if leveling and t.assignees:
                self._book(i)
            return
        if self.dur[i] == 0 and not t.effort_driven:
            self.es[i] = self.ef[i] = max(s_lb, f_lb)
            return
        s = self._allowed_start(i, s_lb, f_lb)
        if leveling and t.assignees:
            if t.alternatives:
                before = list(self.who[i])
                self._choose_people(i, s)
                if self.who[i] != before:  # other people take another time: the finish
                    self.held.pop(i, None)  # links and their vacations hold for them
                    s = self._allowed_start(i, s_lb, f_lb)
            first = s
            for _ in range(50):  # levelling and the lead's leave may each move the start
                moved = self._lead_present(i, self._first_fit(i, s))
                if moved == s:
                    break
                s = moved
            if s > first:
                self.blockers[i] = self._over(i, first // 2)
                self.link_start[i] = first
        self.es[i] = s
        self.ef[i] = self._finish_tick(i, s)
        if leveling and t.assignees:
            self._book(i)

    def _allowed_start(self, i: int, s_lb: int, f_lb: int) -> int:
        """The first start the links allow (a finish link moves the start until the finish
        meets it) and, for effort-driven work, the people's presence."""
        t = self.tasks[i]
        s = s_lb + (s_lb & 1)  # a start at the end of a day moves to the next day
        if f_lb > _NEG:
            f = f_lb - (1 - (f_lb & 1))  # a finish at the start of a day: previous day
            if not t.effort_driven:
                s = max(s, f - 2 * self.dur[i] + 1)
            while self._finish_tick(i, s) < f:
                s += 2
        allowed = s
        if t.effort_driven:
            s = self._first_capacity(i, s)
        s = self._lead_present(i, s)
        if s > allowed and t.effort_driven:
            self.held[i] = allowed
        return s

    def _place_actual(self, i: int) -> None:
        t = self.tasks[i]
        cal = self.cal
        if t.actual_start is not None:
            s = 2 * cal.index_of(t.actual_start)
        else:
            assert t.actual_finish is not None
            s = 2 * (cal.index_of(cal.previous_working_day(t.actual_finish)) - self.dur[i] + 1)
        if t.actual_finish is not None:
            f = 2 * cal.index_of(cal.previous_working_day(t.actual_finish)) + 1
            self.dur[i] = max(0, (f + 1 - s) // 2)
            f = f if self.dur[i] else s
        else:
            f = self._finish_tick(i, s)
        self.es[i], self.ef[i] = s, f

    def _days_for(self, i: int, day: int) -> int:
        """Working days task ``i`` lasts when it starts on ``day``."""
        t = self.tasks[i]
        if t.effort_driven:
            return self._days_from(i, day)
        if self.fixed[i] and t.effort_hours and self.who[i]:
            # a fixed duration is the least it takes: never more work a day than people have
            return max(self.fixed[i], self._days_from(i, day))
        return self.fixed[i]

    def _finish_tick(self, i: int, s: int) -> int:
        days = self._days_for(i, s // 2)
        self.dur[i] = days
        return s + 2 * days - 1 if days else s

    # -- effort and people --------------------------------------------------------------

    def _person(self, pid: str) -> Person:
        return self.people.get(pid) or Person(pid)

    def _capacity(self, pid: str, day: int) -> float:
        """Hours person ``pid`` can give on working day ``day`` (computed once a day)."""
        key = (pid, day)
        found = self._caps.get(key)
        if found is None:
            found = self._caps[key] = self._capacity_of(pid, day)
        return found

    def _capacity_of(self, pid: str, day: int) -> float:
        person = self._person(pid)
        if person.vacations:
            d = self.cal.date_at_growing(day)
            if any(a <= d <= b for a, b in person.vacations):
                return 0.0
        return self.cal.hours_per_day * person.availability

    def _days_from(self, i: int, day: int) -> int:
        """Working days an effort-driven task needs when it starts on ``day``."""
        t = self.tasks[i]
        left = float(t.effort_hours or 0)
        days = 0
        while left > _EPS:
            got = sum(self._capacity(p, day + days) for p in self.who[i])
            left -= got
            days += 1
            if days > 100_000:
                raise CrmimplError([_problem(t.id, "the assignees are never available")])
        return days

    def _loads(self, i: int, s_day: int) -> list[tuple[str, int, float]]:
        """(person, day, hours) booked by task ``i`` if it starts on ``s_day``."""
        return list(self._iter_loads(i, s_day))

    def _iter_loads(self, i: int, s_day: int) -> Iterator[tuple[str, int, float]]:
        """:meth:`_loads` one day at a time, so that a check can stop at the first clash."""
        t = self.tasks[i]
        if t.effort_driven:
            for d, caps, part in self._effort_days(i, s_day):
                for p, c in caps:
                    yield p, d, c * part
            return
        days = self._days_for(i, s_day)
        share = t.effort_hours / (days * len(self.who[i])) if t.effort_hours and days else None
        for d in range(s_day, s_day + days):
            for p in self.who[i]:
                cap = self._capacity(p, d)
                yield p, d, cap if share is None else min(share, cap)

    def _effort_days(self, i: int, s_day: int
                     ) -> Iterator[tuple[int, list[tuple[str, float]], float]]:
        """Day by day from ``s_day``, the people of effort-driven task ``i`` with their
        capacity, and the share of it the task books: full days, the last day only what
        is left."""
        left = float(self.tasks[i].effort_hours or 0)
        d = s_day
        who, known, capacity = self.who[i], self._caps, self._capacity
        while left > _EPS:
            caps = [(p, c if (c := known.get((p, d))) is not None else capacity(p, d))
                    for p in who]
            total = sum(c for _, c in caps)
            part = min(1.0, left / total) if total > _EPS else 0.0
            yield d, caps, part
            left -= total * part
            d += 1

    def _fits(self, i: int, s_day: int) -> bool:
        used, capacity = self.used, self._capacity
        t = self.tasks[i]
        if t.effort_driven:
            # one step per day (not per person and day): this check runs for every
            # candidate start of every levelled task, most of a large plan's scheduling
            # time; :meth:`_effort_days` written out, the same arithmetic in the same order
            left = float(t.effort_hours or 0)
            d = s_day
            who, known = self.who[i], self._caps
            if len(who) == 1:  # most tasks: one person, no list per day
                p = who[0]
                booked = used[p]
                while left > _EPS:
                    c = known.get((p, d))
                    if c is None:
                        c = capacity(p, d)
                    total = 0 + c  # as sum() adds
                    part = min(1.0, left / total) if total > _EPS else 0.0
                    hours = c * part
                    if hours > _EPS and booked.get(d, 0.0) + hours > c + _EPS:
                        return False
                    left -= total * part
                    d += 1
                return True
            while left > _EPS:
                caps = [(p, c if (c := known.get((p, d))) is not None else capacity(p, d))
                        for p in who]
                total = sum(c for _, c in caps)
                part = min(1.0, left / total) if total > _EPS else 0.0
                for p, c in caps:
                    hours = c * part
                    if hours > _EPS and used[p].get(d, 0.0) + hours > c + _EPS:
                        return False
                left -= total * part
                d += 1
            return True
        for p, d, hours in self._iter_loads(i, s_day):
            if hours > _EPS and used[p][d] + hours > capacity(p, d) + _EPS:
                return False
        return True

    def _first_fit(self, i: int, s: int) -> int:
        """The first start from tick ``s`` at which the task's hours fit its people's free
        hours; effort-driven work never starts on its people's day off (a start moved
        past a clash could otherwise land on a vacation, where nothing clashes)."""
        found = self._first_fit_by(i, s, None)
        assert found is not None
        return found

    def _first_fit_by(self, i: int, s: int, limit: int | None) -> int | None:
        """:meth:`_first_fit`, or None once the start would pass tick ``limit``."""
        effort = self.tasks[i].effort_driven
        if limit is not None and s > limit:
            return None
        while not self._fits(i, s // 2):
            s += 2
            if effort:
                s = self._first_capacity(i, s)
            if limit is not None and s > limit:
                return None
        return s

    def _lead_present(self, i: int, s: int) -> int:
        """The first start (from tick ``s``) from which the task's lead is on duty every
        day until it finishes: an audit does not start, or run on, while its auditor is
        on leave."""
        lead = self.tasks[i].lead
        if lead is None or not self._person(lead).vacations:
            return s
        for _ in range(1_000):
            away = next((d for d in range(s // 2, self._finish_tick(i, s) // 2 + 1)
                         if self._capacity(lead, d) <= _EPS), None)
            if away is None:
                return s
            s = 2 * (away + 1)
        return s

    def _first_capacity(self, i: int, s: int) -> int:
        """The first start (from tick ``s``) on a day someone of the task can work:
        an effort-driven task does not start on its people's day off."""
        if not self.who[i]:
            return s
        if len(self.who[i]) == 1:  # most tasks: one person
            p = self.who[i][0]
            known, capacity = self._caps, self._capacity
            for _ in range(100_000):
                c = known.get((p, s // 2))
                if (capacity(p, s // 2) if c is None else c) > _EPS:
                    return s
                s += 2
            return s
        present = all if self.tasks[i].meeting else any
        for _ in range(100_000):
            if present(self._capacity(p, s // 2) > _EPS for p in self.who[i]):
                return s
            s += 2
        return s

    def _over(self, i: int, s_day: int) -> tuple[str, ...]:
        """People whose existing load keeps task ``i`` from starting on ``s_day``."""
        out: list[str] = []
        for p, d, hours in self._loads(i, s_day):
            if hours > _EPS and self.used[p][d] + hours > self._capacity(p, d) + _EPS \
                    and p not in out:
                out.append(p)
        return tuple(out)

    def _choose_people(self, i: int, s: int) -> None:
        """For each assignee with alternatives, the person with whom the task starts
        earliest (ties: the least booked, then the planner's own choice)."""
        t = self.tasks[i]
        for k, default in enumerate(t.assignees):
            options = [default, *t.alternatives.get(default, [])]
            best: tuple[int, float, int] | None = None
            chosen = self.who[i][k]
            for n, person in enumerate(options):
                if person in self.who[i] and person != self.who[i][k]:
                    continue
                self.who[i][k] = person
                # a person with whom the task starts later than with the best so far
                # is not chosen: stop looking for their start there
                start = self._first_fit_by(i, self._first_capacity(i, s),
                                           None if best is None else best[0])
                if start is None:
                    continue
                key = (start, sum(self.used[person].values()), n)
                if best is None or key < best:
                    best, chosen = key, person
            self.who[i][k] = chosen

    def _prebook(self) -> None:
        """Book the hours tasks carry already (training sessions) before levelling."""
        for t in self.tasks:
            for day, person, hours in t.bookings:
                if self.cal.is_working(day):
                    self.used[person][self.cal.index_of(day)] += hours

    def _book(self, i: int) -> None:
        for p, d, hours in self._loads(i, self.es[i] // 2):
            self.used[p][d] += hours

    # -- passes -------------------------------------------------------------------------

    def forward(self) -> None:
        self._forward_reset()
        for node in self.order:
            self._forward_node(node)

    def forward_leveled(self, priority: list[tuple[int, int, int]]) -> None:
        """Serial schedule generation: place the most urgent eligible task first."""
        self._forward_reset()
        indeg = self._indegrees()
        n = len(self.tasks)

        def key(node: int) -> tuple[int, int, int]:
            if node >= n or self.is_summary[node]:
                return (_NEG, 0, node)
            return priority[node]

        self._prebook()
        heap = [key(v) for v, d in enumerate(indeg) if d == 0]
        heapq.heapify(heap)
        while heap:
            node = heapq.heappop(heap)[2]
            self._forward_node(node, leveling=True)
            for m in self.succ[node]:
                indeg[m] -= 1
                if indeg[m] == 0:
                    heapq.heappush(heap, key(m))

    def backward(self) -> None:
        n = len(self.tasks)
        self.finish_tick = max(self.ef) if n else self.start_tick
        self.ls = [0] * n
        self.lf = [0] * n
        self.f_ub = [self.finish_tick] * n  # bounds a summary passes to its children
        self.s_ub = [_POS] * n
        for node in reversed(self.order):
            if node < n and self.is_summary[node]:
                kids = self.children[node]
                self.ls[node] = min(self.ls[c] for c in kids)
                self.lf[node] = max(self.lf[c] for c in kids)
                continue
            i = node if node < n else self._summary_of_out[node - n]
            s_ub, f_ub = self._succ_bounds(i)
            if self.is_summary[i]:
                self.s_ub[i], self.f_ub[i] = s_ub, f_ub
            else:
                self._place_late(i, s_ub, f_ub)

    def _succ_bounds(self, i: int) -> tuple[int, int]:
        """Upper bounds (ticks) on task ``i``'s start and finish from its successors."""
        par = self.parent[i]
        # A bound on a summary's start binds only the children that start it.
        s_ub = self.s_ub[par] if par >= 0 and self.es[i] == self.es[par] else _POS
        f_ub = self.f_ub[par] if par >= 0 else self.finish_tick
        ls, lf = self.ls, self.lf
        for s, kind, lag in self.succ_links[i]:
            if kind == "FS":
                f_ub = min(f_ub, _shift(ls[s], -lag) if lag else ls[s])
            elif kind == "SS":
                s_ub = min(s_ub, _shift(ls[s], -lag) if lag else ls[s])
            elif kind == "FF":
                f_ub = min(f_ub, _shift(lf[s], -lag) if lag else lf[s])
            else:
                s_ub = min(s_ub, _shift(lf[s], -lag) if lag else lf[s])
        return s_ub, f_ub

    def _place_late(self, i: int, s_ub: int, f_ub: int) -> None:
        d = self.dur[i]
        if d == 0:
            late = min(s_ub, f_ub)
            if (late + 1) // 2 == (self.es[i] + 1) // 2:
                late = self.es[i]  # same instant of working time: show the same day
            self.ls[i] = self.lf[i] = late
            return
        lf = f_ub - (1 - (f_ub & 1))
        ls = lf - 2 * d + 1
        if s_ub < _POS:
            ls = min(ls, s_ub + (s_ub & 1))  # end of day i = start of day i+1
        self.ls[i], self.lf[i] = ls, ls + 2 * d - 1

    # -- run and results ----------------------------------------------------------------

    def run(self, leveling: bool) -> Schedule:
        n = len(self.tasks)
        self.forward()
        moved: list[Move] = []
        if leveling:
            self.backward()
            before = list(self.es)
            prio = [(self.ls[i], self.ls[i] - self.es[i], i) for i in range(n)]
            self.forward_leveled(prio)
            moved = [
                Move(self.tasks[i].id, self._date(before[i]), self._date(self.es[i]),
                     self.blockers.get(i, ()))
                for i in range(n)
                if not self.is_summary[i] and before[i] != self.es[i]
            ]
        self.backward()
        return self._result(moved)

    def _float(self, i: int) -> int:
        """Total float in working days (ticks compared as instants of working time)."""
        return (self.ls[i] + 1) // 2 - (self.es[i] + 1) // 2

    def _date(self, tick: int) -> date:
        return self.cal.date_at_growing(tick // 2)

    def _done(self, i: int) -> bool:
        t = self.tasks[i]
        return t.actual_finish is not None or t.percent_complete >= 100

    def _result(self, moved: list[Move]) -> Schedule:
        outline = self._outline()
        crit = [False] * len(self.tasks)
        for i in reversed(self._preorder()):
            if self.is_summary[i]:
                crit[i] = any(crit[c] for c in self.children[i])
            else:
                crit[i] = self._float(i) <= 0 and not self._done(i)
        out: dict[str, ScheduledTask] = {}
        for i in self._preorder():
            out[self.tasks[i].id] = self._scheduled(i, crit[i], *outline[i])
        path = sorted(
            (i for i in range(len(self.tasks)) if crit[i] and not self.is_summary[i]),
            key=lambda i: (self.es[i], self.ef[i], i),
        )
        return Schedule(
            tasks=out,
            start=self._date(self.start_tick),
            finish=self._date(self.finish_tick),
            calendar=self.cal,
            critical_path=[self.tasks[i].id for i in path],
            moved=moved,
            people=dict(self.people),
            load={p: {self.cal.date_at_growing(d): h for d, h in sorted(days.items()) if h}
                  for p, days in self.used.items()},
        )

    def _scheduled(self, i: int, critical: bool, level: int, wbs: str) -> ScheduledTask:
        es, ef, ls, lf = self.es[i], self.ef[i], self.ls[i], self.lf[i]
        summary = self.is_summary[i]
        milestone = not summary and self.dur[i] == 0
        days = ef // 2 - es // 2 + 1
        return ScheduledTask(
            task=self.tasks[i],
            start=self._date(es),
            finish=self._date(ef),
            early_start=self._date(es),
            early_finish=self._date(ef),
            late_start=self._date(ls),
            late_finish=self._date(lf),
            total_float=self._float(i),
            critical=critical,
            duration_days=0 if milestone else days,
            summary=summary,
            milestone=milestone,
            outline_level=level,
            wbs=wbs,
            assignees=tuple(self.who[i]),
            start_at_day_end=bool(es & 1),
            finish_at_day_start=not ef & 1,
            levelled_from=self._date(self.link_start[i]) if i in self.link_start else None,
            held_from=self._date(self.held[i]) if i in self.held else None,
        )

    def _preorder(self) -> list[int]:
        if not hasattr(self, "_pre"):
            roots = [i for i in range(len(self.tasks)) if self.parent[i] < 0]
            pre: list[int] = []
            stack = list(reversed(roots))
            while stack:
                i = stack.pop()
                pre.append(i)
                stack.extend(reversed(self.children[i]))
            self._pre = pre
        return self._pre

    def _outline(self) -> list[tuple[int, str]]:
        """Outline level (1-based) and WBS code (1.2.3) of every task."""
        res: list[tuple[int, str]] = [(0, "")] * len(self.tasks)
        counters: dict[int, int] = defaultdict(int)
        for i in self._preorder():
            par = self.parent[i]
            counters[par] += 1
            if par < 0:
                res[i] = (1, str(counters[par]))
            else:
                res[i] = (res[par][0] + 1, f"{res[par][1]}.{counters[par]}")
        return res
