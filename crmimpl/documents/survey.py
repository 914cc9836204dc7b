"""Context of the pre-project survey report («Отчет о предпроектном обследовании»).

The report says *what* the CRM must do: the company as surveyed, its problems turned
into goals, the requirements register, the "to be" concept, the recommended mode and a
first estimate and plan. Facts come from the project; what only interviews can tell
(client portraits, sales channels, processes "as is"...) comes from questionnaire answers
by ``report_key``; when an answer is missing the report names who still has to be asked.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import common as c
from crmimpl.documents.economics_section import tco_context
from crmimpl.documents.register import document_entry
from crmimpl.model.project import Project, Requirement
from crmimpl.vocabulary import label, module_functions

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan
    from crmimpl.questionnaire.answers import Answers

NAME = "survey_report"

# Topics only interviews can tell: context key -> (report keys in the order shown,
# department kinds whose heads are asked when nothing is answered yet). The keys are
# those of questionnaires/survey.yaml; a firm's own questionnaire may use the same keys.
INTERVIEW_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "org_notes": (("company.org_structure", "company.has_branches", "company.branches"),
                  ("management",)),
    "product_notes": (("company.products",), ("sales", "management")),
    "classification": (("clients.types", "clients.active", "clients.classification",
                        "clients.fields", "clients.shared", "clients.ownership_rules"),
                       ("sales", "marketing")),
    "portraits": (("clients.portraits", "sales.cycle", "sales.average_deal",
                   "sales.repeat_share", "sales.seasonality"), ("sales", "marketing")),
    "channels": (("sales.channels", "marketing.lead_sources", "marketing.leads_per_month"),
                 ("sales", "management")),
    "marketing_mix": (("marketing.mix", "marketing.measures_roi", "marketing.roi_method"),
                      ("marketing", "sales")),
    "processes_common": (("processes.main", "processes.funnel_stages",
                          "processes.after_sales", "processes.approvals",
                          "processes.task_control", "processes.documented"),
                         ("sales", "service", "management")),
    "reports_in_use": (("reports.used", "reports.tools", "reports.frequency", "reports.kpis",
                        "reports.missing"), ("management", "sales")),
    "it_landscape": (("it.current_tool", "it.current_tool_name", "it.current_tool_issues",
                      "it.telephony", "it.telephony_provider", "it.call_recording", "it.email",
                      "it.messengers", "it.accounting_system", "it.accounting_version",
                      "it.exchange_objects", "it.website", "it.website_features", "it.sso",
                      "it.hosting", "it.other_systems"), ()),
    "data_quality": (("data.sources", "data.quality", "data.history_depth",
                      "data.directories"), ("sales",)),
    "expectations": (("goals.expected", "goals.problems", "goals.success_criteria"),
                     ("management",)),
    "compliance": (("compliance.processes_pd", "compliance.operator_notice",
                    "compliance.consent", "compliance.localisation",
                    "compliance.access_policy"), ()),
    "rollout_wishes": (("rollout.launch_date", "rollout.pilot_department",
                        "rollout.training_format", "rollout.crm_expert", "rollout.support",
                        "rollout.concerns", "rollout.comments"), ("management",)),
}
# Topics the report always shows; the others appear only when answered.
REQUIRED_TOPICS = ("classification", "portraits", "channels", "marketing_mix",
                   "processes_common", "reports_in_use", "it_landscape")
_FIT_ORDER = ("standard", "setting", "change", "gap")
_PRIORITY_ORDER = ("must", "should", "could", "wont")


def build_context(
    project: Project, lang: str, *, plan: object | None = None, answers: object | None = None
) -> dict[str, Any]:
    """Everything the survey report template shows, as plain, formatted data.

    Args:
        project: The validated project.
        lang: Document language, ``ru`` or ``en``.
        plan: The plan built from the project; built here when omitted and available.
        answers: Questionnaire answers; read from the project folder when omitted.

    Returns:
        The template context (strings, lists and dicts only).
    """
    answers = c.resolve_answers(project, answers)
    the_plan = c.resolve_plan(project, plan)
    context: dict[str, Any] = {
        "lang": lang,
        "meta": c.register_meta(project, the_plan, "survey", lang, i18n.word("titles", NAME, lang),
                                project.project.title),
        "client": c.client_row(project, lang),
        "mode": project.project.mode,
        "mode_label": label("mode", project.project.mode, lang),
        "approach": project.scope.approach,
        "approach_label": label("approach", project.scope.approach, lang),
        "scope_notes": project.scope.notes or "",
        "intro": _intro(project, lang, answers, the_plan),
        "departments": _departments(project, lang),
        "totals": _totals(project, lang),
        "products": list(project.client.products),
        "processes": _processes(project, lang, answers),
        "goals": c.goal_rows(project, lang),
        "requirements": [_requirement(project, r, lang) for r in project.requirements],
        "fit_summary": _fit_summary(project, lang),
        "concept": _concept(project, lang),
        "integrations": [c.integration_row(i, lang) for i in project.integrations],
        "migration": [c.migration_row(project, m, lang) for m in project.migration],
        "user_classes": [c.user_class_row(project, u, lang) for u in project.user_classes],
        "recommendation": _recommendation(project, lang),
        "estimate": c.estimate_context(project, the_plan, lang),
        "tco": tco_context(project, lang, the_plan),
        "team_client": c.team_rows(project, lang, "client"),
        "team_contractor": c.team_rows(project, lang, "contractor"),
        "risks": [c.risk_row(project, r, lang) for r in project.risks],
        **c.frame_context(project, lang),
    }
    labels = c.question_labels(lang, project.folder) if answers is not None else {}
    for key, (report_keys, kinds) in INTERVIEW_TOPICS.items():
        entries = c.report_entries(answers, report_keys, lang, labels)
        context[key] = {"entries": entries, "surveyed": bool(entries),
                        "ask": _who_to_ask(project, kinds, lang)}
    context["intro"]["has_answers"] = any(context[k]["surveyed"] for k in INTERVIEW_TOPICS)
    context["summary"] = _summary(project, lang, context)
    return context


# ------------------------------------------------------------------ introduction


def _intro(
    project: Project, lang: str, answers: Answers | None, plan: Plan | None
) -> dict[str, Any]:
    interviewees = [p for p in project.team if p.side == "client"]
    surveyors = [p for p in project.team if p.side == "contractor"
                 and {"consultant", "analyst", "project_manager"} & set(p.roles)]
    heads = [{"department": d.name, "head": d.head} for d in project.client.departments
             if d.head]
    survey_start, survey_finish = c.phase_period(plan, "survey", lang)
    return {
        "survey_start": survey_start,
        "survey_finish": survey_finish,
        "interviewees": [c.person_row(project, p, lang) for p in interviewees],
        "surveyors": [c.person_row(project, p, lang) for p in surveyors],
        "department_heads": heads,
        "start": i18n.day_long(project.project.start, lang),
        "document_date": i18n.day_long(document_entry(project, plan, "survey").date, lang),
        "questionnaires": c.questionnaire_titles(answers, lang, project.folder),
    }


def _who_to_ask(project: Project, kinds: tuple[str, ...], lang: str) -> str:
    """Heads of the departments of ``kinds``; the sysadmin or the client's manager else."""
    names = [f"{d.head} ({d.name})" for d in project.client.departments
             if d.kind in kinds and d.head]
    if not names:
        roles = ["sysadmin", "project_manager", "sponsor"] if not kinds else [
            "project_manager", "sponsor", "key_user"]
        names = [c.first_name_with(project, roles, side="client")]
    names = list(dict.fromkeys(n for n in names if n))
    if names:
        return i18n.join(names, lang, last=True)
    return i18n.word("survey_report", "heads_of_departments", lang)


# ------------------------------------------------------------------ the company


def _departments(project: Project, lang: str) -> list[dict[str, Any]]:
    sources = Counter(r.source for r in project.requirements)
    rows = []
    for d in project.client.departments:
        rows.append({
            "id": d.id,
            "name": d.name,
            "kind": label("department_kind", d.kind, lang),
            "head": d.head or i18n.DASH,
            "headcount": i18n.number(d.headcount, lang),
            "users": i18n.number(d.users, lang),
            "functions": list(d.functions),
            "requirements": i18n.number(sources.get(d.id, 0), lang),
        })
    return rows


def _totals(project: Project, lang: str) -> dict[str, str]:
    depts = project.client.departments
    return {
        "departments": i18n.number(len(depts), lang),
        "headcount": i18n.number(sum(d.headcount for d in depts), lang),
        "users": i18n.number(sum(d.users for d in depts), lang),
        "crm_users": i18n.number(project.client.crm_users, lang),
        "modules": i18n.number(len(project.scope.modules), lang),
    }


def _processes(project: Project, lang: str, answers: Answers | None) -> list[dict[str, Any]]:
    """Business processes "as is", one area per department."""
    areas = []
    for d in project.client.departments:
        entries = c.report_entries(answers, [f"processes.{d.id}"], lang) or (
            c.report_entries(answers, [f"processes.{d.kind}"], lang))
        reqs = [r.id for r in project.requirements if r.source == d.id]
        areas.append({
            "name": d.name,
            "kind": label("department_kind", d.kind, lang),
            "functions": list(d.functions),
            "entries": entries,
            "surveyed": bool(entries),
            "ask": f"{d.head} ({d.name})" if d.head else d.name,
            "requirements": ", ".join(reqs),
        })
    return areas


# ------------------------------------------------------------------ goals and requirements


def _requirement(project: Project, r: Requirement, lang: str) -> dict[str, str]:
    return {
        "id": r.id,
        "module": label("module", r.module, lang),
        "statement": r.statement,
        "priority": label("priority", r.priority, lang),
        "source": c.department_name(project, r.source),
        "fit": label("fit", r.fit, lang),
        "goals": ", ".join(r.goals) or i18n.DASH,
    }


def _fit_summary(project: Project, lang: str) -> list[dict[str, str]]:
    """How many requirements fall into each fit and priority class (non-empty only)."""
    fits: Counter[str] = Counter(r.fit for r in project.requirements)
    prios: Counter[str] = Counter(r.priority for r in project.requirements)
    rows = [{"label": label("fit", f, lang), "count": i18n.number(fits[f], lang)}
            for f in _FIT_ORDER if fits[f]]
    rows += [{"label": label("priority", p, lang), "count": i18n.number(prios[p], lang)}
             for p in _PRIORITY_ORDER if prios[p]]
    return rows


def _concept(project: Project, lang: str) -> list[dict[str, Any]]:
    """The "to be" picture: every module in scope with its functions and requirements."""
    out = []
    for module in project.scope.modules:
        reqs = [r for r in project.requirements if r.module == module and r.priority != "wont"]
        out.append({
            "label": label("module", module, lang),
            "functions": module_functions(module, lang),
            "requirements": [{"id": r.id, "statement": r.statement,
                              "fit": label("fit", r.fit, lang)} for r in reqs],
        })
    return out


# ------------------------------------------------------------------ recommendation, risks


def _recommendation(project: Project, lang: str) -> dict[str, Any]:
    fixed = project.budget.fixed
    free = next(x for x in ("scope", "time", "budget") if x not in fixed)
    changes = project.changes
    change_hours = sum(ch.estimate_hours for ch in changes)
    mvp = project.plan.mvp_department
    return {
        "mode": project.project.mode,
        "label": label("mode", project.project.mode, lang),
        "users": i18n.number(project.client.crm_users, lang),
        "departments": i18n.number(len(project.client.departments), lang),
        "modules": i18n.number(len(project.scope.modules), lang),
        "changes": i18n.number(len(changes), lang),
        "has_changes": bool(changes),
        "change_hours": i18n.hours(change_hours, lang),
        "integrations": i18n.number(len(project.integrations), lang),
        "has_integrations": bool(project.integrations),
        "fixed": i18n.join(c.labels_of("corner", fixed, lang), lang, last=True),
        "free": label("corner", free, lang),
        "mvp_department": c.department_name(project, mvp) if mvp else "",
        "iterations": i18n.number(project.plan.iterations, lang),
        "has_telephony": any(i.kind == "telephony" for i in project.integrations),
    }


def _summary(project: Project, lang: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """Numbers for the executive summary."""
    reqs = project.requirements
    fits = Counter(r.fit for r in reqs)
    open_topics = [k for k in REQUIRED_TOPICS if not ctx[k]["surveyed"]]
    return {
        "goals": i18n.number(len(project.goals), lang),
        "problems": i18n.number(sum(len(g.tasks) for g in project.goals), lang),
        "requirements": i18n.number(len(reqs), lang),
        "has_requirements": bool(reqs),
        "covered": i18n.number(fits["standard"] + fits["setting"], lang),
        "changes": i18n.number(fits["change"], lang),
        "gaps": i18n.number(fits["gap"], lang),
        "has_gaps": bool(fits["gap"]),
        "open_topics": i18n.number(len(open_topics), lang),
        "has_open_topics": bool(open_topics),
    }
