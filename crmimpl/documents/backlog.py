"""Context of the MVP backlog and iteration plan («Перечень требований MVP и план итераций»).

An iterative project (METHODOLOGY.md: a minimal working CRM for one department first, then
short iterations, each ending in working functionality) plans its work as a backlog. The
requirements register is the backlog; each item goes to the MVP or to an iteration by a
fixed rule, so every run gives the same plan:

- the MVP takes the must and should requirements of ``plan.mvp_department`` (a requirement
  belongs to the department it came from: its ``source`` is the department or a person of
  it);
- the other requirements of this version form one bundle per department, in the order of
  ``client.departments`` (the MVP department's could-haves last, then requirements of no
  department), each bundle ordered by priority; bundles fill the iterations in turn, an
  iteration taking bundles until it holds its share (the items over the iterations);
- an integration is delivered with the first stage whose departments it serves.

Dates are the plan's: each stage's phase, its demo and its completion milestone.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import common as c
from crmimpl.documents import modes
from crmimpl.model.project import Project, Requirement
from crmimpl.vocabulary import label

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

NAME = "backlog"
MVP = "mvp"
_PRIORITY = {"must": 0, "should": 1, "could": 2, "wont": 3}
_LETTER = {"must": "M", "should": "S", "could": "C", "wont": "W"}  # MoSCoW


def build_context(project: Project, lang: str, *, plan: object | None = None,
                  answers: object | None = None) -> dict[str, Any]:
    """Plain data for ``backlog.md.j2``.

    Args:
        project: The validated project.
        lang: Document language, ``ru`` or ``en``.
        plan: The run's plan; built here when omitted.
        answers: Unused (accepted for a uniform interface).
    """
    the_plan = c.resolve_plan(project, plan)
    assert the_plan is not None, "the iterative mode always has a plan template"
    stages = allocate(project)
    costs, cur = the_plan.costs, the_plan.costs.currency
    mvp_dept = project.plan.mvp_department
    items = {r.id: stage for stage, reqs in stages.items() for r in reqs}
    names = _stage_names(project, the_plan, lang)
    return {
        "lang": lang,
        "meta": c.register_meta(project, the_plan, NAME, lang,
                                i18n.word("titles", NAME, lang), project.project.title),
        "client": c.client_row(project, lang),
        "contractor": project.project.contractor or "",
        "system": modes.system_context(project, lang),
        "mvp_department": c.department_name(project, mvp_dept) if mvp_dept else "",
        "iterations": i18n.number(project.plan.iterations, lang),
        "iterations_text": modes.counted(project.plan.iterations, lang,
                                         ("короткая итерация", "короткие итерации",
                                          "коротких итераций"),
                                         ("short iteration", "short iterations")),
        "backlog": [_item(project, r, names[items[r.id]], lang)
                    for stage in stages.values() for r in stage],
        "priority_legend": i18n.join([label("priority", p, lang) for p in _PRIORITY
                                      if any(r.priority == p for r in project.requirements
                                             if p != "wont")], lang),
        "later": [{"id": r.id, "statement": r.statement,
                   "module": label("module", r.module, lang), "solution": r.solution or ""}
                  for r in project.requirements if r.priority == "wont"],
        "stages": _stages(project, the_plan, stages, names, lang),
        "totals": {
            "hours": i18n.hours(costs.hours, lang),
            "net": i18n.money(costs.net, lang, cur),
            "total": i18n.money(costs.total, lang, cur),
            "start": i18n.day(the_plan.start, lang),
            "launch": i18n.day(the_plan.launch, lang),
            "launch_long": i18n.day_long(the_plan.launch, lang),
            "finish": i18n.day(the_plan.finish, lang),
        },
        "phases": c.plan_phases(the_plan, lang),
    }


# ------------------------------------------------------------------ allocation


def source_department(project: Project, r: Requirement) -> str | None:
    """The department a requirement came from: its source, or its source person's."""
    if any(d.id == r.source for d in project.client.departments):
        return r.source
    person = next((p for p in project.team if p.id == r.source), None)
    return person.department if person is not None else None


def allocate(project: Project) -> dict[str, list[Requirement]]:
    """Requirements of this version by stage: ``mvp``, then ``1``..``n`` (see the module
    docstring for the rule)."""
    n = project.plan.iterations
    mvp_dept = project.plan.mvp_department
    stages: dict[str, list[Requirement]] = {MVP: []}
    stages.update({str(k): [] for k in range(1, n + 1)})
    rest: list[Requirement] = []
    for r in project.requirements:
        if r.priority == "wont":
            continue
        if mvp_dept and source_department(project, r) == mvp_dept and r.priority != "could":
            stages[MVP].append(r)
        else:
            rest.append(r)
    order: list[str | None] = [d.id for d in project.client.departments if d.id != mvp_dept]
    order += [mvp_dept, None] if mvp_dept else [None]
    bundles = [sorted((r for r in rest if source_department(project, r) == dept),
                      key=lambda r: _PRIORITY[r.priority]) for dept in order]
    share = math.ceil(len(rest) / n) if rest else 0
    current = 1
    for bundle in filter(None, bundles):
        if len(stages[str(current)]) >= share and current < n:
            current += 1
        stages[str(current)] += bundle
    return stages


def _stage_names(project: Project, plan: Plan, lang: str) -> dict[str, str]:
    """Short stage names: "MVP", then the iteration phases' names ("Iteration 1")."""
    names = {MVP: "MVP"}
    for k in range(1, project.plan.iterations + 1):
        phase = next((p for p in plan.phases if p.id == f"iteration.{k}"), None)
        names[str(k)] = phase.name_in(lang) if phase is not None else str(k)
    return names


def _item(project: Project, r: Requirement, stage: str, lang: str) -> dict[str, str]:
    change = next((ch for ch in project.changes
                   if ch.id == r.change or (r.change is None and ch.requirement == r.id)),
                  None)
    return {
        "id": r.id,
        "statement": r.statement,
        "module": label("module", r.module, lang),
        "priority": _LETTER[r.priority],
        "fit": label("fit", r.fit, lang),
        "source": c.department_name(project, source_department(project, r) or r.source),
        "change": f"{change.id}, {i18n.hours(change.estimate_hours, lang)} "
                  f"{'ч' if lang == 'ru' else 'h'}" if change else "",
        "stage": stage,
    }


# ------------------------------------------------------------------ stages


def _stages(project: Project, plan: Plan, stages: dict[str, list[Requirement]],
            names: dict[str, str], lang: str) -> list[dict[str, Any]]:
    """Each stage with its dates, what it delivers and how it is accepted."""
    out = []
    delivered: set[str] = set()
    for key, reqs in stages.items():
        phase_id = MVP if key == MVP else f"iteration.{key}"
        phase = next((p for p in plan.phases if p.id == phase_id), None)
        if phase is None:
            continue
        depts = _departments(project, key, reqs)
        integrations = [i for i in project.integrations if i.id not in delivered
                        and (set(i.departments) & depts or not i.departments)]
        delivered |= {i.id for i in integrations}
        done = MVP + ".launch" if key == MVP else f"iteration.done.{key}"
        demo = modes.task_span(plan, "mvp.testing" if key == MVP else f"iteration.demo.{key}",
                               lang)
        out.append({
            "key": key,
            "name": names[key],
            "is_mvp": key == MVP,
            "start": i18n.day(phase.start, lang),
            "finish": i18n.day(phase.finish, lang),
            "hours": i18n.hours(phase.effort_hours, lang),
            "cost": i18n.money(phase.cost, lang, plan.costs.currency),
            "demo": demo[1],
            "done": modes.task_span(plan, done, lang)[1] or i18n.day(phase.finish, lang),
            "req_ids": [r.id for r in reqs],  # not "items": a dict's method in Jinja
            "items_text": ", ".join(r.id for r in reqs),
            "modules": i18n.join(dict.fromkeys(label("module", r.module, lang)
                                               for r in reqs), lang),
            "modules_lower": i18n.join(dict.fromkeys(
                modes.lower_first(label("module", r.module, lang)) for r in reqs), lang),
            "departments": i18n.join([d.name for d in project.client.departments
                                      if d.id in depts], lang, last=True),
            "integrations": i18n.join([i.system for i in integrations], lang, last=True),
            "changes": i18n.join([ch.title for ch in project.changes
                                  if any(ch.id == r.change or ch.requirement == r.id
                                         for r in reqs)], lang),
        })
    return out


def _departments(project: Project, key: str, reqs: list[Requirement]) -> set[str]:
    """Departments a stage serves: the MVP's department, or those its items came from."""
    if key == MVP and project.plan.mvp_department:
        return {project.plan.mvp_department}
    return {d for d in (source_department(project, r) for r in reqs) if d}
