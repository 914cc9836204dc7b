"""Context of the technical specification («Техническое задание», after GOST 34.602-2020).

The specification says *how* each requirement of the register is met: the functions of
every module in scope, each requirement with its solution (standard setting or custom
change with effort and cost), integrations, data migration, user classes and access
rights, test cases and acceptance, documentation, support; an appendix traces every goal
to its requirements, specification items and test cases.

Specification items are numbered ``4.2.<module>.<requirement>``: section 4 is the fourth
top-level heading, 4.2 its second subsection and each module in scope a third-level
heading in the order of ``scope.modules`` (the writers number headings the same way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import common as c
from crmimpl.documents.register import document_entry
from crmimpl.model.project import Change, Project, Requirement
from crmimpl.render.markdown import markdown_text
from crmimpl.vocabulary import label, module_functions, template_data

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

NAME = "tech_spec"
FUNCTIONS_SECTION = "4.2"
TESTED_PRIORITIES = ("must", "should")
# Access levels from the narrowest that still lets a user work in a module.
_WORKING_ACCESS = ("own", "department", "all")


def build_context(
    project: Project, lang: str, *, plan: object | None = None, answers: object | None = None
) -> dict[str, Any]:
    """Everything the specification template shows, as plain, formatted data.

    Args:
        project: The validated project.
        lang: Document language, ``ru`` or ``en``.
        plan: The plan built from the project; built here when omitted.
        answers: Unused by the specification (accepted for a uniform interface).

    Returns:
        The template context (strings, lists and dicts only).
    """
    the_plan = c.resolve_plan(project, plan)
    items = _item_numbers(project)
    tests = _test_cases(project, lang, items)
    return {
        "lang": lang,
        "meta": c.register_meta(project, the_plan, "spec", lang, i18n.word("titles", NAME, lang),
                                project.project.title),
        "general": _general(project, lang, the_plan),
        "client": c.client_row(project, lang),
        "mode": project.project.mode,
        "mode_label": label("mode", project.project.mode, lang),
        "approach_label": label("approach", project.scope.approach, lang),
        "scope_notes": project.scope.notes or "",
        "goals": c.goal_rows(project, lang),
        "departments": _departments(project, lang),
        "modules": _modules(project, lang, items),
        "reports": _reports(project, lang, items),
        "later": _later(project, lang),
        "changes": c.change_rows(project, lang),
        "estimate": _estimate(project, the_plan, lang),
        "integrations": [c.integration_row(i, lang) for i in project.integrations],
        "migration": [c.migration_row(project, m, lang) for m in project.migration],
        "migration_records": i18n.number(sum(m.records for m in project.migration), lang),
        "user_classes": [c.user_class_row(project, u, lang) for u in project.user_classes],
        "access": _access_matrix(project, lang),
        "tests": tests,
        "rollout": _rollout(project, lang, the_plan),
        "support": _support(project, lang, the_plan),
        "documents": _documents(project, lang),
        "trace": _traceability(project, lang, items, tests),
        "data_protection_law": data_protection_law(project, lang),
        **c.frame_context(project, lang),
        **spec_sections(project),
    }


# Modes whose specification keeps every GOST 34.602-2020 subsection (METHODOLOGY.md: the
# project mode needs the full ТЗ); typical and iterative (the MVP's specification) leave
# out what a settings-only implementation does not need: operating modes, organisational
# and methodological support, performance, emergencies and standardisation, and hardware
# unless the system runs on the client's servers.
FULL_GOST_MODES = ("project",)


def spec_sections(project: Project) -> dict[str, bool]:
    """Which optional subsections the specification of this project shows."""
    full = project.project.mode in FULL_GOST_MODES
    on_premise = project.system is None or project.system.deployment != "cloud"
    return {"full_gost": full, "show_hardware": full or on_premise}


def wording(section: str, key: str, lang: str, **values: object) -> str:
    """Markdown of ``key`` in a section of ``templates/tech_spec.yaml`` (``default`` when
    the key is not listed), with ``{name}`` placeholders filled from ``values``."""
    entries = template_data("tech_spec.yaml")[section]
    entry = entries.get(key) or entries["default"]
    return markdown_text(str(entry[lang]), **values)


def _estimate(project: Project, plan: Plan | None, lang: str) -> dict[str, Any]:
    """The common estimate, each phase with what it delivers."""
    estimate = c.estimate_context(project, plan, lang)
    for phase in estimate["phases"]:
        phase["result"] = wording("phase_results", phase["id"], lang)
    return estimate


def data_protection_law(project: Project, lang: str) -> str:
    """The personal-data law of the client's country (``legal.personal_data_law``)."""
    from crmimpl.documents.country import legal_basis

    return str(legal_basis(project, lang)["personal_data_law"])


# ------------------------------------------------------------------ sections 1-3


def _general(project: Project, lang: str, plan: Plan | None) -> dict[str, Any]:
    info = project.project
    finish = i18n.day_long(plan.finish, lang) if plan is not None else (
        i18n.day_long(info.deadline, lang) if info.deadline else "")
    return {
        "code": info.id,
        "title": info.title,
        "contractor": info.contractor or "",
        "start": i18n.day_long(info.start, lang),
        "finish": finish,
        "launch": i18n.day_long(plan.launch, lang) if plan is not None else "",
        "deadline": i18n.day_long(info.deadline, lang) if info.deadline else "",
        "date": i18n.day_long(document_entry(project, plan, "spec").date, lang),
        "sponsor": c.first_name_with(project, ["sponsor"], side="client"),
        "client_pm": c.first_name_with(project, ["project_manager"], side="client"),
        "contractor_pm": c.first_name_with(project, ["project_manager"], side="contractor"),
        "modules": i18n.number(len(project.scope.modules), lang),
        "module_labels": c.labels_of("module", project.scope.modules, lang),
        "has_mobile": "mobile" in project.scope.modules,
    }


def _departments(project: Project, lang: str) -> list[dict[str, str]]:
    return [{
        "name": d.name,
        "kind": label("department_kind", d.kind, lang),
        "head": d.head or i18n.DASH,
        "headcount": i18n.number(d.headcount, lang),
        "users": i18n.number(d.users, lang),
    } for d in project.client.departments]


# ------------------------------------------------------------------ section 4.2


def _item_numbers(project: Project) -> dict[str, str]:
    """Specification item of every requirement in this version (``4.2.3.2``)."""
    out: dict[str, str] = {}
    for m_index, module in enumerate(project.scope.modules, start=1):
        in_module = [r for r in project.requirements
                     if r.module == module and r.priority != "wont"]
        for r_index, r in enumerate(in_module, start=1):
            out[r.id] = f"{FUNCTIONS_SECTION}.{m_index}.{r_index}"
    return out


def _change_of(project: Project, r: Requirement) -> Change | None:
    wanted = r.change
    return next((ch for ch in project.changes
                 if ch.id == wanted or (wanted is None and ch.requirement == r.id)), None)


def _item(project: Project, r: Requirement, lang: str, number: str) -> dict[str, Any]:
    change = _change_of(project, r)
    cur = project.project.currency
    return {
        "number": number,
        "id": r.id,
        "statement": r.statement,
        "priority": label("priority", r.priority, lang),
        "fit": r.fit,
        "fit_label": label("fit", r.fit, lang),
        "solution": r.solution or "",
        "source": c.department_name(project, r.source),
        "goals": ", ".join(r.goals),
        "change": None if change is None else {
            "id": change.id,
            "title": change.title,
            "description": change.description,
            "hours": i18n.hours(change.estimate_hours, lang),
            "cost": i18n.money(c.change_cost(project, change.estimate_hours), lang, cur),
        },
    }


def _modules(project: Project, lang: str, items: dict[str, str]) -> list[dict[str, Any]]:
    """Modules in scope in order, each with its standard functions and requirement items."""
    out = []
    for m_index, module in enumerate(project.scope.modules, start=1):
        reqs = [r for r in project.requirements if r.module == module and r.id in items]
        out.append({
            "key": module,
            "number": f"{FUNCTIONS_SECTION}.{m_index}",
            "label": label("module", module, lang),
            "functions": module_functions(module, lang),
            "reqs": [_item(project, r, lang, items[r.id]) for r in reqs],
        })
    return out


def _reports(project: Project, lang: str, items: dict[str, str]) -> list[dict[str, str]]:
    """Reports, dashboards and print forms the specification fixes."""
    report_modules = {"reports", "kpi_dashboards"}
    out = []
    for r in project.requirements:
        change = _change_of(project, r)
        if r.id in items and (r.module in report_modules or change is not None):
            out.append({
                "item": items[r.id],
                "id": r.id,
                "title": change.title if change else r.statement,
                "module": label("module", r.module, lang),
                "fit": label("fit", r.fit, lang),
            })
    return out


def _later(project: Project, lang: str) -> list[dict[str, str]]:
    """Requirements left for a later version (won't this time)."""
    return [{"id": r.id, "statement": r.statement, "module": label("module", r.module, lang),
             "solution": r.solution or ""}
            for r in project.requirements if r.priority == "wont"]


# ------------------------------------------------------------------ access rights


def _access_matrix(project: Project, lang: str) -> dict[str, Any]:
    """Modules × user classes with the access label of each cell."""
    classes = project.user_classes
    rows = []
    for module in project.scope.modules:
        cells = [label("access", uc.rights.get(module, "none"), lang) for uc in classes]
        rows.append({"module": label("module", module, lang), "cells": cells})
    widths = ",".join(["22"] + [str(max(6, round(78 / max(len(classes), 1))))] * len(classes))
    return {
        "classes": [uc.name for uc in classes],
        "rows": rows,
        "widths": widths,
        "wide": len(classes) > 4,
        "levels": [{"label": label("access", k, lang)} for k in
                   ("none", "read", "own", "department", "all")],
    }


def _user_class_for(project: Project, module: str) -> tuple[str, str]:
    """The user class that does the work in a module, and one that checks it."""
    rights: list[tuple[str, dict[str, str]]] = [
        (u.name, {str(k): str(v) for k, v in u.rights.items()}) for u in project.user_classes]
    doer = checker = ""
    for level in _WORKING_ACCESS:
        found = next((name for name, r in rights if r.get(module) == level), "")
        doer = doer or found
    for level in ("department", "all"):
        found = next((name for name, r in rights if r.get(module) == level and name != doer),
                     "")
        checker = checker or found
    return doer, checker


# ------------------------------------------------------------------ section 7


def _test_cases(project: Project, lang: str, items: dict[str, str]) -> list[dict[str, Any]]:
    """One end-to-end test case per must and should requirement."""
    out = []
    for r in project.requirements:
        if r.priority not in TESTED_PRIORITIES or r.id not in items:
            continue
        doer, checker = _user_class_for(project, r.module)
        change = _change_of(project, r)
        integration = _integration_for(project, r.module)
        out.append({
            "id": f"TC-{r.id}",
            "requirement": r.id,
            "item": items[r.id],
            "module": r.module,
            "module_label": label("module", r.module, lang),
            "statement": r.statement,
            "solution": r.solution or "",
            "priority": label("priority", r.priority, lang),
            "user_class": doer,
            "checker": checker,
            "change": change.id if change else "",
            "change_title": change.title if change else "",
            "integration": integration,
            **_test_steps(r.module, integration, lang),
        })
    return out


def _test_steps(module: str, integration: str, lang: str) -> dict[str, str]:
    """The tester's first action and the module's own check (``templates/tech_spec.yaml``)."""
    steps = template_data("tech_spec.yaml")["test_steps"]
    entry = steps.get(module) or steps["default"]
    action = entry["action_with"] if integration and "action_with" in entry else entry["action"]
    return {"action": markdown_text(str(action[lang]), integration=integration),
            "expect": markdown_text(str(entry["expect"][lang]))}


def _integration_for(project: Project, module: str) -> str:
    """The external system a module's test case should involve, if any."""
    kinds = {"telephony": "telephony", "email": "email", "messengers": "messengers",
             "marketing_campaigns": "website", "sales_pipeline": "accounting",
             "mailings": "sms"}
    kind = kinds.get(module)
    found = next((i.system for i in project.integrations if i.kind == kind), "")
    return found


# ------------------------------------------------------------------ sections 8-9, support


def _rollout(project: Project, lang: str, plan: Plan | None) -> dict[str, Any]:
    t = project.training
    trainers = [c.person_name(project, pid) for pid in t.trainers] or [
        p.name for p in project.people_with("trainer")]
    rollout_start, rollout_finish = c.phase_period(plan, "rollout", lang)
    return {
        "group_size": i18n.number(t.group_size, lang),
        "group_min": i18n.number(t.min_size, lang),
        "hours_per_day": i18n.number(t.hours_per_day, lang),
        "format": t.format,
        "trainers": i18n.join(trainers, lang, last=True),
        "crm_expert": c.person_name(project, t.crm_expert) if t.crm_expert else "",
        "adoption_days": i18n.number(t.adoption_days, lang),
        "rollout_start": rollout_start,
        "rollout_finish": rollout_finish,
        "sysadmin": c.first_name_with(project, ["sysadmin"], side="client"),
        "audit_first": i18n.number(project.audit.first_after_days, lang),
        "audit_every": i18n.number(project.audit.every_months, lang),
        "audit_count": i18n.number(project.audit.count, lang),
        "mvp_department": (c.department_name(project, project.plan.mvp_department)
                           if project.plan.mvp_department else ""),
        "iterations": i18n.number(project.plan.iterations, lang),
    }


def _support(project: Project, lang: str, plan: Plan | None) -> dict[str, Any]:
    s = project.support
    year = plan.costs.support_year if plan is not None else None
    return {
        "year_cost": i18n.money(year, lang, project.project.currency) if year else "",
        "hours": s.hours,
        "reaction": i18n.number(s.reaction_hours, lang),
        "fix_days": i18n.number(s.fix_days, lang),
        "monthly": i18n.number(s.monthly_hours, lang),
        "has_package": s.monthly_hours > 0,
    }


def _documents(project: Project, lang: str) -> list[dict[str, str]]:
    """User instructions, one per user class (their names go into the document titles)."""
    return [{"user_class": u.name, "users": i18n.number(u.users, lang) if u.users else i18n.DASH}
            for u in project.user_classes]


# ------------------------------------------------------------------ appendix


def _traceability(
    project: Project, lang: str, items: dict[str, str], tests: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """Goal → requirement → specification item → test case, one row per pair."""
    tested = {t["requirement"]: t["id"] for t in tests}
    rows: list[dict[str, str]] = []
    for goal in project.goals:
        reqs = [r for r in project.requirements if goal.id in r.goals]
        if not reqs:
            rows.append({"goal": goal.id, "requirement": i18n.DASH, "item": i18n.DASH,
                         "test": i18n.DASH, "status": "uncovered"})
        rows += [_trace_row(goal.id, r, items, tested) for r in reqs]
    rows += [_trace_row(i18n.DASH, r, items, tested) for r in project.requirements if not r.goals]
    for row in rows:
        row["status_label"] = wording("trace_status", row["status"], lang)
    return rows


def _trace_row(
    goal: str, r: Requirement, items: dict[str, str], tested: dict[str, str]
) -> dict[str, str]:
    status = "tested" if r.id in tested else ("later" if r.priority == "wont" else "untested")
    return {"goal": goal, "requirement": r.id, "item": items.get(r.id, i18n.DASH),
            "test": tested.get(r.id, i18n.DASH), "status": status,
            "priority": r.priority}
