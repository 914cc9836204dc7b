"""Cross-references and rules that span sections of a project, checked after the model
validates (README, "Decisions taken here").

Each check returns ``(key path, message, hint)`` tuples pointing at the exact item
(``integrations[0].departments[0]``); :func:`crmimpl.model.validate.validate_document`
turns them into ``file:line:col`` problems through :meth:`Project.reference_problems`.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from crmimpl.load import KeyPath

if TYPE_CHECKING:
    from crmimpl.model.project import Economics, Goal, GoalTask, Project, Revenue, SystemInfo

RefProblem = tuple[KeyPath, str, str]


def project_problems(project: Project) -> list[RefProblem]:
    """Cross-references and rules that span sections, as (key path, message, hint)."""
    problems: list[RefProblem] = []
    problems += _unique_ids(project)
    problems += _people_refs(project)
    problems += _department_refs(project)
    problems += _other_refs(project)
    problems += _mode_rules(project)
    problems += _economics_refs(project)
    problems += _setting_list_refs(project)
    problems += _contract_problems(project)
    return problems


def setting_lists() -> dict[str, dict[str, dict[str, str]]]:
    """The package's list settings per subsystem, ``{module: {key: {lang: name}}}``
    (``setting_lists`` in templates/mode_documents.yaml)."""
    from crmimpl.vocabulary import template_data

    return template_data("mode_documents.yaml").get("setting_lists", {})


def _setting_list_refs(project: Project) -> list[RefProblem]:
    """`scope.settings` names a list the package has, of a subsystem in scope."""
    lists = setting_lists()
    module_of = {key: module for module, keys in lists.items() for key in keys}
    modules = set(project.scope.modules)
    out: list[RefProblem] = []
    for key in project.scope.settings:
        if key not in module_of:
            out.append((("scope", "settings", key), f"no settings list '{key}'",
                        _close(key, list(module_of))))
        elif module_of[key] not in modules:
            out.append((("scope", "settings", key),
                        f"the list '{key}' belongs to module '{module_of[key]}', which is "
                        "not in scope.modules", ""))
    return out


def _unique_ids(project: Project) -> list[RefProblem]:
    out: list[RefProblem] = []
    lists: list[tuple[str, Iterable[str]]] = [
        ("client.departments", (d.id for d in project.client.departments)),
        ("goals", (g.id for g in project.goals)),
        ("team", (p.id for p in project.team)),
        ("integrations", (i.id for i in project.integrations)),
        ("migration", (m.id for m in project.migration)),
        ("user_classes", (u.id for u in project.user_classes)),
        ("requirements", (r.id for r in project.requirements)),
        ("changes", (c.id for c in project.changes)),
        ("records", (d.id for d in project.records)),
        ("risks", (r.id for r in project.risks)),
    ]
    for section, ids in lists:
        out += _duplicates(tuple(section.split(".")), list(ids))
    task_ids = [(gi, ti, t.id) for gi, g in enumerate(project.goals) for ti, t in
                enumerate(g.tasks)]
    seen: dict[str, bool] = {}
    for gi, ti, tid in task_ids:
        if tid in seen or tid in {g.id for g in project.goals}:
            out.append((("goals", gi, "tasks", ti, "id"), f"id '{tid}' is used twice",
                        "goal and task ids must be unique across all goals"))
        seen[tid] = True
    return out


def _people_refs(project: Project) -> list[RefProblem]:
    people = {p.id for p in project.team}
    out: list[RefProblem] = []

    def check(path: KeyPath, pid: str | None) -> None:
        if pid is not None and pid not in people:
            out.append((path, f"no team member with id '{pid}'", _hint(pid, people)))

    for gi, g in enumerate(project.goals):
        check(("goals", gi, "owner"), g.owner)
    for mi, m in enumerate(project.migration):
        check(("migration", mi, "owner"), m.owner)
    for ri, r in enumerate(project.risks):
        check(("risks", ri, "owner"), r.owner)
    for i, t in enumerate(project.training.trainers):
        check(("training", "trainers", i), t)
    check(("training", "crm_expert"), project.training.crm_expert)
    for qi, q in enumerate(project.survey.open_questions):
        check(("survey", "open_questions", qi, "owner"), q.owner)
    check(("audit", "auditor"), project.audit.auditor)
    for oi, o in enumerate(project.plan.tasks):
        for ai, a in enumerate(o.assign or []):
            check(("plan", "tasks", oi, "assign", ai), a)
    for xi, x in enumerate(project.plan.add):
        for ai, a in enumerate(x.assign):
            check(("plan", "add", xi, "assign", ai), a)
    for pi, p in enumerate(project.team):
        if p.side == "contractor" and p.rate is None:
            out.append((("team", pi), f"contractor '{p.id}' has no rate",
                        "add `rate: {amount: 3000, per: hour}`"))
    if not project.people_with("project_manager"):
        out.append((("team",), "nobody holds the role project_manager",
                    "a project needs a manager with authority; add the role to someone"))
    return out


def _department_refs(project: Project) -> list[RefProblem]:
    depts = {d.id for d in project.client.departments}
    out: list[RefProblem] = []

    def check(path: KeyPath, did: str | None) -> None:
        if did is not None and did not in depts:
            out.append((path, f"no department with id '{did}'", _hint(did, depts)))

    for ii, integ in enumerate(project.integrations):
        for di, d in enumerate(integ.departments):
            check(("integrations", ii, "departments", di), d)
    for ui, uc in enumerate(project.user_classes):
        for di, d in enumerate(uc.departments):
            check(("user_classes", ui, "departments", di), d)
    for ci, change in enumerate(project.changes):
        for di, d in enumerate(change.departments):
            check(("changes", ci, "departments", di), d)
    for qi, q in enumerate(project.survey.open_questions):
        check(("survey", "open_questions", qi, "department"), q.department)
    classes = {c.id: c for c in project.user_classes}
    for pi, p in enumerate(project.team):
        check(("team", pi, "department"), p.department)
        if p.user_class is None:
            continue
        found = classes.get(p.user_class)
        if found is None:
            out.append((("team", pi, "user_class"), f"no user class with id '{p.user_class}'",
                        _hint(p.user_class, set(classes))))
        elif p.department is None or p.department not in found.departments:
            out.append((("team", pi, "user_class"),
                        f"user class '{found.id}' does not work in "
                        + (f"department '{p.department}'" if p.department
                           else "a department of this person (none is given)"),
                        "set `department` to one of " + ", ".join(found.departments)
                        + " or name a class of the person's department"))
    check(("plan", "mvp_department"), project.plan.mvp_department)
    out += _site_refs(project)
    for di, dept in enumerate(project.client.departments):
        if dept.crm_users is not None and dept.crm_users > dept.headcount:
            out.append((("client", "departments", di, "crm_users"),
                        f"{dept.crm_users} CRM users but only {dept.headcount} people", ""))
    total = sum(d.users for d in project.client.departments)
    if total > project.client.crm_users:
        out.append((("client", "crm_users"),
                    f"departments have {total} CRM users in all, more than "
                    f"crm_users = {project.client.crm_users}",
                    "raise crm_users or set crm_users per department"))
    elif total < project.client.crm_users:
        # the documents count users by department (org chart, training groups, licences):
        # a total nobody works in would disagree with every one of them
        out.append((("client", "crm_users"),
                    f"crm_users = {project.client.crm_users}, but the departments have "
                    f"{total} CRM users in all",
                    "list every department whose staff will work in the CRM (with its "
                    "headcount), or lower crm_users"))
    return out


def _site_refs(project: Project) -> list[RefProblem]:
    """Sites name a client location; shift users fit in their department."""
    out: list[RefProblem] = []
    places = set(project.client.locations)
    sites: list[tuple[KeyPath, str | None]] = [(("training", "site"), project.training.site)]
    sites += [(("training", "sites", i), site) for i, site in enumerate(project.training.sites)]
    sites += [(("client", "departments", di, "site"), d.site)
              for di, d in enumerate(project.client.departments)]
    sites += [(("client", "departments", di, "sites", si, "site"), part.site)
              for di, d in enumerate(project.client.departments)
              for si, part in enumerate(d.sites)]
    for path, site in sites:
        if site is not None and site not in places:
            out.append((path, f"no client location '{site}'", _hint(site, places)))
    for di, dept in enumerate(project.client.departments):
        away = sum(part.users for part in dept.sites)
        if away > dept.users:
            out.append((("client", "departments", di, "sites"),
                        f"sites have {away} users, the department {dept.users}", ""))
        for bi, span in enumerate(dept.busy):
            begin, end = span.split("-")
            if end <= begin:
                out.append((("client", "departments", di, "busy", bi),
                            f"busy hours '{span}' end before they start",
                            "write the span as HH:MM-HH:MM within one day"))
        given = sum(s.users or 0 for s in dept.shifts)
        if given > dept.users:
            out.append((("client", "departments", di, "shifts"),
                        f"shifts have {given} users, the department {dept.users}", ""))
    return out


def _other_refs(project: Project) -> list[RefProblem]:
    out: list[RefProblem] = []
    goals = {g.id for g in project.goals}
    changes = {c.id for c in project.changes}
    reqs = {r.id for r in project.requirements}
    integrations = {i.id for i in project.integrations}
    depts = {d.id for d in project.client.departments}
    modules = set(project.scope.modules)
    records = {r.id for r in project.records}
    classes = {u.id for u in project.user_classes}
    for li, lic in enumerate(project.system.licences if project.system else []):
        for ci, cid in enumerate(lic.user_classes):
            if cid not in classes:
                out.append((("system", "licences", li, "user_classes", ci),
                            f"no user class with id '{cid}'", _hint(cid, classes)))
    for ui, uc in enumerate(project.user_classes):
        for rec in uc.record_rights:
            if rec not in records:
                out.append((("user_classes", ui, "record_rights", rec),
                            f"no record with id '{rec}'", _hint(rec, records)))
    for ri, r in enumerate(project.requirements):
        for gi, g in enumerate(r.goals):
            if g not in goals:
                out.append((("requirements", ri, "goals", gi), f"no goal with id '{g}'",
                            _hint(g, goals)))
        if r.change is not None and r.change not in changes:
            out.append((("requirements", ri, "change"),
                        f"no custom change with id '{r.change}'", _hint(r.change, changes)))
        for ii, i in enumerate(r.integrations):
            if i not in integrations:
                out.append((("requirements", ri, "integrations", ii),
                            f"no integration with id '{i}'", _hint(i, integrations)))
        if r.fit == "change" and r.change is None:
            out.append((("requirements", ri, "fit"),
                        "fit is 'change' but no custom change is named",
                        "add `change: <id of an entry in changes>`"))
        # a next-stage wish («wont») may lie in a part the package does not take
        # (kreativ's telephony, wanted for G1 but outside the express package)
        if r.module not in modules and r.priority != "wont":
            out.append((("requirements", ri, "module"),
                        f"module '{r.module}' is not in scope.modules",
                        "add it to scope.modules or correct the module"))
    for ci, c in enumerate(project.changes):
        if c.requirement is not None and c.requirement not in reqs:
            out.append((("changes", ci, "requirement"),
                        f"no requirement with id '{c.requirement}'",
                        _hint(c.requirement, reqs)))
        if c.module not in modules:
            out.append((("changes", ci, "module"),
                        f"module '{c.module}' is not in scope.modules", ""))
    sources = {m.id for m in project.migration}
    for di, d in enumerate(project.records):
        for ri_, rid in enumerate(d.requirements):
            if rid not in reqs:
                out.append((("records", di, "requirements", ri_),
                            f"no requirement with id '{rid}'", _hint(rid, reqs)))
        if d.migration is not None and d.migration not in sources:
            out.append((("records", di, "migration"),
                        f"no migration source with id '{d.migration}'",
                        _hint(d.migration, sources)))
    for ti, table in enumerate(project.configuration):
        for ri_, rid in enumerate(table.requirements):
            if rid not in reqs:
                out.append((("configuration", ti, "requirements", ri_),
                            f"no requirement with id '{rid}'", _hint(rid, reqs)))
        for si, item in enumerate(table.staged):
            for ri_, rid in enumerate(item.requires):
                if rid not in reqs:
                    out.append((("configuration", ti, "staged", si, "requires", ri_),
                                f"no requirement with id '{rid}'", _hint(rid, reqs)))
    for ui, uc in enumerate(project.user_classes):
        for module in uc.rights:
            if module not in modules:
                out.append((("user_classes", ui, "rights", module),
                            f"rights for module '{module}' which is not in scope", ""))
    for di, dep in enumerate(project.client.departments):
        for si, step in enumerate(dep.process):
            for ri_, rid in enumerate(step.requirements):
                if rid not in reqs:
                    out.append((("client", "departments", di, "process", si, "requirements",
                                 ri_), f"no requirement with id '{rid}'", _hint(rid, reqs)))
    tasks = {t.id for g in project.goals for t in g.tasks}
    for di, dept in enumerate(project.client.departments):
        for si, step in enumerate(dept.process):
            if step.task is not None and step.task not in tasks:
                out.append((("client", "departments", di, "process", si, "task"),
                            f"no goal task with id '{step.task}'", _hint(step.task, tasks)))
    for fi, form in enumerate(project.print_forms):
        for ri_, rid in enumerate(form.requirements):
            if rid not in reqs:
                out.append((("print_forms", fi, "requirements", ri_),
                            f"no requirement with id '{rid}'", _hint(rid, reqs)))
    for gi, goal in enumerate(project.goals):
        for ti, task in enumerate(goal.tasks):
            for ri_, rid in enumerate(task.requirements):
                if rid not in reqs:
                    out.append((("goals", gi, "tasks", ti, "requirements", ri_),
                                f"no requirement with id '{rid}'", _hint(rid, reqs)))
            if task.department and task.department not in depts:
                out.append((("goals", gi, "tasks", ti, "department"),
                            f"no department with id '{task.department}'",
                            _hint(task.department, depts)))
    for gi, goal in enumerate(project.goals):
        if goal.kpi.deadline <= project.project.start:
            out.append((("goals", gi, "kpi", "deadline"),
                        f"KPI deadline {goal.kpi.deadline} is not after the project start "
                        f"{project.project.start}", ""))
    return out


def _iteration_refs(project: Project) -> list[RefProblem]:
    """``iteration:`` of departments, integrations and changes: iterative mode, within
    ``plan.iterations``, never on the MVP department (it is the MVP)."""
    out: list[RefProblem] = []
    count = project.plan.iterations
    iterative = project.project.mode == "iterative"
    lists: list[tuple[str, list[Any]]] = [("integrations", project.integrations),
                                          ("changes", project.changes)]
    places: list[tuple[KeyPath, Any]] = [(("client", "departments", n), d)
                                         for n, d in enumerate(project.client.departments)]
    places += [((name, n), x) for name, items in lists for n, x in enumerate(items)]
    for path, item in places:
        if item.iteration is None:
            continue
        where = (*path, "iteration")
        if not iterative:
            out.append((where, "iteration is read in iterative mode only",
                        "remove it, or set project.mode: iterative"))
        elif item.iteration > count:
            out.append((where, f"iteration {item.iteration}, but the plan has {count}",
                        "raise plan.iterations or choose an earlier iteration"))
        elif getattr(item, "id", None) == project.plan.mvp_department and \
                path[0] == "client":
            out.append((where, "the MVP department is trained and launched in the MVP",
                        "remove iteration from it"))
    return out


def _pilot_refs(project: Project) -> list[RefProblem]:
    """``rollout.pilot``: known departments, each in one wave, a mode with a pilot."""
    out: list[RefProblem] = []
    waves = project.rollout.pilot
    if waves and project.project.mode not in ("typical", "project"):
        out.append((("rollout", "pilot"),
                    f"a phased pilot belongs to typical and project modes, not "
                    f"'{project.project.mode}'",
                    "remove rollout.pilot (iterative mode phases by iterations)"))
    depts = {d.id for d in project.client.departments}
    seen: set[str] = set()
    for wi, wave in enumerate(waves):
        for di, did in enumerate(wave.departments):
            where = ("rollout", "pilot", wi, "departments", di)
            if did not in depts:
                out.append((where, f"no department with id '{did}'", _hint(did, depts)))
            elif did in seen:
                out.append((where, f"department '{did}' is already in an earlier wave",
                            "name each department in one wave"))
            seen.add(did)
        total = sum(d.users for d in project.client.departments if d.id in wave.departments)
        if wave.users is not None and total and wave.users > total:
            out.append((("rollout", "pilot", wi, "users"),
                        f"{wave.users} users start in the wave, but its departments have "
                        f"{total} CRM users", f"give at most {total}, or omit users"))
        if wave.users is not None and wi == len(waves) - 1:
            out.append((("rollout", "pilot", wi, "users"),
                        "the last wave has no next wave for the others to join",
                        "omit users in the last wave"))
    return out


def _on_site_refs(project: Project) -> list[RefProblem]:
    """``rollout.on_site_support``: known departments, a mode with a pilot."""
    out: list[RefProblem] = []
    entries = project.rollout.on_site_support
    if entries and project.project.mode not in ("typical", "project"):
        out.append((("rollout", "on_site_support"),
                    f"on-site support during rollout belongs to typical and project modes, "
                    f"not '{project.project.mode}'",
                    "remove rollout.on_site_support, or add the duty with plan.add"))
    depts = {d.id for d in project.client.departments}
    for ei, entry in enumerate(entries):
        for di, did in enumerate(entry.departments):
            if did not in depts:
                out.append((("rollout", "on_site_support", ei, "departments", di),
                            f"no department with id '{did}'", _hint(did, depts)))
    return out


def _mode_rules(project: Project) -> list[RefProblem]:
    out: list[RefProblem] = []
    mode = project.project.mode
    if mode == "cti" and not any(i.kind == "telephony" for i in project.integrations):
        out.append((("integrations",), "mode 'cti' needs a telephony integration",
                    "add an integration with kind: telephony"))
    if mode == "iterative" and project.plan.mvp_department is None:
        out.append((("plan",), "mode 'iterative' needs plan.mvp_department",
                    "name the department that gets the MVP first"))
    out += _iteration_refs(project)
    out += _pilot_refs(project)
    out += _on_site_refs(project)
    if mode == "express" and project.changes:
        out.append((("changes",), "mode 'express' takes no custom changes",
                    "express implementation is fixed in time and price; choose "
                    "'typical' or 'project' for custom changes"))
    out += _package_price_rules(project)
    return out


def _package_price_rules(project: Project) -> list[RefProblem]:
    """``budget.package_price``: an express package's fixed price, within the limit and
    without a contingency (a fixed price has none)."""
    budget = project.budget
    price = budget.package_price
    if price is None:
        return []
    where: KeyPath = ("budget", "package_price")
    out: list[RefProblem] = []
    if project.project.mode != "express":
        out.append((where, f"package_price is read in express mode only, not in "
                    f"'{project.project.mode}'",
                    "remove it (the estimate is hours × rates), or set project.mode: express"))
    if price <= 0:
        out.append((where, "package_price must be more than 0",
                    "write the package's price, e.g. 320000"))
    elif price > budget.limit:
        out.append((where, f"package_price {price} is above budget.limit {budget.limit}",
                    "raise budget.limit to at least the package price, or lower the price"))
    if budget.contingency_percent > 0:
        out.append((("budget", "contingency_percent"),
                    "a fixed package price has no contingency",
                    "set contingency_percent: 0 (or remove it) when package_price is given"))
    return out


def _economics_refs(project: Project) -> list[RefProblem]:
    econ = project.economics
    if econ is None:
        return []
    out: list[RefProblem] = []
    base: KeyPath = ("economics",)
    out += _duplicates((*base, "candidates"), [c.id for c in econ.candidates])
    out += _duplicates((*base, "criteria"), [c.id for c in econ.criteria])
    if econ.revenue is not None:
        out += _duplicates((*base, "revenue", "benefits"),
                           [b.id for b in econ.revenue.benefits])
    out += candidate_problems(econ)
    out += criteria_problems(econ, set(project.scope.modules))
    if econ.revenue is not None:
        out += revenue_problems(econ.revenue, {g.id: g for g in project.goals})
    return out


def _duplicates(section: KeyPath, ids: list[str]) -> list[RefProblem]:
    seen: set[str] = set()
    out: list[RefProblem] = []
    for index, item in enumerate(ids):
        if item in seen:
            out.append(((*section, index, "id"), f"id '{item}' is used twice",
                        "ids must be unique within a section"))
        seen.add(item)
    return out


def _hint(value: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if known:
        return "known ids: " + ", ".join(sorted(known)[:12])
    return "the list it refers to is empty"


# ------------------------------------------------------------------ economics


def plan_cost_available() -> bool:
    """Whether the plan module exists to supply a default implementation cost."""
    return importlib.util.find_spec("crmimpl.plan.builder") is not None


def candidate_problems(econ: Economics) -> list[RefProblem]:
    """Licensing, update pricing and implementation cost of each candidate."""
    out: list[RefProblem] = []
    for ci, cand in enumerate(econ.candidates):
        path: KeyPath = ("economics", "candidates", ci)
        if cand.saas is None and cand.perpetual is None:
            out.append((path, f"candidate '{cand.id}' has no licensing",
                        "add `saas: {per_user_month: ...}` or `perpetual: {first_licence: "
                        "..., further_licence: ...}` (or both)"))
        if cand.saas is not None and cand.delivery == "on_premise":
            out.append(((*path, "saas"), "a SaaS subscription for an on-premise-only CRM",
                        "set delivery to 'cloud' or 'both'"))
        lic = cand.perpetual
        if lic is not None and (lic.major_update_share is None) == (lic.major_update_price
                                                                       is None):
            out.append(((*path, "perpetual"),
                        "give exactly one of major_update_share and major_update_price",
                        "e.g. `major_update_share: 0.3` (30% of the licences per update); "
                        "use `major_update_price: 0` when updates are free"))
        if cand.id == econ.proposed and cand.implementation is not None:
            out.append(((*path, "implementation"),
                        f"the implementation of the proposed candidate '{cand.id}' is the "
                        "plan's cost", "remove `implementation` here: crmimpl takes it "
                        "from the plan, so every document shows the same figure"))
        if (cand.implementation is None and econ.implementation is None
                and not plan_cost_available()):
            out.append((path, f"no implementation cost for candidate '{cand.id}'",
                        "add `implementation: <amount>` to the candidate or to economics"))
        if cand.excluded is not None and cand.id == econ.proposed:
            out.append(((*path, "excluded"),
                        f"the proposed candidate '{cand.id}' is excluded",
                        "propose a candidate that meets the hard requirements, or remove "
                        "`excluded`"))
    if econ.candidates and all(c.excluded is not None for c in econ.candidates):
        out.append((("economics", "candidates"), "every candidate is excluded",
                    "leave at least one candidate without `excluded` to compare"))
    ids = [c.id for c in econ.candidates]
    if econ.proposed is not None and econ.proposed not in ids:
        out.append((("economics", "proposed"), f"no candidate with id '{econ.proposed}'",
                    _close(econ.proposed, ids)))
    return out


def criteria_problems(econ: Economics, modules: set[str]) -> list[RefProblem]:
    """Scores cover exactly the candidates; functional fit rates a module in scope."""
    out: list[RefProblem] = []
    ids = [c.id for c in econ.candidates]
    for ki, crit in enumerate(econ.criteria):
        path: KeyPath = ("economics", "criteria", ki)
        if crit.kind == "functional_fit" and crit.module is None:
            out.append((path, "a functional_fit criterion needs a module",
                        "add `module: <a module from scope.modules>`"))
        if crit.module is not None and crit.kind != "functional_fit":
            out.append(((*path, "module"), f"module given for a '{crit.kind}' criterion",
                        "only functional_fit criteria rate a module"))
        if crit.module is not None and crit.module not in modules:
            out.append(((*path, "module"), f"module '{crit.module}' is not in scope.modules",
                        "rate the fit of modules in scope only"))
        if crit.kind == "other" and crit.name is None:
            out.append((path, "a criterion of kind 'other' needs a name", ""))
        for key in crit.scores:
            if key not in ids:
                out.append(((*path, "scores", key), f"no candidate with id '{key}'",
                            _close(key, ids)))
        missing = [i for i in ids if i not in crit.scores]
        if missing:
            out.append(((*path, "scores"), "no score for " + ", ".join(missing),
                        "score every candidate from 1 to 5"))
    return out


def revenue_problems(revenue: Revenue, goals: dict[str, Goal]) -> list[RefProblem]:
    """Benefit lines refer to goals that can give an uplift, or state one."""
    out: list[RefProblem] = []
    for bi, line in enumerate(revenue.benefits):
        path: KeyPath = ("economics", "revenue", "benefits", bi)
        if line.goal is not None and line.goal not in goals:
            out.append(((*path, "goal"), f"no goal with id '{line.goal}'",
                        _close(line.goal, list(goals))))
            continue
        if line.annual_saving is not None:
            if line.uplift_percent is not None:
                out.append((path, "give either annual_saving or uplift_percent, not both", ""))
            continue
        if line.goal is None and line.uplift_percent is None:
            out.append((path, "a benefit needs a goal, uplift_percent or annual_saving",
                        "e.g. `goal: G1` to take the uplift from the goal's KPI"))
            continue
        if revenue.annual_revenue is None:
            out.append((path, "a revenue uplift needs economics.revenue.annual_revenue", ""))
        if line.uplift_percent is None and line.goal is not None:
            kpi = goals[line.goal].kpi
            if not kpi.better_is_higher or kpi.baseline <= 0:
                out.append(((*path, "goal"),
                            f"the KPI of goal '{line.goal}' does not read as a revenue uplift",
                            "state `uplift_percent` for this benefit"))
    return out


def _close(value: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "known ids: " + ", ".join(sorted(known))


# ------------------------------------------------------------------ warnings
# Things that validate but look wrong: `validate` and `build` print them, nothing stops.

# currencies any client may reasonably be invoiced in, whatever its country
_INTERNATIONAL_CURRENCIES = ("EUR", "USD")


def project_warnings(project: Project) -> list[RefProblem]:
    """Warnings (not errors) about a valid project, as (key path, message, hint)."""
    return [*_licence_warnings(project), *_selection_warnings(project),
            *_proposed_warnings(project), *_country_warnings(project),
            *_rights_warnings(project), *_head_report_warnings(project),
            *_untraced_problem_warnings(project),
            *_foreign_requirement_warnings(project),
            *_people_count_warnings(project), *_timezone_warnings(project),
            *_unowned_problems(project), *_setting_list_warnings(project),
            *_integration_check_warnings(project),
            *_unbuilt_approver_warnings(project), *_unlicensed_route_warnings(project),
            *_contract_warnings(project)]


def _integration_check_warnings(project: Project) -> list[RefProblem]:
    """An express package's connection without its acceptance check: the passport can
    then only say "the exchange works", which the client cannot verify."""
    if project.project.mode != "express":
        return []
    return [(("integrations", ii), f"the connection '{i.system}' has no acceptance check",
             "add `checks: [{do: ..., expect: ...}]`: test data sent and where it must arrive")
            for ii, i in enumerate(project.integrations) if not i.checks]


def _setting_list_warnings(project: Project) -> list[RefProblem]:
    """An express package's list setting (client types, task types...) of a subsystem in
    scope without the client's values: the passport replaces the specification, and a
    list left "to be agreed" there is agreed nowhere."""
    if project.project.mode != "express":
        return []
    lists = setting_lists()
    empty = [key for module in project.scope.modules for key in lists.get(module, {})
             if not project.scope.settings.get(key)]
    if not empty:
        return []
    return [(("scope", "settings"),
             "the package's settings lists without the client's values: " + ", ".join(empty),
             "give each under scope.settings (`task_types: [...]`); the passport otherwise "
             "says the values are agreed before the settings work starts")]


_APPROVAL = re.compile(r"approv|соглас", re.IGNORECASE)


def _approvers(project: Project) -> list[str]:
    """The client's people who may approve, by name and by position: the client's team
    and the departments' heads."""
    out: set[str] = set()
    for p in project.team:
        if p.side == "client":
            out |= {p.name, *([p.position] if p.position else [])}
    for d in project.client.departments:
        out |= {x for x in (d.head, d.head_position) if x}
    return sorted(out, key=len, reverse=True)


def _unbuilt_approver_warnings(project: Project) -> list[RefProblem]:
    """A requirement's check that expects an approval by someone its own design never
    routes to (TC-R02 expected the Managing Director's approval of a large quote while
    CH1 built only the Sales Director's): the test case cannot pass on what is built."""
    approvers = _approvers(project)
    changes = {c.id: c for c in project.changes}
    out: list[RefProblem] = []
    for ri, r in enumerate(project.requirements):
        change = changes.get(r.change or "") or next(
            (c for c in project.changes if c.requirement == r.id), None)
        built = " ".join([r.statement, r.solution or "", *r.design,
                          *([change.title, change.description] if change else [])]).casefold()
        for ci, check in enumerate(r.checks):
            if not _APPROVAL.search(check.expect):
                continue
            text = check.expect.casefold()
            missing = [a for a in approvers if a.casefold() in text
                       and a.casefold() not in built]
            if missing:
                where = f"{r.id} and its change {change.id}" if change else r.id
                out.append((("requirements", ri, "checks", ci, "expect"),
                            f"the check expects an approval by '{missing[0]}', whom {where} "
                            "never route to: the test case cannot pass on what is built",
                            "add the approval route to the requirement's design or its "
                            "change's description (and its estimate), or correct the check"))
    return out


def routed_unit(project: Project, unit: str) -> tuple[str, int]:
    """A routed unit's name and CRM users: a department id gives the department's, any
    other name is a unit outside the departments, with no users."""
    dept = next((d for d in project.client.departments if d.id == unit), None)
    return (dept.name, dept.users) if dept else (unit, 0)


def _unlicensed_route_warnings(project: Project) -> list[RefProblem]:
    """A requirement that hands work to a unit with no CRM users and does not say how the
    unit takes it: the approval or the handover has nobody to receive it in the system."""
    out: list[RefProblem] = []
    for ri, req in enumerate(project.requirements):
        for ui, route in enumerate(req.routes_to):
            name, users = routed_unit(project, route.unit)
            if not users and not route.via:
                out.append((("requirements", ri, "routes_to", ui, "unit"),
                            f"{req.id} hands work to '{name}', which has no CRM users",
                            "give the unit CRM users (a department with `crm_users` and a "
                            "user class), or say how it takes and returns the work (`via:`)"))
    return out


def _rights_warnings(project: Project) -> list[RefProblem]:
    """A class of several users who see only their own clients, in departments where no
    class sees the department's or everybody's: nobody there can find a colleague's
    client, so a request waits while its manager is away and a known client is entered
    again (the usual design is "read all, edit own", or a head who sees the department)."""
    out: list[RefProblem] = []
    for ui, u in enumerate(project.user_classes):
        if (u.users or 0) < 2 or u.rights.get("client_base") != "own":
            continue
        seen = any(set(v.departments) & set(u.departments)
                   and v.rights.get("client_base") in ("read_all_edit_own", "department",
                                                       "all")
                   for v in project.user_classes if v is not u)
        if not seen:
            out.append((("user_classes", ui, "rights", "client_base"),
                        f"the {u.users} users of '{u.name}' see only their own clients and "
                        "nobody in their department sees the others'",
                        "a colleague cannot answer the client of a manager who is away, and "
                        "a known client is entered again; give 'read_all_edit_own' or a "
                        "class that sees the department's records"))
    return out


_WIDE_REPORTS = ("read", "read_all_edit_own", "department", "all")


def _head_report_warnings(project: Project) -> list[RefProblem]:
    """A department whose users have reports, all of them on their own work only: its
    head, who the requirements say controls the department (overdue callbacks, the
    team's figures), has no right to see them (teplo: the heads of dispatch and sales
    were dispatchers and managers with their own reports). CTI projects only, where the
    call statistics are how heads control missed calls; the other modes' heads have
    their head classes in the training plan and the specification's role matrix."""
    if "reports" not in project.scope.modules or project.project.mode != "cti":
        return []
    out: list[RefProblem] = []
    for di, dept in enumerate(project.client.departments):
        rights = [u.rights.get("reports", "none") for u in project.user_classes
                  if dept.id in u.departments]
        if "own" in rights and not any(r in _WIDE_REPORTS for r in rights):
            out.append((("client", "departments", di, "id"),
                        f"nobody in '{dept.name}' sees the department's reports: every "
                        "class of it sees only its own",
                        "its head cannot follow the department's work (overdue tasks, "
                        "the team's figures); add a class for the heads with "
                        "'reports: department'"))
    return out


def _unowned_problems(project: Project) -> list[RefProblem]:
    """A problem the survey recorded "as is" that no goal task takes: the survey report
    counts it among the problems found but no goal removes it."""
    out: list[RefProblem] = []
    for di, dept in enumerate(project.client.departments):
        for si, step in enumerate(dept.process):
            if step.problem and step.task is None:
                out.append((("client", "departments", di, "process", si, "problem"),
                            "this problem is removed by no goal task",
                            "name the goal task that removes it (`task: G1.1`), or add one"))
    return out


def warning_texts(project: Project, extra: list[RefProblem] | None = None) -> list[str]:
    """:func:`project_warnings` (and ``extra`` ones of later layers, such as the answers'
    wishes no requirement takes) as ``file:line:col: key: message`` lines."""
    from crmimpl.errors import Problem
    from crmimpl.load import format_key_path

    return [Problem(project.location(path), format_key_path(path), message, hint).render()
            for path, message, hint in [*project_warnings(project), *(extra or [])]]


def _licence_warnings(project: Project) -> list[RefProblem]:
    """Fewer user licences than CRM users (server licences do not seat anyone)."""
    system = project.system
    if system is None or not system.licences or system.in_use:
        return []
    out: list[RefProblem] = []
    users_of = {u.id: u.users for u in project.user_classes}
    seen: dict[str, int] = {}
    for li, lic in enumerate(system.licences):
        if not lic.user_classes or any(c not in users_of for c in lic.user_classes):
            continue
        for cid in lic.user_classes:
            if cid in seen:
                out.append((("system", "licences", li, "user_classes"),
                            f"user class '{cid}' is given licences of two kinds "
                            f"(licences {seen[cid] + 1} and {li + 1})",
                            "give each user class the one kind of licence its users need"))
            seen.setdefault(cid, li)
        counts = [users_of[c] for c in lic.user_classes]
        users = sum(n or 0 for n in counts)
        if None not in counts and users != lic.count:
            out.append((("system", "licences", li, "count"),
                        f"{lic.count} licences of '{lic.kind}' for the {users} users of "
                        f"its user classes ({', '.join(lic.user_classes)})",
                        "make the count the users of the classes it is for (or say in "
                        "`kind` why it differs, and list the classes it is for)"))
    seats, users = user_licences(system), project.client.crm_users
    if seats >= users:
        return out
    return [*out, (("system", "licences"),
                   f"{seats} user licences for {users} CRM users (client.crm_users)",
                   "plan a licence for every user; with concurrent licences, check that "
                   "fewer people work in the CRM at the same time")]


def user_licences(system: SystemInfo) -> int:
    """Licences that seat a user: server licences are not counted; when some licences name
    the product (1С:CRM seats beside the 1С platform's), only those count, since every
    user needs one of each and adding both would count a user twice."""
    seats = [lic for lic in system.licences
             if not any(word in lic.kind.casefold() for word in ("server", "сервер"))]
    first_word = system.product.casefold().split()[0] if system.product.strip() else ""
    own = [lic for lic in seats if first_word and first_word in lic.kind.casefold()]
    return sum(lic.count for lic in own or seats)


def _selection_warnings(project: Project) -> list[RefProblem]:
    """The system named in `system:` is not the candidate the selection ranks first."""
    econ, system = project.economics, project.system
    if econ is None or system is None or system.in_use or not econ.criteria:
        return []
    # the weighted total of crmimpl.plan.economics.selection; rank 1 = the highest total
    ranked = [cand for cand in econ.candidates if cand.excluded is None]
    if not ranked:
        return []
    totals = {cand.id: sum(c.weight * c.scores.get(cand.id, 0) for c in econ.criteria)
              for cand in ranked}
    top = max(totals.values())
    best = [cand for cand in ranked if totals[cand.id] == top]
    if len(best) != 1 or _same_product(system.product, best[0].name):
        return []
    return [(("system", "product"),
             f"the system is '{system.product}' but the selection ranks "
             f"'{best[0].name}' first",
             "check the criteria scores in economics, or the system being implemented")]


def _proposed_warnings(project: Project) -> list[RefProblem]:
    """The system being implemented is a candidate, but not the proposed one: its cost
    of ownership would use the candidate's own figures instead of the plan's."""
    econ, system = project.economics, project.system
    if econ is None or system is None or system.in_use or econ.proposed is not None:
        return []
    same = [c for c in econ.candidates if _same_product(system.product, c.name)]
    if len(same) != 1:
        return []
    return [(("economics",),
             f"candidate '{same[0].id}' is the system being implemented, but economics."
             "proposed is not set: its cost of ownership uses its own implementation and "
             "support figures, not the plan's",
             f"add `proposed: {same[0].id}` under economics")]


def _same_product(product: str, candidate: str) -> bool:
    """Whether a product name and a candidate name mean one product (one contains the
    other once case and punctuation are ignored)."""
    import re

    a, b = (re.sub(r"\W+", " ", name).casefold().strip() for name in (product, candidate))
    return bool(a) and bool(b) and (a in b or b in a)


def _contract_problems(project: Project) -> list[RefProblem]:
    """A contract dated after the work it governs ends cannot be the one it is done under."""
    contract, info = project.contract, project.project
    if contract is None or info.deadline is None or contract.date <= info.deadline:
        return []
    return [(("contract", "date"),
             f"the contract is dated {contract.date}, after the project's deadline "
             f"{info.deadline}", "write the date the contract was signed")]


def _contract_warnings(project: Project) -> list[RefProblem]:
    """Work that starts before its contract is signed: the documents would cite a
    contract that did not yet exist on the first day of work."""
    contract, start = project.contract, project.project.start
    if contract is None or contract.date <= start:
        return []
    return [(("contract", "date"),
             f"the contract is dated {contract.date}, after the start of work {start}",
             "check the date, or move project.start to the day work begins under it")]


def _country_warnings(project: Project) -> list[RefProblem]:
    """Currency or calendar that an odd match for the client's country."""
    from crmimpl.countries import expected_currency, known_country

    out: list[RefProblem] = []
    info, country = project.project, project.country
    if project.client.country and info.calendar != country:
        out.append((("project", "calendar"),
                    f"the calendar is {info.calendar} but the client is in {country}",
                    f"use `calendar: {country}` unless the team works by another "
                    "country's calendar"))
    expected = expected_currency(country)
    odd = info.currency not in (expected, *_INTERNATIONAL_CURRENCIES)
    if known_country(country) and expected and odd:
        out.append((("project", "currency"),
                    f"the currency is {info.currency} for a client in {country}",
                    f"a client in {country} usually pays in {expected}"))
    return out


def untraced_goal_tasks(project: Project) -> list[GoalTask]:
    """The goal tasks that no department's process step names (`process[].task`): the
    traceability appendix traces them by their own `requirements`."""
    named = {s.task for d in project.client.departments for s in d.process if s.task}
    return [t for g in project.goals for t in g.tasks if t.id not in named]


def step_answers(project: Project, department: str, step: Any) -> list[str]:
    """The requirements that answer a process step's problem: those it names, but not one
    that serves only other goals and comes from (and is taught to) other departments (the
    SME funnel is not answered by the retail network's funnel requirement)."""
    goal = next((g.id for g in project.goals for t in g.tasks if t.id == step.task), None)
    by_id = {r.id: r for r in project.requirements}
    return [rid for rid in step.requirements if rid not in by_id or goal is None
            or _answers(by_id[rid], goal, department)]


def _answers(req: Any, goal: str, department: str) -> bool:
    return (not req.goals or goal in req.goals or req.source == department
            or department in req.taught_to)


def foreign_step_requirements(project: Project) -> list[tuple[int, int, str]]:
    """(department index, step index, requirement id) of each requirement a process step
    names that :func:`step_answers` does not trace to it."""
    out = []
    for di, dep in enumerate(project.client.departments):
        for si, step in enumerate(dep.process):
            kept = step_answers(project, dep.id, step)
            out += [(di, si, rid) for rid in step.requirements if rid not in kept]
    return out


def _foreign_requirement_warnings(project: Project) -> list[RefProblem]:
    """A step of one department traced to another department's requirement for another
    goal: the documents leave it out of the step's trace."""
    out: list[RefProblem] = []
    for di, si, rid in foreign_step_requirements(project):
        dep = project.client.departments[di]
        step = dep.process[si]
        out.append((("client", "departments", di, "process", si, "requirements"),
                    f"{rid} serves neither goal task {step.task}'s goal nor {dep.name}: the "
                    "documents do not trace the step's problem to it",
                    f"add the goal to {rid}'s `goals` (and {dep.id} to its `taught_to`), or "
                    "give the step a requirement of its own"))
    return out


def _untraced_problem_warnings(project: Project) -> list[RefProblem]:
    """A problem the survey names in a department's process that no requirement answers
    and that is not declared out of scope: the client reads it in the survey report and
    then finds nothing in the specification about it."""
    out: list[RefProblem] = []
    for di, dep in enumerate(project.client.departments):
        for si, step in enumerate(dep.process):
            if step.problem and not step.requirements and not step.out_of_scope:
                out.append((("client", "departments", di, "process", si, "problem"),
                            f"the problem '{step.problem}' of {dep.name} is answered by no "
                            "requirement and not declared out of scope",
                            "add `requirements: [<ids>]` to the step, or `out_of_scope:` "
                            "with the reason"))
    where = {t.id: (gi, ti) for gi, g in enumerate(project.goals)
             for ti, t in enumerate(g.tasks)}
    # a register not begun yet (a new project) has nothing to trace the tasks to
    for task in untraced_goal_tasks(project) if project.requirements else []:
        if not task.requirements and not task.out_of_scope:
            gi, ti = where[task.id]
            out.append((("goals", gi, "tasks", ti, "requirements"),
                        f"the problem of goal task {task.id} is answered by no requirement "
                        "and not declared out of scope",
                        "name the process step that has it (`task:`), or give the task "
                        "`requirements: [<ids>]` or `out_of_scope:` with the reason"))
    return out


# A count of people in free text: «300 одновременных операторах», "40 users". Nouns only
# (their case endings), so «операторских мест» (seats) is not a count of people.
_PEOPLE_COUNT = re.compile(
    r"(?<![\d.,:])(\d{1,3}(?:[\u00a0 ]\d{3})*|\d+)\s+"
    r"(?:(?:одновременн|активн|concurrent|active)\w*\s+)?"
    r"(?:(?:оператор|пользовател|сотрудник|менеджер|диспетчер|инженер|специалист)"
    r"(?:ь|и|ей|ям|ями|ях|я|ю|ем|е|ов|ам|ами|ах|а|ы|у|ом)?"
    r"|(?:user|operator|agent|employee|engineer)s?|staff)\b", re.IGNORECASE)


def people_counts(project: Project) -> set[int]:
    """Every count of people the project states in its structured fields: users and staff
    of the company, of each department, shift and site, of each user class, the licences."""
    client = project.client
    counts = {client.crm_users, *(lic.count for lic in (project.system.licences
                                                         if project.system else []))}
    if client.employees:
        counts.add(client.employees)
    for d in client.departments:
        counts |= {d.headcount, d.users, *(s.users for s in d.shifts if s.users),
                   *(part.users for part in d.sites)}
        if len(d.shifts) > 1:
            counts.add(sum(s.users or 0 for s in d.shifts))
    counts |= {u.users for u in project.user_classes if u.users is not None}
    return counts


def _people_count_warnings(project: Project) -> list[RefProblem]:
    """A number of people in a risk, requirement, change or goal that the project's own
    counts do not contain («300 операторов» where the contact centre has 140 users): the
    client's people know their numbers and read such a figure as an error."""
    known = people_counts(project)
    texts: list[tuple[KeyPath, str]] = []
    for i, r in enumerate(project.risks):
        texts += [(("risks", i, "statement"), r.statement), (("risks", i, "mitigation"),
                                                             r.mitigation)]
    for i, q in enumerate(project.requirements):
        texts += [(("requirements", i, "statement"), q.statement),
                  *((("requirements", i, "design", j), d) for j, d in enumerate(q.design))]
    for i, ch in enumerate(project.changes):
        texts.append((("changes", i, "description"), ch.description))
    for i, g in enumerate(project.goals):
        texts.append((("goals", i, "statement"), g.statement))
    for i, integ in enumerate(project.integrations):
        if integ.notes:
            texts.append((("integrations", i, "notes"), integ.notes))
    if project.scope.notes:
        texts.append((("scope", "notes"), project.scope.notes))
    out: list[RefProblem] = []
    for path, text in texts:
        for match in _PEOPLE_COUNT.finditer(text):
            number = int(re.sub(r"\D", "", match.group(1)))
            if number not in known:
                out.append((path, f"'{match.group(0)}': {number} is none of the project's "
                            "counts of people (users, staff of a department, shift or site, "
                            "a user class)",
                            "write the count the project states, or say what the number "
                            "counts (requests, calls, seats)"))
    return out


# Time-zone words in a text, with the zone they name (MSK+N is Moscow time plus N hours).
_ZONE_WORDS = (
    (re.compile(r"МСК\s*([+\u2212-]\s*\d+)|MSK\s*([+-]\s*\d+)"), "Europe/Moscow"),
    (re.compile(r"\bМСК\b|\bMSK\b|по Москве|московско\w* времен|Moscow time",
                re.IGNORECASE), "Europe/Moscow"),
    (re.compile(r"\bUK time\b|\bGMT\b|\bBST\b|London time", re.IGNORECASE),
     "Europe/London"),
)


def zone_named(text: str) -> tuple[str, int] | None:
    """The time zone a text names and the hours added to it («МСК+1» → Moscow, 1), or None."""
    for pattern, zone in _ZONE_WORDS:
        match = pattern.search(text)
        if match:
            shift = next((g for g in match.groups() if g), "") if match.groups() else ""
            hours = int(re.sub(r"\s", "", shift).replace("\u2212", "-") or 0)
            return zone, hours
    return None


def _timezone_warnings(project: Project) -> list[RefProblem]:
    """Support hours stated in a time zone other than the client's: «по Москве» for a
    client in Samara shifts every hour of the promise by one."""
    from crmimpl.countries import utc_offset_hours

    named = zone_named(project.support.hours)
    zone = project.timezone
    if named is None or zone is None:
        return []
    day = project.project.start
    theirs = utc_offset_hours(named[0], day) + named[1]
    ours = utc_offset_hours(zone, day)
    if theirs == ours:
        return []
    return [(("support", "hours"),
             f"the support hours are given in {named[0]}{named[1]:+d} h time, but the client "
             f"works in {zone} (UTC{ours:+g})",
             "leave the time zone out of support.hours: the documents state the client's "
             "own (client.timezone), or convert the hours")]
