"""Context of the telephony integration specification («Техническое задание на
подключение телефонии к CRM»).

A CTI project (METHODOLOGY.md: telephony integration only, for a company with a working
CRM) does not build a system: it adds telephony to the CRM in use (``system.in_use``,
``system.holds``). The specification names that CRM and what it already holds, the PBX
integration, the call scenarios (incoming call card, click to call, missed calls,
recording, statistics), users and rights, the data (used as it is, nothing migrated from
scratch), testing and acceptance, with the plan's dates and figures.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import common as c
from crmimpl.documents import modes
from crmimpl.documents.register import open_question_due
from crmimpl.documents.spec import data_protection_law
from crmimpl.documents.support_terms import support_terms
from crmimpl.industry import module_label
from crmimpl.model.project import Integration, Project, Requirement
from crmimpl.plan.pilot import pilot_period
from crmimpl.vocabulary import label, template_data

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

NAME = "cti_spec"
REGISTER = "spec"  # the CTI specification takes the specification's place in the register
# A test id never breaks inside its narrow table cell ("TC-" / "01"): a non-breaking hyphen.
_NB_HYPHEN = "\u2011"


def build_context(project: Project, lang: str, *, plan: object | None = None,
                  answers: object | None = None) -> dict[str, Any]:
    """Plain data for ``cti_spec.md.j2``.

    Args:
        project: The validated project.
        lang: Document language, ``ru`` or ``en``.
        plan: The run's plan; built here when omitted.
        answers: Unused (accepted for a uniform interface).
    """
    the_plan = c.resolve_plan(project, plan)
    assert the_plan is not None, "the CTI mode always has a plan template"
    system = modes.system_context(project, lang)
    telephony = [i for i in project.integrations if i.kind == "telephony"]
    pbx = i18n.join([i.system for i in telephony], lang, last=True)
    crm = system["name"] or "CRM"  # "CRM" reads in every case of a Russian sentence
    placed: set[tuple[str, int]] = set()  # design rules shown where their scenario is
    routing = _routing(project, the_plan, lang, placed)
    scenarios = _scenarios_and_tests(project, lang, pbx, crm, placed)
    head = c.document_head(project, the_plan, REGISTER, NAME, lang)
    # under the title, what is connected to what; the project is on the «Проект:» line
    head["meta"]["subtitle"] = (f"{crm} и {_in_sentence(pbx)}" if lang == "ru"
                                else f"{crm} and {_in_sentence(pbx)}") if pbx else crm
    return {
        "tax": c.tax_terms(project),
        **head,
        "client_pm": c.first_name_with(project, ["project_manager"], side="client"),
        "contractor_pm": c.first_name_with(project, ["project_manager"], side="contractor"),
        "sponsor": c.first_name_with(project, ["sponsor"], side="client"),
        "sysadmin": c.first_name_with(project, ["sysadmin"], side="client"),
        "admin_course": _admin_course(project, the_plan, lang),
        "system": system,
        "crm": crm,
        "pbx": pbx,
        "retention": _retention(telephony, lang),
        "pbx_in_sentence": _in_sentence(pbx) if lang == "ru" else pbx,
        "survey_date": _survey_date(project, the_plan, lang),
        "scope_notes": project.scope.notes or "",
        "goals": c.goal_rows(project, lang),
        "problems": c.problem_trace(project, lang),
        "telephony": [c.integration_row(i, lang, project) for i in telephony],
        "other_integrations": [c.integration_row(i, lang, project) for i in project.integrations
                               if i.kind != "telephony"],
        **scenarios,
        "routing": routing,
        "requirements": _requirements(project, lang, placed),
        "changes": _changes(project, the_plan, lang),
        "later": [{"id": r.id, "statement": r.statement, "solution": r.solution or ""}
                  for r in project.requirements if r.priority == "wont"],
        "users": _users(project, lang),
        "stats_column": _stats_column(project),
        "users_total": i18n.number(project.client.crm_users, lang),
        "migration": [c.migration_row(project, m, lang) for m in project.migration],
        "data_protection_law": data_protection_law(project, lang),
        "schedule": _schedule(project, the_plan, lang),
        "windows": _test_windows(project, the_plan, lang, scenarios),
        "voice_link": _voice_link(project, lang),
        "open_questions": _open_questions(project, the_plan, lang),
        "closed_questions": _closed_questions(project, answers, scenarios, routing),
        **_questions_late(the_plan, lang),
        "support": _support(project, the_plan, lang),
        "ready": _preconditions(the_plan, lang),
    }


def _preconditions(plan: Plan, lang: str) -> dict[str, str]:
    """The dates by which what the tests rely on is ready, from the plan: the list of
    badly written or repeated phone numbers goes to the client when development starts,
    the client's people fix them before testing (a call is matched by its number); the
    testers' field phones carry the PBX app by testing, everyone's by training (round
    21: both were assumed, with neither owner nor date)."""
    return {"export": modes.task_span(plan, "dev", lang)[0],
            "testing": modes.task_span(plan, "dev.testing", lang)[0],
            "training": modes.task_span(plan, "rollout.training", lang)[0]}


def _scenarios_and_tests(project: Project, lang: str, pbx: str, crm: str,
                         placed: set[tuple[str, int]]) -> dict[str, list[dict[str, Any]]]:
    """The call scenarios and the test cases, numbered in one series: the standard scenarios'
    cases first (a scenario whose requirement has its own case has none), then the cases the
    consultant wrote for requirements."""
    scenarios = _scenarios(project, lang, pbx, crm, placed)
    tested = [s for s in scenarios if s["steps"]]
    titles: dict[str, list[str]] = {}
    for sc in scenarios:
        if sc["settled_by"] and not sc["steps"]:
            titles.setdefault(sc["settled_by"], []).append(sc["title"])
    # a requirement that settles several scenarios tests them all in its own case
    own = _own_tests(project, {req: "; ".join(t[:1] + [x[:1].lower() + x[1:] for x in t[1:]])
                               for req, t in titles.items()})
    for n, case in enumerate(tested + own, start=1):
        case["id"] = f"TC{_NB_HYPHEN}{n:02d}"
    return {"scenarios": scenarios, "own_tests": own}


def _settled_by(project: Project, stems: list[str]) -> Requirement | None:
    """The requirement of this version whose statement or design rules contain a stem: it
    settles the scenario, so the standard text must not state rules of its own."""
    for r in project.requirements:
        if r.priority == "wont" or not (r.design or r.test):
            continue
        text = " ".join([r.statement, *r.design]).lower()
        if any(stem in text for stem in stems):
            return r
    return None


def _scenarios(project: Project, lang: str, pbx: str, crm: str,
               placed: set[tuple[str, int]]) -> list[dict[str, Any]]:
    """The standard call scenarios with their tests (``templates/mode_documents.yaml``); a
    scenario a requirement settles states that requirement's rules for it in place (so the
    reader does not jump to the requirements section), and its case is the requirement's
    own."""
    out = []
    for entry in template_data(modes.DATA)["cti_scenarios"]:
        req = _settled_by(project, [str(x) for x in entry.get("stems", [])])
        text, expect, steps = entry["text"], entry["expect"], entry["test"]
        rules: list[str] = []
        if req is not None:
            text, expect = entry["settled"], entry["settled_expect"]
            steps = entry.get("settled_test", steps)
            rules = _take_rules(req, [str(x) for x in entry.get("rule_stems", entry["stems"])],
                                placed)
            if rules and "settled_lead" in entry:
                text = entry["settled_lead"]
        out.append({
            "id": "",
            "key": str(entry.get("id", "")),
            "settled_by": req.id if req else "",
            "rules": rules,
            "title": str(entry["title"][lang]),
            "text": str(text[lang]).format(pbx=pbx, crm=crm, req=req.id if req else ""),
            "steps": [] if req is not None and req.test is not None
            else [str(s).format(req=req.id if req else "") for s in steps[lang]],
            "expect": str(expect[lang]).format(req=req.id if req else ""),
        })
    return out


def _take_rules(req: Requirement, stems: list[str], placed: set[tuple[str, int]]) -> list[str]:
    """The requirement's design rules that contain a stem and are not shown elsewhere yet;
    they are marked as placed, so the requirements section leaves them out."""
    out = []
    for i, rule in enumerate(req.design):
        if (req.id, i) not in placed and any(stem in rule.lower() for stem in stems):
            placed.add((req.id, i))
            out.append(rule)
    return out


# A recording retention term in the PBX notes: «Записи хранятся ... 12 месяцев», "kept 6 months".
_RETENTION = re.compile(
    r"(?:запис|record)[^.;]*?(\d+\s*(?:месяц\w*|мес\.|год\w*|лет|дн\w*|month\w*|year\w*|day\w*))",
    re.IGNORECASE)


def _retention(telephony: list[Integration], lang: str) -> str:
    """How long the PBX keeps the recordings, when its notes say so in the document's
    language, else ''."""
    for i in telephony:
        match = _RETENTION.search(i.notes or "")
        if match and (lang == "ru") == bool(re.search("[\u0400-\u04ff]", match.group(1))):
            return " ".join(match.group(1).split())
    return ""


def _in_sentence(name: str) -> str:
    """A name inside a Russian sentence: a generic first word before a quoted proper name
    goes to lower case («Облачная АТС «Манго Офис»» → «облачная АТС «Манго Офис»»)."""
    if "«" in name and len(name) > 1 and "А" <= name[0] <= "Я" and name[1].islower() \
            and not name.startswith("«"):
        return name[0].lower() + name[1:]
    return name


def _survey_date(project: Project, plan: Plan, lang: str) -> str:
    """The date of the survey report the specification rests on."""
    from crmimpl.documents.register import document_entry

    return i18n.day(document_entry(project, plan, "survey").date, lang)


def _own_tests(project: Project, titles: dict[str, str]) -> list[dict[str, Any]]:
    """The test cases the consultant wrote for requirements (``requirements[].test``),
    each titled by the scenario it settles, else by the first clause of its statement."""
    out: list[dict[str, Any]] = []
    for r in project.requirements:
        if r.priority == "wont" or r.test is None:
            continue
        title = titles.get(r.id) or _first_clause(r.statement)
        out.append({"id": "", "title": f"{title} ({r.id})",
                    "steps": list(r.test.steps),
                    "expect": _sentence(r.test.expect)})
    return out


def _sentence(text: str) -> str:
    """A consultant's phrase as a table cell's sentence: capital first, full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _first_clause(statement: str) -> str:
    """A short test title from a requirement: its text up to the first clause break."""
    text = statement.rstrip(". ")
    for mark in (":", ";", ", "):
        head = text.split(mark, 1)[0]
        if mark in text and len(head) >= 25:
            return head
    return text


# Stems that mark a requirement's design rule as the routing scheme.
_ROUTING_STEMS = ("маршрутиз", "routing")


def _routing_requirement(project: Project) -> Requirement | None:
    """The requirement whose design states the routing scheme, if any."""
    return next((r for r in project.requirements if r.priority != "wont" and any(
        stem in d.lower() for d in r.design for stem in _ROUTING_STEMS)), None)


def _unlabelled(rule: str) -> str:
    """A routing rule under the routing heading without its own «Маршрутизация:» label."""
    head, sep, rest = rule.partition(":")
    if sep and rest.strip() and any(stem in head.lower() for stem in _ROUTING_STEMS) \
            and len(head) < 30:
        rest = rest.strip()
        return rest[:1].upper() + rest[1:]
    return rule


# A design rule that says where a client calling back lands (round 21: engineers and
# managers call from the company number, the client's call back went to dispatch and no
# rule said so).
_CALLBACK = re.compile(r"обратн\w* звон|перезванива|call(?:s|ing)? back|return(?:s|ed|ing)? "
                       r"(?:a |the )?call", re.IGNORECASE)


def _routing(project: Project, plan: Plan, lang: str,
             placed: set[tuple[str, int]]) -> dict[str, Any]:
    """Who takes the calls: each department using the telephony with its users and hours
    (its shifts, else the working day), and when the routing scheme is approved."""
    if not any(i.kind == "telephony" for i in project.integrations):
        return {"groups": [], "users": "", "approved": ""}
    groups = []
    total = 0
    timed = c.deadline_departments(project)
    for d in _telephony_departments(project):
        total += d.users
        hours = "; ".join(f"{s.name}: {s.start}–{c.clock_after(s.start, s.hours)}"
                          for s in d.shifts)
        groups.append({"name": d.name, "users": i18n.number(d.users, lang),
                       "hours": hours or d.hours or "", "shifts": bool(d.shifts or d.hours),
                       "deadline": timed is None or d.id in timed})
    _, approved = modes.task_span(plan, "design.approved", lang)
    req = _routing_requirement(project)
    designs = [d for r in project.requirements if r.priority != "wont" for d in r.design]
    return {"callback": any(_CALLBACK.search(d) for d in designs),
            "groups": groups, "users": i18n.number(total, lang), "approved": approved,
            "requirement": req.id if req else "",
            "rules": [_unlabelled(rule) for rule in _take_rules(req, list(_ROUTING_STEMS),
                                                                placed)] if req else [],
            "owner": c.first_name_with(project, ["project_manager"], side="client"),
            "sysadmin": c.first_name_with(project, ["sysadmin"], side="client")}


def _requirements(project: Project, lang: str,
                  placed: set[tuple[str, int]]) -> list[dict[str, Any]]:
    """The client's requirements of this version with how each is met; the design rules
    already stated in a scenario or the routing are not repeated."""
    return [{"id": r.id, "statement": r.statement, "title": _first_clause(r.statement),
             "module": module_label(project, r.module, lang),
             # a short ТЗ has no glossary for the MoSCoW letters: the word alone
             "priority": re.sub(r"\s*\([A-Z]\)$", "", label("priority", r.priority, lang)),
             "fit": label("fit", r.fit, lang), "solution": r.solution or i18n.DASH,
             "design": [d for i, d in enumerate(r.design) if (r.id, i) not in placed]}
            for r in project.requirements if r.priority != "wont"]


def _changes(project: Project, plan: Plan, lang: str) -> list[dict[str, str]]:
    """The custom changes (robots, REST handlers) the requirements need beyond the PBX
    app's and the CRM's settings, each with the requirements it serves and its hours in
    the plan: what the survey report's estimate counts as custom changes."""
    out = []
    for ch in project.planned_changes:
        reqs = [r.id for r in project.requirements if r.change == ch.id]
        if ch.requirement and ch.requirement not in reqs:
            reqs.insert(0, ch.requirement)
        tasks = c.change_tasks(plan, ch.id)
        hours = sum(t.effort_hours for t in tasks) if tasks else ch.estimate_hours
        out.append({"id": ch.id, "title": ch.title,
                    "description": " ".join(ch.description.split()).rstrip("."),
                    "requirements": i18n.join(reqs, lang), "hours": i18n.hours(hours, lang)})
    return out


def _stats_column(project: Project) -> bool:
    """Whether the rights table shows whose call statistics each class sees: the reports
    are in scope, so the heads the requirements promise them to must be seen to get them."""
    return "reports" in project.scope.modules and any(
        u.rights.get("reports", "none") != "none" for u in project.user_classes)


def _users(project: Project, lang: str) -> list[dict[str, str]]:
    """User classes with their telephony rights (the recordings they may play)."""
    out = []
    for u in project.user_classes:
        access = str(u.rights.get("telephony", "none"))
        out.append({
            "name": u.name,
            "departments": i18n.department_list(
                (c.department_name(project, d) for d in u.departments), lang) or i18n.DASH,
            "users": i18n.number(u.users, lang) if u.users is not None else i18n.DASH,
            "calls": label("access", access, lang),
            "stats": label("call_stats", str(u.rights.get("reports", "none")), lang),
            "description": u.description or "",
        })
    return out


def _schedule(project: Project, plan: Plan, lang: str) -> dict[str, Any]:
    """Phases, totals and the dates of testing, pilot operation and acceptance."""
    costs, cur = plan.costs, plan.costs.currency
    testing = modes.task_span(plan, "dev.testing", lang)
    period = pilot_period(plan)
    pilot = (i18n.day(period[0], lang), i18n.day(period[1], lang)) if period else ("", "")
    training = modes.task_span(plan, "rollout.training", lang)
    return {
        "phases": c.plan_phases(plan, lang),
        "start": i18n.day(plan.start, lang),
        "start_long": i18n.day_long(plan.start, lang),
        "launch": i18n.day(plan.launch, lang),
        "launch_long": i18n.day_long(plan.launch, lang),
        "finish": i18n.day(plan.finish, lang),
        "hours": c.plan_hours(costs.contractor_hours, lang),
        "net": c.project_money(plan)(costs.net, lang, cur),
        "vat": c.project_money(plan)(costs.vat, lang, cur),
        "total": c.project_money(plan)(costs.total, lang, cur),
        "vat_rate": i18n.percent(project.project.vat_rate, lang),
        "has_contingency": costs.contingency > 0,
        "contingency": c.project_money(plan)(costs.contingency, lang, cur),
        "testing_start": testing[0], "testing_finish": testing[1],
        "pilot_start": pilot[0], "pilot_finish": pilot[1],
        "training_start": training[0], "training_finish": training[1],
        # the live numbers go onto the new scheme for the pilot (after the people who take
        # the calls are trained), or for acceptance without one; the tests run on a test
        # number (round 14: the live line switched on 27.04, its dispatchers trained 13.05)
        "live_from": pilot[0] or i18n.day(plan.launch, lang),
    }


# what in a test step needs the line's non-working time: a day off, or the evening / night
_DAY_OFF = re.compile(r"\bв (?:субботу|воскресенье|выходн\w*|праздни\w*)|"
                      r"\b(?:Saturday|Sunday|weekend|public holiday)", re.IGNORECASE)
_EVENING = re.compile(r"\b(?:вечер\w*|ноч\w*|нерабоч\w* время|evening|night|out of hours|"
                      r"outside (?:the )?working hours)\b|\b(?:19|2[0-3]|0[0-7]):[0-5]\d\b",
                      re.IGNORECASE)


def _voice_link(project: Project, lang: str) -> dict[str, str]:
    """The office's voice traffic: the telephony users of the departments that call from a
    desk (the routing table's departments whose main user class does not work from a
    phone on the road), each a possible concurrent call at 100 kbit/s (G.711), in Mbit/s
    rounded up to a half (round 14: "100 kbit/s per concurrent call" with no number of
    calls left the network question open). Counted from the same departments and users
    as the routing table, so that the desks and the table agree (round 19: a head of the
    field engineers counted as a desk gave 15 desks against the table's 6 + 5 + 3)."""
    from crmimpl.plan.training import on_mobile

    seats = sum(d.users for d in _telephony_departments(project)
                if not on_mobile(project, [d.id]))
    if not seats:
        return {"seats": "", "mbit": ""}
    mbit = math.ceil(seats * 0.1 * 2) / 2
    return {"seats": modes.counted(seats, lang, ("рабочее место", "рабочих места",
                                                  "рабочих мест"), ("desk", "desks")),
            "mbit": i18n.number(Decimal(str(mbit)), lang)}


def _telephony_departments(project: Project) -> list[Any]:
    """The departments whose staff take and make calls in the CRM: those the telephony
    integration names (all, when it names none) that have CRM users."""
    pbx = next((i for i in project.integrations if i.kind == "telephony"), None)
    if pbx is None:
        return []
    return [d for d in project.client.departments
            if (not pbx.departments or d.id in pbx.departments) and d.users]


def _test_windows(project: Project, plan: Plan, lang: str,
                  scenarios: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """When the test cases whose steps need the line's non-working time are called, from
    the plan: the evening of the testing day, and a day off on which the integration is
    already built (the last one before testing, after development; else the first one
    after testing starts); the retest day; the key users who call (each department's own).

    A case needing a Saturday cannot be called on a Monday test day (teplo: TC-01 at 21:30
    and on a Saturday, all on 27.04)."""
    cases = [*(s for s in scenarios["scenarios"] if s["steps"]), *scenarios["own_tests"]]
    text = {case["id"]: " ".join(map(str, case["steps"])) for case in cases}
    day_off = [i for i, t in text.items() if _DAY_OFF.search(t)]
    evening = [i for i, t in text.items() if _EVENING.search(t)]
    testing = modes.tasks_with(plan, "dev.testing")
    retest = modes.tasks_with(plan, "dev.retest")
    out: dict[str, Any] = {"day_off_cases": i18n.join(day_off, lang),
                           "evening_cases": i18n.join(evening, lang),
                           "evening_day": "", "day_off": "", "retest": "", "retest_day_off": "",
                           "testers": ""}
    if not testing:
        return out
    start = testing[0].start
    out["evening_day"] = i18n.day(start, lang)
    built = max((t.finish for t in plan.tasks if t.id.startswith("dev.")
                 and t.id.split(".")[1] in {"integration", "change", "card", "missed"}),
                default=None)
    cal = plan.calendar
    before = [start - timedelta(days=n) for n in range(1, 8)]
    free = next((d for d in before if not cal.is_working(d) and (built is None or d > built)),
                None)
    if free is None:
        free = next(start + timedelta(days=n) for n in range(1, 15)
                    if not cal.is_working(start + timedelta(days=n)))
    out["day_off"] = i18n.day(free, lang)
    if retest:
        out["retest"] = i18n.day(retest[0].start, lang)
        if day_off:  # a day-off step is retested on a day off, not on the retest workday
            again = next(retest[0].start + timedelta(days=n) for n in range(0, 15)
                         if not cal.is_working(retest[0].start + timedelta(days=n)))
            out["retest_day_off"] = i18n.day(again, lang)
    client = [a.person_id for a in testing[0].assignments
              if project.person(a.person_id).side == "client"]
    out["testers"] = i18n.join([c.person_name(project, pid) for pid in client], lang)
    return out


def _questions_late(plan: Plan, lang: str) -> dict[str, str]:
    """The survey report's date for the answers when it falls before this
    specification's own date (``questions_set``), and the new date the specification
    sets (``questions_due``): a document never lists open questions as due on a day
    that has already passed without saying so."""
    from crmimpl.documents.register import document_entry, late_question_due

    late = late_question_due(plan, document_entry(plan.project, plan, REGISTER).date)
    if late is None:
        return {"questions_set": "", "questions_due": ""}
    return {"questions_set": i18n.day(open_question_due(plan), lang),
            "questions_due": i18n.day(late, lang)}


# The survey's telephony topics this specification decides, each with where: a section of
# its own (the template names it) or the call scenario a requirement settles.
_CLOSED_IN = {"routing": "routing", "network": "network", "night": "after_hours",
              "recording": "recording"}


def _closed_questions(project: Project, answers: object | None,
                      scenarios: dict[str, Any], routing: dict[str, Any]) -> list[dict[str, str]]:
    """The survey report's open telephony questions that this specification answers, with
    the section that does: a specification that settles them silently leaves the reader
    of both documents looking for the answers."""
    from crmimpl.documents.survey import cti_open_topics

    settled = {s["key"]: s["title"] for s in scenarios.get("scenarios", [])
               if s.get("settled_by")}
    out = []
    for key in cti_open_topics(project, c.resolve_answers(project, answers)):
        where = _CLOSED_IN.get(key)
        if where in ("routing", "network"):
            if where == "routing" and not routing.get("rules"):
                continue
            out.append({"key": key, "section": where, "title": ""})
        elif where in settled:
            out.append({"key": key, "section": "scenario", "title": settled[where]})
    return out


def _open_questions(project: Project, plan: Plan, lang: str) -> list[dict[str, str]]:
    """The survey's open questions the specification still depends on, each with who
    answers it and by when: its own date, else the date the survey report set (one date
    for both documents, see ``register.open_question_due``), or, when that date is past
    at the specification's date, the new date the specification sets."""
    from crmimpl.documents.register import document_entry, late_question_due

    dated = document_entry(plan.project, plan, REGISTER).date

    def when(due: date | None = None) -> str:
        due = due or open_question_due(plan)
        return i18n.day(late_question_due(plan, dated, due) or due, lang)

    out = []
    for q in project.survey.open_questions:
        owner = c.person_name(project, q.owner) if q.owner else c.first_name_with(
            project, ["project_manager"], side="client")
        out.append({"question": q.question.strip().rstrip("."),
                    "owner": owner or i18n.DASH, "due": when(q.due)})
    hosting = _hosting_question(project, lang)
    if hosting:
        owner = next((name for roles in (["project_manager"], ["sysadmin"], ["sponsor"])
                      if (name := c.first_name_with(project, roles, side="client"))), "")
        out.append({"question": hosting, "owner": owner or i18n.DASH, "due": when()})
    hours = c.hours_question(project, lang)
    if hours:  # the departments' working hours, which the callback deadlines count in
        out.append({"question": hours, "owner": c.hours_question_owner(project) or i18n.DASH,
                    "due": when()})
    return out


def _change_ids(project: Project, lang: str) -> str:
    return i18n.join([ch.id for ch in project.planned_changes], lang)


def _hosting_question(project: Project, lang: str) -> str:
    """The custom changes are REST event handlers and embedded apps: their code runs on a
    server outside the CRM. When the format does not say where (``system.code_hosting``),
    who runs that server is asked, not assumed (round 21: the specification never said
    who hosts, watches and pays for the callback handler after acceptance)."""
    if not project.planned_changes or project.system is None or project.system.code_hosting:
        return ""
    ids = _change_ids(project, lang)
    if lang == "ru":
        return (f"Где размещаются обработчики и приложения доработок {ids}: их код работает "
                "вне CRM-системы, на сервере, который принимает события ее REST API; кто "
                "следит за их работой после приемки и кто оплачивает размещение")
    return (f"Where the handlers and apps of changes {ids} are hosted: their code runs "
            "outside the CRM system, on a server that receives its REST API's events; who "
            "watches that they run after acceptance and who pays for the hosting")


def _support(project: Project, plan: Plan, lang: str) -> dict[str, Any]:
    s = project.support
    return {
        "has_package": s.monthly_hours > 0,
        "monthly": i18n.number(s.monthly_hours, lang),
        "hours": c.support_hours(project, lang),
        "reaction": i18n.number(s.reaction_hours, lang),
        "fix_days": i18n.number(s.fix_days, lang),
        "fix_days_text": i18n.count(s.fix_days, lang, ("рабочего дня", "рабочих дней",
                                                       "рабочих дней"),
                                    ("working day", "working days")),
        "warranty": c.warranty(project, lang),
        "code_hosting": (" ".join(project.system.code_hosting.split()).rstrip(".")
                         if project.system and project.system.code_hosting
                         and project.planned_changes else ""),
        "change_ids": _change_ids(project, lang),
        **c.support_cost(plan, lang),
        **support_terms(project, lang),
    }


def _admin_course(project: Project, plan: Any, lang: str) -> str:
    """When the administration course of the training plan runs («07.05.2026» or
    «07.05.2026 – 08.05.2026»), as the plan schedules it: the specification states the
    training plan's dates, not a promise of its own ("before the tests")."""
    from crmimpl.plan.training import ADMINS, build_groups

    ids = {g.id for g in build_groups(project, lang) if g.kind == ADMINS}
    days = sorted(s.day for s in plan.sessions if s.group_id in ids)
    if not days:
        return ""
    return i18n.day(days[0], lang) if days[0] == days[-1] else i18n.period(days[0], days[-1], lang)
