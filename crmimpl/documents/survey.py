"""Context of the pre-project survey report («Отчет о предпроектном обследовании»).

The report says *what* the CRM must do: the company as surveyed, its problems turned
into goals, the requirements register, the "to be" concept, the recommended mode and a
first estimate and plan. Facts come from the project; what only interviews can tell
(client portraits, sales channels, processes "as is"...) comes from questionnaire answers
by ``report_key``; when an answer is missing the report names who still has to be asked.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import common as c
from crmimpl.documents import modes
from crmimpl.documents import survey_answers as sa
from crmimpl.documents.economics_section import tco_context
from crmimpl.documents.register import document_entry, last_interview, open_question_due
from crmimpl.documents.spec import module_exchanges
from crmimpl.industry import module_label, standard_functions
from crmimpl.model.project import Project, Requirement
from crmimpl.plan.pilot import (
    last_wave_margin,
    on_site_text,
    pilot_absences,
    pilot_period,
    pilot_waves_text,
)
from crmimpl.vocabulary import label

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan
    from crmimpl.questionnaire.answers import Answers

NAME = "survey_report"

# Topics only interviews can tell: context key -> (report keys in the order shown,
# department kinds whose heads are asked when nothing is answered yet). The keys are
# those of questionnaires/survey.yaml; a firm's own questionnaire may use the same keys.
INTERVIEW_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "company_notes": (("company.founded", "company.locations", "company.registration"),
                      ("management",)),
    "documents": (("documents.contact", "documents.nda_required", "documents.checklist"),
                  ("management",)),
    # growth.users: said once, beside the users of the system with the licences it means
    "org_notes": (("company.has_branches", "company.branches", "growth.plans",
                   "project.sponsor", "project.working_group"), ("management",)),
    "product_notes": (("company.activity", "company.products"), ("sales", "management")),
    "classification": (("clients.types", "clients.active", "clients.classification",
                        "clients.fields", "clients.shared", "clients.ownership_rules"),
                       ("sales", "marketing")),
    "portraits": (("sales.cycle", "sales.average_deal", "sales.repeat_share",
                   "clients.portraits", "sales.seasonality"), ("sales", "marketing")),
    "channels": (("sales.channels", "marketing.leads_per_month", "marketing.lead_sources"),
                 ("sales", "management")),
    "marketing_mix": (("marketing.mix", "marketing.measures_roi", "marketing.roi_method"),
                      ("marketing", "sales")),
    "processes_common": (("processes.documented", "project.approach", "processes.main",
                          "processes.funnel_stages", "processes.approvals",
                          "processes.after_sales", "processes.task_control"),
                         ("sales", "service", "management")),
    "reports_in_use": (("reports.tools", "reports.frequency", "reports.used", "reports.kpis",
                        "reports.missing"), ("management", "sales")),
    "it_landscape": (("it.current_tool", "it.current_tool_name", "it.telephony",
                      "it.telephony_provider", "it.call_recording", "it.email",
                      "it.messengers", "it.accounting_system", "it.accounting_version",
                      "it.exchange_objects", "it.e_documents", "it.website",
                      "it.website_features", "it.sso", "it.hosting", "it.contact",
                      "it.current_tool_issues", "it.other_systems"), ()),
    "data_quality": (("data.quality", "data.history_depth", "data.sources",
                      "data.directories"), ("sales",)),
    "expectations": (("goals.expected", "goals.problems", "goals.success_criteria"),
                     ("management",)),
    "executive_goals": (("goals.by_executive",), ("management",)),
    "compliance": (("compliance.processes_pd", "compliance.operator_notice",
                    "compliance.localisation", "compliance.registration",
                    "compliance.consent", "compliance.lawful_basis", "compliance.residency",
                    "compliance.retention", "compliance.access_policy"), ()),
    "selection": (("project.fixed_corners", "selection.vendor_origin",
                   "selection.budget_comment", "selection.candidates"), ("management",)),
    "rollout_wishes": (("rollout.launch_date", "rollout.training_format",
                        "rollout.pilot_department", "rollout.pilot_month", "rollout.crm_expert",
                        "rollout.documentation", "rollout.support", "rollout.concerns",
                        "rollout.comments"), ("management",)),
    "roadmap": (("roadmap.later_phases",), ("management",)),
}
# Topics the report always shows; the others appear only when answered.
REQUIRED_TOPICS = ("classification", "portraits", "channels", "marketing_mix",
                   "processes_common", "reports_in_use", "it_landscape")
# Modes whose survey is short and targeted (METHODOLOGY.md): an express package adopts the
# standard processes, a CTI project adds telephony to a working CRM. Their reports leave
# out the topics such a survey does not cover instead of calling them "not surveyed", and
# ask no open questions about them.
FOCUSED_MODES = ("express", "cti")
# What a CTI survey must establish about the telephony (open questions when not answered):
# locale keys survey_report.open_cti_<key>, owner by role (client side).
CTI_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("routing", ("key_user", "project_manager")),
    ("volumes", ("key_user", "project_manager")),
    ("extensions", ("sysadmin", "project_manager")),
    ("night", ("project_manager", "key_user")),
    ("recording", ("project_manager", "sponsor")),
    ("network", ("sysadmin", "project_manager")),
)
# The telephony answers of the survey questionnaire: when any is given, the CTI report
# shows them and asks only about the rest.
# Answers the project's own `migration:` list settles: the client's first list of data
# sources, shown as such (the migration table says what is moved).
SETTLED_BY_MIGRATION = ("data.sources",)
CTI_ANSWER_KEYS = {"routing": "it.telephony", "recording": "it.call_recording"}
_FIT_ORDER = ("standard", "setting", "change", "gap", "out")
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
        "tax": c.tax_terms(project),
        "lang": lang,
        # answers are not translated: an English report says it quotes them in Russian
        "answers_in_original": lang != "ru" and c.answers_in_russian(answers),
        "meta": c.register_meta(project, the_plan, "survey", lang, i18n.word("titles", NAME, lang),
                                project.project.title),
        "client": c.client_row(project, lang),
        "mode": project.project.mode,
        "mode_label": label("mode", project.project.mode, lang),
        "approach": project.scope.approach,
        # an express package adopts the system's processes, whatever scope.approach says
        "approach_label": label("approach", "standard" if project.project.mode == "express"
                                else project.scope.approach, lang),
        "has_vacations": any(p.vacations for p in project.team),
        "scope_notes": project.scope.notes or "",
        "intro": _intro(project, lang, answers, the_plan),
        "departments": _departments(project, lang),
        "totals": _totals(project, lang),
        "products": list(project.client.products),
        "goals": [{**g, "measurement": _after_colon(g["measurement"], lang)}
                  for g in c.goal_rows(project, lang)],
        "requirements": [_requirement(project, r, lang) for r in in_id_order(project.requirements)],
        "fit_summary": _fit_summary(project, lang),
        "has_out_of_scope": any(_out_of_scope(r) for r in project.requirements),
        "concept": _concept(project, lang),
        "to_be": _to_be(project, lang),
        "integrations": [c.integration_row(i, lang, project) for i in project.integrations],
        "migration": [c.migration_row(project, m, lang) for m in project.migration],
        "user_classes": [_user_class(project, u, lang) for u in project.user_classes],
        "recommendation": _recommendation(project, lang),
        "estimate": _estimate(project, the_plan, lang),
        "tco": tco_context(project, lang, the_plan),
        "pilot_waves_text": pilot_waves_text(project, the_plan, lang),
        # the consultants on duty while users start (the client asked), as the plan has it
        "on_site_text": on_site_text(project, the_plan, lang),
        # why the waves differ from the client's request, said next to them
        "pilot_decision": (project.rollout.decision or "").strip(),
        "pilot_absences": pilot_absences(project, the_plan, lang),
        "pilot_margin": last_wave_margin(project, the_plan, lang),
        "team_client": (team_client := c.team_rows(project, lang, "client", the_plan)),
        # a head who takes only their own department's topics of a combined heads' course
        # (the table's own first such cell is the example the note gives)
        "team_part_course": next((r["training"] for r in team_client
                                  if re.search(r"\d (из|of) \d", r["training"])), ""),
        # department heads outside the working group: the plan gives them no hours
        "team_heads": any(d.head and d.head not in {p.name for p in project.team}
                          for d in project.client.departments),
        # a contractor's specialist with no task in the plan is not on the project: the
        # report lists the people the plan gives work to (without a plan, everyone), and
        # the support specialist the client works with after go-live (round 14: the client
        # first met her as the owner of four audit actions)
        "team_contractor": [row for p, row in zip(
            [p for p in project.team if p.side == "contractor"],
            c.team_rows(project, lang, "contractor", the_plan), strict=True)
            if the_plan is None or row["effort"] != i18n.DASH or "support" in p.roles],
        "risks": [c.risk_row(project, r, lang) for r in project.risks],
        **c.frame_context(project, lang),
    }
    library = sa.library_for(project)
    cat = sa.catalog(library)
    skip = _known_facts(project)
    context["decisions"] = [d.strip() for d in project.survey.decisions]
    notice = answers.report("compliance.operator_notice") if answers is not None else None
    notice_said = bool(context["legal"].get("notification_phrase")
                       and str(notice).lower() in ("yes", "true"))
    if notice_said:
        # the client answered that the notification is filed: what is left is to check that
        # it covers the CRM (the report must not ask to check what the table says is done)
        context["legal"] = {**context["legal"], "notification_phrase": i18n.word(
            "survey_report", "pd_notice_filed", lang)}
    registered = answers.report("compliance.registration") if answers is not None else None
    registered_said = bool(not notice_said and context["legal"].get("notification")
                           and str(registered).lower() in ("yes", "true"))
    if registered_said:
        # a registration with the regulator the client says it holds (the ICO): stated as
        # done, not as a check the client is still to make
        context["legal"] = {**context["legal"], "notification_phrase": i18n.word(
            "survey_report", "pd_registered", lang).replace(
                "{notification}", context["legal"]["notification"])}
    if project.project.mode == "cti" and project.system is not None and project.system.in_use:
        # the client's data is already processed in its CRM: what is new is the recordings
        context["legal"] = {**context["legal"], "notification_phrase": i18n.word(
            "survey_report", "pd_recordings", lang).replace("{system}", project.system.product)}
    from_project = _untranslated_facts(project, answers, lang)
    for key, (report_keys, kinds) in INTERVIEW_TOPICS.items():
        # the filed notification is said in the legal paragraph above the answers
        said = ({"compliance.operator_notice"} if notice_said else set()) | (
            {"compliance.registration"} if registered_said else set())
        said = said if key == "compliance" else set()
        context[key] = {**sa.topic(answers, cat, report_keys, lang, skip=skip,
                                   skip_keys=from_project | said),
                        "ask": _who_to_ask(project, kinds, lang)}
        first = _first_head(project, kinds)
        if not context[key]["surveyed"] and first is not None:
            # the one person the open question names, not every head who could answer
            context[key]["ask"] = f"{first.head} ({i18n.department_in_text(first.name, lang)})"
    context["marketing_mix"]["known"] = _marketing_tools(project, lang)
    context["marketing_mix"]["unmeasured"] = returns_not_measured(project)
    context["sources_merged"] = False  # the client's list joined to the migration table
    context["migration_kept"] = False  # …with a column of who keeps each source
    context["sources_not_migrated"] = []
    if project.migration:  # the client's first list, before the decision on what moves
        _drop_repeated_sources(project, context["data_quality"], cat, lang)
        for key in SETTLED_BY_MIGRATION:
            asked = cat.get(key)
            for table in context["data_quality"].get("tables", []):
                if asked is not None and table["label"] == sa.caption(asked, lang):
                    owner = next((col.label.get(lang) for col in asked.question.columns
                                  if col.id == "owner"), None)
                    if _merge_sources(context, table, owner):
                        continue
                    table["label"] = i18n.word("survey_report", "sources_as_answered", lang)
                    # the client's «owner» keeps the data; the migration table names who
                    # signs off its load (one person may keep it, another sign it off)
                    table["header"] = [i18n.word("survey_report", "sources_kept_by", lang)
                                       if h == owner else h for h in table["header"]]
                    table["notes"] = [*table.get("notes", []),
                                      i18n.word("survey_report", "sources_signoff", lang)]
            context["data_quality"]["tables"] = [
                t for t in context["data_quality"].get("tables", []) if not t.get("merged")]
    context["processes"] = _processes(project, lang, answers, cat, library, the_plan)
    held = _interviewed(the_plan) if context["intro"]["done"] else set()
    for area, dept in zip(context["processes"], project.client.departments, strict=True):
        area["interviewed"] = dept.id in held
    _mark_covered(context["processes"], context["processes_common"]["surveyed"])
    focused = project.project.mode in FOCUSED_MODES
    context["focused"] = focused
    # a topic's section is shown when answered, or in a full survey (where it says who
    # still has to be asked)
    context["show"] = {key: context[key]["surveyed"] or not focused for key in REQUIRED_TOPICS}
    context["scope_areas"] = _scope_areas(project, lang)
    context["telephony"] = _telephony(project, lang)
    if answers is not None and answers.report("company.locations") \
            and "company.locations" not in from_project:
        # the client's own list of sites (with addresses) replaces the project's short one
        context["client"] = {**context["client"], "locations": []}
    context["intro"]["has_answers"] = any(context[k]["surveyed"] for k in INTERVIEW_TOPICS)
    context["open_questions"] = _open_questions(project, lang, answers, library, the_plan,
                                                context)
    context["client_inputs"] = _client_inputs(answers, cat, project, the_plan, lang)
    context["summary"] = _summary(project, lang, context)
    context["abbreviations"] = _abbreviations(context, lang)
    return context


def _abbreviations(context: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The abbreviations the report uses, for its glossary (the specification's list of
    expansions, found in this report's own text)."""
    from crmimpl.documents.spec import abbreviations

    return [{**a, "dash": lang == "ru"} for a in abbreviations(context, lang, NAME)]


# ------------------------------------------------------------------ introduction


def _heads_interviewed(project: Project, team: list[Any], lang: str) -> list[dict[str, str]]:
    """Department heads outside the project team who were interviewed for their department
    (Appendix A names them too): in the participants' table with their department."""
    named = {p.name for p in team}
    rows = []
    for d in project.client.departments:
        if d.head and d.head not in named:
            named.add(d.head)
            rows.append({"name": d.head,
                         "position": d.head_position or i18n.word(
                             "survey_report", "head_of", lang).replace("{department}", d.name),
                         "roles": i18n.word("survey_report", "interviewee", lang)})
    return rows


def _intro(
    project: Project, lang: str, answers: Answers | None, plan: Plan | None
) -> dict[str, Any]:
    interviewees = [p for p in project.team if p.side == "client"]
    surveyors = [p for p in project.team if p.side == "contractor"
                 and {"consultant", "analyst", "project_manager"} & set(p.roles)]
    # who the plan has surveying (a PBX survey is an integrator's work, not an analyst's;
    # volga's trainers, consultants by role, had no survey task)
    survey = next((ph for ph in plan.phases if ph.id == "survey"), None) if (
        plan is not None) else None
    if survey is not None:
        busy = {a.person_id for t in survey.tasks for a in t.assignments}
        planned = [p for p in project.team if p.side == "contractor" and p.id in busy]
        if planned:
            surveyors = planned
    heads = [{"department": d.name, "head": d.head} for d in project.client.departments
             if d.head]
    survey_start, survey_finish = c.phase_period(plan, "survey", lang)
    issued = document_entry(project, plan, "survey").date
    interviewed = last_interview(plan) if plan is not None else None
    return {
        # the report is issued after the last interview: it states what was found,
        # not what is still being asked
        "done": interviewed is None or issued >= interviewed,
        "survey_start": survey_start,
        "survey_finish": survey_finish,
        "interviewees": [c.person_row(project, p, lang) for p in interviewees]
        + _heads_interviewed(project, interviewees, lang),
        "surveyors": [c.person_row(project, p, lang) for p in surveyors],
        "department_heads": heads,
        "start": i18n.day_long(project.project.start, lang),
        "document_date": i18n.day_long(issued, lang),
        "questionnaires": c.questionnaire_titles(answers, lang, project.folder),
    }


def _scope_areas(project: Project, lang: str) -> str:
    """The client-facing processes the survey covers, from the departments' kinds
    ("продажи и сервис"): no marketing for a company without a marketing department."""
    words = {"ru": {"sales": "продажи", "marketing": "маркетинг", "service": "сервис"},
             "en": {"sales": "sales", "marketing": "marketing", "service": "service"}}
    mine = words.get(lang, words["en"])
    kinds = {d.kind for d in project.client.departments}
    found = [w for k, w in mine.items() if k in kinds]
    return i18n.join(found, lang, last=True) if found else ""


def _telephony(project: Project, lang: str) -> dict[str, Any]:
    """What the project knows about the telephony a CTI project connects: the PBX, its
    numbers and extensions (the integration's notes), and who will use it."""
    pbx = next((i for i in project.integrations if i.kind == "telephony"), None)
    if pbx is None:
        return {"has": False}
    depts = [d for d in project.client.departments
             if (not pbx.departments or d.id in pbx.departments) and d.users]
    users = sum(d.users for d in depts)
    return {
        "has": True,
        "system": pbx.system,
        "notes": pbx.notes.strip() if pbx.notes else "",
        "objects": i18n.join([c.lower_position(o, lang) for o in pbx.objects], lang,
                             last=True),
        # the telephony topics still open (the settled ones are stated, not asked)
        "open_topics": i18n.join([i18n.word("survey_report", f"cti_topic_{key}", lang)
                                  for key, _ in CTI_TOPICS
                                  if key not in project.survey.settled], lang, last=True),
        "open_topics_many": sum(1 for key, _ in CTI_TOPICS
                                if key not in project.survey.settled) > 1,
        "users": i18n.number(users, lang),
        "users_count": users,
        "departments": [{"name": d.name, "users": i18n.number(d.users, lang)} for d in depts],
    }


def _first_head(project: Project, kinds: tuple[str, ...]) -> Any:
    """The department (with a head) an open question on a topic of ``kinds`` is put to."""
    return next((d for kind in kinds for d in project.client.departments
                 if d.kind == kind and d.head), None)


def _marketing_tools(project: Project, lang: str) -> str:
    """The promotion tools the marketing departments' functions name (what the survey did
    establish about the marketing mix even when its questions were not answered)."""
    functions = [f.strip().rstrip(".") for d in project.client.departments
                 if d.kind == "marketing" for f in d.functions if f.strip()]
    if lang == "ru":
        # after a colon the list runs on in lower case (abbreviations stay as they are)
        functions = [f[:1].lower() + f[1:] if f[1:2].islower() else f for f in functions]
    else:  # "tools: website, paid search…", a name ("LinkedIn ads") kept
        functions = [sa.run_on(f, lang) for f in functions]
    return "; ".join(functions)


def _who_to_ask(project: Project, kinds: tuple[str, ...], lang: str) -> str:
    """Heads of the departments of ``kinds``; the sysadmin or the client's manager else."""
    names = [f"{d.head} ({i18n.department_in_text(d.name, lang)})"
             for d in project.client.departments if d.kind in kinds and d.head]
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
            # the same «Направление» as the specification's table (one function)
            "kind": c.department_area(d, lang),
            "head": d.head or i18n.DASH,
            "headcount": i18n.number(d.headcount, lang),
            "users": i18n.number(d.users, lang),
            "functions": list(d.functions),
            # after the department's dash the functions run on in lower case, in English
            # too ("New Business Sales — lead qualification…", not "— Lead qualification")
            "functions_inline": [c.lower_position(f, lang) if lang == "ru" else
                                 sa.run_on(f, lang) for f in d.functions],
            "requirements": i18n.number(sources.get(d.id, 0), lang),
        })
    return rows


# what the survey's whole-unit amounts are rounded to, by currency
_ROUNDED_TO = {"ru": {"RUB": "рубля"},
               "en": {"RUB": "whole roubles", "GBP": "whole pounds", "EUR": "whole euros",
                      "USD": "whole dollars"}}


def _estimate(project: Project, plan: Plan | None, lang: str) -> dict[str, Any]:
    """The preliminary estimate: tables in whole currency units, running text rounded as a
    consultant says it («около 4,8 млн ₽»); the plan workbook keeps the exact figures."""
    estimate = c.estimate_context(project, plan, lang, whole=True)
    estimate["net_rough"] = (i18n.rough_money(plan.costs.net, lang, plan.costs.currency)
                             if plan is not None else "")
    # the table's whole units hide cents the specification shows (VAT 6 460 481,50):
    # the note under it says so, so the two totals do not read as a disagreement
    rounded = bool(
        plan is not None and estimate["whole_units"] and not estimate["has_package"]
        and any(x != x.to_integral_value()
                for x in [plan.costs.net, plan.costs.vat, plan.costs.total,
                          *(ph.cost for ph in plan.phases)]))
    unit = _ROUNDED_TO[lang].get(project.project.currency,
                                 "целых единиц валюты" if lang == "ru"
                                 else "whole units of currency")
    estimate["rounded"] = unit if rounded else ""
    estimate["rounded_unit"] = unit  # the TCO table says the same of its amounts
    estimate["kopecks"] = project.project.currency == "RUB"
    # the pilot operation the launch follows (the glossary defines the term: the summary uses it)
    # (a phased pilot's whole period: from its first wave, as §6 and the specification say)
    period = pilot_period(plan)
    estimate["pilot_from"], estimate["pilot_to"] = (
        (i18n.day(period[0], lang), i18n.day(period[1], lang)) if period else ("", ""))
    return estimate


def _totals(project: Project, lang: str) -> dict[str, Any]:
    depts = project.client.departments
    headcount = sum(d.headcount for d in depts)
    employees = project.client.employees or 0
    industry = project.client.industry.strip()
    if len(industry) > 1 and not industry[1].isupper():  # «(оптовая торговля …)»
        industry = industry[:1].lower() + industry[1:]
    return {
        "n_departments": len(depts),
        "n_headcount": headcount,
        "n_users": sum(d.users for d in depts),
        "n_modules": len(project.scope.modules),
        "employees": i18n.number(employees, lang) if employees > headcount else "",
        "industry": industry,
        "departments": i18n.number(len(depts), lang),
        "headcount": i18n.number(sum(d.headcount for d in depts), lang),
        "users": i18n.number(sum(d.users for d in depts), lang),
        "crm_users": i18n.number(project.client.crm_users, lang),
        "modules": i18n.number(len(project.scope.modules), lang),
        # the subsystems by name, where they are few (a CTI project: telephony and reports)
        "module_names": i18n.join([f"«{label('module', m, lang)}»" if lang == "ru" else
                                   f"\"{label('module', m, lang)}\""
                                   for m in project.scope.modules], lang, last=True),
    }


def _excluded(project: Project, department: str, lang: str) -> Any:
    """«; вне объема этой версии (R23)» after a department's answer that a "won't"
    requirement takes, as the specification's §3.4 says it."""
    from crmimpl.documents.spec import excluded_note

    # with the question's choices, a list answer names the documents that are out
    # («Proposal (quote); Contract; contract: out of scope», not a bare note after all)
    return lambda asked, value: excluded_note(
        project, department, asked.question.id, value, lang,
        c.value_labels(asked.definition, asked.question, lang))


def _processes(project: Project, lang: str, answers: Answers | None,
               cat: dict[str, sa.Asked], library: dict[str, Any],
               plan: Plan | None = None) -> list[dict[str, Any]]:
    """Business processes "as is", one area per department, from its requirements answers."""
    keys = _department_keys(library)
    requirements = library.get("requirements")
    asked_kinds = set(requirements.audiences) if requirements is not None else set()
    staff_keys = _department_keys(library, "employee")
    from crmimpl.plan.training import admin_class_users

    admins = admin_class_users(project)
    areas = []
    for d in project.client.departments:
        answered = sa.topic(answers, cat, keys, lang, audience=d.id,
                            note=_excluded(project, d.id, lang))
        staff = sa.voices(answers, cat, staff_keys, lang, d.id)
        reqs = [r.id for r in in_id_order(project.requirements) if r.source == d.id]
        respondents = [project.in_own_words(n) or n for n in _respondents(answers, d.id)]
        areas.append({
            "name": d.name,
            "kind": label("department_kind", d.kind, lang),
            "functions": list(d.functions),
            "process": [{"n": str(n), "step": st.step, "who": st.who or i18n.DASH,
                         "record": st.record or i18n.DASH, "problem": st.problem or i18n.DASH,
                         # the goal task that removes it, named beside it (§ goals)
                         "task": (f"{i18n.word('survey_report', 'task_ref', lang)} {st.task}"
                                  if st.problem and st.task else "")}
                        for n, st in enumerate(d.process, start=1)],
            **answered,
            "respondents": i18n.join(respondents, lang, last=True) if respondents else "",
            # the head and the people the plan books on the department's interview
            "ask": i18n.join(c.interviewees(project, plan, d.id), lang, last=True) or d.name,
            # whether ``ask`` names people (else it is the department's own name)
            "ask_named": bool(c.interviewees(project, plan, d.id)),
            "requirements": ", ".join(reqs),
            "staff": staff,
            "questionnaire_sent": d.kind in asked_kinds,
            "covered": False,
            "kind_id": d.kind,
            # every CRM user of it administers the system (volga's IT and security):
            # no work with clients to map step by step, so no open question on it
            "admin": bool(d.users) and admins.get(d.id, 0) >= (d.users or 0),
        })
    return areas


def _drop_repeated_sources(project: Project, topic: dict[str, Any], cat: Any,
                           lang: str) -> None:
    """The client's list of data sources is left out when the migration table says it
    all: as many sources, kept by the same people (the survey tabulated optima's four
    sources twice, with the same four names). A list that differs stays, with the note
    on who signs each load off."""
    team = {p.id: p.name for p in project.team}

    def words(name: str) -> set[str]:
        # «Лебедева О. Д.», «Olga Lebedeva», «Lebedeva O.»: the surname is the shared word
        return {w for w in re.split(r"[\s\u00a0.]+", name) if len(w) > 2}

    owners = [words(team.get(m.owner or "", "")) for m in project.migration]
    for key in SETTLED_BY_MIGRATION:
        asked = cat.get(key)
        if asked is None:
            continue
        caption = sa.caption(asked, lang)
        for table in list(topic.get("tables", [])):
            if table["label"] != caption or len(table["rows"]) != len(project.migration):
                continue
            # a Russian client's own list in an English document names people as the
            # answers do («Лебедева О. Д.»): read in the document's words
            kept = [words(project.in_own_words(str(row[-1])) or str(row[-1]))
                    for row in table["rows"]]
            if all(any(k & o for o in owners) for k in kept) and \
                    all(any(k & o for k in kept) for o in owners):
                topic["tables"].remove(table)


def _interviewed(plan: Plan | None) -> set[str]:
    """Departments whose interview the plan holds (``survey.interview.<department>``)."""
    if plan is None:
        return set()
    return {t.id.rsplit(".", 1)[1] for t in plan.tasks
            if t.id.startswith(("survey.interview.", "mvp.interview."))}


# Departments that take part in the client work through approvals, invoices and reports
# rather than a process of their own: once the survey describes the company-wide process,
# their step-by-step "as is" is no open question.
SUPPORTING_KINDS = ("management", "accounting")


def _mark_covered(areas: list[dict[str, Any]], common_surveyed: bool) -> None:
    """Mark the supporting departments whose part is in the company-wide process."""
    for area in areas:
        area["covered"] = bool(common_surveyed and area["kind_id"] in SUPPORTING_KINDS
                               and area["requirements"] and not area["process"]
                               and not area["surveyed"])


def _department_keys(library: dict[str, Any], kind: str = "requirements"
                     ) -> tuple[str, ...]:
    """Report keys of the questionnaires of a kind answered per department, in order."""
    keys: list[str] = []
    for definition in library.values():
        if definition.kind == kind:
            keys += [q.report_key for q in definition.questions() if q.report_key]
    return tuple(dict.fromkeys(keys))


def _respondents(answers: Answers | None, dept_id: str) -> list[str]:
    if answers is None:
        return []
    names = []
    for qa in answers.questionnaires.values():
        data = qa.files.get(dept_id)
        if qa.kind == "requirements" and data is not None:
            names += [r.respondent.name for r in data.responses if r.respondent.name]
    return list(dict.fromkeys(names))


def _untranslated_facts(project: Project, answers: Answers | None,
                        lang: str) -> frozenset[str]:
    """Report keys whose answer is still in Russian in a document of another language
    while the project's translation has the same data (its sites, its products): the
    report then prints the project's English list, not the Russian answer."""
    if lang == "ru" or answers is None:
        return frozenset()
    from crmimpl.overlay import contains_cyrillic

    client = project.client
    own = {"company.locations": client.locations, "company.products": client.products}
    return frozenset(key for key, data in own.items()
                     if data and not contains_cyrillic(list(data))
                     and contains_cyrillic(answers.report(key)))


def _known_facts(project: Project) -> set[str]:
    """Texts the report already shows from the project (answers repeating them are skipped)."""
    client = project.client
    known = [client.name, client.legal_name, client.industry, client.description or "",
             "; ".join(client.locations), "\n".join(client.locations)]
    return {sa.normalise(k) for k in known if k}


# ------------------------------------------------------------------ goals and requirements


_NAME_AFTER = re.compile(r"^\S+\s+[A-ZА-ЯЁ«\"]")


def _after_colon(text: str, lang: str) -> str:
    """How a goal is measured, running on after «Как измеряется показатель:»: a common
    word starts in lower case («выручка по реализациям 1С:УТ…», not «Выручка…»), as
    Russian writes after a colon; a name («Манго Офис», "Power BI") keeps its capital."""
    text = " ".join(text.split())
    if not text or _NAME_AFTER.match(text):
        return text
    return sa.run_on(text, lang)



def _source_key(name: str) -> str:
    """A source's name up to its first bracket or colon, lower case ("freshdesk",
    "contract register"): how the client's list and the migration table name one source."""
    return re.split(r"[(:]", name, maxsplit=1)[0].strip().lower()


_QUOTED = re.compile(r"«([^»]+)»|\u201c([^\u201d]+)\u201d")


def _same_source(migrated: str, listed: str) -> bool:
    """Whether the client's list and the migration table name one source: the same name
    up to a bracket or colon ("Freshdesk (CSV export)" and "Freshdesk: tickets"), one name
    the start of the other, or the same system named in quotes («Клиентская база АБС
    «Кредо-Банк»» and «АБС «Кредо-Банк» — клиенты и контакты»: volga's four sources were
    tabulated twice because no name matched exactly)."""
    a, b = _source_key(migrated), _source_key(listed)
    if a and b and (a == b or a.startswith(b) or b.startswith(a)):
        return True
    quoted = {"".join(q).lower() for q in _QUOTED.findall(migrated)}
    return bool(quoted & {"".join(q).lower() for q in _QUOTED.findall(listed)})


def _surnames(name: str) -> set[str]:
    """The words of a person's name long enough to be a surname (initials left out)."""
    return {w.lower() for w in re.split(r"[\s\u00a0.,]+", name) if len(w) > 2}


def _merge_sources(context: dict[str, Any], table: dict[str, Any], owner: str | None
                   ) -> bool:
    """One table of the client's data sources: the client's answered list (who keeps each
    source) joins the migration table (who signs off its load) when every migrated source
    is on the list; a listed source that is not migrated is said under the table. Round
    12: two tables named the same sources differently, the second in the questionnaire's
    categories ("Another system (CRM, helpdesk)"), and a sentence patched them together."""
    header = table.get("header", [])
    if owner is None or owner not in header or not context.get("migration"):
        return False
    kept_at, name_at = header.index(owner), 0
    rows = list(table.get("rows", []))
    found = {id(m): next((r for r in rows if _same_source(m["name"], r[name_at])), None)
             for m in context["migration"]}
    matched = [r for r in found.values() if r is not None]
    if len(matched) < len(found) or len({id(r) for r in matched}) < len(matched):
        return False
    for m in context["migration"]:
        m["kept_by"] = found[id(m)][kept_at]  # type: ignore[index]
    # a column of its own only where it tells something: volga's sources are kept by
    # the same people who sign their loads off («Белоусова Н. Е.», «Белоусова Наталья
    # Евгеньевна»), and the repeated column pushed the table onto a landscape page
    context["sources_merged"] = True
    context["migration_kept"] = not all(
        _surnames(m["kept_by"]) & _surnames(m["owner"]) for m in context["migration"])
    context["sources_not_migrated"] = [
        {"name": row[name_at], "kept_by": _lower_unless_name(context, row[kept_at])}
        for row in rows if all(row is not r for r in matched)]
    table["merged"] = True
    return True


def _lower_unless_name(context: dict[str, Any], text: str) -> str:
    """"Each salesperson" runs on in lower case after "kept by"; a person's name does not
    (a word whose every part is capitalised)."""
    words = text.split()
    if not words or all(w[:1].isupper() for w in words):
        return text
    return text[:1].lower() + text[1:]


_RIGHTS = {"ru": ("Права во всех разделах — {main}",
                   "Права: {parts}; в остальных разделах — {main}",
                   "выгрузка списков запрещена"),
           "en": ("Access in every module: {main}",
                  "Access: {parts}; in the other modules, {main}",
                  "no export of lists")}


def _user_class(project: Project, u: Any, lang: str) -> dict[str, str]:
    """A user class as the survey's table shows it. A class the project does not describe
    is described by its rights (optima's sales heads, volga's branch client managers had
    an empty note beside described classes): the modules whose access differs, then the
    access of all the others, as the access matrix has them."""
    row = c.user_class_row(project, u, lang)
    if row["description"] or not u.rights:
        return row
    counts = Counter(u.rights.values())
    main = max(counts, key=lambda level: (counts[level], level != "none"))
    whole, some, no_export = _RIGHTS.get(lang, _RIGHTS["en"])
    parts = []
    for level in dict.fromkeys(u.rights.values()):
        if level != main:
            modules = [i18n.quoted(module_label(project, m, lang), lang)
                       for m, given in u.rights.items() if given == level]
            dash = " — " if lang == "ru" else ": "
            parts.append(f"{i18n.join(modules, lang, last=True)}{dash}"
                         f"{label('access', level, lang)}")
    text = (some.format(parts="; ".join(parts), main=label("access", main, lang)) if parts
            else whole.format(main=label("access", main, lang)))
    row["description"] = text + (f"; {no_export}." if u.export is False else ".")
    return row


def _requirement(project: Project, r: Requirement, lang: str) -> dict[str, str]:
    return {
        "id": r.id,
        "module": module_label(project, r.module, lang),
        "statement": r.statement,
        "priority": label("priority", r.priority, lang),
        "source": c.source_name(project, r.source),
        "fit": _fit_label(r, lang),
        "goals": ", ".join(r.goals) or i18n.DASH,
    }


# a gap the client decided to leave out is out of the project's scope, not a thing the
# system cannot do (volga: WFM chosen separately, contracts printed in the core banking)
_OUT_OF_SCOPE = {"ru": "вне объема проекта", "en": "out of scope"}


def _out_of_scope(r: Requirement) -> bool:
    return r.fit == "gap" and r.priority == "wont"


def _fit_label(r: Requirement, lang: str) -> str:
    return _OUT_OF_SCOPE[lang] if _out_of_scope(r) else label("fit", r.fit, lang)


def _fit_summary(project: Project, lang: str) -> list[dict[str, str]]:
    """How many requirements fall into each fit and priority class (non-empty only)."""
    counts = project.requirement_counts()
    fits: Counter[str] = Counter("out" if _out_of_scope(r) else r.fit
                                 for r in project.requirements)
    prios: Counter[str] = Counter(r.priority for r in project.requirements)
    deferred = {"change": counts["deferred_change"]}  # a deferred change is said to be
    of = ("из них перенесено на следующий этап" if lang == "ru"
          else "of them deferred to a later stage")
    # two lines, not eight: a half-empty page of one-number bullets reads as a form
    by_fit = [f"{_OUT_OF_SCOPE[lang] if f == 'out' else label('fit', f, lang)} — "
              f"{i18n.number(fits[f], lang)}"
              + (f" ({of} — {i18n.number(deferred[f], lang)})" if deferred.get(f) else "")
              for f in _FIT_ORDER if fits[f]]
    by_priority = [f"{label('priority', p, lang)} — {i18n.number(prios[p], lang)}"
                   for p in _PRIORITY_ORDER if prios[p]]
    return [{"label": i18n.word("survey_report", key, lang), "count": ", ".join(parts)}
            for key, parts in (("by_fit", by_fit), ("by_priority", by_priority)) if parts]


def _to_be(project: Project, lang: str) -> list[dict[str, Any]]:
    """Each department's process "to be": its "as is" steps beside what changes, for the
    departments whose steps say it; a step the project does not change says so in words
    (a bare dash reads as a gap in the survey)."""
    out = []
    for d in project.client.departments:
        if not any(st.to_be for st in d.process):
            continue
        out.append({"name": d.name, "steps": [
            {"n": str(n), "step": st.step, "to_be": st.to_be or _unchanged(st.requirements, lang)}
            for n, st in enumerate(d.process, start=1)]})
    return out


def _unchanged(requirements: list[str], lang: str) -> str:
    """A step without its own "to be": unchanged, unless requirements of the project
    serve it (then the step does change, and the requirements say how)."""
    if not requirements:
        return "Без изменений" if lang == "ru" else "No change"
    ids = ", ".join(requirements)
    return (f"Меняется по требованиям {ids}" if len(requirements) > 1
            else f"Меняется по требованию {ids}") if lang == "ru" else f"Changes under {ids}"


def _concept(project: Project, lang: str) -> list[dict[str, Any]]:
    """The "to be" picture: every module in scope with its functions and requirements."""
    out = []
    for module in project.scope.modules:
        reqs = [r for r in project.requirements if r.module == module and r.priority != "wont"]
        out.append({
            "label": module_label(project, module, lang),
            "functions": standard_functions(project, module, lang),
            "requirements": [{"id": r.id, "statement": r.statement,
                              "fit": label("fit", r.fit, lang)} for r in reqs],
            # with no requirement of its own, what the exchange that serves it does (the
            # e-mail part is the mail server's exchange), as the specification says it
            "exchanges": [_exchange_sentence(e, lang)
                          for e in module_exchanges(project, module)] if not reqs else [],
            # an express package's part with no requirement of its own: what the package
            # sets up in it (the passport's settings), not the product catalogue's line
            "settings": [modes.lower_first(x) if lang == "ru" else x
                         for x in modes.data_list("settings", module, lang)]
            if project.project.mode == "express" and not reqs else [],
        })
    return out


def _exchange_sentence(exchange: dict[str, str], lang: str) -> str:
    if lang == "ru":
        return (f"В этой части система работает через обмен с {exchange['system']}: "
                f"{exchange['objects']}.")
    return f"Here the system works through the exchange with {exchange['system']}: " \
           f"{exchange['objects']}."


# ------------------------------------------------------------------ recommendation, risks


def _recommendation(project: Project, lang: str) -> dict[str, Any]:
    fixed = project.budget.fixed
    free = next(x for x in ("scope", "time", "budget") if x not in fixed)
    changes = project.planned_changes
    change_hours = sum(ch.estimate_hours for ch in changes)
    mvp = project.plan.mvp_department
    integrations = project.integrations
    # the integrations' own estimate, when every one has it: programming that connects ready
    # interfaces, told apart from changes to the standard subsystems
    integration_hours = (sum(i.effort_hours or 0 for i in integrations)
                         if integrations and all(i.effort_hours for i in integrations) else 0)
    # what the client asked for and this version leaves out (the register says why)
    deferred = [f"{r.id} — {c.lower_position(r.statement.rstrip('.'), lang)}"
                for r in project.requirements if r.priority == "wont" or r.fit == "gap"]
    return {
        "deferred": "; ".join(deferred),
        "n_modules": len(project.scope.modules),
        "n_integrations": len(integrations),
        "integration_hours": i18n.hours(integration_hours, lang) if integration_hours else "",
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


def unowned_problems(project: Project) -> list[tuple[Any, str]]:
    """The problems the survey recorded "as is" that no goal task removes, with their
    department: (department, problem), in the order of the process tables."""
    return [(d, st.problem.strip()) for d in project.client.departments for st in d.process
            if st.problem and st.task is None]


# a problem that says what the marketing's returns are measured by today (nothing)
_RETURNS = re.compile(r"стоимост\w* лида|стоимост\w* привлечени|окупаемост\w* (рекламы|"
                      r"канал|продвижени)|cost per lead|cost of a lead|return on marketing|"
                      r"marketing roi|cost per acquisition", re.IGNORECASE)


def returns_not_measured(project: Project) -> str:
    """The problem (of a process step or a goal task) that says how the returns on
    marketing are judged today (cost per lead not calculated...), or "": the report then
    states it instead of
    «not established in the survey» and an open question."""
    said = [st.problem for d in project.client.departments for st in d.process
            if st.problem] + [t.statement for g in project.goals for t in g.tasks]
    return next((str(p).strip().rstrip(".") for p in said if _RETURNS.search(str(p))), "")


def problems_found(project: Project) -> tuple[int, int]:
    """How many problems the survey found, and how many of them the goals' tasks remove.

    The list is the one the report shows: the goals' tasks (each a problem found) and the
    problems of the "as is" process tables; a table's problem that names its task is that
    task, counted once. Every count of problems in the report comes from here."""
    tasks = sum(len(g.tasks) for g in project.goals)
    return tasks + len(unowned_problems(project)), tasks


def _summary(project: Project, lang: str, ctx: dict[str, Any]) -> dict[str, Any]:
    """Numbers for the executive summary."""
    reqs = project.requirements
    counts = project.requirement_counts()  # one count for §2, §5 and §7
    found, removed = problems_found(project)
    goals_on = {g.id for g in project.goals if g.tasks}
    out_of_scope = sum(1 for r in reqs if _out_of_scope(r))
    return {
        "n_goals": len(project.goals),
        "n_problems": found,
        "n_removed": removed,
        "n_unowned": found - removed,
        # goals with tasks: those "aimed at removing" the problems
        "n_goals_on": len(goals_on) or len(project.goals),
        "goals": i18n.number(len(project.goals), lang),
        "problems": i18n.number(found, lang),
        "requirements": i18n.number(len(reqs), lang),
        "has_requirements": bool(reqs),
        "covered": i18n.number(counts["standard"] + counts["setting"], lang),
        "changes": i18n.number(counts["change"], lang),
        "has_changes": bool(counts["change"]),
        "gaps": i18n.number(counts["gap"], lang),
        "has_gaps": bool(counts["gap"]),
        # a gap the client left out is out of scope (the register says so), not deferred
        "out_of_scope": i18n.number(out_of_scope, lang),
        "has_out_of_scope": bool(out_of_scope),
        "deferred": i18n.number(counts["deferred"] - out_of_scope, lang),
        "has_deferred": bool(counts["deferred"] - out_of_scope),
        "deferred_changes": i18n.count(
            counts["deferred_change"], lang, ("доработка", "доработки", "доработок"),
            ("custom change", "custom changes")) if counts["deferred_change"] else "",
        "open_questions": i18n.number(len(ctx["open_questions"]["rows"]), lang),
        "open_count": len(ctx["open_questions"]["rows"]),
        "has_open_questions": bool(ctx["open_questions"]["rows"]),
    }


# ------------------------------------------------------------------ open questions


def _open_questions(project: Project, lang: str, answers: Answers | None,
                    library: dict[str, Any], plan: Plan | None,
                    ctx: dict[str, Any]) -> dict[str, Any]:
    """What the survey has not yet told: question, department, owner and due date.

    Owners come from the team (the department head, else the client's project manager);
    the due date is the end of the survey in the plan, so that design starts complete.
    """
    due = _due_date(plan, lang)
    manager = c.first_name_with(project, ["project_manager", "sponsor"], side="client")
    company = i18n.word("survey_report", "company_wide", lang)
    rows = []
    for item in sa.open_questions(answers, library, project):
        dept = _department(project, item.department)
        rows.append({"question": item.question.label.get(lang),
                     "department": dept.name if dept else company,
                     "owner": (dept.head if dept and dept.head else manager) or i18n.DASH,
                     "due": due})
    focused = project.project.mode in FOCUSED_MODES
    if project.project.mode == "cti":
        rows += _cti_questions(project, lang, answers, due, manager)
    for key in REQUIRED_TOPICS:
        if ctx[key]["surveyed"] or focused:
            continue
        dept = _first_head(project, INTERVIEW_TOPICS[key][1])
        known = key == "marketing_mix" and ctx[key].get("known")
        if known and ctx[key].get("unmeasured"):
            continue  # the project says the returns are not measured: nothing to ask
        rows.append({"question": i18n.word("survey_report",
                                           "open_marketing_return" if known else f"open_{key}",
                                           lang),
                     "department": dept.name if dept else company,
                     "owner": (dept.head if dept else manager) or i18n.DASH, "due": due})
    for area, dept in zip(ctx["processes"], project.client.departments, strict=True):
        if focused:  # an express or CTI survey takes requirements at the interviews
            break
        if not (area["surveyed"] or area["staff"]["surveyed"] or area["process"]
                or area["covered"] or area["admin"]):
            what = ("open_process" if area["requirements"] else
                    "open_department" if area["questionnaire_sent"] else "open_interview")
            if what == "open_interview" and area["interviewed"]:
                continue  # interviewed, and it raised nothing: the report says so
            rows.append({"question": i18n.word("survey_report", what, lang),
                         "department": dept.name, "owner": dept.head or manager or i18n.DASH,
                         "due": due})
    for dept, problem in unowned_problems(project):
        # a problem found that no goal removes: the working group decides its fate
        text = i18n.word("survey_report", "open_unowned_problem", lang)
        rows.append({"question": text.replace("{problem}", problem.rstrip(".")),
                     "department": dept.name,
                     "owner": dept.head or manager or i18n.DASH, "due": due})
    for q in project.survey.open_questions:
        person = next((p for p in project.team if p.id == q.owner), None)
        dept = _department(project, q.department or (person.department if person else None))
        owner = (c.person_name(project, q.owner) if q.owner else
                 (dept.head if dept and dept.head else manager))
        rows.append({"question": q.question.strip(),
                     "department": dept.name if dept else company,
                     "owner": owner or i18n.DASH,
                     "due": i18n.day(q.due, lang) if q.due else due})
    hours = c.hours_question(project, lang)
    if hours:  # the working hours the telephony's callback deadlines count in
        unknown = c.unknown_hours_departments(project)
        rows.append({"question": hours,
                     "department": unknown[0].name if len(unknown) == 1 else company,
                     "owner": c.hours_question_owner(project) or manager or i18n.DASH,
                     "due": due})
    return {"rows": _merged(rows), "due": due, "manager": manager,
            "before": _next_stage(plan)}


def _merged(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """One row per question: the same question asked of several departments names them all
    (and their owners) instead of repeating itself row after row."""
    merged: dict[str, dict[str, str]] = {}
    for row in rows:
        first = merged.get(row["question"])
        if first is None:
            merged[row["question"]] = dict(row)
            continue
        for key in ("department", "owner"):
            if row[key] not in first[key].split(", "):
                first[key] = f"{first[key]}, {row[key]}"
    return list(merged.values())


def cti_open_topics(project: Project, answers: Answers | None) -> list[str]:
    """The telephony topics (``CTI_TOPICS``) the survey report leaves open: neither answered
    in the questionnaire nor settled at the interviews."""
    out = []
    for key, _ in CTI_TOPICS:
        answer_key = CTI_ANSWER_KEYS.get(key)
        if answer_key and answers is not None and answers.report(answer_key):
            continue
        if key in project.survey.settled:  # established at the interviews
            continue
        out.append(key)
    return out


def _cti_questions(project: Project, lang: str, answers: Answers | None, due: str,
                   manager: str) -> list[dict[str, str]]:
    """The telephony facts a CTI survey establishes, asked of their owners when the
    answers do not give them."""
    tel = _telephony(project, lang)
    company = i18n.word("survey_report", "company_wide", lang)
    rows = []
    open_keys = cti_open_topics(project, answers)
    for key, roles in CTI_TOPICS:
        if key not in open_keys:
            continue
        owner = c.first_name_with(project, list(roles), side="client") or manager
        person = next((p for p in project.team if p.name == owner), None)
        dept = _department(project, person.department) if person and person.department else None
        text = i18n.word("survey_report", f"open_cti_{key}", lang)
        rows.append({"question": text.replace("{users}", tel.get("users", "")),
                     "department": dept.name if dept else company,
                     "owner": owner or i18n.DASH, "due": due})
    return rows


def _next_stage(plan: Plan | None) -> str:
    """What the open questions must be settled before: design, the MVP or the settings."""
    phases = {ph.id for ph in plan.phases} if plan is not None else set()
    if "design" in phases:
        return "design"
    return "mvp" if "mvp" in phases else "development"


def _department(project: Project, dept_id: str | None) -> Any:
    return next((d for d in project.client.departments if d.id == dept_id), None)


def _due_date(plan: Plan | None, lang: str) -> str:
    """The open questions' due date, computed once for every document that lists them."""
    due = open_question_due(plan) if plan is not None else None
    return i18n.day(due, lang) if due else i18n.DASH


# ------------------------------------------------------------------ client's frame


def _client_inputs(answers: Answers | None, cat: dict[str, sa.Asked], project: Project,
                   plan: Plan | None, lang: str) -> dict[str, Any]:
    """What the client said about budget, system choice, growth and later phases.

    Also read by the specification: the same answers, formatted once.
    """
    def text(key: str) -> str:
        asked = cat.get(key)
        value = answers.report(key) if answers is not None else None
        return sa.value_text(value, asked, lang) if asked is not None else ""

    budget = answers.report("selection.budget") if answers is not None else None
    net = plan.costs.net if plan is not None else None
    currency = project.project.currency
    goals = cat.get("goals.by_executive")
    table = sa.table_block(goals, answers.report("goals.by_executive"), lang) if (
        goals is not None and answers is not None) else None
    growth = answers.report("growth.users") if answers is not None else None
    return {
        "budget": sa.whole_money(budget, lang, currency) if budget is not None else "",
        "budget_fits": bool(budget is not None and net is not None and net <= budget),
        "budget_gap": i18n.rough_money(net - budget, lang, currency) if (
            budget is not None and net is not None and net > budget) else "",
        "estimate": i18n.rough_money(net, lang, currency) if net is not None else "",
        "budget_comment": text("selection.budget_comment"),
        "candidates": text("selection.candidates"),
        "vendor_origin": text("selection.vendor_origin"),
        "documentation": text("rollout.documentation"),
        "growth_users": i18n.number(growth, lang) if growth is not None else "",
        "growth_factor": _growth_factor(growth, project.client.crm_users, lang),
        # users beyond those the licences are bought for at launch: bought as they come
        "growth_extra": i18n.number(growth - project.client.crm_users, lang)
        if growth and growth > project.client.crm_users else "",
        "growth_plans": text("growth.plans"),
        "cloud": project.system is not None and project.system.deployment == "cloud",
        "later_phases": text("roadmap.later_phases"),
        "executive_goals": table,
    }


def _growth_factor(future: int | None, now: int, lang: str) -> str:
    """How the users grow: "рост в 1,6 раза" from one and a half times on, "рост на 12 %"
    below it (a factor of 1,1 is false precision); empty under 10 %."""
    if not future or not now or future < now * 1.1:
        return ""
    if future < now * 1.5:
        share = i18n.number(round((future - now) * 100 / now), lang)
        return f"рост на {share} %" if lang == "ru" else f"{share}% more"
    factor = Decimal(future) / Decimal(now)
    decimals = 0 if factor.quantize(Decimal("0.1")) == factor.quantize(Decimal(1)) else 1
    times = i18n.number(factor, lang, decimals=decimals)
    return f"рост в {times} раза" if lang == "ru" else f"{times} times as many"


def client_inputs(project: Project, lang: str, *, plan: object | None = None,
                  answers: object | None = None) -> dict[str, Any]:
    """The client's budget, system choice, growth and later phases as the survey reports
    them: for other documents (the specification) that must say the same."""
    the_answers = c.resolve_answers(project, answers)
    cat = sa.catalog(sa.library_for(project))
    return _client_inputs(the_answers, cat, project, c.resolve_plan(project, plan), lang)


def in_id_order(requirements: list[Any]) -> list[Any]:
    """Requirements as a register reads them: R02 before R10, R20 before R21 whatever the
    order project.yaml adds them in (optima's R20, added after R22, stood last)."""
    def key(r: Any) -> tuple[str, int, str]:
        found = re.match(r"^(\D*)(\d+)(.*)$", r.id)
        return (found.group(1), int(found.group(2)), found.group(3)) if found else (r.id, 0, "")
    return sorted(requirements, key=key)
