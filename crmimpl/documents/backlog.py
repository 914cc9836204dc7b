"""Context of the MVP backlog and iteration plan («Перечень требований MVP и план итераций»).

An iterative project (METHODOLOGY.md: a minimal working CRM for one department first, then
short iterations, each ending in working functionality) plans its work as a backlog. The
plan decides which iteration takes each department, integration and change
(:mod:`crmimpl.plan.backlog`, ``plan.backlog``); this document reads that assignment and
places every requirement of this version with it:

- a requirement met by a custom change goes where the plan puts the change;
- any other requirement goes with the department it came from (its ``source`` is the
  department or a person of it), the MVP department's to the MVP;
- a requirement of no department goes to the first stage whose departments use its
  subsystem (by the user classes' rights), else to the first iteration.

Dates are the plan's: each stage's phase, its demo and its completion milestone.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import common as c
from crmimpl.documents import modes
from crmimpl.documents.scenarios import short_name as _short_name
from crmimpl.industry import module_label
from crmimpl.model.project import Change, Project, Requirement
from crmimpl.plan.backlog import (
    MODULE_INTEGRATION,
    requirement_iteration,
    source_department,
)
from crmimpl.vocabulary import label

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

NAME = "backlog"
MVP = "mvp"
_PRIORITY = {"must": 0, "should": 1, "could": 2, "wont": 3}  # order within a stage
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
    stages = allocate(project, the_plan)
    costs, cur = the_plan.costs, the_plan.costs.currency
    mvp_dept = project.plan.mvp_department
    items = {r.id: stage for stage, reqs in stages.items() for r in reqs}
    names = _stage_names(project, the_plan, lang)
    objects = integration_objects(project, the_plan, stages)
    from crmimpl.documents.register import approval_date, document_entry

    return {
        "tax": c.tax_terms(project),
        **c.document_head(project, the_plan, NAME, NAME, lang),
        # approved with the charter when the plan dates it so; after the survey report
        # when that comes later (the backlog places the requirements the report registers)
        "after_charter": document_entry(project, the_plan, NAME).date
        > approval_date(the_plan, NAME),
        "system": modes.system_context(project, lang),
        "mvp_department": c.department_name(project, mvp_dept) if mvp_dept else "",
        "iterations": i18n.number(project.plan.iterations, lang),
        "iterations_text": modes.counted(project.plan.iterations, lang,
                                         ("короткая итерация", "короткие итерации",
                                          "коротких итераций"),
                                         ("short iteration", "short iterations")),
        "backlog": [row for key, reqs in stages.items()
                    for row in _sized(project, the_plan, key, reqs, [
                        *(_item(project, r, names[items[r.id]], lang) for r in reqs),
                        *_integration_items(project, the_plan, key, names[key], lang,
                                            objects),
                        *_migration_items(project, the_plan, key, names[key], lang)], lang)],
        "scope_flexes": "scope" not in project.budget.fixed,
        "priority_legend": i18n.join([label("priority", p, lang) for p in _PRIORITY
                                      if any(r.priority == p for r in project.requirements
                                             if p != "wont")], lang),
        "later": [{"id": r.id, "statement": r.statement,
                   "module": module_label(project, r.module, lang), "solution": r.solution or ""}
                  for r in project.requirements if r.priority == "wont"],
        "stages": _stages(project, the_plan, stages, names, lang),
        "price_rows": _price_rows(project, the_plan, names, lang),
        "totals": {
            "hours": c.plan_hours(costs.contractor_hours, lang),
            # whole units, as the stages' prices and the survey report's estimate state them
            "net": i18n.whole_money(costs.net, lang, cur),
            "total": i18n.whole_money(costs.total, lang, cur),
            "start": i18n.day(the_plan.start, lang),
            "launch": i18n.day(the_plan.launch, lang),
            "launch_long": i18n.day_long(the_plan.launch, lang),
            "finish": i18n.day(the_plan.finish, lang),
            # a share of the price, stated in whole units like the price
            "contingency": i18n.whole_money(costs.contingency, lang, cur)
            if costs.contingency else "",
            "contingency_percent": i18n.percent(costs.contingency_percent, lang),
            **_budget(project, the_plan, lang),
        },
        "phases": c.plan_phases(the_plan, lang),
    }


def _price_rows(project: Project, plan: Plan, names: dict[str, str], lang: str
                ) -> list[dict[str, str]]:
    """The price table: every phase with contractor hours or a cost (preparation, the
    stages, project management, the audits), the contingency and the total, in whole
    units that add up to the total as printed (the survey report's own rounding: a client
    adds the rows up, round 14 found three stages that made no total)."""
    costs, cur = plan.costs, plan.costs.currency
    effort = c.contractor_phase_hours(plan)
    stage_of_phase = {MVP if key == MVP else f"iteration.{key}": name
                      for key, name in names.items()}
    rows = []
    shares = c.whole_shares([ph.cost for ph in plan.phases], costs.work)
    for ph, share in zip(plan.phases, shares, strict=True):
        if effort[ph.id] == 0 and ph.cost == 0:
            continue  # a milestone phase (acceptance): its date is in the text
        rows.append({"name": stage_of_phase.get(ph.id, ph.name_in(lang)),
                     "start": i18n.day(ph.start, lang), "finish": i18n.day(ph.finish, lang),
                     "hours": i18n.hours(effort[ph.id], lang),
                     "cost": i18n.whole_money(share, lang, cur), "total": ""})
    net = costs.net.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if costs.contingency:
        work = costs.work.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        rows.append({"name": ("Резерв на непредвиденные работы ({})" if lang == "ru"
                              else "Contingency ({})").format(
                                  i18n.percent(costs.contingency_percent, lang)),
                     "start": "", "finish": "", "hours": "",
                     "cost": i18n.whole_money(net - work, lang, cur), "total": ""})
    rows.append({"name": "Итого" if lang == "ru" else "Total",
                 "start": i18n.day(plan.start, lang), "finish": i18n.day(plan.finish, lang),
                 "hours": c.plan_hours(costs.contractor_hours, lang),
                 "cost": i18n.whole_money(net, lang, cur), "total": "1"})
    return rows


def _budget(project: Project, plan: Plan, lang: str) -> dict[str, str]:
    """The client's budget limit and what the price leaves of it (or how far it goes
    over): a fixed budget the document never sets the price against is the first thing
    a sponsor asks about."""
    limit = project.budget.limit
    if not limit or project.budget.package_price is not None:
        return {"limit": "", "headroom": "", "over": "", "limit_net": ""}
    cur = plan.costs.currency
    compared = plan.costs.compared.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    left = limit - compared
    vat = project.project.vat_rate != 0 and not plan.costs.prices_include_vat
    return {"limit": i18n.whole_money(limit, lang, cur),
            "limit_net": ("без НДС" if lang == "ru" else "excluding VAT") if vat else "",
            "headroom": i18n.whole_money(left, lang, cur) if left > 0 else "",
            "over": i18n.whole_money(-left, lang, cur) if left < 0 else ""}


# ------------------------------------------------------------------ allocation


def allocate(project: Project, plan: Plan) -> dict[str, list[Requirement]]:
    """Requirements of this version by stage: ``mvp``, then ``1``..``n``, as the plan's
    backlog places their changes and departments (see the module docstring)."""
    stages: dict[str, list[Requirement]] = {MVP: []}
    stages.update({str(k): [] for k in range(1, project.plan.iterations + 1)})
    for r in project.requirements:
        if r.priority != "wont":
            stages[_stage_key(stage_of(project, plan, r))].append(r)
    return stages


def stage_of(project: Project, plan: Plan, r: Requirement) -> int:
    """The iteration (0: the MVP) that delivers requirement ``r``, as the plan's backlog
    places it (:func:`crmimpl.plan.backlog.requirement_iteration`)."""
    return requirement_iteration(project, plan.backlog, r)


# Weights of the items that share a stage's configuration hours: a requirement met by
# settings takes more of them than a standard function or an integration's continuation.
_CONFIG_WEIGHT = {"setting": 2, "standard": 1}


def _sized(project: Project, plan: Plan, key: str, reqs: list[Requirement],
           rows: list[dict[str, str]], lang: str) -> list[dict[str, str]]:
    """Every backlog row of stage ``key`` with a size in hours, so that the swap rule
    ("in place of an item of the same size") can be applied: custom changes and
    integrations have their estimates; a data load takes the hours of its migration and
    cut-over tasks (the trial and the final load); the
    configured items share the stage's settings task by weight (whole hours, their sum
    the task's)."""
    prefix = "mvp" if key == MVP else "iteration"
    suffix = "" if key == MVP else f".{key}"
    # a no-break space keeps the number on the unit's line ("9 h", never "9" / "h")
    h = "\u00a0ч" if lang == "ru" else "\u00a0h"
    fits = {r.id: r.fit for r in reqs}
    task = next((t for t in plan.tasks if t.id == f"{prefix}.settings{suffix}"), None)
    shared = [row for row in rows if not any(ch.isdigit() for ch in row["change"])
              and not row["id"].startswith("D")]
    weights = [_CONFIG_WEIGHT.get(fits.get(row["id"], ""), 1) for row in shared]
    if task is not None and shared and task.effort_hours > 0:
        total, whole = float(task.effort_hours), int(task.effort_hours)
        exact = [total * w / sum(weights) for w in weights]
        shares = [int(x) for x in exact]
        for i in sorted(range(len(exact)), key=lambda i: shares[i] - exact[i])[
                :max(0, whole - sum(shares))]:
            shares[i] += 1
        for row, hours in zip(shared, shares, strict=True):
            what = row["change"] or row["fit"]
            row["change"] = f"{what}, {i18n.number(max(hours, 1), lang)}{h}"
    for number, m in enumerate(project.migration, start=1):
        # the trial load and the final load with its cut-over: the plan's hours, both
        loads = (modes.tasks_with(plan, f"{prefix}.migration.{m.id}")
                 + modes.tasks_with(plan, f"{prefix}.cutover.{m.id}"))
        load_hours = sum((float(t.effort_hours) for t in loads), 0.0)
        for row in (r for r in rows if r["id"] == f"D{number}"):
            if load_hours > 0:
                row["change"] += f", {i18n.hours(load_hours, lang)}{h}"
    return rows


def _migration_items(project: Project, plan: Plan, key: str, stage: str, lang: str
                     ) -> list[dict[str, str]]:
    """Backlog rows of the data migration sources the plan moves in stage ``key``: the
    data of a department's old system move, and the system is retired, with the stage
    that brings the department into the CRM."""
    n = 0 if key == MVP else int(key)
    rows = []
    for number, m in enumerate(project.migration, start=1):
        if plan.backlog.migration.get(m.id, 0) != n:
            continue
        own = lang == project.project.language  # another language's names stay as written
        objects = i18n.join([modes.lower_first(o) if own else o for o in m.objects], lang)
        records = i18n.count_of(m.records, "запись" if lang == "ru" else "record", lang)
        statement = (f"Перенос данных: {m.name} — {objects} ({records}); после "
                     "окончательной загрузки источник используется только для чтения."
                     if lang == "ru" else
                     f"Data migration: {m.name}: {objects} ({records}); after the final "
                     "load the source is kept read-only.")
        rows.append({"id": f"D{number}", "statement": statement,
                     "module": "Перенос данных" if lang == "ru" else "Data migration",
                     "priority": "M", "fit": "", "source": "",
                     "change": "пробная и окончательная загрузка" if lang == "ru"
                     else "trial and final load",
                     "stage": stage.replace(" ", "\u00a0")})
    return rows


# Words of an integration's exchanged object that need a subsystem: a ticket created from
# a call needs the service subsystem, so it is delivered with the stage that brings it.
_OBJECT_MODULES = {"service": ("ticket", "case", "тикет", "обращени")}
_BASE_WORDS = ("account", "contact", "opportunit", "клиент", "контакт", "сделк")


def module_stages(project: Project, plan: Plan, stages: dict[str, list[Requirement]]
                  ) -> dict[str, str]:
    """The stage key that first delivers each subsystem."""
    out: dict[str, str] = {}
    for key in stages:
        for m in _stage_modules(project, plan, stages, key):
            out.setdefault(m, key)
    return out


def integration_objects(project: Project, plan: Plan, stages: dict[str, list[Requirement]]
                        ) -> dict[str, dict[str, list[str]]]:
    """Per integration, its exchanged objects by the stage that delivers them: the stage
    that connects it, or for an object that needs a subsystem delivered later (a ticket
    from a call before the service desk is in the system), that later stage."""
    delivered = module_stages(project, plan, stages)
    order = list(stages)
    out: dict[str, dict[str, list[str]]] = {}
    for i in project.integrations:
        n = plan.backlog.integrations.get(i.id)
        if n is None:
            continue
        own = _stage_key(n)
        by_stage: dict[str, list[str]] = {own: []}
        for o in i.objects:
            lowered = o.lower()
            # an object that also names an earlier record ("calls on the account and
            # ticket") works from the start; only the ticket-only ones wait
            later = [delivered[m] for m, words in _OBJECT_MODULES.items()
                     if m in delivered and any(w in lowered for w in words)
                     and not any(w in lowered for w in _BASE_WORDS)
                     and order.index(delivered[m]) > order.index(own)]
            by_stage.setdefault(later[0] if later else own, []).append(o)
        out[i.id] = by_stage
    return out


def _integration_items(project: Project, plan: Plan, key: str, stage: str, lang: str,
                       objects_by: dict[str, dict[str, list[str]]] | None = None
                       ) -> list[dict[str, str]]:
    """Backlog rows of the integrations the plan connects in stage ``key``, with the
    contractor's hours of their plan task: an integration is work the client pays for and
    accepts like any requirement. An object that needs a later stage's subsystem is a row
    of that stage ("continued"), configured within it."""
    n = 0 if key == MVP else int(key)
    prefix = "mvp.integration" if key == MVP else "iteration.integration"
    rows = []
    # numbered in the order the stages deliver them (I1, I2, I3… down the table)
    order = sorted(range(len(project.integrations)), key=lambda k: (
        plan.backlog.integrations.get(project.integrations[k].id, 10**6), k))
    numbers = {project.integrations[k].id: pos for pos, k in enumerate(order, start=1)}
    for i in project.integrations:
        number = numbers[i.id]
        split = (objects_by or {}).get(i.id, {_stage_key(n): list(i.objects)}
                                       if plan.backlog.integrations.get(i.id) == n else {})
        if key not in split:
            continue
        continued = plan.backlog.integrations.get(i.id) != n
        task = next((t for t in plan.tasks if t.id == f"{prefix}.{i.id}"), None)
        own = lang == project.project.language
        # English object names often start with a product's name ("Outlook add-in"), so
        # they cannot run on in lower case: each is a sentence of its own, not a comma run
        # of capitalised fragments; Russian ones run on in lower case
        objects = i18n.join([modes.lower_first(o) if own else o for o in split[key]], lang) \
            if lang == "ru" else " ".join(f"{o.strip().rstrip('.')}." for o in split[key])
        hours = i18n.hours(task.effort_hours, lang) if task is not None and not continued \
            else ""
        system = system_in_text(i.system, lang)
        if continued:  # the part of an integration that waits for its module's stage
            statement = (f"Интеграция с {system}, продолжение: {objects}." if lang == "ru"
                         else f"Integration with {system}, continued. {objects}")
            change = "в настройке этапа" if lang == "ru" else "within the configuration"
        else:
            statement = (f"Интеграция с {system}: {objects}." if lang == "ru"
                         else f"Integration with {system}. {objects}")
            change = (f"{'интеграция' if lang == 'ru' else 'integration'}, {hours}\u00a0"
                      f"{'ч' if lang == 'ru' else 'h'}") if hours else ""
        rows.append({
            "id": f"I{number}",
            "statement": statement,
            "module": "Интеграции" if lang == "ru" else "Integrations",
            "priority": "M", "fit": "", "source": "",
            "change": change,
            "stage": stage.replace(" ", "\u00a0"),
        })
    return rows


def short_name(name: str, lang: str) -> str:
    """A system's or source's name in running English without its note in parentheses
    ("Company website", not "Company website (WordPress, Gravity Forms)"); Russian text
    keeps the name as the consultant wrote it."""
    return _short_name(name) if lang == "en" else name


def system_in_text(name: str, lang: str) -> str:
    """A connected system's name inside an English sentence: one that ends in a common
    noun takes the article ("the Northwind website"; "RingCentral cloud PBX" and
    "Microsoft 365" do not)."""
    short = short_name(name, lang)
    last = short.rsplit(" ", 1)[-1]
    if lang == "en" and " " in short and last.isalpha() and last.islower():
        return f"the {short}"
    return short


def _stage_key(iteration: int) -> str:
    return MVP if iteration == 0 else str(iteration)


def _change_of(project: Project, r: Requirement) -> Change | None:
    return next((ch for ch in project.changes
                 if ch.id == r.change or (r.change is None and ch.requirement == r.id)), None)


def _stage_names(project: Project, plan: Plan, lang: str) -> dict[str, str]:
    """Short stage names: "MVP", then the iteration phases' names ("Iteration 1")."""
    names = {MVP: "MVP"}
    for k in range(1, project.plan.iterations + 1):
        phase = next((p for p in plan.phases if p.id == f"iteration.{k}"), None)
        names[str(k)] = phase.name_in(lang) if phase is not None else str(k)
    return names


def _item(project: Project, r: Requirement, stage: str, lang: str) -> dict[str, str]:
    change = _change_of(project, r)
    return {
        "id": r.id,
        "statement": r.statement,
        "module": module_label(project, r.module, lang),
        "priority": _LETTER[r.priority],
        "fit": label("fit", r.fit, lang),
        "source": c.department_name(project, source_department(project, r) or r.source),
        "change": f"{change.id}, {i18n.hours(change.estimate_hours, lang)}\u00a0"
                  f"{'ч' if lang == 'ru' else 'h'}" if change else "",
        "stage": stage.replace(" ", "\u00a0"),  # "Iteration 1" on one line
    }


# ------------------------------------------------------------------ stages


def stage_rows(project: Project, plan: Plan, lang: str) -> list[dict[str, Any]]:
    """The stages as this document shows them, for the specification of the same
    project: each with its requirements, dates, demo, acceptor and cut-over."""
    return _stages(project, plan, allocate(project, plan), _stage_names(project, plan, lang),
                   lang)


def _stages(project: Project, plan: Plan, stages: dict[str, list[Requirement]],
            names: dict[str, str], lang: str) -> list[dict[str, Any]]:
    """Each stage with its dates, what the plan's backlog gives it (departments,
    integrations, changes) and the requirements it delivers, and how it is accepted."""
    out = []
    backlog = plan.backlog
    # the contractor's hours, as every other document quotes phases (the client's own
    # staff are not billed), as the plan workbook adds them up
    effort = c.contractor_phase_hours(plan)
    # whole units shared out as the survey's phase table does (largest remainder, adding
    # up to the work), so a stage's price is the same figure in both documents
    whole = dict(zip((p.id for p in plan.phases),
                     c.whole_shares([p.cost for p in plan.phases], plan.costs.work),
                     strict=True))
    for key, reqs in stages.items():
        phase_id = MVP if key == MVP else f"iteration.{key}"
        phase = next((p for p in plan.phases if p.id == phase_id), None)
        if phase is None:
            continue
        n = 0 if key == MVP else int(key)
        done = MVP + ".launch" if key == MVP else f"iteration.done.{key}"
        delivered = _stage_modules(project, plan, stages, key)
        standard = _standard_modules(project, plan, stages, key)
        demo = modes.task_span(plan, "mvp.demo" if key == MVP else f"iteration.demo.{key}",
                               lang)
        out.append({
            "key": key,
            "phase_id": phase_id,
            "done_task": done,
            "paused": False,
            "name": names[key],
            "is_mvp": key == MVP,
            "start": i18n.day(phase.start, lang),
            "finish": i18n.day(phase.finish, lang),
            "hours": i18n.hours(effort.get(phase.id, 0), lang),
            # whole units: a stage's share of the price is not quoted to the penny
            "cost": i18n.whole_money(whole.get(phase.id, phase.cost), lang,
                                   plan.costs.currency),
            "demo": demo[1],
            "done": modes.task_span(plan, done, lang)[1] or i18n.day(phase.finish, lang),
            "req_ids": [r.id for r in reqs],  # not "items": a dict's method in Jinja
            "items_text": ", ".join(r.id for r in reqs),
            "modules": i18n.join([module_label(project, m, lang) for m in delivered], lang),
            "modules_lower": i18n.join([modes.lower_first(module_label(project, m, lang))
                                        for m in delivered], lang),
            # quoted: an area's name may hold its own commas ("Planning, tasks and…")
            "standard": i18n.join([_quoted(module_label(project, m, lang), lang) for m in standard],
                                  lang, last=True),
            "standard_many": len(standard) > 1,
            "departments": _names([d.name for d in project.client.departments
                                   if backlog.departments.get(d.id) == n], lang),
            # filled by the backlog document (backlog_document.py), which reads the
            # specification's test cases; the specifications' stage rows have none
            "delta": "",
            **_tail(plan, phase, done, names, key, lang),
            "acceptor": _acceptor(project, plan, n, lang),
            "client_work": _client_work(project, plan, phase_id, lang),
            "training": _training(plan, phase, lang),
            "acceptor_many": _acceptor(project, plan, n, "en").count(" and ") > 0,
            "cutover": _cutover(project, plan, key, lang),
            "earlier": _loaded_earlier(project, plan, n, names, lang),
            "integrations": i18n.join([system_in_text(i.system, lang)
                                       for i in project.integrations
                                       if backlog.integrations.get(i.id) == n], lang,
                                      last=True),
            "changes": i18n.join([ch.title for ch in project.changes
                                  if backlog.changes.get(ch.id) == n], lang),
            "migration": i18n.join([short_name(m.name, lang) for m in project.migration
                                    if backlog.migration.get(m.id, 0) == n], lang),
            "migration_ids": ", ".join(f"D{k}" for k, m in enumerate(project.migration, 1)
                                       if backlog.migration.get(m.id, 0) == n),
        })
    first = next((s for s in out if s["cutover"]), None)
    for s in out:
        s["first_cutover"] = s is first
    _pauses(project, plan, out, lang)
    return out


def stage_delta(project: Project, n: int, lang: str) -> str:
    """The departments already working in the system whose work stage ``n`` changes, each
    with the stage's requirements whose test cases its user classes take part in ("New
    Business Sales (R13, R21)"); they get a short session on the change and the updated
    guide (round 12: iteration 2's approvals and handover changed the work of people live
    since the MVP, and nobody said they would be shown it): the training plan's
    :func:`crmimpl.plan.training.delta_requirements`, whose sessions hold them."""
    from crmimpl.plan.training import delta_requirements

    if n == 0:
        return ""
    # the training plan's change sessions hold these: one rule for both
    per = delta_requirements(project).get(n, {})
    parts = [f"{d.name} ({', '.join(per[d.id])})" for d in project.client.departments
             if d.id in per]
    return i18n.join(parts, lang, last=True)


def _pauses(project: Project, plan: Plan, stages: list[dict[str, Any]], lang: str) -> None:
    """Each stage that does not start on the working day after the previous one is
    completed gets ``pause``: why the plan waits (the leave of a key user who accepts it
    or runs its kickoff, a bank holiday) and that nothing is billed meanwhile; else
    an empty ``pause``."""
    for before, s in pairwise(stages):
        done = [t.finish for t in modes.tasks_with(plan, before["done_task"])]
        phase = next((p for p in plan.phases if p.id == s["phase_id"]), None)
        if not done or phase is None:
            continue
        free_from = plan.calendar.add_working_days(max(done), 1)
        if plan.calendar.working_days_between(free_from, phase.start) <= 2:
            continue
        gap_end = phase.start
        last = plan.calendar.previous_working_day(gap_end - timedelta(days=1))
        # work in the pause; the project's running management (started before the
        # previous stage) is not work of the pause
        busy = [t for t in plan.tasks if not t.milestone and t.start <= last
                and t.finish >= free_from and t.start >= free_from]
        away = [(p.name, v) for p in project.team if p.side == "client"
                and p.name in s["acceptor"] for v in p.vacations
                if v.start <= last and v.end >= free_from]
        holidays = [d for d in _days_between(free_from, gap_end)
                    if d.weekday() < 5 and not plan.calendar.is_working(d)]
        s.update(paused=True, pause_from=i18n.day(free_from, lang),
                 pause_to=i18n.day(last, lang), pause_billed=bool(busy),
                 pause_away=i18n.join([name for name, _ in away], lang, last=True),
                 pause_away_many=len(away) > 1,
                 pause_holidays=i18n.join([i18n.day(d, lang) for d in holidays], lang,
                                          last=True))


def _days_between(a: date, b: date) -> list[date]:
    """The days from ``a`` up to the day before ``b``."""
    return [a + timedelta(days=k) for k in range((b - a).days)]


def _client_work(project: Project, plan: Plan, phase_id: str, lang: str) -> str:
    """The client's own tasks the consultant added to a stage (``plan.add``: Finance
    reconciling the contracts before they are loaded), each with who does it and its
    finish: part of the stage's scope the client answers for."""
    client = {p.id: p.name for p in project.team if p.side == "client"}
    added = {a.id for a in project.plan.add if a.phase == phase_id and not a.milestone}
    rows = []
    for t in plan.tasks:
        people = [a.person_id for a in t.assignments]
        if t.id in added and people and all(pid in client for pid in people):
            who = i18n.join([client[pid] for pid in dict.fromkeys(people)], lang, last=True)
            rows.append(f"{t.name_in(lang)} ({who}, {'до' if lang == 'ru' else 'by'} "
                        f"{i18n.day(t.finish, lang)})")
    return "; ".join(rows)


def _names(names: list[str], lang: str) -> str:
    """Department names in running text: "A and B", or "A, B" when a name has its own
    "and" ("Service Desk and Engineering, Software Delivery")."""
    joiner = " и " if lang == "ru" else " and "
    if any(joiner in n for n in names):
        return ", ".join(names)
    return i18n.join(names, lang, last=True)


def _tail(plan: Plan, phase: Any, done: str, names: dict[str, str], key: str, lang: str
          ) -> dict[str, str]:
    """Work of a stage's phase that runs on after the stage is completed (a client's
    reconciliation that prepares the next stage's data): its name and end, and the stage
    it runs alongside; empty when nothing does."""
    ends = [t.finish for t in modes.tasks_with(plan, done)]
    if not ends:
        return {"tail": "", "tail_end": "", "tail_next": ""}
    completed = max(ends)
    late = [t for t in phase.tasks if t.finish > completed and not t.milestone]
    if not late:
        return {"tail": "", "tail_end": "", "tail_next": ""}
    order = list(names)
    later = order[order.index(key) + 1] if order.index(key) + 1 < len(order) else ""
    return {"tail": i18n.join([f"\u201c{t.name_in(lang)}\u201d" if lang == "en"
                               else f"«{t.name_in(lang)}»" for t in late], lang, last=True),
            "tail_end": i18n.day(max(t.finish for t in late), lang),
            "tail_next": names.get(later, "")}


# The records every stage's users start from: a team that enters the system works on its
# clients and their contacts from the first day, whatever its requirements.
BASE_MODULES = ("client_base", "contacts")


def _stage_modules(project: Project, plan: Plan, stages: dict[str, list[Requirement]],
                   key: str) -> list[str]:
    """What stage ``key`` delivers, by subsystem. The MVP is minimal: the subsystems of
    its own requirements, those of the integrations it connects (telephony, e-mail) and
    the client base and contacts its team starts from. Every other subsystem waits: one
    that a requirement needs comes with the first stage that has such a requirement; one
    that no requirement needs, in its standard form, with the first iteration after the
    MVP by which its users are in the system. So an MVP is never "every subsystem its
    team may open", and the rest is shared out over the iterations."""
    order = list(stages)
    n = 0 if key == MVP else int(key)
    delivered: set[str] = set()
    for k in order[:order.index(key)]:
        delivered |= set(_stage_modules_own(project, plan, stages, k))
    return [m for m in project.scope.modules
            if m in _stage_modules_own(project, plan, stages, key) and
            (m not in delivered or any(r.module == m for r in stages[key]))
            and _ready(project, plan, m, n)]


def _stage_modules_own(project: Project, plan: Plan, stages: dict[str, list[Requirement]],
                       key: str) -> set[str]:
    """The subsystems stage ``key`` would deliver before the earlier stages are taken
    out (see :func:`_stage_modules`)."""
    backlog = plan.backlog
    n = 0 if key == MVP else int(key)
    own = {r.module for r in stages[key]}
    kinds = {i.kind for i in project.integrations if backlog.integrations.get(i.id) == n}
    linked = {m for m, kind in MODULE_INTEGRATION.items() if kind in kinds}
    users = _used_by(project, plan, n)
    base = set(BASE_MODULES) & users
    if n == 0:
        return own | (linked & users) | base
    needed = {r.module for reqs in stages.values() for r in reqs}
    standard = {m for m in _used_by(project, plan, n, cumulative=True) if m not in needed}
    return own | (linked & users) | base | standard


def _quoted(text: str, lang: str) -> str:
    return f"«{text}»" if lang == "ru" else f"\u201c{text}\u201d"


def _standard_modules(project: Project, plan: Plan, stages: dict[str, list[Requirement]],
                      key: str) -> list[str]:
    """The subsystems the users who join in stage ``key`` work in that no stage has
    configured by then: they use them as the platform provides them (tasks, standard
    reports, the mobile app), and are trained in them, until the iteration that
    configures them."""
    order = list(stages)
    n = 0 if key == MVP else int(key)
    done = {m for k in order[:order.index(key) + 1]
            for m in _stage_modules(project, plan, stages, k)}
    used = _used_by(project, plan, n)
    return [m for m in project.scope.modules
            if m in used and m not in done and _ready(project, plan, m, n)]


def _used_by(project: Project, plan: Plan, stage: int, cumulative: bool = False
             ) -> set[str]:
    """The subsystems the user classes work in (a right beyond reading) whose people are
    all in the system from ``stage`` (a class shared with a later department waits for
    it), or by then when ``cumulative``."""
    backlog = plan.backlog
    out: set[str] = set()
    for u in project.user_classes:
        if not u.departments:
            continue
        joins = max(backlog.departments.get(d, 0) for d in u.departments)
        if joins == stage or (cumulative and joins <= stage):
            out |= {m for m, right in u.rights.items() if right not in ("none", "read")}
    return out


def _ready(project: Project, plan: Plan, module: str, n: int) -> bool:
    """Whether the integration a subsystem works through is connected by stage ``n``."""
    kind = MODULE_INTEGRATION.get(module)
    if kind is None or not any(i.kind == kind for i in project.integrations):
        return True
    return any(i.kind == kind and plan.backlog.integrations.get(i.id, n + 1) <= n
               for i in project.integrations)


def _acceptor(project: Project, plan: Plan, n: int, lang: str) -> str:
    """Who accepts stage ``n`` for the client: for each department it brings into the
    system, its key users in the project team (the first leads, as the plan assigns its
    testing), else another of its people in the team; a department with nobody in the
    team is accepted by the client's project manager, who takes part in the demo. The
    acceptors are always people of the team, with their hours in the plan: a head outside
    it has no time planned for the demo."""
    depts = [d for d in project.client.departments if plan.backlog.departments.get(d.id) == n]
    client = [p for p in project.team if p.side == "client"]
    pm = next((p for p in client if "project_manager" in p.roles), None)
    found = []
    for dept in depts:
        own = [p for p in client if p.department == dept.id]
        keys = [p.name for p in own if "key_user" in p.roles] or [p.name for p in own]
        found += keys or ([pm.name] if pm is not None else [])
    if found:
        # every department the stage brings in accepts what it gets
        return i18n.join(list(dict.fromkeys(found)), lang, last=True)
    return pm.name if pm is not None else ""


def _cutover(project: Project, plan: Plan, key: str, lang: str) -> list[dict[str, str]]:
    """Each data source that stage ``key`` moves: the dates of its trial load (before
    testing) and of its final load (after training, when the source is frozen and the
    department starts to work in the system)."""
    n = 0 if key == MVP else int(key)
    prefix = MVP if key == MVP else "iteration"
    out = []
    for m in project.migration:
        if plan.backlog.migration.get(m.id, 0) != n:
            continue
        trial = modes.tasks_with(plan, f"{prefix}.migration.{m.id}")
        final = modes.tasks_with(plan, f"{prefix}.cutover.{m.id}")
        if not final:
            continue
        out.append({"name": short_name(m.name, lang), "trial": _days(trial, lang),
                    "final": _days(final, lang),
                    "owner": c.person_name(project, m.owner) if m.owner else "",
                    "at_cutover": (m.at_cutover or "").strip()})
    return out


def _loaded_earlier(project: Project, plan: Plan, n: int, names: dict[str, str],
                    lang: str) -> list[dict[str, str]]:
    """Sources a stage's departments keep but an earlier stage loaded (the contract
    register loaded with the service desk, kept by Finance and Account Management, who go
    live later): the stage's go-live says that the source is read-only from its load, with
    the stage that loads it (the backlog is written before both: future tense), so that
    nobody keeps it up to date alongside the CRM."""
    people = {p.id: p for p in project.team}
    out = []
    for m in project.migration:
        k = plan.backlog.migration.get(m.id, 0)
        owner = people.get(m.owner or "")
        if k >= n or owner is None or plan.backlog.departments.get(owner.department or "") != n:
            continue
        final = modes.tasks_with(plan, f"{MVP if k == 0 else 'iteration'}.cutover.{m.id}")
        if final:
            out.append({"name": short_name(m.name, lang), "final": _days(final, lang),
                        "stage": names.get(MVP if k == 0 else str(k), ""),
                        "keeper": owner.name if _trained_by(
                            project, plan, owner.name, min(t.start for t in final)) else ""})
    return out


def _trained_by(project: Project, plan: Plan, name: str, day: date) -> bool:
    """``name`` took a course of the system (a group that names them, not a later
    iteration's refresher) whose sessions were all over before ``day``: a key user trained
    with the MVP, who can keep a source in the CRM from its early load until the source's
    own department goes live (round 14: the contract register went read-only on 5 Jun,
    and its department was trained on 25 Jun)."""
    from crmimpl.plan.training import build_groups

    for group in build_groups(project, project.project.language):
        days = [s.day for s in plan.sessions if s.group_id == group.id]
        if name in group.members and not group.repeat and days and max(days) < day:
            return True
    return False


def _training(plan: Plan, phase: Any, lang: str) -> str:
    """The plan's training sessions within a stage: "5 groups, 1–20 Apr 2026" (the
    training plan gives each group's days and people); empty when the stage trains no
    one."""
    from types import SimpleNamespace

    days = [s for s in plan.sessions if phase.start <= s.day <= phase.finish]
    if not days:
        return ""
    groups = len({s.group_id for s in days})
    span = [SimpleNamespace(start=s.day, finish=s.day) for s in days]
    return f"{i18n.count_of(groups, 'группа' if lang == 'ru' else 'group', lang)}, " \
           f"{_days(span, lang)}"


def _days(tasks: list[Any], lang: str) -> str:
    """The days of ``tasks`` as running text writes them: "29–30 Apr 2026",
    "29–30.04.2026", or one day."""
    start, finish = min(t.start for t in tasks), max(t.finish for t in tasks)
    if start == finish:
        return i18n.day(start, lang)
    if (start.year, start.month) == (finish.year, finish.month):
        return f"{start.day}\u2013{i18n.day(finish, lang)}" if lang == "en" else \
            f"{start.day:02d}\u2013{i18n.day(finish, lang)}"
    return f"{i18n.day(start, lang)}\u2013{i18n.day(finish, lang)}"
