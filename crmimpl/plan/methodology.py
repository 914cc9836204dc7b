"""Project + plan template → WBS: phases and tasks with effort, roles and dependencies.

This expands a :class:`~crmimpl.model.plan_template.PlanTemplate` for one project: one
task per item where the template says ``foreach``, effort from the size drivers of the
project, dependencies resolved to concrete task ids. People, dates and costs come later
(:mod:`crmimpl.plan.builder`). Effort is rounded up to half an hour per task.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, Decimal
from typing import Any

from crmimpl.model.plan_template import (
    DepTemplate,
    IntegrationSizing,
    MigrationSizing,
    PhaseTemplate,
    PlanTemplate,
    Quantity,
    Sizing,
    TaskTemplate,
    fill_placeholders,
)
from crmimpl.model.project import MigrationSource, Project
from crmimpl.plan.backlog import MVP, Backlog, build_backlog

HALF_HOUR = Decimal("0.5")
LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class Link:
    """A dependency on a predecessor task: type FS/SS/FF/SF and lag in working days."""

    pred: str
    type: str = "FS"
    lag: int = 0


@dataclass(frozen=True)
class WorkLine:
    """A role's share of a task's effort."""

    role: str
    share: Decimal
    side: str | None = None
    prefer: str | None = None


@dataclass(frozen=True)
class Anchor:
    """Start not earlier than ``days`` + ``months`` after task ``task`` finishes."""

    task: str
    days: int
    months: int


@dataclass(frozen=True)
class Item:
    """One element of a list a task template expands over."""

    key: str
    name: str
    n: int
    kind: str | None = None
    department: str | None = None
    drivers: dict[str, Decimal] = field(default_factory=dict)
    # names in each language where the tool names the item (training groups)
    names: dict[str, str] = field(default_factory=dict)
    ref: str | None = None  # the training group's id for a training group item
    iteration: int | None = None  # iterative mode: the iteration that takes it (0: MVP)
    wave: int | None = None  # a phased pilot: the wave a training group's people start in
    follows: str | None = None  # an on-site duty: the pilot task it starts with (SS)

    def name_in(self, lang: str) -> str:
        """The item's name in ``lang`` (the name written in project.yaml otherwise)."""
        return self.names.get(lang, self.name)


@dataclass
class WbsTask:
    """A task of the WBS before people and dates are known."""

    id: str
    name: str
    phase: str
    template: str
    item: Item | None
    work: list[WorkLine]
    effort_hours: Decimal
    duration_days: int | None
    milestone: bool
    links: list[Link] = field(default_factory=list)
    anchor: Anchor | None = None
    names: dict[str, str] = field(default_factory=dict)  # the name in every language
    meeting: bool = False  # everyone assigned takes part (see TaskTemplate.meeting)


@dataclass
class WbsPhase:
    """A phase (stage) of the WBS."""

    id: str
    name: str
    post_launch: bool = False
    names: dict[str, str] = field(default_factory=dict)  # the name in every language


@dataclass
class Wbs:
    """The expanded work breakdown structure."""

    phases: list[WbsPhase]
    tasks: list[WbsTask]
    role_fallbacks: dict[str, list[str]]
    backlog: Backlog = field(default_factory=Backlog)
    """Iterative mode: the iteration of each department, integration and change."""


def project_drivers(project: Project) -> dict[str, Decimal]:
    """Size drivers of the whole project, by the names templates use."""
    from crmimpl.plan.training import build_groups, session_setting

    groups = build_groups(project, project.project.language)
    per_iteration = Decimal(project.plan.iterations)
    change_hours = sum((_dec(c.estimate_hours) for c in project.planned_changes), Decimal(0))
    return {
        "user": Decimal(project.client.crm_users),
        # work that grows with the users but saturates (interviews, questionnaires)
        "user_sqrt": Decimal(project.client.crm_users).sqrt(),
        "department": Decimal(len(project.client.departments)),
        "module": Decimal(len(project.scope.modules)),
        "integration": Decimal(len(project.integrations)),
        "migration_source": Decimal(len(project.migration)),
        "record_k": Decimal(sum(m.records for m in project.migration)) / 1000,
        "change": Decimal(len(project.planned_changes)),
        "change_hour": change_hours,
        "training_group": Decimal(len(groups)),
        "iteration": Decimal(project.plan.iterations),
        "audit": Decimal(project.audit.count),
        "requirement": Decimal(len(project.requirements)),
        "user_class": Decimal(len(project.user_classes)),
        "training_day_hours": _dec(session_setting(project)),
        "audit_first_days": Decimal(project.audit.first_after_days),
        "module_per_iteration": len(project.scope.modules) / per_iteration,
        "integration_per_iteration": len(project.integrations) / per_iteration,
        "change_hour_per_iteration": change_hours / per_iteration,
    }


def _dec(value: float | int) -> Decimal:
    """A float from the model as the Decimal a person wrote (0.1 stays 0.1)."""
    return Decimal(str(value))


def items_for(project: Project, foreach: str, sizing: Sizing | None = None,
              backlog: Backlog | None = None) -> list[Item]:
    """The items a ``foreach`` list expands over, in a stable order.

    ``sizing`` (the template's calibration) gives integrations and migration sources
    their ``item_size`` driver; in iterative mode each department, integration, change
    and training group carries its iteration from ``backlog`` (default: the
    :func:`project_backlog` of ``sizing``).
    """
    sizing = sizing or Sizing()
    if foreach == "integrations":
        items = _integrations(project, sizing.integration)
    elif foreach == "migration":
        items = _migration(project, sizing.migration)
    else:
        items = _ITEM_MAKERS[foreach](project)
    if project.project.mode == "iterative" and foreach == "iterations":
        # an iteration's own work (kickoff, testing, demo) is the client's for the
        # department it brings into the system: its key user tests and sees the demo
        backlog = backlog or project_backlog(project, sizing)
        return [replace(i, department=_lead_department(project, backlog, i.n)) for i in items]
    if project.project.mode != "iterative" or foreach not in _BACKLOG_LISTS:
        return items
    backlog = backlog or project_backlog(project, sizing)
    return [replace(i, iteration=_iteration(backlog, foreach, i)) for i in items]


_BACKLOG_LISTS = ("departments", "integrations", "changes", "migration", "training_groups")


def project_backlog(project: Project, sizing: Sizing | None = None) -> Backlog:
    """The iteration of every department, integration and change (iterative mode), with
    integrations weighed by the template's sizing."""
    calibration = (sizing or Sizing()).integration
    return build_backlog(project, lambda i: integration_hours(i, calibration))


def _lead_department(project: Project, backlog: Backlog, n: int) -> str | None:
    """The first department (in the file's order) iteration ``n`` brings into the
    system, preferring one with a key user in the team."""
    joining = [d.id for d in project.client.departments if backlog.departments.get(d.id) == n]
    keyed = {p.department for p in project.team if "key_user" in p.roles}
    return next((d for d in joining if d in keyed), next(iter(joining), None))


def _iteration(backlog: Backlog, foreach: str, item: Item) -> int | None:
    if foreach == "training_groups":  # a group goes with its department; key users: MVP
        if item.iteration is not None:  # a delta group: the iteration it is shown
            return item.iteration
        found = backlog.iteration_of("departments", item.department)
        return MVP if found is None else found
    return backlog.iteration_of(foreach, item.key)


def integration_hours(item: Any, sizing: IntegrationSizing | None) -> Decimal:
    """Hours of one integration: its own ``effort_hours`` if given, else the template's
    ``kind × direction × protocol + per_object × objects`` (0 without a calibration)."""
    if item.effort_hours:
        return _dec(item.effort_hours)
    if sizing is None:
        return Decimal(0)
    base = sizing.kind.get(item.kind, sizing.kind.get("other", Decimal(0)))
    factor = sizing.direction.get(item.direction, Decimal(1)) * \
        sizing.protocol.get(item.protocol, Decimal(1))
    return base * factor + sizing.per_object * len(item.objects)


def migration_hours(source: MigrationSource, sizing: MigrationSizing | None) -> Decimal:
    """Hours of one migration source: its own ``effort_hours`` if given, else the
    template's ``(base + per_object × objects + the hours of its volume tier) × format``.

    Volume tiers, not a straight line: a million records take another pass of trial
    loads, matching and checks, not a thousand times the work of a thousand.
    """
    if source.effort_hours:
        return _dec(source.effort_hours)
    if sizing is None:
        return Decimal(0)
    tier = next((t.hours for t in sizing.records if t.up_to is None or
                 source.records <= t.up_to), sizing.records[-1].hours)
    hours = sizing.base + sizing.per_object * len(source.objects) + tier
    return hours * sizing.format.get(source.format, Decimal(1))


def _departments(project: Project) -> list[Item]:
    return [Item(d.id, d.name, n, d.kind, d.id, {"item_user": Decimal(d.users),
                                                 "item_user_sqrt": Decimal(d.users).sqrt()})
            for n, d in enumerate(project.client.departments, start=1)]


def _integrations(project: Project, sizing: IntegrationSizing | None = None) -> list[Item]:
    return [Item(i.id, i.system, n, i.kind, None, {
        "item_object": Decimal(len(i.objects)),
        "item_estimate": _dec(i.effort_hours) if i.effort_hours else Decimal(0),
        "item_size": integration_hours(i, sizing),
    }) for n, i in enumerate(project.integrations, start=1)]


def _migration(project: Project, sizing: MigrationSizing | None = None) -> list[Item]:
    return [Item(m.id, m.name, n, m.format, None, {
        "item_record_k": Decimal(m.records) / 1000,
        "item_object": Decimal(len(m.objects)),
        "item_estimate": _dec(m.effort_hours) if m.effort_hours else Decimal(0),
        "item_size": migration_hours(m, sizing),
    }) for n, m in enumerate(project.migration, start=1)]


def _pilot_waves(project: Project) -> list[Item]:
    """Every wave of a phased pilot but the last (it joins ``rollout.pilot`` itself)."""
    from crmimpl.plan.pilot import pilot_waves

    return [Item(str(w.n), w.name, w.n, None, None, {
        "item_days": Decimal(w.days), "item_user": Decimal(w.users + w.carried)})
        for w in pilot_waves(project)[:-1]]


def _wave_loads(project: Project) -> list[Item]:
    """The load of the changes made in the source systems before each wave after the
    first of a phased pilot (none without a migration): the departments of later waves
    keep working in their old systems after the final load, and nobody re-keys them."""
    from crmimpl.plan.pilot import pilot_waves

    if not project.migration:
        return []
    return [Item(str(w.n), w.name, w.n, None, None, {}) for w in pilot_waves(project)[1:]]


def _on_site_support(project: Project) -> list[Item]:
    """The consultants' on-site duties (``rollout.on_site_support``), each starting with
    the pilot task of the wave that brings its users (``ref``)."""
    from crmimpl.plan.pilot import duty_name, on_site_duties

    return [Item(str(d.n), duty_name(project, d, project.project.language), d.n, None,
                 d.departments[0], {"item_days": Decimal(d.days),
                                    "item_estimate": _dec(d.hours)},
                 names={lang: duty_name(project, d, lang) for lang in LANGUAGES},
                 wave=d.wave, follows=d.starts_with)
            for d in on_site_duties(project)]


def _changes(project: Project) -> list[Item]:
    return [Item(c.id, c.title, n, c.module, None, {"item_estimate": _dec(c.estimate_hours)})
            for n, c in enumerate(project.planned_changes, start=1)]


def _training_groups(project: Project) -> list[Item]:
    """Groups of :func:`crmimpl.plan.training.build_groups` (the training plan's own groups).

    Keys are ``<department>.<k>`` (``key_users.<k>`` for the key users, ``mixed.<k>``
    for groups of several departments), stable while the department's group count stays
    the same.
    """
    from crmimpl.plan.pilot import wave_of
    from crmimpl.plan.training import build_groups

    waves = wave_of(project)
    items: list[Item] = []
    seen: dict[str, int] = {}
    other = {lang: build_groups(project, lang) for lang in LANGUAGES}
    for n, group in enumerate(build_groups(project, project.project.language), start=1):
        dept = group.department_id or (group.kind if not group.departments else "mixed")
        seen[dept] = seen.get(dept, 0) + 1
        # a mixed group counts as its first department's (never the MVP's in iterative
        # mode: the MVP department is not mixed with others)
        items.append(Item(f"{dept}.{seen[dept]}", group.name, n, group.kind,
                          next(iter(group.departments), group.department_id), {
                              "item_user": Decimal(group.size),
                              "item_estimate": _dec(group.hours),
                          }, names={lang: groups[n - 1].name for lang, groups in other.items()},
                          ref=group.id, iteration=group.iteration,
                          # a part at another site may start after its head office
                          wave=group.wave or min((waves[d] for d in group.departments
                                                  if d in waves), default=None)))
    return items


def _iterations(project: Project) -> list[Item]:
    return [Item(str(n), str(n), n) for n in range(1, project.plan.iterations + 1)]


def _audits(project: Project) -> list[Item]:
    every = project.audit.every_months
    return [Item(str(n), str(n), n, drivers={"item_month_offset": Decimal(every * (n - 1))})
            for n in range(1, project.audit.count + 1)]


_ITEM_MAKERS = {
    "departments": _departments,
    "integrations": _integrations,
    "migration": _migration,
    "changes": _changes,
    "training_groups": _training_groups,
    "iterations": _iterations,
    "audits": _audits,
    "pilot_waves": _pilot_waves,
    "on_site_support": _on_site_support,
    "wave_loads": _wave_loads,
}


def quantity(q: Quantity, drivers: dict[str, Decimal]) -> Decimal:
    """``base + Σ per[d] × drivers[d]`` (drivers an item does not have count as 0)."""
    total = q.base
    for name, factor in q.per.items():
        total += factor * drivers.get(name, Decimal(0))
    return total


def round_hours(hours: Decimal) -> Decimal:
    """Round effort up to the next half hour."""
    steps = (hours / HALF_HOUR).to_integral_value(rounding=ROUND_CEILING)
    return (steps * HALF_HOUR).quantize(Decimal("0.1"))


# --------------------------------------------------------------------------- expansion
@dataclass
class _Instance:
    task: WbsTask
    foreach: str | None
    deps: list[DepTemplate]
    sequential: bool
    phase_id: str = ""  # the phase instance (one per iteration in a repeated phase)
    repeated: bool = False  # in a phase repeated per item (iterations, audits)
    phase_template: str = ""  # the phase of the template it comes from


def build_wbs(project: Project, template: PlanTemplate) -> Wbs:
    """Expand ``template`` for ``project`` into phases and tasks with links."""
    base = project_drivers(project)
    language = project.project.language
    phases: list[WbsPhase] = []
    by_template: dict[str, list[_Instance]] = {}
    order: list[_Instance] = []
    backlog = project_backlog(project, template.sizing)
    for phase in template.phases:
        for phase_item in _phase_items(project, phase, template.sizing, backlog):
            phase_id = phase.id if phase_item is None else f"{phase.id}.{phase_item.key}"
            names = {lang: fill_placeholders(phase.name.get(lang),
                                             _placeholders(project, phase_item, lang))
                     for lang in LANGUAGES}
            phases.append(WbsPhase(phase_id, names[language], phase.post_launch, names))
            for tmpl in phase.tasks:
                items = _task_items(project, phase, tmpl, phase_item, template.sizing, backlog)
                for item in items:
                    inst = _instance(project, tmpl, phase, phase_id, item, base, language,
                                     phase_item)
                    by_template.setdefault(tmpl.id, []).append(inst)
                    order.append(inst)
                by_template.setdefault(tmpl.id, [])
    _link_all(order, by_template, template)
    fallbacks = {str(k): [str(r) for r in v] for k, v in template.role_fallbacks.items()}
    return Wbs(phases, [i.task for i in order], fallbacks, backlog)


def _phase_items(project: Project, phase: PhaseTemplate, sizing: Sizing,
                 backlog: Backlog) -> list[Item | None]:
    if phase.foreach is None:
        return [None]
    return list(items_for(project, phase.foreach, sizing, backlog))


def _task_items(project: Project, phase: PhaseTemplate, tmpl: TaskTemplate,
                phase_item: Item | None, sizing: Sizing, backlog: Backlog
                ) -> list[Item | None]:
    if tmpl.foreach is None or (phase.foreach is not None and tmpl.foreach == phase.foreach):
        return [phase_item] if phase.foreach is not None else [None]
    items = items_for(project, tmpl.foreach, sizing, backlog)
    where = tmpl.where
    if where is not None and where.in_iteration:
        # a task of an iteration expands over that iteration's part of the list; outside
        # the repeated phase, over the MVP's
        current = phase_item.n if phase_item is not None else MVP
        items = [i for i in items if i.iteration == current]
    if where is not None and where.kinds:
        items = [i for i in items if i.kind in where.kinds]
    if where is not None and where.mvp_only:
        mvp = project.plan.mvp_department
        # a training group goes with the stage it is trained for (a delta group of the
        # MVP's department with its later iteration, a later department's briefing on
        # the MVP's work with the MVP)
        items = [i for i in items
                 if (i.iteration == MVP if tmpl.foreach == "training_groups"
                     and i.iteration is not None else
                     i.department in (mvp, None) and
                     (tmpl.foreach != "departments" or i.key == mvp))]
    return list(items)


def _placeholders(project: Project, item: Item | None, lang: str) -> dict[str, str]:
    values = {"project": project.project.title}
    mvp = project.plan.mvp_department
    if mvp is not None:
        values["mvp"] = project.department(mvp).name
    if item is not None:
        values |= {"name": item.name_in(lang), "key": item.key, "n": str(item.n)}
    return values


def _instance(project: Project, tmpl: TaskTemplate, phase: PhaseTemplate, phase_id: str,
              item: Item | None, base: dict[str, Decimal], language: str,
              phase_item: Item | None = None) -> _Instance:
    drivers = base | (item.drivers if item else {})
    effort = quantity(tmpl.effort, drivers)
    estimate = drivers.get("item_estimate", Decimal(0))
    if tmpl.use_item_estimate and item is not None and estimate > 0:
        effort = estimate
    duration = None
    if tmpl.duration is not None:
        duration = math.ceil(quantity(tmpl.duration, drivers))
    task_id = tmpl.id if item is None else f"{tmpl.id}.{item.key}"
    anchor = None
    if tmpl.after is not None:
        anchor = Anchor(tmpl.after.task, int(quantity(tmpl.after.days, drivers)),
                        int(quantity(tmpl.after.months, drivers)))
    nested = phase_item is not None and item is not phase_item
    names = {lang: fill_placeholders(tmpl.name.get(lang), _placeholders(project, item, lang) |
                                     ({"n": str(phase_item.n)} if nested and phase_item
                                      else {}))
             for lang in LANGUAGES}
    task = WbsTask(
        id=task_id,
        name=names[language],
        names=names,
        phase=phase_id,
        template=tmpl.id,
        item=item,
        work=[WorkLine(r.role, r.share or Decimal(0), r.side, r.prefer)
              for r in tmpl.role_lines()],
        effort_hours=Decimal(0) if tmpl.milestone else round_hours(effort),
        duration_days=0 if tmpl.milestone else duration,
        milestone=tmpl.milestone,
        anchor=anchor,
        meeting=tmpl.meeting,
    )
    return _Instance(task, tmpl.foreach or phase.foreach, tmpl.deps(), tmpl.sequential,
                     phase_id, phase.foreach is not None, phase.id)


def _link_all(order: list[_Instance], by_template: dict[str, list[_Instance]],
              template: PlanTemplate) -> None:
    deps_of = {t.id: t.deps() for _, t in template.tasks()}
    for inst in order:
        links: list[Link] = []
        for dep in inst.deps:
            links += _resolve(inst, dep, by_template, deps_of, set())
        if inst.sequential:
            prev = _previous(inst, inst.task.template, by_template)
            if prev is not None:
                links.append(Link(prev.task.id))
        if inst.task.anchor is not None:
            targets = _resolve(inst, DepTemplate(task=inst.task.anchor.task), by_template,
                               deps_of, set())
            if targets:
                a = inst.task.anchor
                inst.task.anchor = Anchor(targets[-1].pred, a.days, a.months)
            else:
                inst.task.anchor = None
        inst.task.links = _unique(links)


def _resolve(inst: _Instance, dep: DepTemplate, by_template: dict[str, list[_Instance]],
             deps_of: dict[str, list[DepTemplate]], seen: set[str]) -> list[Link]:
    targets = by_template.get(dep.task, [])
    if dep.previous:
        prev = _previous(inst, dep.task, by_template)
        return [] if prev is None else [Link(prev.task.id, dep.type, dep.lag)]
    if inst.repeated and targets and all(t.phase_template == inst.phase_template
                                         for t in targets):
        # inside a repeated phase a link stays in its own repetition (iteration n's test
        # waits for iteration n's builds); none there: wait for what that task waited for
        targets = [t for t in targets if t.phase_id == inst.phase_id]
    if not targets:
        # nothing to wait for: wait for what that task would have waited for
        if dep.task in seen:
            return []
        seen = seen | {dep.task}
        out: list[Link] = []
        for inner in deps_of.get(dep.task, []):
            if not inner.previous:
                out += _resolve(inst, inner, by_template, deps_of, seen)
        return out
    if inst.foreach == "on_site_support" and inst.task.item is not None:
        # a duty starts with its own wave's pilot task (ref), never with another's
        return [Link(t.task.id, dep.type, dep.lag) for t in targets
                if t.task.id == inst.task.item.follows]
    if inst.foreach in ("pilot_waves", "wave_loads") and inst.task.item is not None:
        # a wave of a phased pilot waits for its own people's training, not later waves'
        n = inst.task.item.n
        targets = [t for t in targets if t.task.item is None or t.task.item.wave is None
                   or t.task.item.wave <= n]
        # and for the load of the changes made before its own start, not before a later one
        targets = [t for t in targets if t.foreach != "wave_loads"
                   or (t.task.item is not None and t.task.item.n == n)]
    elif inst.foreach == "migration":
        # the final load of a source waits for the training of the first people to start
        # work in the system (a phased pilot's first wave), not for the later waves'
        waves = [t.task.item.wave for t in targets
                 if t.task.item is not None and t.task.item.wave is not None]
        if waves:
            targets = [t for t in targets if t.task.item is None or t.task.item.wave is None
                       or t.task.item.wave == min(waves)]
    same = [t for t in targets if inst.task.item is not None and t.foreach == inst.foreach
            and t.task.item is not None and t.task.item.key == inst.task.item.key]
    chosen = same or targets
    return [Link(t.task.id, dep.type, dep.lag) for t in chosen]


def _previous(inst: _Instance, template_id: str,
              by_template: dict[str, list[_Instance]]) -> _Instance | None:
    if inst.task.item is None:
        return None
    candidates = [t for t in by_template.get(template_id, [])
                  if t.task.item is not None and t.task.item.n < inst.task.item.n]
    return max(candidates, key=lambda t: t.task.item.n if t.task.item else 0, default=None)


def _unique(links: list[Link]) -> list[Link]:
    seen: set[Link] = set()
    out = []
    for link in links:
        if link not in seen:
            seen.add(link)
            out.append(link)
    return out
