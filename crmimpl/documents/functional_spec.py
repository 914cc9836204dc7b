"""What only the functional specification / solution design shows.

An English specification for a client outside Russia (``spec.functional_spec``) follows
the structure such a client expects rather than GOST 34.602: document control, a
glossary, the environments and release path, an open issues log, and, in iterative mode,
the stage that delivers each requirement and the acceptance of each stage. This module
builds those parts from the project and the plan; :mod:`crmimpl.documents.spec` merges
them into the specification's context.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import common as c
from crmimpl.industry import project_product
from crmimpl.vocabulary import label, template_data

if TYPE_CHECKING:
    from crmimpl.model.project import Project
    from crmimpl.plan.builder import Plan

DATA = "functional_spec.yaml"


def context(project: Project, lang: str, plan: Plan | None, answers: Any = None,
            sections: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The functional specification's own parts (see the module docstring);
    ``sections``: what each answering department wrote (the specification's own
    :func:`crmimpl.documents.spec.department_answers`, passed in: no import back)."""
    stages = _stages(project, plan, lang)
    retention = answers.report("compliance.retention") if answers is not None else None
    raised = {c.department_name(project, d) for r in project.requirements
              for d in [_source_department(project, r.source)] if d}
    return {
        "retention": c.answer_text(retention, lang) if retention else "",
        "raised_by": sorted(raised),
        "doc_control": _document_control(project, plan, lang),
        "glossary": glossary(project),
        "environments": environments(project),
        "open_issues": open_issues(project, plan, lang),
        "stages": stages,
        "stage_of": {rid: s["name"] for s in stages for rid in s["req_ids"]},
        "phase_results": {s["phase_name"]: s["result"] for s in stages},
        "integration_hours": integration_hours(project, plan, lang),
        "department_stage": _department_stages(project, plan, stages),
        "records": data_model(project, lang),
        "feedback_prose": _feedback_prose(lang, sections or []),
        "service_hours": service_hours(project, lang),
        "support_outside": support_outside(project, lang),
    }


def fact_sentences(lang: str) -> dict[str, dict[str, str]]:
    """Per question label of a department's short answers (as :mod:`spec` labels them),
    the sentence that says the answer in running text (``functional_spec.yaml``)."""
    if lang != "en":
        return {}
    topics = template_data("tech_spec.yaml")["answer_topics"]
    out: dict[str, dict[str, str]] = {}
    for key, sentence in template_data(DATA)["fact_sentences"].items():
        label_text = topics.get(key, {}).get(lang)
        if label_text:
            out[str(label_text)] = ({"any": sentence} if isinstance(sentence, str)
                                    else {str(k): str(v) for k, v in sentence.items()})
    return out


def _feedback_prose(lang: str, sections: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per answering department (by name), its short answers as a paragraph and what is
    left for the question/answer table."""
    sentences = fact_sentences(lang)
    out = {}
    for d in sections:
        text, rest = facts_prose(d["facts"], sentences)
        # the answers the specification already words as sentences (yes/no, scores)
        text = " ".join(part for part in (text, d.get("statements", "")) if part)
        out[d["name"]] = {"text": text, "facts": rest}
    return out


def facts_prose(facts: list[dict[str, str]], sentences: dict[str, dict[str, str]]
                ) -> tuple[str, list[dict[str, str]]]:
    """A department's short answers as sentences where one is written for the question,
    and the rest (left for the table)."""
    from crmimpl.documents import modes

    said, rest = [], []
    for f in facts:
        forms = sentences.get(f["question"])
        answer = f["answer"].strip()
        yes_no = answer.lower() if answer.lower() in ("yes", "no") else ""
        if forms and "any" in forms and not yes_no:
            said.append(forms["any"].replace("{answer_lower}", modes.lower_first(answer))
                        .replace("{answer}", answer))
        elif forms and yes_no in forms:
            said.append(forms[yes_no])
        else:
            rest.append(f)
    return " ".join(said), rest


def service_hours(project: Project, lang: str) -> dict[str, str]:
    """The span of the departments that work in shifts (first start to last end), which
    availability and maintenance windows must respect; empty without shifts."""
    spans = [(d.name, sh) for d in project.client.departments for sh in d.shifts]
    if not spans:
        return {}

    def minutes(clock: str) -> int:
        hh, mm = (int(x) for x in clock.split(":"))
        return hh * 60 + mm

    start = min(minutes(sh.start) for _, sh in spans)
    end = max(minutes(sh.start) + round(sh.hours * 60) for _, sh in spans)
    if end - start >= 24 * 60:
        return {"departments": i18n.join(list(dict.fromkeys(n for n, _ in spans)), lang,
                                         last=True), "start": "00:00", "end": "24:00"}
    return {"departments": i18n.join(list(dict.fromkeys(n for n, _ in spans)), lang,
                                     last=True),
            "start": f"{start // 60:02d}:{start % 60:02d}",
            "end": f"{end // 60 % 24:02d}:{end % 60:02d}"}


def support_outside(project: Project, lang: str) -> str:
    """What the specification says when the shifts run outside the support hours: the
    project's own cover (``support.outside_hours``), else that such requests wait for
    the next support day; empty when the support hours cover every shift (or are not
    a clock range)."""
    import re

    span = service_hours(project, lang)
    found = re.search(r"(\d{1,2}):(\d{2})\s*[\u2013-]\s*(\d{1,2}):(\d{2})", project.support.hours)
    if not span or found is None:
        return ""
    h1, m1, h2, m2 = (int(x) for x in found.groups())

    def minutes(clock: str) -> int:
        hh, mm = (int(x) for x in clock.split(":"))
        return hh * 60 + mm

    end = minutes(span["end"]) or 24 * 60
    if minutes(span["start"]) >= h1 * 60 + m1 and end <= h2 * 60 + m2:
        return ""
    head = (f"The support hours are shorter than the {span['departments']} shifts "
            f"({span['start']}\u2013{span['end']}). ")
    own = project.support.outside_hours
    if own:
        return head + own.strip()
    return head + ("Outside the support hours requests are logged in the support queue and "
                   "taken at the start of the next support day; the client's administrator "
                   "is the users' contact until then.")


def data_model(project: Project, lang: str) -> list[dict[str, str]]:
    """The records the solution keeps, as the project designs them: the table, what one
    record is, key fields, links, the requirements resting on it and the migration source
    that fills it (with its record count)."""
    sources = {m.id: m for m in project.migration}
    rows = []
    for d in project.records:
        source = sources.get(d.migration) if d.migration else None
        rows.append({
            "name": d.name, "table": d.table, "holds": d.holds.rstrip(". ") + ".",
            "fields": "; ".join(d.fields),
            "relations": "; ".join(d.relations),
            "requirements": i18n.join(d.requirements, lang, last=True),
            "source": _filled_from(source, lang) if source is not None else "",
        })
    return rows


def _filled_from(source: Any, lang: str) -> str:
    """The migration source that fills a record, with its count said for what it is: a
    source of several kinds of object counts them all ("New business pipeline, whose 520
    records hold prospects, contacts and opportunities", not "520 records" under both the
    account and the opportunity)."""
    count = i18n.number(source.records, lang)
    if len(source.objects) < 2:
        return f"{source.name}, {count} records"
    kinds = i18n.join([o[:1].lower() + o[1:] if not o[1:2].isupper() else o
                       for o in source.objects], lang, last=True)
    return f"{source.name}, whose {count} records hold {kinds}"


def _department_stages(project: Project, plan: Plan | None, stages: list[dict[str, Any]]
                       ) -> dict[str, str]:
    """Iterative mode: the stage in which each team starts to work in the system."""
    if not stages or plan is None:
        return {}
    names = {0 if s["is_mvp"] else int(s["key"]): s["name"] for s in stages}
    return {d.name: names.get(plan.backlog.departments.get(d.id, -1), "")
            for d in project.client.departments}


def integration_hours(project: Project, plan: Plan | None, lang: str) -> dict[str, str]:
    """The contractor's hours of each integration: its build task(s) in the plan."""
    if plan is None:
        return {}
    out = {}
    for i in project.integrations:
        found = [t for t in plan.tasks if t.id.endswith(f"integration.{i.id}")]
        if found:
            out[i.id] = i18n.hours(sum(t.effort_hours for t in found), lang)
    return out


def glossary(project: Project) -> list[dict[str, str]]:
    """The product's own terms, then the terms of the document, sorted by term."""
    data = template_data(DATA)
    product = data["glossary"].get(project_product(project)) or data["glossary"]["generic"]
    rows = [{"term": t, "meaning": m} for t, m in [*product, *data["glossary_common"]]]
    return sorted(rows, key=lambda r: r["term"].lower())


def environments(project: Project) -> str:
    """How a release moves from build to production on the project's system."""
    data = template_data(DATA)["environments"]
    text = str(data.get(project_product(project)) or data["generic"])
    name = project.system.product if project.system is not None else "the CRM system"
    return text.replace("{system}", name)


def _document_control(project: Project, plan: Plan | None, lang: str) -> dict[str, Any]:
    """Version, distribution and the documents this one rests on, with their dates."""
    from crmimpl.documents.register import document_entry

    spec = document_entry(project, plan, "spec")
    # the title page's author (common.meta): the contractor's project manager
    author = c.first_name_with(project, ["project_manager"], side="contractor") or \
        c.first_name_with(project, ["consultant", "analyst"], side="contractor") or ""
    references = []
    survey = document_entry(project, plan, "survey")
    references.append({"title": i18n.word("titles", "survey_report", lang),
                       "date": i18n.day(survey.date, lang), "version": survey.version})
    if project.project.mode == "iterative":
        backlog = document_entry(project, plan, "backlog")
        references.append({"title": i18n.word("titles", "backlog", lang),
                           "date": i18n.day(backlog.date, lang), "version": backlog.version})
    status = i18n.words("document", lang)["status"][spec.status]
    team = [p for p in project.team if p.side == "client" and
            {"sponsor", "project_manager", "key_user", "sysadmin"} & set(p.roles)]
    distribution = [{"name": p.name, "position": p.position or "",
                     "roles": i18n.join([label("role", r, lang) for r in p.roles], lang)}
                    for p in team]
    # the head of every department that works in the system reads the design of its
    # work, whether or not in the project team; one who also owns an open issue of this
    # document is told so (everyone the document gives work to is on the list)
    listed = {p.name for p in team}
    owners = {issue["owner"] for issue in open_issues(project, plan, lang)}
    words = ({"head": "Head of department", "owner": "owner of open issues"} if lang == "en"
             else {"head": "Руководитель подразделения", "owner": "владелец открытых вопросов"})
    for d in project.client.departments:
        if not d.head or d.head in listed or (d.crm_users == 0 and d.head not in owners):
            continue
        listed.add(d.head)
        role = words["head"] + (f", {words['owner']}" if d.head in owners else "")
        distribution.append({"name": d.head, "position": d.head_position or "",
                             "roles": role})
    return {
        "history": [{"version": spec.version, "date": i18n.day(spec.date, lang),
                     "author": author, "status": status}],
        "distribution": distribution,
        "references": references,
    }


# The areas whose requirements deliver a measure (a dashboard, a report).
MEASURE_MODULES = ("kpi_dashboards", "reports")


def unmeasured_goals(project: Project) -> list[Any]:
    """Goals whose indicator nothing in this version measures: no requirement of a
    measuring area (a dashboard, a report) serves the goal, and the KPI does not say how
    it is measured (``kpi.measurement``). Round 12: northwind's G2 (time to first
    response) had no dashboard in the design while the audit read it from one."""
    measured = {g for r in project.requirements if r.priority != "wont"
                and r.module in MEASURE_MODULES for g in r.goals}
    return [g for g in project.goals if g.id not in measured and not g.kpi.measurement]


def open_issues(project: Project, plan: Plan | None, lang: str) -> list[dict[str, str]]:
    """Decisions the build still needs, each with an owner and the day the plan needs it:
    the measure of a goal's indicator that no requirement delivers, a requirement the
    platform does not cover, the field mapping of each integration
    (before its build starts) and the mapping of each data source (before its trial
    load)."""
    from crmimpl.documents import modes

    manager = c.first_name_with(project, ["project_manager", "sponsor"], side="client") or ""
    admin = c.first_name_with(project, ["sysadmin"], side="client") or manager
    design_end = modes.task_span(plan, "design", lang)[1] or modes.task_span(
        plan, "mvp.spec", lang)[1]
    rows = []
    for goal in unmeasured_goals(project):
        owner = c.person_name(project, goal.owner) if goal.owner else manager
        rows.append({"issue": f"The report or dashboard that measures {goal.id} "
                              f"({goal.kpi.metric[:1].lower()}{goal.kpi.metric[1:]}) after "
                              "go-live, with its period",
                     "owner": owner or manager, "due": design_end or i18n.DASH})
    for r in project.requirements:
        if r.fit == "gap" and r.priority != "wont":
            rows.append({"issue": f"How to meet {r.id} ({label('module', r.module, lang)}), "
                                  "which the platform does not cover",
                         "owner": manager, "due": design_end or i18n.DASH})
    for i in project.integrations:
        person, name = _integration_owner(project, i)
        owner = name or admin
        before = _before_build(project, plan, person, f"integration.{i.id}")
        rows.append({"issue": _integration_issue(i.kind, i.system), "owner": owner,
                     "due": i18n.day(before, lang) if before else design_end or i18n.DASH})
    for m in project.migration:
        found = [t.start for t in plan.tasks if t.id.endswith(f".migration.{m.id}")
                 or t.id == f"migration.{m.id}"] if plan is not None else []
        owner = c.person_name(project, m.owner) if m.owner else manager
        # signed off before the trial load, with time to apply it: not on the load's day
        due = i18n.day(_before_leave(project, plan, m.owner, _working_days_before(
            plan, min(found), MAPPING_LEAD_DAYS)), lang) if found and plan is not None else ""
        rows.append({"issue": f"Field mapping and cleaning rules of {m.name} signed off",
                     "owner": owner, "due": due or design_end or i18n.DASH})
    return rows


# The department kind whose people own the data an integration of each kind exchanges
# (and so agree its mapping); the technical kinds (sign-in, mail, telephony) are the
# system administrator's.
_DATA_OWNERS = {"accounting": "accounting", "website": "marketing", "eshop": "sales",
                "marketing": "marketing"}


# working days between a data source's signed-off mapping and its trial load: the
# migration scripts are set to the mapping before the load runs
MAPPING_LEAD_DAYS = 2


def _working_days_before(plan: Plan, day: date, days: int) -> date:
    """The working day ``days`` working days before ``day``."""
    for _ in range(days):
        day = plan.calendar.previous_working_day(day - timedelta(days=1))
    return day


def _integration_owner(project: Project, integration: Any) -> tuple[str | None, str]:
    """The client person who agrees an integration's mapping, as (team id or None, name):
    the key user, else the head, of the department whose data it exchanges (Finance for
    the accounting system, Marketing for the website's forms); (None, "") for a technical
    integration (the system administrator's) or a department without either."""
    kind = _DATA_OWNERS.get(integration.kind)
    if kind is None:
        return None, ""
    for d in project.client.departments:
        if d.kind != kind or (integration.departments and d.id not in integration.departments):
            continue
        people = [p for p in project.team if p.side == "client" and p.department == d.id]
        chosen = next((p for p in people if "key_user" in p.roles), None) or next(
            (p for p in people if p.name == d.head), None)
        if chosen is not None:
            return chosen.id, chosen.name
        if d.head:
            return None, d.head
    return None, ""


def _before_build(project: Project, plan: Plan | None, person_id: str | None,
                  suffix: str) -> date | None:
    """The working day before the first task of ``suffix`` starts (its build): a mapping
    is agreed before the build, not on its first day; moved off the signer's leave."""
    if plan is None:
        return None
    found = [t for t in plan.tasks if t.id.endswith("." + suffix) or t.id == suffix]
    if not found:
        return None
    day = plan.calendar.previous_working_day(min(t.start for t in found) - timedelta(days=1))
    return _before_leave(project, plan, person_id, day)


def _integration_issue(kind: str, system: str) -> str:
    """What must be agreed about one integration before its build, worded for its kind
    (an SSO has groups and roles to map, not fields)."""
    from crmimpl.documents.scenarios import short_name

    wording = template_data(DATA)["integration_issues"]
    return str(wording.get(kind) or wording["default"]).replace("{system}",
                                                                short_name(system))


def _before_leave(project: Project, plan: Plan | None, person_id: str | None,
                  due: date) -> date:
    """``due``, or the last working day before the leave of the person who signs, when
    ``due`` falls in it (a sign-off is never due while its signer is away)."""
    person = next((p for p in project.team if p.id == person_id), None)
    if person is None or plan is None:
        return due
    for v in person.vacations:
        if v.start <= due <= v.end:
            return plan.calendar.previous_working_day(v.start - timedelta(days=1))
    return due


def _first_start(plan: Plan | None, suffix: str, lang: str) -> str:
    """The start of the first plan task whose id ends with ``suffix`` (its build)."""
    if plan is None:
        return ""
    found = [t for t in plan.tasks if t.id.endswith("." + suffix) or t.id == suffix]
    return i18n.day(min(t.start for t in found), lang) if found else ""


def _stages(project: Project, plan: Plan | None, lang: str) -> list[dict[str, Any]]:
    """Iterative mode: each stage as the backlog plans it (its requirements, demo,
    acceptor, completion), with what its phase delivers; empty for other modes."""
    if project.project.mode != "iterative" or plan is None:
        return []
    from crmimpl.documents import backlog

    rows = backlog.stage_rows(project, plan, lang)
    for s in rows:
        phase = next((p for p in plan.phases
                      if p.id == ("mvp" if s["is_mvp"] else f"iteration.{s['key']}")), None)
        s["phase_name"] = phase.name_in(lang) if phase is not None else s["name"]
        items = f" ({s['items_text']})" if s["items_text"] else ""
        s["result"] = f"{s['modules']}{items}" if s["modules"] else s["items_text"]
    return rows


def _source_department(project: Project, source: str) -> str | None:
    """The department a requirement came from: its source, or its source person's."""
    if any(d.id == source for d in project.client.departments):
        return source
    person = next((p for p in project.team if p.id == source), None)
    return person.department if person is not None else None
