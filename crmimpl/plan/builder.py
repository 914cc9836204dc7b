"""The derived plan: WBS with people, dates, critical path and costs.

``build_plan(project)`` is the one entry point. It expands the mode's template
(:mod:`crmimpl.plan.methodology`), applies the consultant's overrides from ``project.plan``,
puts people on tasks, schedules (:mod:`crmimpl.plan.schedule`) and prices
(:mod:`crmimpl.plan.costs`).

People on tasks: each role of a task resolves to **one team member holding the role**:
the trainers and auditor named in the project when the template prefers them (several
trainers take groups in turn); otherwise the first holder in team order, preferring
someone of the task's department (interviews, training groups), then of the side the
template asks for, then someone whose first-listed role it is. When nobody holds it, the
template's ``role_fallbacks`` are tried, then the first project manager. The role's
share of the effort goes to that person (lines landing on one person merge). ``assign``
in an override replaces this and splits the effort equally. Durations are effort-driven
as in MS Project: the task's effort over the combined daily hours of its people
(availability and vacations count), unless the template or an override fixes the
duration.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError, Problem
from crmimpl.model.project import Person, Project
from crmimpl.plan.backlog import Backlog
from crmimpl.plan.costs import (
    CostLine,
    CostSummary,
    PlanWarning,
    hourly_rate,
    summarize,
    triangle_warnings,
)
from crmimpl.plan.methodology import (
    Anchor,
    Link,
    WbsTask,
    WorkLine,
    build_wbs,
    round_hours,
)

if TYPE_CHECKING:
    from crmimpl.model.plan_template import LevelOfEffort, PlanTemplate
    from crmimpl.plan.calendar import WorkCalendar
    from crmimpl.plan.schedule import Schedule
    from crmimpl.plan.training import Session

BASELINE_PATH = ".crmimpl/baseline.yaml"
MANAGEMENT = "management"  # the phase of the level-of-effort tasks
CENT = Decimal("0.01")
HALF = Decimal("0.5")


@dataclass
class Assignment:
    """A person's hours on a task."""

    person_id: str
    person_name: str
    role: str
    hours: Decimal
    rate: Decimal

    @property
    def cost(self) -> Decimal:
        """``ROUND(hours × rate, 2)``."""
        from crmimpl.plan.costs import money

        return money(self.hours * self.rate)


@dataclass
class PlanTask:
    """A task of the plan with its people, dates and progress.

    Dates are inclusive working days (``finish`` is the last day worked; a milestone has
    ``start == finish``).
    """

    id: str
    name: str
    phase: str
    milestone: bool
    effort_hours: Decimal
    assignments: list[Assignment]
    links: list[Link]
    fixed_duration: float | None = None
    not_earlier_than: date | None = None
    percent_complete: float = 0
    actual_start: date | None = None
    actual_finish: date | None = None
    added: bool = False
    anchor: Anchor | None = None
    start: date = date.min
    finish: date = date.min
    duration_days: int = 0
    total_float: int = 0
    critical: bool = False
    baseline_start: date | None = None
    baseline_finish: date | None = None
    baseline_hours: Decimal | None = None
    baseline_cost: Decimal | None = None
    names: dict[str, str] = field(default_factory=dict)
    group: str | None = None  # the training group taught
    # dates and people come from the placed sessions: the leveller leaves the task alone
    sessions_placed: bool = False
    # people who may take an assignee's place when levelling (assignee id → ids)
    alternatives: dict[str, list[str]] = field(default_factory=dict)
    # hours the sessions book: (day, trainer id, hours)
    bookings: list[tuple[date, str, float]] = field(default_factory=list)
    # level of effort (management): spans the start to acceptance, never levelled
    level_of_effort: LevelOfEffort | None = None
    effort_overridden: bool = False
    # the person the task cannot go on without (the auditor): never on their leave
    lead: str | None = None
    # everyone assigned takes part: starts on a day all of them work
    meeting: bool = False

    @property
    def levelled(self) -> bool:
        """Whether resource levelling places this task (not sessions, not management)."""
        return not self.sessions_placed and self.level_of_effort is None

    def name_in(self, lang: str) -> str:
        """The task's name in ``lang`` (the name given in project.yaml for added tasks)."""
        return self.names.get(lang, self.name)

    @property
    def cost(self) -> Decimal:
        """Cost of all assignments."""
        return sum((a.cost for a in self.assignments), Decimal(0))

    @property
    def assignees(self) -> list[str]:
        """Person ids on the task."""
        return [a.person_id for a in self.assignments]

    @property
    def roles(self) -> list[str]:
        """Roles worked on the task."""
        return [a.role for a in self.assignments]


@dataclass
class PlanPhase:
    """A phase (stage) spanning its tasks."""

    id: str
    name: str
    post_launch: bool
    tasks: list[PlanTask]
    start: date = date.min
    finish: date = date.min
    critical: bool = False
    names: dict[str, str] = field(default_factory=dict)

    def name_in(self, lang: str) -> str:
        """The phase's name in ``lang``."""
        return self.names.get(lang, self.name)

    @property
    def effort_hours(self) -> Decimal:
        """Hours of all tasks."""
        return sum((t.effort_hours for t in self.tasks), Decimal(0))

    @property
    def cost(self) -> Decimal:
        """Cost of all tasks."""
        return sum((t.cost for t in self.tasks), Decimal(0))


@dataclass(frozen=True)
class Plausibility:
    """The plan's size against what plans of its mode usually come to."""

    hours_per_user: Decimal
    months: Decimal  # from the start to acceptance
    norm_hours_per_user: tuple[Decimal, Decimal]
    norm_months: tuple[Decimal, Decimal]

    @property
    def hours_ok(self) -> bool:
        """Whether the hours per user are inside the norm."""
        low, high = self.norm_hours_per_user
        return low <= self.hours_per_user <= high

    @property
    def months_ok(self) -> bool:
        """Whether the months to acceptance are inside the norm."""
        low, high = self.norm_months
        return low <= self.months <= high


@dataclass
class Plan:
    """The whole derived plan (never written by hand)."""

    project: Project
    mode: str
    language: str
    phases: list[PlanPhase]
    start: date
    finish: date
    launch: date
    critical_path: list[str]
    costs: CostSummary
    calendar: WorkCalendar
    schedule: Schedule
    warnings: list[PlanWarning] = field(default_factory=list)
    status_date: date | None = None
    has_baseline: bool = False
    sessions: list[Session] = field(default_factory=list)
    plausibility: Plausibility | None = None
    backlog: Backlog = field(default_factory=Backlog)
    """Iterative mode: the iteration of each department, integration and change."""

    @property
    def tasks(self) -> list[PlanTask]:
        """All tasks in outline order."""
        return [t for ph in self.phases for t in ph.tasks]

    def task(self, task_id: str) -> PlanTask:
        """The task with this id."""
        return next(t for t in self.tasks if t.id == task_id)

    def phase(self, phase_id: str) -> PlanPhase:
        """The phase with this id."""
        return next(p for p in self.phases if p.id == phase_id)

    def in_language(self, lang: str) -> Plan:
        """This plan with its phases' and tasks' names, and its language, in ``lang``
        (the same dates, hours and people): what a plan file of an ``lang`` build shows.
        Pass the plan of the project translated into ``lang`` for the client's and
        people's names to be in that language too."""
        if lang == self.language:
            return self
        phases = [replace(p, name=p.name_in(lang),
                          tasks=[replace(t, name=t.name_in(lang)) for t in p.tasks])
                  for p in self.phases]
        # the schedule names its tasks too (phases by their ids): MS Project shows them
        names = {p.id: p.name for p in phases} | {t.id: t.name for p in phases
                                                   for t in p.tasks}
        tasks = {tid: replace(st, task=replace(st.task, name=names.get(tid, st.task.name)))
                 for tid, st in self.schedule.tasks.items()}
        return replace(self, language=lang, phases=phases,
                       schedule=replace(self.schedule, tasks=tasks))


# ----------------------------------------------------------------------------- building
def build_plan(project: Project, template: PlanTemplate | None = None, *,
               baseline: bool = True) -> Plan:
    """Build the plan of ``project``: WBS, overrides, people, schedule and costs.

    Args:
        project: a validated project.
        template: the plan template; default: the bundled one of the project's mode.
        baseline: read ``.crmimpl/baseline.yaml`` beside the project if it exists.

    Raises:
        CrmimplError: overrides naming unknown tasks or phases, dependency cycles.
    """
    from crmimpl.model.plan_template import builtin_template
    from crmimpl.plan.training import training_warnings

    template = template or builtin_template(project.project.mode)
    wbs = build_wbs(project, template)
    phases = [PlanPhase(p.id, p.name, p.post_launch, [], names=p.names) for p in wbs.phases]
    warnings: list[PlanWarning] = []
    resolver = _Resolver(project, wbs.role_fallbacks, warnings)
    tasks = [_plan_task(t, resolver) for t in wbs.tasks]
    management = _management_tasks(project, template, resolver)
    if management:
        assert template.management_phase is not None
        names = {lang: template.management_phase.get(lang) for lang in ("ru", "en")}
        phases.insert(0, PlanPhase(MANAGEMENT, names[project.project.language], False, [],
                                   names=names))
        tasks = management + tasks
    tasks = _apply_overrides(project, tasks, {p.id for p in phases}, resolver)
    for task in tasks:
        next(p for p in phases if p.id == task.phase).tasks.append(task)
    phases = [p for p in phases if p.tasks]
    cal = make_calendar(project)
    sched, sessions = _run_schedule(project, phases, cal)
    _apply_people(project, phases, sched)
    sched = _with_critical(sched, _critical_before_launch(project, phases, cal, sched))
    sched = _management_not_critical(sched, phases)
    _apply_dates(phases, sched)
    plan = _assemble(project, template.mode, phases, cal, sched, warnings)
    plan.sessions = sessions
    plan.backlog = wbs.backlog
    plan.warnings += training_warnings(project, sessions)
    plan.plausibility = _plausibility(plan, template)
    plan.warnings += _plausibility_warnings(plan.plausibility, template.mode)
    plan.critical_path = [t.id for t in sorted(
        (t for t in plan.tasks if t.critical), key=lambda t: (t.start, t.finish))]
    if baseline:
        plan.has_baseline = apply_baseline(plan, read_baseline_entries(project))
    return plan


def _plan_task(t: WbsTask, resolver: _Resolver) -> PlanTask:
    department = t.item.department if t.item else None
    # a task per department (its interview): the client's side is that department's people
    own = t.item is not None and department is not None and t.item.key == department
    assignments = resolver.assign_roles(t.work, t.effort_hours, t.item.n if t.item else 1,
                                        department, own_department=own,
                                        owner=_data_owner(t, resolver.project))
    effort = t.effort_hours
    if assignments and not t.milestone:
        effort = sum((a.hours for a in assignments), Decimal(0))
    return PlanTask(
        id=t.id, name=t.name, phase=t.phase, milestone=t.milestone,
        effort_hours=effort, assignments=assignments,
        links=list(t.links), fixed_duration=t.duration_days, anchor=t.anchor,
        names=dict(t.names), group=t.item.ref if t.item else None,
        alternatives=resolver.alternatives(t.work, assignments, department),
        lead=_lead(t.work, assignments, resolver.project),
        meeting=t.meeting,
    )


def _data_owner(t: WbsTask, project: Project) -> str | None:
    """The owner of the migration source a task is about (its export is theirs)."""
    if t.item is None:
        return None
    source = next((m for m in project.migration
                   if m.id == t.item.key and t.id.endswith(f".{m.id}")), None)
    return source.owner if source is not None else None


def _lead(lines: list[WorkLine], assignments: list[Assignment],
          project: Project) -> str | None:
    """The auditor when the task is built around them (an audit cannot be held by the
    others while the auditor is on leave)."""
    auditor = project.audit.auditor
    if auditor and any(ln.prefer == "auditor" for ln in lines) \
            and any(a.person_id == auditor for a in assignments):
        return auditor
    return None


def make_calendar(project: Project) -> WorkCalendar:
    """The project's working calendar (country, extra holidays, hours per day)."""
    from crmimpl.plan.calendar import WorkCalendar

    info = project.project
    try:
        return WorkCalendar(info.calendar, extra_holidays=info.holidays,
                            hours_per_day=project.plan.hours_per_day)
    except (NotImplementedError, KeyError) as exc:
        raise CrmimplError.single(
            _location(project, ("project", "calendar")),
            f"no production calendar for country '{info.calendar}' ({exc})",
            key_path="project.calendar", hint="use an ISO code such as RU, GB, DE",
        ) from None


def _assemble(project: Project, mode: str, phases: list[PlanPhase], cal: WorkCalendar,
              sched: Schedule, warnings: list[PlanWarning]) -> Plan:
    lines = [CostLine(t.phase, t.id, t.name, a.role, a.person_id, a.person_name, a.hours,
                      a.rate) for ph in phases for t in ph.tasks for a in t.assignments]
    costs = summarize(project, lines, [(p.id, p.name) for p in phases])
    launch_phases = [p for p in phases if not p.post_launch] or phases
    launch = max(p.finish for p in launch_phases)
    warnings = warnings + triangle_warnings(project, costs, launch)
    return Plan(
        project=project, mode=mode, language=project.project.language, phases=phases,
        start=min(p.start for p in phases), finish=max(p.finish for p in phases),
        launch=launch, critical_path=list(sched.critical_path), costs=costs,
        calendar=cal, schedule=sched, warnings=warnings,
        status_date=project.plan.status_date,
    )


def _plausibility(plan: Plan, template: PlanTemplate) -> Plausibility | None:
    """Hours per CRM user and months from the start to acceptance, with the mode's norm."""
    norms = template.norms
    if norms is None:
        return None
    users = max(plan.project.client.crm_users, 1)
    months = Decimal((plan.launch - plan.start).days) / Decimal("30.44")
    return Plausibility((plan.costs.hours / users).quantize(Decimal("0.1")),
                        months.quantize(Decimal("0.1")), norms.hours_per_user, norms.months)


def _plausibility_warnings(p: Plausibility | None, mode: str) -> list[PlanWarning]:
    if p is None:
        return []
    out = []
    if not p.hours_ok:
        low, high = p.norm_hours_per_user
        out.append(PlanWarning("plausibility", f"{p.hours_per_user} hours per CRM user is "
                               f"outside what {mode} plans usually take ({low:g}–{high:g}): "
                               "check the size drivers or set effort_hours where you know "
                               "better"))
    if not p.months_ok:
        low, high = p.norm_months
        out.append(PlanWarning("plausibility", f"{p.months} months from the start to "
                               f"acceptance is outside the usual for {mode} plans "
                               f"({low:g}–{high:g}): check the team and the dependencies"))
    return out


# ------------------------------------------------------------------------------- people
class _Resolver:
    """Turns role lines into people (see the module docstring for the rule)."""

    def __init__(self, project: Project, fallbacks: dict[str, list[str]],
                 warnings: list[PlanWarning]) -> None:
        self.project = project
        self.fallbacks = fallbacks
        self.warnings = warnings
        self.hours_per_day = project.plan.hours_per_day
        self._warned: set[str] = set()
        self.load: dict[str, Decimal] = {}  # hours given so far, to balance a role
    def person_for(self, line: WorkLine, n: int, department: str | None = None,
                   owner: str | None = None) -> tuple[Person, str]:
        """The person working ``line`` for item ``n`` of ``department``, and their role
        (``owner``: the person who owns the item's data, for ``prefer: data_owner``)."""
        preferred = self._preferred(line.prefer, n, owner)
        if preferred is not None:
            return preferred, line.role
        for role in [line.role, *self.fallbacks.get(line.role, [])]:
            people = self.project.people_with(role)
            if people:
                if role != line.role:
                    self._warn_fallback(line.role, role)
                return _best(people, role, line.side, department, self.load), role
        self._warn_fallback(line.role, "project_manager")
        return self.project.people_with("project_manager")[0], "project_manager"

    def _preferred(self, prefer: str | None, n: int, owner: str | None = None
                   ) -> Person | None:
        settings = self.project
        ids: list[str] = []
        if prefer == "data_owner" and owner:
            ids = [owner]
        elif prefer == "trainers":
            ids = list(settings.training.trainers)
        elif prefer == "auditor" and settings.audit.auditor:
            ids = [settings.audit.auditor]
        elif prefer == "crm_expert" and settings.training.crm_expert:
            ids = [settings.training.crm_expert]
        # several trainers take the groups in turn
        return settings.person(ids[(n - 1) % len(ids)]) if ids else None

    def _warn_fallback(self, role: str, used: str) -> None:
        if role not in self._warned:
            self._warned.add(role)
            self.warnings.append(PlanWarning(
                "role", f"nobody in the team holds the role '{role}': its work goes to "
                f"the {used.replace('_', ' ')}"))

    def assign_roles(self, lines: list[WorkLine], effort: Decimal, n: int,
                     department: str | None = None, *, own_department: bool = False,
                     owner: str | None = None) -> list[Assignment]:
        """Split ``effort`` over the role lines and merge lines landing on one person.

        With ``own_department`` (a task about one department, such as its interview) a
        client-side line goes to someone of that department whatever their role; a line
        with ``prefer: department`` goes to nobody when the team has no one of it (the
        express and CTI interviews: the client person booked for a department's interview
        is never someone of another department)."""
        if not lines:
            return []
        lines, forced = self._every_holder(lines)
        hours = split_hours(effort, [ln.share for ln in lines])
        resolved: list[tuple[WorkLine, Decimal, Person, str]] = []
        strangers: set[int] = set()  # client lines with nobody of the department
        for i, (line, h) in enumerate(zip(lines, hours, strict=True)):
            if i in forced:
                person, role = forced[i], line.role
            else:
                person, role = self.person_for(line, n, department, owner)
            if own_department and person.side == "client" and person.department != department:
                local = self._of_department(department, line.role)
                if local is None and line.prefer == "department":
                    strangers.add(i)  # the department's own head answers, outside the team
                elif local is not None:
                    person = local
                    role = line.role if line.role in local.roles else local.roles[0]
            # booked at once, so that two lines of one role go to two of its holders
            self.load[person.id] = self.load.get(person.id, Decimal(0)) + h
            resolved.append((line, h, person, role))
        # the client's own share of a task (sitting in the kickoff, say) is nobody's when
        # the team has nobody of the client's side for it: it never becomes contractor work
        keep = [not (line.side == "client" and person.side != "client") and i not in strangers
                for i, (line, _, person, _) in enumerate(resolved)]
        if not any(keep):
            keep = [True] * len(resolved)
        out: dict[str, Assignment] = {}
        for (_, h, person, role), kept in zip(resolved, keep, strict=True):
            if not kept:
                self.load[person.id] -= h
                continue
            if person.id in out:
                out[person.id].hours += h
            else:
                out[person.id] = self.assignment(person, role, h)
        return list(out.values())

    def _every_holder(self, lines: list[WorkLine]) -> tuple[list[WorkLine], dict[int, Person]]:
        """Lines with ``prefer: every`` split into one line per holder of the role on the
        line's side (the key users of every department test the scenarios of their own
        people), and the person each such line is for; a role nobody holds stays one line."""
        out: list[WorkLine] = []
        forced: dict[int, Person] = {}
        for line in lines:
            holders = [p for p in self.project.people_with(line.role)
                       if line.side is None or p.side == line.side]
            if line.prefer != "every" or not holders:
                out.append(line if line.prefer != "every" else replace(line, prefer=None))
                continue
            share = line.share / len(holders)
            for person in holders:
                forced[len(out)] = person
                out.append(replace(line, share=share, prefer=None))
        return out, forced

    def _of_department(self, department: str | None, role: str) -> Person | None:
        """The client-side team member of ``department``: a holder of ``role`` first,
        then in team order."""
        people = [p for p in self.project.team
                  if p.side == "client" and p.department == department]
        return min(people, key=lambda p: role not in p.roles, default=None)

    def alternatives(self, lines: list[WorkLine], assignments: list[Assignment],
                     department: str | None) -> dict[str, list[str]]:
        """Who else may do each assignment: the other holders of its role equally fit
        for the task (same department and side preference); never named trainers or
        the auditor, never someone already on the task."""
        on_task = {a.person_id for a in assignments}
        out: dict[str, list[str]] = {}
        for a in assignments:
            line = next((ln for ln in lines if ln.role == a.role), None)
            if line is None or line.prefer is not None:
                continue
            people = self.project.people_with(a.role)
            me = next((p for p in people if p.id == a.person_id), None)
            if me is None:
                continue
            rank = _rank(me, a.role, line.side, department)
            others = [p.id for p in people if p.id not in on_task
                      and _rank(p, a.role, line.side, department)[:2] == rank[:2]]
            if others:
                out[a.person_id] = others
        return out

    def assign_people(self, person_ids: list[str], effort: Decimal,
                      roles: list[str]) -> list[Assignment]:
        """Assignments for named people, effort split equally."""
        people = [self.project.person(pid) for pid in person_ids]
        hours = split_hours(effort, [Decimal(1) / len(people)] * len(people))
        out = []
        for person, h in zip(people, hours, strict=True):
            role = next((r for r in roles if r in person.roles), person.roles[0])
            out.append(self.assignment(person, role, h))
        return out

    def assignment(self, person: Person, role: str, hours: Decimal) -> Assignment:
        """``person`` working ``hours`` in ``role`` at their rate."""
        return Assignment(person.id, person.name, role, hours,
                          hourly_rate(person, self.hours_per_day))


def _rank(p: Person, role: str, side: str | None, department: str | None
          ) -> tuple[bool, bool, bool]:
    return (department is not None and p.department != department,
            side is not None and p.side != side, p.roles[0] != role)


def _best(people: list[Person], role: str, side: str | None, department: str | None,
          load: dict[str, Decimal]) -> Person:
    """The best of ``people`` for a role line: of the item's department, then of the
    side the template asks for, then people whose first-listed role is ``role``; then
    the least loaded so far, so that the work of a role is spread over its holders;
    then team order."""
    def key(p: Person) -> tuple[bool, bool, bool, Decimal]:
        return (*_rank(p, role, side, department), load.get(p.id, Decimal(0)))

    return min(people, key=key)


def split_hours(effort: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """Split ``effort`` by ``shares`` in half hours (as a consultant plans work), or in
    hundredths when the effort itself is not whole half hours; the parts always add up to
    ``effort``. Apportioned by the largest remainder, each line getting at least one unit
    while there are units enough."""
    if not shares:
        return []
    unit = HALF if (effort / HALF) == (effort / HALF).to_integral_value() else CENT
    units = int((effort / unit).to_integral_value(rounding=ROUND_HALF_UP))
    total = sum(shares, Decimal(0)) or Decimal(1)
    quotas = [units * s / total for s in shares]
    floor_one = units >= len(shares)
    base = [max(int(q), 1) if floor_one else int(q) for q in quotas]
    left = units - sum(base)
    order = sorted(range(len(shares)), key=lambda i: (quotas[i] - base[i], -i), reverse=True)
    for i in order[:max(left, 0)]:
        base[i] += 1
    while left < 0:  # the floor of one unit overshot: take from the most generous lines
        i = max((j for j in range(len(base)) if base[j] > 1),
                key=lambda j: (base[j] - quotas[j], base[j]))
        base[i] -= 1
        left += 1
    parts = [(b * unit).quantize(CENT) for b in base]
    parts[-1] += effort.quantize(CENT) - sum(parts, Decimal(0))  # effort finer than a cent
    return parts


# ---------------------------------------------------------------------------- overrides
def _apply_overrides(project: Project, tasks: list[PlanTask], phase_ids: set[str],
                     resolver: _Resolver) -> list[PlanTask]:
    """Apply ``project.plan``: add tasks, change and drop tasks, extra dependencies."""
    problems: list[Problem] = []
    by_id = {t.id: t for t in tasks}
    added: list[PlanTask] = []
    for xi, extra in enumerate(project.plan.add):
        path = ("plan", "add", xi)
        if extra.id in by_id or extra.id in phase_ids:
            problems.append(_problem(project, (*path, "id"),
                                     f"task id '{extra.id}' already exists in the plan"))
        elif extra.phase not in phase_ids:
            problems.append(_problem(project, (*path, "phase"),
                                     f"no phase '{extra.phase}' in this plan",
                                     "phases: " + ", ".join(sorted(phase_ids))))
        else:
            by_id[extra.id] = _extra_task(extra, resolver)
            added.append(by_id[extra.id])
    tasks = _insert_in_phases(tasks, added)
    dropped: set[str] = set()
    for oi, over in enumerate(project.plan.tasks):
        targets = _targets(over.id, tasks)
        if not targets:
            problems.append(_problem(project, ("plan", "tasks", oi, "id"),
                                     f"no task '{over.id}' in the plan",
                                     _close(over.id, [t.id for t in tasks])))
            continue
        for task in targets:
            if over.drop:
                dropped.add(task.id)
            _override(task, over, resolver)
    problems += _link_problems(project, tasks, dropped)
    if problems:
        raise CrmimplError(problems)
    return _drop(tasks, dropped)


def _targets(task_id: str, tasks: list[PlanTask]) -> list[PlanTask]:
    """The task with this id, or every instance of a template id (``survey.interview``)."""
    exact = [t for t in tasks if t.id == task_id]
    return exact or [t for t in tasks if t.id.startswith(task_id + ".")]


def _extra_task(extra: Any, resolver: _Resolver) -> PlanTask:
    effort = Decimal(0) if extra.milestone else _hours(extra.effort_hours)
    task = PlanTask(
        id=extra.id, name=extra.name, phase=extra.phase, milestone=extra.milestone,
        effort_hours=effort, assignments=[], added=True,
        links=[Link(d.task, d.type, d.lag) for d in extra.depends_on],
        fixed_duration=0 if extra.milestone else extra.duration_days,
    )
    if extra.assign and effort > 0:
        task.assignments = resolver.assign_people(list(extra.assign), effort, extra.roles)
    elif effort > 0:
        roles = list(extra.roles) or ["consultant"]
        lines = [WorkLine(r, Decimal(1) / len(roles)) for r in roles]
        task.assignments = resolver.assign_roles(lines, effort, 1)
    return task


def _insert_in_phases(tasks: list[PlanTask], new: list[PlanTask]) -> list[PlanTask]:
    """``tasks`` with each new task after the last task of its phase, in the order given
    (one pass: a plan with thousands of added tasks is built in linear time)."""
    if not new:
        return tasks
    last = {t.phase: i for i, t in enumerate(tasks)}
    after: dict[int, list[PlanTask]] = {}
    for t in new:
        after.setdefault(last.get(t.phase, len(tasks) - 1), []).append(t)
    out: list[PlanTask] = list(after.get(-1, []))
    for i, t in enumerate(tasks):
        out.append(t)
        out += after.get(i, [])
    return out


def _hours(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def _override(task: PlanTask, over: Any, resolver: _Resolver) -> None:
    if over.name is not None:
        task.name = over.name
    if over.effort_hours is not None:
        _set_effort(task, _hours(over.effort_hours))
        task.effort_overridden = True
    if over.assign:
        roles = task.roles
        task.assignments = resolver.assign_people(list(over.assign), task.effort_hours, roles)
    if over.duration_days is not None:
        task.fixed_duration = over.duration_days
    links = [Link(d.task, d.type, d.lag) for d in over.depends_on]
    task.links = links if over.replace_depends_on else task.links + links
    if over.not_earlier_than is not None:
        task.not_earlier_than = over.not_earlier_than
    if over.percent_complete is not None:
        task.percent_complete = over.percent_complete
    task.actual_start = over.actual_start or task.actual_start
    task.actual_finish = over.actual_finish or task.actual_finish


def _set_effort(task: PlanTask, effort: Decimal) -> None:
    """New effort, kept in the same proportions between the people on the task."""
    old = task.effort_hours
    task.effort_hours = effort
    if not task.assignments:
        return
    shares = [a.hours / old if old else Decimal(1) / len(task.assignments)
              for a in task.assignments]
    for a, h in zip(task.assignments, split_hours(effort, shares), strict=True):
        a.hours = h


def _link_problems(project: Project, tasks: list[PlanTask], dropped: set[str]) -> list[Problem]:
    known = {t.id for t in tasks}
    problems = []
    for oi, over in enumerate(project.plan.tasks):
        for li, link in enumerate(over.depends_on):
            if link.task not in known:
                problems.append(_problem(project, ("plan", "tasks", oi, "depends_on", li, "task"),
                                         f"no task '{link.task}' in the plan",
                                         _close(link.task, sorted(known))))
    for xi, extra in enumerate(project.plan.add):
        for li, link in enumerate(extra.depends_on):
            if link.task not in known:
                problems.append(_problem(project, ("plan", "add", xi, "depends_on", li, "task"),
                                         f"no task '{link.task}' in the plan",
                                         _close(link.task, sorted(known))))
    return problems


def _drop(tasks: list[PlanTask], dropped: set[str]) -> list[PlanTask]:
    """Remove dropped tasks; their successors inherit their predecessors."""
    by_id = {t.id: t for t in tasks}

    def through(link: Link, seen: frozenset[str]) -> list[Link]:
        if link.pred not in dropped:
            return [link]
        if link.pred in seen:
            return []
        out: list[Link] = []
        for inner in by_id[link.pred].links:
            out += through(replace(inner, type=link.type, lag=link.lag), seen | {link.pred})
        return out

    kept = [t for t in tasks if t.id not in dropped]
    for task in kept:
        links: list[Link] = []
        for link in task.links:
            links += [lk for lk in through(link, frozenset()) if lk not in links]
        task.links = links
        if task.anchor is not None and task.anchor.task in dropped:
            task.anchor = None
    return kept


def _close(value: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "`crmimpl plan` lists the task ids"


def _location(project: Project, key_path: tuple[str | int, ...]) -> str:
    """``file:line:col`` of a key path in the project file (positions kept by the loader)."""
    return project.location(key_path)


def _problem(project: Project, key_path: tuple[str | int, ...], message: str,
             hint: str = "") -> Problem:
    from crmimpl.load import format_key_path

    return Problem(_location(project, key_path), format_key_path(key_path), message, hint)


# ----------------------------------------------------------------------------- schedule
def schedule_tasks(phases: list[PlanPhase], hours_per_day: int, *,
                   alternatives: bool = True) -> list[Any]:
    """The plan's tasks as :class:`crmimpl.plan.schedule.SchedTask`, phases as summaries.

    ``alternatives``: let levelling give a task to another holder of the role.
    """
    from crmimpl.plan.schedule import Link as SLink
    from crmimpl.plan.schedule import SchedTask

    out = []
    for phase in phases:
        out.append(SchedTask(id=phase.id, name=phase.name))
        for t in phase.tasks:
            effort = float(t.effort_hours)
            fixed = t.milestone or t.fixed_duration is not None or not t.assignments \
                or effort <= 0
            duration = 0.0 if t.milestone else (
                t.fixed_duration if t.fixed_duration is not None else 1.0)
            out.append(SchedTask(
                id=t.id, name=t.name, duration_days=duration, parent=phase.id,
                predecessors=[SLink(lk.pred, lk.type, lk.lag) for lk in t.links],  # type: ignore[arg-type]
                not_earlier_than=t.not_earlier_than, effort_hours=effort or None,
                assignees=t.assignees if t.levelled else [], effort_driven=not fixed,
                percent_complete=t.percent_complete, actual_start=t.actual_start,
                actual_finish=t.actual_finish,
                alternatives=t.alternatives if alternatives and t.levelled else {},
                bookings=list(t.bookings), lead=t.lead, meeting=t.meeting,
            ))
    return out


def _people(project: Project, reserved: dict[str, float] | None = None) -> list[Any]:
    """The team as the scheduler sees it; ``reserved``: hours a day each person gives to
    level-of-effort work, taken off what levelled tasks can book."""
    from crmimpl.plan.calendar import Person as CalPerson

    reserved = reserved or {}
    hpd = project.plan.hours_per_day
    return [CalPerson(p.id, p.availability - reserved.get(p.id, 0.0) / hpd,
                      tuple((v.start, v.end) for v in p.vacations))
            for p in project.team]


def _run_schedule(project: Project, phases: list[PlanPhase], cal: WorkCalendar
                  ) -> tuple[Schedule, list[Session]]:
    """Schedule; place the training sessions and anchored tasks (audits after launch),
    and schedule again until the dates hold; then stretch the level-of-effort tasks
    from the start to acceptance."""
    from crmimpl.plan.schedule import schedule

    leveling = project.plan.leveling
    start = project.project.start
    loe = [t for ph in phases for t in ph.tasks if t.level_of_effort is not None]
    span = _first_span(project, phases)
    people = _people(project, _reserved(project, phases, loe, span))

    def run() -> Schedule:
        return schedule(schedule_tasks(phases, project.plan.hours_per_day), cal, start,
                        people=people, leveling=leveling)

    sched = run()
    sessions = _place_training(project, phases, sched, cal)
    if sessions:
        sched = run()
        # sessions book their trainers, which can move the work the training waits for;
        # then place them again from where the training can really start
        # (and a later pilot wave's groups wait for the start of the wave before theirs)
        taught = [t for ph in phases for t in ph.tasks if t.sessions_placed]
        for _ in range(8):
            held = all(sched[t.id].start == t.not_earlier_than for t in taught)
            placed = _place_training(project, phases, sched, cal)  # moves the pins
            if held and placed == sessions:
                break
            # placing again on the same schedule gives the same sessions: keep these
            sessions = placed
            sched = run()
    anchored = [t for ph in phases for t in ph.tasks if t.anchor is not None]
    for _ in range(3):
        changed = False
        for task in anchored:
            assert task.anchor is not None
            pin = _anchor_date(sched[task.anchor.task].finish, task.anchor)
            if task.not_earlier_than is None or pin > task.not_earlier_than:
                task.not_earlier_than = pin
                changed = True
        if not changed:
            break
        sched = run()
    # management's reserved hours change what the trainers have free, so levelling may
    # move a training task off the days of its sessions: then the sessions are placed
    # again on that schedule, and management stretched again to the new delivery
    taught = [t for ph in phases for t in ph.tasks if t.sessions_placed]
    for _ in range(4):
        if loe:
            first, days = _delivery_span(project, phases, sched, cal)
            if _reserved(project, phases, loe, days) != _reserved(project, phases, loe, span):
                people = _people(project, _reserved(project, phases, loe, days))
                sched = run()
                first, days = _delivery_span(project, phases, sched, cal)
            # the stretched tasks move the project's finish, and with it the late dates
            # that order levelling: stretch again until management ends with the delivery
            for _ in range(4):
                _stretch_management(project, loe, phases, cal, first, days)
                sched = run()
                if _delivery_span(project, phases, sched, cal) == (first, days):
                    break
                first, days = _delivery_span(project, phases, sched, cal)
        if all(sched[t.id].start == t.not_earlier_than for t in taught):
            break
        sessions = _place_training(project, phases, sched, cal)
        sched = run()
        taught = [t for ph in phases for t in ph.tasks if t.sessions_placed]
    return sched, sessions


def _first_span(project: Project, phases: list[PlanPhase]) -> int:
    """Working days from the start to acceptance, guessed before scheduling: the
    delivery effort over one person's day (only to share effort-based management)."""
    return max(int(_delivery_effort(phases) / project.plan.hours_per_day / 2), 5)


def _delivery_effort(phases: list[PlanPhase], project: Project | None = None,
                     side: str | None = None) -> Decimal:
    """Hours of the delivery tasks; with ``side``, only the hours of that side's people
    (the contractor's management is a share of the contractor's work, not of the
    client's own hours)."""
    tasks = [t for ph in phases if not ph.post_launch for t in ph.tasks
             if t.level_of_effort is None]
    if side is None or project is None:
        return sum((t.effort_hours for t in tasks), Decimal(0))
    ours = {p.id for p in project.team if p.side == side}
    return sum((a.hours for t in tasks for a in t.assignments if a.person_id in ours),
               Decimal(0))


def _reserved(project: Project, phases: list[PlanPhase], loe: list[PlanTask],
              days: int) -> dict[str, float]:
    """Hours a day each person gives to the level-of-effort tasks over ``days``."""
    out: dict[str, float] = {}
    for task in loe:
        for a, daily in zip(task.assignments, _daily(project, phases, task, days),
                            strict=True):
            out[a.person_id] = out.get(a.person_id, 0.0) + daily
    return out


def _daily(project: Project, phases: list[PlanPhase], task: PlanTask, days: int
           ) -> list[float]:
    """Hours a day of each assignment of a level-of-effort task, at most half of what
    the person can give."""
    spec = task.level_of_effort
    assert spec is not None
    n = len(task.assignments) or 1
    hpd = project.plan.hours_per_day
    if task.effort_overridden:
        per_person = float(task.effort_hours) / max(days, 1) / n
    elif spec.hours_per_week is not None:
        per_person = float(spec.hours_per_week) / 5
    else:
        assert spec.share is not None
        per_person = float(spec.share * _delivery_effort(phases, project, spec.side)
                           ) / max(days, 1) / n
    return [min(per_person, 0.5 * project.person(a.person_id).availability * hpd)
            for a in task.assignments]


def _delivery_span(project: Project, phases: list[PlanPhase], sched: Schedule,
                   cal: WorkCalendar) -> tuple[date, int]:
    """First working day and working days up to acceptance (the last day of delivery)."""
    first = cal.next_working_day(project.project.start) \
        if not cal.is_working(project.project.start) else project.project.start
    ends = [sched[t.id].finish for ph in phases if not ph.post_launch for t in ph.tasks
            if t.level_of_effort is None]
    last = max(ends, default=first)
    return first, cal.index_of(last) - cal.index_of(first) + 1


def _stretch_management(project: Project, loe: list[PlanTask], phases: list[PlanPhase],
                        cal: WorkCalendar, first: date, days: int) -> None:
    """Level-of-effort tasks span the delivery: pinned to its first day, as long as it,
    with the hours a day they reserve (or the hours an override set)."""
    from crmimpl.plan.calendar import PersonCalendar

    span = [cal.add_working_days(first, k) for k in range(days)]
    people = {p.id: p for p in _people(project)}
    # a trainer's day of sessions leaves less than the reserved hours for management
    taught: dict[tuple[str, date], float] = {}
    for task in (t for ph in phases for t in ph.tasks if t.sessions_placed):
        for day, pid, booked in task.bookings:
            taught[pid, day] = taught.get((pid, day), 0.0) + booked
    hpd = project.plan.hours_per_day
    for task in loe:
        daily = _daily(project, phases, task, days)
        task.not_earlier_than = first
        task.fixed_duration = days
        if task.effort_overridden:
            continue
        # the days each person is there (their vacations have no management hours)
        hours = []
        for a, per_day in zip(task.assignments, daily, strict=True):
            person = people[a.person_id]
            day_hours = person.availability * hpd
            present = [d for d in span if PersonCalendar(cal, person).is_working(d)]
            hours.append(round_hours(Decimal(str(sum(
                min(per_day, max(day_hours - taught.get((a.person_id, d), 0.0), 0.0))
                for d in present)))))
        for a, h in zip(task.assignments, hours, strict=True):
            a.hours = h.quantize(CENT)
        task.effort_hours = sum(hours, Decimal(0))


def _management_tasks(project: Project, template: PlanTemplate, resolver: _Resolver
                      ) -> list[PlanTask]:
    """One task per level-of-effort line of the template whose role someone holds (of
    the side asked for): every holder with ``per_person``, else the first one."""
    out = []
    for spec in template.management:
        people = [p for p in project.people_with(spec.role)
                  if spec.side is None or p.side == spec.side]
        if not people:
            continue
        people = people if spec.per_person else [
            min(people, key=lambda p: p.roles[0] != spec.role)]
        names = {lang: spec.name.get(lang) for lang in ("ru", "en")}
        task = PlanTask(
            id=spec.id, name=names[project.project.language], phase=MANAGEMENT,
            milestone=False, effort_hours=Decimal(0), links=[], fixed_duration=1,
            assignments=[resolver.assignment(p, spec.role, Decimal(0)) for p in people],
            names=names, level_of_effort=spec)
        out.append(task)
    return out


def _management_not_critical(sched: Schedule, phases: list[PlanPhase]) -> Schedule:
    """Level-of-effort work spans the delivery by definition: it is never critical."""
    from dataclasses import replace as copy_with

    ids = {t.id for ph in phases for t in ph.tasks if t.level_of_effort is not None}
    if not ids:
        return sched
    ids.add(MANAGEMENT)
    tasks = {tid: copy_with(st, critical=False) if tid in ids else st
             for tid, st in sched.tasks.items()}
    return copy_with(sched, tasks=tasks,
                     critical_path=[t for t in sched.critical_path if t not in ids])


def _place_training(project: Project, phases: list[PlanPhase], sched: Schedule,
                    cal: WorkCalendar) -> list[Session]:
    """Place the sessions of the training groups' tasks and fit the tasks to them.

    The tasks of one template (``rollout.training.*``) start together where the first of
    them was scheduled; :func:`crmimpl.plan.training.place_sessions` puts every group's
    sessions on its trainers' days. Each task then spans its group's sessions (pinned to
    the first, fixed to the working days up to the last), is worked by the trainers who
    teach them, for the hours taught, and no longer waits for the other groups.

    A group whose task waits for more than its siblings (the build of the features it is
    taught, say an iteration's) gets no session before that work is done
    (``not_before``). In a phased pilot the groups of a later wave are trained while the
    wave before theirs works in the system, not weeks ahead of their own start
    (:func:`_wave_ready`).
    """
    from crmimpl.plan.training import build_groups, place_sessions

    by_template: dict[str, list[PlanTask]] = {}
    for task in (t for ph in phases for t in ph.tasks):
        if task.group is not None and not task.added:
            by_template.setdefault(task.id.rsplit(".", 2)[0], []).append(task)
    if not by_template:
        return []
    groups = {g.id: g for g in build_groups(project, project.project.language)}
    sessions: list[Session] = []
    rates = {p.id: p for p in project.team}
    for tasks in by_template.values():
        start = min(sched[t.id].start for t in tasks)
        ids = {t.id for t in tasks}
        not_before = {t.group: max(_ready(t, ids, start, sched, cal),
                                   _wave_ready(project, groups[t.group], sched, start))
                      for t in tasks if t.group}
        placed = place_sessions(project, [groups[t.group] for t in tasks if t.group],
                                start=start, is_working=cal.is_working,
                                not_before=not_before)
        sessions += placed
        for task in tasks:
            own = [s for s in placed if s.group_id == task.group]
            _fit_to_sessions(task, own, ids, cal, rates, project.plan.hours_per_day)
    return sorted(sessions, key=lambda s: (s.day, s.start_time, s.trainer_id))


def _wave_ready(project: Project, group: Any, sched: Schedule, start: date) -> date:
    """The first day a group of a phased pilot's wave n > 1 is trained: the start of
    wave n − 1 (its people then start work in the system within about that wave's days
    of their training, not after weeks in which they forget it)."""
    from crmimpl.plan.pilot import wave_of

    waves = wave_of(project)
    wave = getattr(group, "wave", None) or min(
        (waves[d] for d in group.departments if d in waves), default=None)
    if wave is None or wave < 2:
        return start
    previous = f"rollout.pilot_wave.{wave - 1}"
    return max(start, sched[previous].start) if previous in sched.tasks else start


def _ready(task: PlanTask, siblings: set[str], start: date, sched: Schedule,
           cal: WorkCalendar) -> date:
    """The first day from ``start`` that ``task`` may start by its links to tasks other
    than its siblings (the siblings' order is the sessions' to decide)."""
    day = start
    for link in task.links:
        if link.pred in siblings or link.pred not in sched.tasks:
            continue
        pred = sched[link.pred]
        if link.type == "FS":
            day = max(day, cal.add_working_days(cal.next_working_day(
                pred.finish + timedelta(days=1)), int(link.lag)))
        elif link.type == "SS":
            day = max(day, cal.add_working_days(pred.start, int(link.lag)))
    return day


def _fit_to_sessions(task: PlanTask, sessions: list[Session], siblings: set[str],
                     cal: WorkCalendar, people: dict[str, Person], hours_per_day: int) -> None:
    """Make ``task`` the span of its group's ``sessions``, worked by their trainers."""
    first, last = sessions[0].day, sessions[-1].day
    task.not_earlier_than = first
    task.fixed_duration = cal.index_of(last) - cal.index_of(first) + 1
    task.links = [lk for lk in task.links if lk.pred not in siblings]
    hours: dict[str, Decimal] = {}
    for s in sessions:
        hours[s.trainer_id] = hours.get(s.trainer_id, Decimal(0)) + Decimal(str(s.hours))
    task.assignments = [
        Assignment(pid, people[pid].name, "trainer", h.quantize(CENT),
                   hourly_rate(people[pid], hours_per_day))
        for pid, h in hours.items()]
    # tenths as before, quarter hours exactly (a 0.25 h topic: 6.25 h, not 6.2)
    total = sum(hours.values(), Decimal(0))
    tenth = total.quantize(Decimal("0.1"))
    task.effort_hours = tenth if tenth == total else total.quantize(Decimal("0.01"))
    task.sessions_placed = True
    task.alternatives = {}
    task.bookings = [(s.day, s.trainer_id, float(s.hours)) for s in sessions]


def _anchor_date(finish: date, anchor: Anchor) -> date:
    """``finish`` + days + months (calendar; the day of month is kept where it exists)."""
    day = finish + timedelta(days=anchor.days)
    months = day.month - 1 + anchor.months
    year, month = day.year + months // 12, months % 12 + 1
    last = pycalendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def _critical_before_launch(project: Project, phases: list[PlanPhase], cal: WorkCalendar,
                            sched: Schedule) -> Schedule:
    """Float and critical path measured to acceptance, not to the last audit.

    Audits months after launch would otherwise leave every rollout task with float.
    Post-launch phases only follow the others, so the dates are the same.
    """
    from crmimpl.plan.schedule import schedule

    before = [p for p in phases if not p.post_launch]
    if len(before) in (0, len(phases)):
        return sched
    from dataclasses import replace as copy_with

    # the dates are the levelled plan's own (each task pinned where levelling put it):
    # levelling the shorter plan again could order the work differently, and the float
    # would then belong to other dates than those every output shows
    tasks = [t if t.id not in sched.tasks or sched[t.id].summary else
             copy_with(t, not_earlier_than=max(sched[t.id].start, t.not_earlier_than)
                       if t.not_earlier_than else sched[t.id].start)
             for t in schedule_tasks(before, project.plan.hours_per_day, alternatives=False)]
    return schedule(tasks, cal, project.project.start, people=list(sched.people.values()),
                    leveling=False)


def _with_critical(sched: Schedule, critical: Schedule) -> Schedule:
    """``sched`` with float and critical flags measured to acceptance (``critical``): the
    one critical set every output shows."""
    from dataclasses import replace as copy_with

    if critical is sched:
        return sched
    tasks = {}
    for tid, st in sched.tasks.items():
        c = critical.tasks.get(tid)
        tasks[tid] = st if c is None else copy_with(
            st, critical=c.critical, total_float=c.total_float, late_start=c.late_start,
            late_finish=c.late_finish)
    path = [tid for tid in sched.tasks if tasks[tid].critical and not tasks[tid].summary]
    return copy_with(sched, tasks=tasks, critical_path=path)


def _apply_people(project: Project, phases: list[PlanPhase], sched: Schedule) -> None:
    """Put on each task the people levelling chose (same hours, their own rates)."""
    for task in (t for ph in phases for t in ph.tasks):
        chosen = sched[task.id].assignees
        if not task.alternatives or tuple(task.assignees) == chosen:
            continue
        for a, pid in zip(task.assignments, chosen, strict=True):
            if a.person_id != pid:
                person = project.person(pid)
                a.person_id, a.person_name = pid, person.name
                a.rate = hourly_rate(person, project.plan.hours_per_day)
        task.alternatives = {}


def _apply_dates(phases: list[PlanPhase], sched: Schedule) -> None:
    for phase in phases:
        st = sched[phase.id]
        phase.start, phase.finish, phase.critical = st.start, st.finish, st.critical
        for t in phase.tasks:
            s = sched[t.id]
            t.start, t.finish, t.duration_days = s.start, s.finish, s.duration_days
            t.total_float, t.critical = s.total_float, s.critical


# ----------------------------------------------------------------------------- baseline
def baseline_path(project: Project) -> Path:
    """Where the baseline of ``project`` is stored (a file the tool owns)."""
    return project.folder / BASELINE_PATH


def baseline_data(plan: Plan) -> dict[str, Any]:
    """The plan as the plain data stored as a baseline."""
    return {
        "project": plan.project.project.id,
        "start": plan.start.isoformat(),
        "finish": plan.finish.isoformat(),
        "total": str(plan.costs.total),
        "tasks": {
            t.id: {"start": t.start.isoformat(), "finish": t.finish.isoformat(),
                   "effort_hours": str(t.effort_hours), "cost": str(t.cost)}
            for t in plan.tasks
        },
    }


def save_baseline(plan: Plan) -> Path:
    """Store the current plan as the baseline (atomically) and return the path."""
    import yaml

    from crmimpl.store import atomic_write_text

    header = ("# Baseline written by `crmimpl plan baseline`; the tool owns this file.\n"
              "# Run the command again to move the baseline.\n")
    text = yaml.safe_dump(baseline_data(plan), allow_unicode=True, sort_keys=False)
    return atomic_write_text(baseline_path(plan.project), header + text)


def read_baseline(project: Project) -> dict[str, tuple[date, date]]:
    """Baseline start and finish per task id ({} when there is no baseline)."""
    return {tid: (e.start, e.finish) for tid, e in read_baseline_entries(project).items()}


@dataclass(frozen=True)
class BaselineEntry:
    """One task as the baseline stored it (hours and cost when the file has them)."""

    start: date
    finish: date
    hours: Decimal | None = None
    cost: Decimal | None = None


def read_baseline_entries(project: Project) -> dict[str, BaselineEntry]:
    """The stored baseline per task id ({} when there is no baseline)."""
    from crmimpl.load import load_yaml

    path = baseline_path(project)
    if not path.exists():
        return {}
    data = load_yaml(path).data
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(tasks, dict):
        raise CrmimplError.single(str(path), "not a crmimpl baseline (no 'tasks')",
                                  hint="delete it and run `crmimpl plan baseline` again")
    out = {}
    for task_id, entry in tasks.items():
        try:
            out[str(task_id)] = BaselineEntry(
                _as_date(entry["start"]), _as_date(entry["finish"]),
                _as_decimal(entry.get("effort_hours")), _as_decimal(entry.get("cost")))
        except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError):
            raise CrmimplError.single(str(path), f"baseline entry '{task_id}' is damaged",
                                      hint="run `crmimpl plan baseline` again") from None
    return out


def _as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def apply_baseline(plan: Plan, base: dict[str, BaselineEntry]) -> bool:
    """Copy the baseline onto the plan's tasks; whether any baseline was found."""
    for task in plan.tasks:
        entry = base.get(task.id)
        if entry is not None:
            task.baseline_start, task.baseline_finish = entry.start, entry.finish
            task.baseline_hours, task.baseline_cost = entry.hours, entry.cost
    return bool(base)
