"""Helpers shared by document contexts: people, labels, meta, rows, answers and estimate.

Templates never compute (DESIGN.md): every number, amount and date a document shows is
formatted by :mod:`crmimpl.i18n` in the conventions of the document's language, here and
in each document's context.

The plan and the questionnaire answers are written by other modules; the small adapters
at the end (:func:`resolve_plan`, :func:`resolve_answers`) are the only places that know
how to reach them, so a change there touches one function.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError
from crmimpl.i18n import (
    DASH,
    count_of,
    day,
    day_long,
    department_list,
    hours,
    join,
    lower_position,
    number,
    percent,
    unit_parts,
    whole_money,
    yes_no,
)
from crmimpl.i18n import money as exact_money
from crmimpl.industry import module_label
from crmimpl.model.project import Department, Person, Project
from crmimpl.vocabulary import label

MoneyFormat = Callable[..., str]
"""``money`` or ``whole_money``: how a document states an amount."""

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan
    from crmimpl.questionnaire.answers import Answers, AnswerValue

# ------------------------------------------------------------------ text


def labels_of(group: str, keys: Iterable[str], lang: str) -> list[str]:
    """Vocabulary labels of several keys, in order."""
    return [label(group, key, lang) for key in keys]


# ------------------------------------------------------------------ project lookups


def department_name(project: Project, ref: str) -> str:
    """Name of a department or a team member by id; any other text (a document) as
    written."""
    found = _department(project, ref)
    if found:
        return found.name
    return next((p.name for p in project.team if p.id == ref), ref)


def source_name(project: Project, ref: str) -> str:
    """Who raised a requirement, as a register's "Source" column states it: a department;
    a team member stands for their department (a column of departments, not a mix of
    departments and people: round 12, "James Whitfield" beside "New Business Sales"),
    and only a person without one is named."""
    person = next((p for p in project.team if p.id == ref), None)
    if person is not None and person.department and _department(project, person.department):
        return department_name(project, person.department)
    return department_name(project, ref)


def _department(project: Project, dept_id: str) -> Department | None:
    return next((d for d in project.client.departments if d.id == dept_id), None)


def client_row(project: Project, lang: str) -> dict[str, Any]:
    """The client company as formatted data, shared by the survey and the specification."""
    client = project.client
    return {
        "name": client.name,
        "legal_name": client.legal_name or client.name,
        "industry": client.industry,
        "description": client.description or "",
        "locations": list(client.locations),
        "employees": number(client.employees, lang) if client.employees else "",
        "crm_users": number(client.crm_users, lang),
    }


def person_name(project: Project, person_id: str | None) -> str:
    """Name of a team member by id, a dash when none is named."""
    if person_id is None:
        return DASH
    found = next((p for p in project.team if p.id == person_id), None)
    return found.name if found else person_id


def person_row(project: Project, person: Person, lang: str) -> dict[str, str]:
    """A team member as plain data for a table."""
    dept = _department(project, person.department) if person.department else None
    return {
        "id": person.id,
        "name": person.name,
        "position": person.position or DASH,
        "roles": _roles_text(labels_of("role", person.roles, lang), lang),
        "side": label("side", person.side, lang),
        "department": dept.name if dept else DASH,
        "availability": percent(Decimal(str(person.availability)) * 100, lang),
        "email": person.email or DASH,
        "phone": person.phone or DASH,
    }


def _roles_text(roles: list[str], lang: str) -> str:
    """Roles in one cell: «Консультант, бизнес-аналитик, тренер» (a Russian list runs on in
    lower case after its first word; abbreviations such as «ИТ» stay as they are)."""
    if lang == "ru":
        roles = roles[:1] + [r[:1].lower() + r[1:] if r[1:2].islower() else r
                             for r in roles[1:]]
    return join(roles, lang)


def people_by_role(
    project: Project, role: str, lang: str, side: str | None = None
) -> list[dict[str, str]]:
    """Team members holding ``role`` (optionally on one side), as table rows."""
    return [
        person_row(project, p, lang)
        for p in project.people_with(role)
        if side is None or p.side == side
    ]


def first_name_with(project: Project, roles: Iterable[str], side: str | None = None) -> str:
    """Name of the first team member holding any of ``roles``; empty when nobody does."""
    for role in roles:
        for person in project.people_with(role):
            if side is None or person.side == side:
                return person.name
    return ""


def team_rows(project: Project, lang: str, side: str, plan: Plan | None = None
              ) -> list[dict[str, str]]:
    """Every team member of one side, as table rows; ``effort`` is the person's hours
    in the plan exactly as the plan workbook adds them up (work is planned in half hours, so
    whole or half hours: rounding them would make the column disagree with the workbook and
    with the team total); a dash when the plan gives them none or there is no plan."""
    hours: dict[str, Decimal] = {}
    for task in plan.tasks if plan is not None else []:
        for a in task.assignments:
            hours[a.person_id] = hours.get(a.person_id, Decimal(0)) + a.hours
    trainee = training_hours(project, plan) if side == "client" else {}
    rows = []
    for p in project.team:
        if p.side != side:
            continue
        row = person_row(project, p, lang)
        found = hours.get(p.id, Decimal(0))
        row["effort"] = plan_hours(found, lang) if found > 0 else DASH
        taught = trainee.get(p.id, Decimal(0))
        row["training"] = trainee_hours(taught, lang) if taught > 0 else DASH
        rows.append(row)
    if side == "client":
        rows += _head_rows(project, lang, plan, {r["name"] for r in rows})
    return rows


def interviewees(project: Project, plan: Plan | None, department: str) -> list[str]:
    """Who a department's interview heard, by full name: its head, then the client people
    the plan books on the department's interview task (the workbook shows the same), or,
    without a plan, the client team members of the department. One source for the survey
    report, the specification and the plan workbook."""
    dept = _department(project, department)
    names = [dept.head] if dept is not None and dept.head else []
    task = next((t for t in (plan.tasks if plan is not None else [])
                 if t.id.endswith(f".interview.{department}")
                 and t.id.startswith(("survey.", "mvp."))), None)
    if task is not None:
        people = [project.person(a.person_id) for a in task.assignments]
    else:
        people = [p for p in project.team if p.department == department]
    # a key user of another department booked on it (a typical or project plan whose
    # template lets one accompany the interview) is no voice of this department
    names += [p.name for p in people if p.side == "client" and p.department == department]
    return list(dict.fromkeys(names))


def _head_rows(project: Project, lang: str, plan: Plan | None,
               named: set[str]) -> list[dict[str, str]]:
    """Department heads outside the team: they are interviewed, own their department's
    open questions and their staff are trained, so they are people of the project too (one
    list of people for every document); no hours of the plan, which assigns them none."""
    from crmimpl import i18n

    rows = []
    for d in project.client.departments:
        if not d.head or d.head in named:
            continue
        named.add(d.head)
        rows.append({
            "id": "", "name": d.head,
            "position": d.head_position or i18n.word(
                "survey_report", "head_of", lang).replace("{department}", d.name),
            "roles": i18n.word("survey_report", "head_role", lang),
            "side": label("side", "client", lang), "department": d.name,
            "availability": DASH, "email": DASH, "phone": DASH,
            # no task of the plan is theirs («по плану» counts the plan's assignments): the
            # interview's length was shown here, and the workbook gave the head no hours
            "effort": DASH,
            "training": _head_training(project, plan, d.id, lang)})
    return rows


def _head_training(project: Project, plan: Plan | None, department: str, lang: str) -> str:
    """A department head's hours as a trainee: the first heads' group of their department
    (managers are trained in groups of their own, as the training plan says), else its
    first group."""
    if plan is None or not plan.sessions:
        return DASH
    from crmimpl.plan.training import build_groups

    per_group: dict[str, Decimal] = {}
    for s in plan.sessions:
        per_group[s.group_id] = per_group.get(s.group_id, Decimal(0)) + Decimal(str(s.hours))
    groups = [g for g in build_groups(project, project.project.language)
              if department in g.people and g.id in per_group]
    group = next((g for g in groups if g.heads), next(iter(groups), None))
    if group is None:
        return DASH
    extra = _department_sessions(groups, department, per_group)
    hours = _own_hours(project, group, department, per_group[group.id])
    if hours <= 0:
        return DASH
    if group.heads and hours < per_group[group.id]:
        # a heads' group of several departments: the topics of their own department of
        # the course the training plan gives in full («7 из 8», one truth with its total)
        return (f"{trainee_hours(hours + extra, lang)} {'из' if lang == 'ru' else 'of'} "
                f"{trainee_hours(per_group[group.id] + extra, lang)}")
    return trainee_hours(hours + extra, lang)


def _department_sessions(groups: list[Any], department: str | None,
                         per_group: dict[str, Decimal]) -> Decimal:
    """Hours of the sessions a whole department attends on top of its course: the change
    sessions and briefings of an iterative project (groups of the department's people
    counted in their first group already). Round 14: the survey gave the Managing
    Director 6 h, the training plan his 6-hour course and a half-hour briefing."""
    if department is None:
        return Decimal(0)
    return sum((per_group[g.id] for g in groups
                if g.repeat and not g.members and department in g.people
                and g.id in per_group), Decimal(0))


def training_hours(project: Project, plan: Plan | None) -> dict[str, Decimal]:
    """Hours each client team member spends in the plan's training sessions: the groups
    that name them (key users, administrators), else the first group of their department
    (they are among its users). A trainee's time is the client's cost too, though it is
    no task of the plan: the survey's team table shows both."""
    if plan is None or not plan.sessions:
        return {}
    from crmimpl.plan.training import build_groups

    groups = build_groups(project, project.project.language)
    per_group: dict[str, Decimal] = {}
    for s in plan.sessions:
        per_group[s.group_id] = per_group.get(s.group_id, Decimal(0)) + Decimal(str(s.hours))
    out: dict[str, Decimal] = {}
    for p in project.team:
        if p.side != "client":
            continue
        named = [g for g in groups if p.name in g.members and g.id in per_group]
        staff = not named  # trained with their department: its briefings are theirs too
        if not named and p.department:
            named = [g for g in groups if p.department in g.people and g.id in per_group
                     and not g.heads][:1]
        total = sum((_own_hours(project, g, p.department, per_group[g.id])
                     for g in named), Decimal(0))
        if total and staff:
            total += _department_sessions(groups, p.department, per_group)
        if total:
            out[p.id] = total
    return out


def _own_hours(project: Project, group: Any, department: str | None,
               hours: Decimal) -> Decimal:
    """A person's hours in a group: in a mixed group, the hours of the topics their
    department takes (the rest of the day they work), else all of the group's. A topic
    in no department's own curriculum (a heads' course's practicum) is everyone's, as the
    training plan's «Кто изучает» column says."""
    if department is None or len(group.departments) < 2 \
            or department not in group.departments:
        return hours
    from crmimpl.plan.training import curriculum

    depts = {d.id: d for d in project.client.departments}
    lang = project.project.language
    own = {d: {t.id for t in curriculum(project, depts[d].kind, lang, [d])}
           for d in group.departments if d in depts}
    anyone = set().union(*own.values())
    return sum((Decimal(str(t.hours)) for t in group.topics
                if t.id in own.get(department, set()) or t.id not in anyone),
               Decimal(0)).normalize()


def trainee_hours(value: Decimal, lang: str) -> str:
    """A trainee's hours as the timetable adds them up: its topics run in quarter hours,
    so 2,75 stays 2,75 (rounded to half hours it read 3 beside the timetable's 2,75)."""
    return number(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP).normalize(), lang)


def plan_hours(value: Decimal, lang: str) -> str:
    """Planned hours as the plan workbook shows them: a trainer's work keeps its quarter
    hours, so whole, half or quarter hours (``875,5``, ``155,75``), never rounded to
    whole hours (round 20: teplo's total said 156 h over stage rows of 155,75 h)."""
    quarters = (Decimal(value) * 4).quantize(Decimal(1), ROUND_HALF_UP) / 4
    return number(quarters.normalize(), lang)


def developer_rate(project: Project) -> Decimal:
    """Hourly rate used to price custom changes: the first contractor developer's.

    Falls back to the first contractor consultant or analyst, then to zero.
    """
    for role in ("developer", "consultant", "analyst"):
        for person in project.people_with(role):
            if person.side == "contractor" and person.rate is not None:
                return person.hourly_rate(project.plan.hours_per_day)
    return Decimal(0)


def change_cost(project: Project, estimate_hours: float, plan: Plan | None = None,
                change_id: str | None = None) -> Decimal:
    """Cost of a custom change: with a plan, what the plan's build task of the change
    costs at its people's rates (one truth with the estimate); without one, a preliminary
    hours × developer rate. Rounded to kopecks / cents."""
    if plan is not None and change_id is not None:
        tasks = change_tasks(plan, change_id)
        if tasks:
            return sum((t.cost for t in tasks), Decimal(0))
    amount = Decimal(str(estimate_hours)) * developer_rate(project)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


CHANGE_BUILD_TASKS = ("dev.change", "mvp.change", "iteration.change")


def change_tasks(plan: Plan, change_id: str) -> list[Any]:
    """The plan's tasks that build custom change ``change_id`` (not its analysis)."""
    ids = {f"{prefix}.{change_id}" for prefix in CHANGE_BUILD_TASKS}
    return [t for t in plan.tasks if t.id in ids]


def document_date(project: Project) -> date:
    """The date printed on documents."""
    return project.project.document_date or project.project.start


def meta(project: Project, lang: str, title: str, subtitle: str = "", *,
         when: date | None = None, version: str = "1.0",
         status: str = "review") -> dict[str, Any]:
    """Document meta as plain data: what the writer puts on the title page and header.

    ``when``, ``version`` and ``status`` come from the register
    (:mod:`crmimpl.documents.register`); the title page, the header and the body all
    print them. ``approvals`` are the people who sign the title page
    (:func:`crmimpl.documents.signoff.signatories`).
    """
    from crmimpl.documents.signoff import signatories
    from crmimpl.i18n import words

    when = when or document_date(project)
    author = first_name_with(project, ["project_manager"], side="contractor") or (
        first_name_with(project, ["consultant", "analyst"], side="contractor")
    )
    return {
        "title": title,
        "subtitle": subtitle,
        "project": project.project.title,
        "client": project.client.legal_name or project.client.name,
        "author": author,
        "author_position": position_of(project, author),
        "company": project.project.contractor or "",
        "date": when.isoformat(),
        "date_text": day_long(when, lang),
        "version": version,
        "status": status,
        "status_text": words("document", lang)["status"][status],
        "approvals": signatories(project, lang),
        "lang": lang,
    }


_YO_WORD = re.compile(r"\w*[ёЁ]\w*")


def one_spelling(markdown: str, project: Project, lang: str) -> str:
    """A Russian document in one spelling: «е» for «ё» throughout, as its own wording
    writes it («учет», «отчет»), so that a project's or client's «учёт» does not stand
    beside it on the same page. People's names keep their «ё» in every case form
    (Ковалёв, Ковалёва; Артём), since a name is spelt as in the person's passport."""
    if lang != "ru" or not _YO_WORD.search(markdown):
        return markdown
    names = [p.name for p in project.team] + [d.head or "" for d in project.client.departments]
    stems = {w[:-1] if len(w) > 4 else w for name in names for w in _YO_WORD.findall(name)}

    def plain(m: re.Match[str]) -> str:
        word = m.group(0)
        if any(word.startswith(stem) for stem in stems):
            return word
        return word.replace("ё", "е").replace("Ё", "Е")

    return _YO_WORD.sub(plain, markdown)


def position_of(project: Project, name: str) -> str:
    """The position of the team member called ``name`` (empty when unknown)."""
    person = next((p for p in project.team if p.name == name), None)
    return (person.position or "") if person is not None else ""


def doc_meta(data: dict[str, Any]) -> Any:
    """A context's ``meta`` as a :class:`crmimpl.render.blocks.DocMeta` for the writers, so
    the title page and header say what the body says."""
    from crmimpl.render.blocks import DocMeta, Signatory

    return DocMeta(
        title=data["title"], lang="en" if data["lang"] == "en" else "ru",
        subtitle=data["subtitle"], project=data["project"], client=data["client"],
        author=data["author"], author_position=data.get("author_position", ""),
        company=data["company"], date=date.fromisoformat(data["date"]),
        version=data.get("version", ""), status=data.get("status_text", ""),
        approvals=tuple(Signatory(**s) for s in data.get("approvals", ())),
    )


def register_meta(project: Project, plan: Plan | None, name: str, lang: str, title: str,
                  subtitle: str = "") -> dict[str, Any]:
    """:func:`meta` with the date, version and status of document ``name`` from the
    register."""
    from crmimpl.documents.register import document_entry

    entry = document_entry(project, plan, name)
    return meta(project, lang, title, subtitle, when=entry.date, version=entry.version,
                status=entry.status)


def document_head(project: Project, plan: Plan, register: str, name: str, lang: str
                  ) -> dict[str, Any]:
    """What the design documents of the short modes (passport, CTI specification,
    backlog) open with: language, register meta titled from ``titles.<name>`` over the
    system being implemented, the client and the contractor."""
    from crmimpl.documents.system import system_name
    from crmimpl.i18n import word

    # under the title, the system the document sets up (the project is on the «Проект:»
    # line below: the same words twice on a title page read as a slip)
    subtitle = (system_name(project.system, lang) if project.system is not None
                else project.project.title)
    return {
        "lang": lang,
        "meta": register_meta(project, plan, register, lang, word("titles", name, lang),
                              subtitle),
        "client": client_row(project, lang),
        "contractor": project.project.contractor or "",
    }


def frame_context(project: Project, lang: str) -> dict[str, Any]:
    """What every document knows of the project's frame: ``legal`` (the personal-data
    law, regulator and phrasing of the client's country,
    :func:`crmimpl.documents.country.legal_basis`) and ``system`` (the CRM being
    implemented, its licences and the decisions it implies,
    :func:`crmimpl.documents.system.system_context`). Contexts merge it with ``**``."""
    from crmimpl.documents.country import legal_basis
    from crmimpl.documents.system import system_context

    return {"legal": legal_basis(project, lang), "system": system_context(project, lang)}


# ------------------------------------------------------------------ other modules


def resolve_plan(project: Project, plan: object | None) -> Plan | None:
    """The plan given, or the plan built from the project.

    Returns None only when the project's mode has no plan template yet, so a document
    still renders (with an estimate from custom changes alone).
    """
    from crmimpl.plan.builder import Plan, build_plan

    if isinstance(plan, Plan):
        return plan
    try:
        return build_plan(project)
    except FileNotFoundError:
        return None


def resolve_answers(project: Project, answers: object | None) -> Answers | None:
    """The answers given, or those imported into the project's ``answers/`` folder.

    Raises:
        CrmimplError: an answers file is broken (with its location).
    """
    from crmimpl.questionnaire.answers import Answers, load_answers

    if isinstance(answers, Answers):
        return answers
    if project.source is None:
        return None
    return load_answers(project.folder)


# ------------------------------------------------------------------ rows shared by documents


def answers_in_russian(answers: Any) -> bool:
    """Whether any imported questionnaire answer is written in Russian (answers are not
    translated: an English document quoting them says so)."""
    from crmimpl.overlay import contains_cyrillic

    if answers is None:
        return False
    return any(contains_cyrillic(item.value) for items in answers.report_keys.values()
               for item in items)


def goal_rows(project: Project, lang: str) -> list[dict[str, Any]]:
    """Goals with their KPI (baseline, target, deadline), tasks and requirement ids."""
    out = []
    for g in project.goals:
        k = g.kpi
        unit = f" {k.unit}" if k.unit else ""
        parts = unit_parts(k.unit or "", lang)  # "млн руб." in English: "RUB 78 million"

        def measured(value: float, unit: str = unit,
                     parts: tuple[str, str] | None = parts) -> str:
            # the locale's percent ("19 %" / "19%"), else the number and the unit
            if unit.strip() == "%":
                return percent(value, lang)
            if parts is not None:
                return f"{parts[0]}{number(value, lang)}{parts[1]}"
            return number(value, lang) + unit

        # what this version does for the goal: a requirement left for a later stage is
        # not counted among them
        reqs = [r.id for r in project.requirements if g.id in r.goals and r.priority != "wont"]
        out.append({
            "id": g.id,
            "statement": g.statement,
            "owner": person_name(project, g.owner),
            "has_owner": g.owner is not None,
            "metric": k.metric,
            "baseline": measured(k.baseline),
            # "с 1,7 до 2,1 продукта": the unit once, after the target
            # a unit written before the number too ("RUB 78 million") is written in full
            "baseline_number": (measured(k.baseline) if parts is not None and parts[0]
                                else number(k.baseline, lang)),
            "target": measured(k.target),
            "deadline": day(k.deadline, lang),
            "higher": k.better_is_higher,
            "tasks": [{"id": t.id, "statement": t.statement,
                       "later": task_not_removed(project, t)} for t in g.tasks],
            "requirements": ", ".join(reqs),
            # the goals table's cell: an estimated baseline says so
            "baseline_cell": measured(k.baseline) + (
                (" (оценка)" if lang == "ru" else " (estimate)") if k.baseline_estimate
                else ""),
            "baseline_estimate": k.baseline_estimate,
            "baseline_period": k.baseline_period or "",
            "baseline_source": k.baseline_source or "",
            "measurement": k.measurement or "",
        })
    return out


def task_not_removed(project: Project, task: Any) -> str:
    """Why this version does not remove a goal's task (a problem found), when none of the
    requirements that solve it (its own, or those of the process step that names it) is
    in this version and the project says why: the survey and the specification then say
    the same thing (optima's G1.6 was «to remove» while R17 was cut for the budget).
    Empty when the task is removed or no reason is given."""
    active = {r.id for r in project.requirements if r.priority != "wont"}
    reqs = list(task.requirements)
    reasons = [task.out_of_scope] if task.out_of_scope else []
    for d in project.client.departments:
        for step in d.process:
            if step.task == task.id:
                reqs += list(step.requirements)
                if step.out_of_scope:
                    reasons.append(step.out_of_scope)
    if any(r in active for r in reqs) or not reasons:
        return ""
    return " ".join(reasons[0].split()).rstrip(".")


def problem_trace(project: Project, lang: str) -> list[dict[str, str]]:
    """Every problem the survey names with what answers it: the problems of the
    departments' "as is" processes, then the goal tasks no process step names (the survey
    counts both), each with the requirements of this version or the reason it is out of
    scope (a problem without either is a `validate` warning, and here says it is still to
    be decided)."""
    from crmimpl.model.checks import step_answers, untraced_goal_tasks

    active = {r.id for r in project.requirements if r.priority != "wont"}
    out = []
    for d in project.client.departments:
        for step in d.process:
            if step.problem:
                out.append({"department": d.name, "problem": step.problem.rstrip("."),
                            "answer": _trace_answer([r for r in step_answers(project, d.id,
                                                                             step)
                                                     if r in active],
                                                    step.out_of_scope, lang)})
    for task in untraced_goal_tasks(project):
        reqs = [r for r in task.requirements if r in active]
        out.append({"department": _task_department(project, task.department, reqs),
                    "problem": " ".join(task.statement.split()).rstrip("."),
                    "answer": _trace_answer(reqs, task.out_of_scope, lang)})
    return out


def _trace_answer(reqs: list[str], out_of_scope: str | None, lang: str) -> str:
    if reqs:
        return ", ".join(reqs)
    if out_of_scope:
        lead = "Вне объема проекта: " if lang == "ru" else "Out of scope: "
        return lead + out_of_scope.rstrip(".")
    return ("Решение определяет рабочая группа до утверждения ТЗ" if lang == "ru"
            else "The working group decides before the specification is approved")


def _task_department(project: Project, named: str | None, reqs: list[str]) -> str:
    """The department a goal task belongs to: the one it names, else where its first
    requirement came from."""
    by_id = {r.id: r for r in project.requirements}
    for ref in ([named] if named else []) + [by_id[rid].source for rid in reqs]:
        person = next((p for p in project.team if p.id == ref), None)
        dept_id = (person.department or "") if person is not None else ref
        dept = next((d for d in project.client.departments if d.id == dept_id), None)
        if dept is not None:
            return dept.name
    return DASH


def integration_kind(kind: str, lang: str, project: Any = None) -> str:
    """An integration kind's label, in the words of the project's industry when it has
    its own (a bank's core system is its ABS, not «АБС, ERP, биллинг»)."""
    if project is not None:
        from crmimpl.industry import project_industry
        from crmimpl.vocabulary import template_data

        found = template_data("vocabulary.yaml").get("integration_kind_by_industry", {}) \
            .get(project_industry(project), {}).get(kind)
        if isinstance(found, dict):
            return str(found.get(lang) or found.get("en"))
    return label("integration_kind", kind, lang)


_FIRST_WORD = re.compile(r"[A-Za-z]+")


def items_in_line(items: Any, names: frozenset[str] | None = None) -> str:
    """Items joined with semicolons as one phrase: the items after the first begin in
    lower case when they begin with an ordinary word («…сегмент); продукты клиента: …»,
    "…terms); contact persons; payments"), never an abbreviation («АБС», "UTM tags") nor
    a name: an English item keeps its capital when its first word is one of ``names``
    (the words of the project's system and product names: "Exchange", "Xero"); without
    ``names`` every English item keeps its capital."""
    out = []
    for n, item in enumerate(str(x).strip() for x in items):
        if n and len(item) > 1 and "А" <= item[0] <= "Я" and item[1].islower():
            item = item[0].lower() + item[1:]
        elif names is not None and n and len(item) > 1 and "A" <= item[0] <= "Z" \
                and item[1].islower():
            word = _FIRST_WORD.match(item)
            if word is not None and word.group(0) not in names:
                item = item[0].lower() + item[1:]
        out.append(item)
    return "; ".join(out)


def proper_names(project: Any) -> frozenset[str] | None:
    """The capitalised words of the names the project gives its systems (the CRM, its
    vendor, every connected system): words that keep their capital inside a phrase;
    None without a project (then no English item is lowered)."""
    if project is None:
        return None
    texts = [i.system for i in project.integrations]
    if project.system is not None:
        texts += [project.system.product, project.system.vendor or ""]
    return frozenset(w for t in texts for w in _FIRST_WORD.findall(t) if w[:1].isupper())


def integration_row(i: Any, lang: str, project: Any = None) -> dict[str, str]:
    """An integration as a table row with vocabulary labels."""
    return {
        "id": i.id,
        "system": i.system,
        "kind": getattr(i, "purpose", None) or integration_kind(i.kind, lang, project),
        "protocol": label("protocol", i.protocol, lang),
        "direction": label("direction", i.direction, lang),
        "objects": items_in_line(i.objects, proper_names(project) if lang == "en" else None),
        "frequency": i.frequency or DASH,
        "notes": i.notes or "",
    }


def migration_row(project: Project, m: Any, lang: str) -> dict[str, str]:
    """A legacy data source as a table row."""
    return {
        "id": m.id,
        "name": m.name,
        "format": label("data_format", m.format, lang),
        "records": number(m.records, lang),
        "objects": items_in_line(m.objects, proper_names(project) if lang == "en" else None),
        "owner": person_name(project, m.owner),
        "rules": m.rules or DASH,
        "at_cutover": (m.at_cutover or "").strip(),
    }


def department_area(d: Any, lang: str) -> str:
    """What a department does, for the «Направление» column: ``area`` as written, else its
    kind's label; a department of kind 'other' gets its first function, since «Прочие
    подразделения» tells the client nothing."""
    if d.area:
        return str(d.area)
    if d.kind == "other":
        return str(d.functions[0]).rstrip(".") if d.functions else DASH
    return label("department_kind", d.kind, lang)


def user_class_row(project: Project, u: Any, lang: str) -> dict[str, str]:
    """A user class as a table row."""
    depts = [department_name(project, d) for d in u.departments]
    return {
        "name": u.name,
        "departments": department_list(depts, lang) or DASH,
        "users": number(u.users, lang) if u.users is not None else DASH,
        "description": u.description or "",
    }


def risk_row(project: Project, r: Any, lang: str) -> dict[str, str]:
    """A risk as a table row with level labels."""
    return {
        "id": r.id,
        "statement": r.statement,
        "probability": label("level", r.probability, lang),
        "impact": label("impact_level", r.impact, lang),
        "mitigation": r.mitigation,
        "owner": person_name(project, r.owner),
    }


# ------------------------------------------------------------------ questionnaire answers


def answer_text(value: object, lang: str, choices: dict[str, str] | None = None) -> str:
    """One answer value as text: lists joined, numbers formatted, yes/no in words.

    ``choices`` maps choice ids (what answers store for select questions) to labels.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, int | float | Decimal):
        return number(value, lang)
    if isinstance(value, date):
        return day(value, lang)
    if isinstance(value, list | tuple):
        parts = (answer_text(v, lang, choices) for v in value)
        return "; ".join(t for t in parts if t)
    if isinstance(value, dict):
        # a row of a table question: column ids become their labels
        labels = choices or {}
        parts = (f"{labels.get(k, k)}: {answer_text(v, lang, choices)}"
                 for k, v in value.items() if v not in (None, ""))
        return ", ".join(parts)
    text = str(value).strip()
    return (choices or {}).get(text, text)


def question_labels(lang: str, project_dir: Any = None) -> dict[str, tuple[str, dict[str, str]]]:
    """Question label and value labels (choices, table columns) per ``report_key``.

    Read from the questionnaire library (built-in plus the project's own). Returns an
    empty mapping when the library cannot be read: ``crmimpl validate`` reports that.
    """
    from crmimpl.questionnaire.library import load_library

    try:
        library = load_library(project_dir)
    except CrmimplError:
        return {}
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for questionnaire in library.values():
        for q in questionnaire.questions():
            if q.report_key and q.report_key not in out:
                out[q.report_key] = (q.label.get(lang), value_labels(questionnaire, q, lang))
    return out


def value_labels(questionnaire: Any, question: Any, lang: str) -> dict[str, str]:
    """Labels of the choice ids and table column ids an answer may hold."""
    lists = [question.choices] + [col.choices for col in question.columns]
    out = {col.id: col.label.get(lang) for col in question.columns}
    for list_id in filter(None, lists):
        found = next((cl for cl in questionnaire.choice_lists if cl.id == list_id), None)
        if found is not None:
            out.update({ch.id: ch.label.get(lang) for ch in found.choices})
    return out


def questionnaire_titles(answers: Answers | None, lang: str, project_dir: Any) -> list[str]:
    """Titles of the questionnaires that have answers, in the document's language."""
    if answers is None or not answers.questionnaires:
        return []
    from crmimpl.questionnaire.library import load_library

    try:
        library = load_library(project_dir)
    except CrmimplError:
        library = {}
    return [library[q].title.get(lang) if q in library else q
            for q in sorted(answers.questionnaires)]


def report_entries(
    answers: Answers | None,
    keys: Iterable[str],
    lang: str,
    labels: dict[str, tuple[str, dict[str, str]]] | None = None,
) -> list[dict[str, str]]:
    """Answers filed under ``keys`` (report keys), as ``[{"key", "question", "answer"}]``.

    Keys without an answer are skipped; questions are labelled from ``labels`` (see
    :func:`question_labels`) and choice ids become their labels. When several audiences
    or respondents answered the same question, each answer names its audience.
    """
    if answers is None:
        return []
    labels = labels or {}
    out = []
    for key in keys:
        question, values = labels.get(key, ("", {}))
        items = answers.report_all(key)
        for item in items:
            text = answer_text(item.value, lang, values)
            if not text:
                continue
            who = _voice(item, lang) if len(items) > 1 else ""
            out.append({"key": key, "question": question,
                        "answer": f"{who}: {text}" if who else text})
    return out


def _voice(item: AnswerValue, lang: str) -> str:
    """Who gave an answer: the respondent, else the audience (department kind)."""
    if item.respondent:
        return item.respondent
    return label("department_kind", item.audience, lang) if item.audience else ""


# ------------------------------------------------------------------ estimate and plan


def phase_names(mode: str, lang: str) -> dict[str, str]:
    """Phase names of the mode's plan template in ``lang`` (the plan names them in the
    project's language, a document may be in the other one)."""
    try:
        from crmimpl.model.plan_template import builtin_template

        template = builtin_template(mode)
    except (CrmimplError, FileNotFoundError):
        return {}
    return {phase.id: phase.name.get(lang) for phase in template.phases}


def plan_phases(plan: Plan, lang: str, fmt: MoneyFormat | None = None
                ) -> list[dict[str, Any]]:
    """Phases of a plan as table rows: name, start, finish, the contractor's effort (whole
    hours that add up to the rounded total the documents quote) and cost."""
    money = fmt or exact_money
    cur = plan.costs.currency
    effort = contractor_phase_hours(plan)
    return [{
        "id": ph.id,
        "name": ph.name_in(lang),
        "start": day(ph.start, lang),
        "finish": day(ph.finish, lang),
        "effort": number(effort[ph.id], lang),
        "cost": money(ph.cost, lang, cur),
        "post_launch": ph.post_launch,
        # work with no contractor hours and no cost (project management done by the client
        # alone): the client's documents leave it out rather than print "0 h, 0"; a phase of
        # milestones (acceptance) keeps its row for its date and deliverable
        "empty": effort[ph.id] == 0 and ph.cost == 0
        and any(not t.milestone for t in ph.tasks),
        # a phase of milestones only (acceptance): its date, and "—" for hours and money
        # where the survey's estimate would print "0 h, GBP 0" (round 18)
        "milestone": effort[ph.id] == 0 and ph.cost == 0
        and all(t.milestone for t in ph.tasks),
    } for ph in plan.phases]


def contractor_phase_hours(plan: Plan) -> dict[str, Decimal]:
    """The contractor's hours per phase, exactly as the plan workbook's lines add them up
    (work is planned in half hours, so these are whole or half hours)."""
    contractor = {p.id for p in plan.project.team if p.side == "contractor"}
    return {ph.id: sum((ln.hours for ln in plan.costs.lines
                        if ln.phase_id == ph.id and ln.person_id in contractor), Decimal(0))
            for ph in plan.phases}


def wbs_phases(project: Project, lang: str) -> list[dict[str, Any]]:
    """Effort per phase from the mode's plan template when no dated plan is available."""
    try:
        from crmimpl.model.plan_template import builtin_template
        from crmimpl.plan.methodology import build_wbs

        wbs = build_wbs(project, builtin_template(project.project.mode))
    except (CrmimplError, FileNotFoundError):  # no template: the estimate rests on changes
        return []
    names = phase_names(project.project.mode, lang)
    rows = []
    for phase in wbs.phases:
        effort = sum((t.effort_hours for t in wbs.tasks if t.phase == phase.id), Decimal(0))
        rows.append({"id": phase.id, "name": names.get(phase.id, phase.name), "start": DASH,
                     "finish": DASH, "effort": hours(effort, lang), "cost": DASH,
                     "empty": False})
    return rows


def change_module(project: Project, ch: Any) -> str:
    """The subsystem a change belongs to: its requirement's, where the specification
    describes it (one subsystem per change in every table), else its own."""
    req = next((r for r in project.requirements if r.id == ch.requirement), None)
    return req.module if req is not None else ch.module


def change_rows(project: Project, lang: str, plan: Plan | None = None,
                fmt: MoneyFormat | None = None) -> list[dict[str, str]]:
    """Custom changes with effort and cost (the plan's, else hours × developer rate);
    each names every requirement it serves (``changes[].requirement`` and the
    requirements whose ``change`` it is: teplo's CH1 serves R03, R08 and R09)."""
    money = fmt or exact_money
    cur = project.project.currency

    def served(ch: Any) -> str:
        reqs = [r.id for r in project.requirements if r.change == ch.id]
        if ch.requirement and ch.requirement not in reqs:
            reqs.insert(0, ch.requirement)
        return ", ".join(reqs) or DASH

    return [{
        "id": ch.id,
        "title": ch.title,
        "description": ch.description,
        "module": module_label(project, change_module(project, ch), lang),
        "priority": label("priority", ch.priority, lang),
        "requirement": served(ch),
        "hours": hours(ch.estimate_hours, lang),
        "cost": money(change_cost(project, ch.estimate_hours, plan, ch.id), lang, cur),
    } for ch in project.planned_changes]


# Modes whose survey states the package or contract price itself (a fixed express
# package, a CTI add-on), not a preliminary estimate that the specification refines.
PRICE_MODES = ("express", "cti")


def project_money(plan: Plan | None) -> MoneyFormat:
    """One rounding rule for a short project's money in every document (its survey, the
    passport or the CTI specification): whole currency units when every amount of the
    plan's estimate is whole, else every amount with its cents (the survey rounded VAT
    106 177,50 to 106 178 while the specification kept the cents). A typical or project
    survey's preliminary estimate keeps whole units (the specification refines it)."""
    if plan is None:
        return whole_money
    costs = plan.costs
    amounts = [costs.work, costs.contingency, costs.net, costs.vat, costs.total,
               costs.support_month or Decimal(0), costs.support_year or Decimal(0)]
    whole = all(Decimal(a) == Decimal(a).to_integral_value() for a in amounts)
    return whole_money if whole else exact_money


def sparing_money(value: Decimal | float | int, lang: str, currency: str = "RUB") -> str:
    """An exact amount with its cents only when it has any: ``828 000 ₽`` (not
    ``828 000,00 ₽``), ``6 434 093,60 ₽``; the specification's amounts, each exact."""
    if Decimal(str(value)) == Decimal(str(value)).to_integral_value():
        return whole_money(value, lang, currency)
    return exact_money(value, lang, currency)


def _in_prose(money: MoneyFormat) -> MoneyFormat:
    """How running text writes an amount: with its cents only when it has any, where the
    tables write every amount exactly."""
    return sparing_money if money is exact_money else money


def estimate_context(project: Project, plan: Plan | None, lang: str, *,
                     whole: bool = False) -> dict[str, Any]:
    """The estimate a document shows: phases (dated when a plan exists), changes, budget.

    ``whole``: amounts in whole currency units, as a preliminary estimate states them
    (the survey report); the plan workbook and the specification keep the cents."""
    cur = project.project.currency
    money: MoneyFormat
    if not whole:
        money = sparing_money
    elif project.project.mode in PRICE_MODES:
        money = project_money(plan)
    else:
        money = whole_money
    phases = plan_phases(plan, lang, money) if plan is not None else wbs_phases(project, lang)
    change_hours = sum((Decimal(str(ch.estimate_hours)) for ch in project.planned_changes),
                       Decimal(0))
    change_total = sum((change_cost(project, ch.estimate_hours, plan, ch.id)
                        for ch in project.planned_changes), Decimal(0))
    budget = project.budget
    context = {
        "has_plan": plan is not None,
        # an express package's fixed price: the documents quote it, not hours × rates
        "has_package": budget.package_price is not None,
        "package_price": money(budget.package_price, lang, cur)
        if budget.package_price is not None else "",
        "extra_rates": extra_rates(project, lang, money),
        "phases": phases,
        "has_phases": bool(phases),
        **_plan_totals(plan, lang, money),
        "changes": change_rows(project, lang, plan, money),
        "changes_hours": hours(change_hours, lang),
        "changes_cost": money(change_total, lang, cur),
        "rate": money(developer_rate(project), lang, cur),
        # with a plan, changes cost what their tasks cost at the people's own rates
        "has_rate": plan is None and developer_rate(project) > 0,
        # the client's limit is a round figure: "490 000 ₽", not "490 000,00 ₽" in a
        # sentence, even where the plan's exact amounts keep their cents (teplo)
        "budget_limit": _in_prose(money)(budget.limit, lang, cur),
        # a fixed package within the client's limit (the same basis: before VAT unless
        # the prices include it): the summary says so beside the price
        "package_within": bool(budget.package_price is not None and budget.limit
                               and budget.package_price <= budget.limit),
        **_headroom(project, plan, lang, _in_prose(money)),
        "contingency": percent(budget.contingency_percent, lang),
        "has_contingency": budget.contingency_percent > 0,
        "vat": percent(project.project.vat_rate, lang),
        "vat_included": project.project.prices_include_vat,
        "fixed": join(labels_of("corner", budget.fixed, lang), lang, last=True),
        "start": day(project.project.start, lang),
        "deadline": day(project.project.deadline, lang) if project.project.deadline else "",
        # the plan's go-live falls after the client's deadline: the client must be told
        "deadline_missed": bool(plan is not None and project.project.deadline is not None
                                and plan.launch > project.project.deadline),
    }
    # whole units: the table hides cents a plan's exact amounts may have
    context["whole_units"] = money is whole_money
    if money is whole_money:  # a short project with cents keeps them (project_money)
        _add_up_whole(context, project, plan, change_total, lang)
    return context


def whole_shares(parts: list[Decimal], total: Decimal) -> list[Decimal]:
    """Whole units of ``parts`` that add up to ``total`` rounded half up: each part's
    whole units, the units left over going to the largest fractions (the first on a
    tie), so that a table's rows add up to the total it prints."""
    target = total.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    floors = [p.to_integral_value(rounding=ROUND_FLOOR) for p in parts]
    left = int(target - sum(floors, Decimal(0)))
    if not 0 <= left <= len(parts):  # parts that do not make the total: each on its own
        return [p.quantize(Decimal(1), rounding=ROUND_HALF_UP) for p in parts]
    order = sorted(range(len(parts)), key=lambda i: -(parts[i] - floors[i]))
    for i in order[:left]:
        floors[i] += 1
    return floors


def _add_up_whole(context: dict[str, Any], project: Project, plan: Plan | None,
                  change_total: Decimal, lang: str) -> None:
    """A whole-unit estimate adds up as printed: the phases make the work, work and
    contingency the net, net and VAT the total, the changes their total; each total is
    its exact amount rounded (as every other document rounds it), and the parts give way
    by less than one unit; the net is whole already and VAT is charged on it
    (``crmimpl.plan.costs``), so VAT prints as its own rounding (81,769 + 16,354 = 98,123)."""
    cur = project.project.currency
    changes = project.planned_changes
    if changes:
        costs = [change_cost(project, ch.estimate_hours, plan, ch.id) for ch in changes]
        for row, share in zip(context["changes"], whole_shares(costs, change_total),
                              strict=True):
            row["cost"] = whole_money(share, lang, cur)
    if plan is None:
        return
    c = plan.costs
    phases = whole_shares([ph.cost for ph in plan.phases], c.work)
    for row, share in zip(context["phases"], phases, strict=True):
        row["cost"] = whole_money(share, lang, cur)
    net, work, total = (x.quantize(Decimal(1), rounding=ROUND_HALF_UP)
                        for x in (c.net, c.work, c.total))
    if c.contingency:
        context["contingency_amount"] = whole_money(net - work, lang, cur)
    context["vat_amount"] = whole_money(total - net, lang, cur)


# below this share of the limit left, the estimate states its headroom and what gives way
HEADROOM_NOTE = Decimal("0.05")


def _headroom(project: Project, plan: Plan | None, lang: str, money: MoneyFormat
              ) -> dict[str, str]:
    """What is left of the client's budget limit when the estimate comes close to it (the
    contingency already inside), and the changes of priority «could» that move to a later
    stage first if the contingency is spent."""
    limit = project.budget.limit
    if plan is None or not limit or project.budget.package_price is not None:
        return {"headroom": "", "headroom_share": "", "could_changes": ""}
    left = limit - plan.costs.compared  # net, or gross when prices include VAT
    if left < 0 or left >= limit * HEADROOM_NOTE:
        return {"headroom": "", "headroom_share": "", "could_changes": ""}
    could = [f"{c.id} «{c.title}»" if lang == "ru" else f"{c.id} “{c.title}”"
             for c in project.planned_changes if c.priority == "could"]
    share = (left / limit * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return {"headroom": money(left, lang, project.project.currency),
            "headroom_share": percent(share, lang) if share > 0 else "",
            "could_changes": join(could, lang, last=True)}


def extra_rates(project: Project, lang: str, fmt: MoneyFormat | None = None) -> str:
    """The contractor's hourly rates, for work beyond a fixed package ("консультант —
    3 500,00 ₽ в час; ..."); one rate per position, in team order."""
    money = fmt or exact_money
    cur = project.project.currency
    per_hour = {"ru": "в час", "en": "per hour"}.get(lang, "per hour")
    rates: dict[str, str] = {}
    for p in project.team:
        if p.side != "contractor" or p.rate is None:
            continue
        rate = p.hourly_rate(project.plan.hours_per_day)
        position = p.position or (label("role", p.roles[0], lang) if p.roles else p.name)
        rates.setdefault(position, f"{lower_position(position, lang)} — "
                         f"{money(rate, lang, cur)} {per_hour}")
    return "; ".join(rates.values())


def _plan_totals(plan: Plan | None, lang: str, fmt: MoneyFormat | None = None
                 ) -> dict[str, Any]:
    """Totals of a dated plan: effort, money, launch and finish (empty strings without)."""
    money = fmt or exact_money
    if plan is None:
        return {key: "" for key in ("total_effort", "work",
                                    "contingency_amount", "net", "vat_amount", "total",
                                    "finish", "launch", "after_launch",
                                    "over_limit", "stages_live")} | {"audits": 0}
    costs, cur = plan.costs, plan.costs.currency
    # the days the post-launch audits start (every one of them, not only the last): the
    # audit checks (``audit.check.N``) of the post-launch phases
    audits = sorted({t.start for ph in plan.phases if ph.post_launch for t in ph.tasks
                     if t.id.startswith("audit.check.")})
    return {
        # the plan's own figure (whole or half hours), so that it equals the sum of the team
        # table and of the phase table, as the plan workbook adds them up
        "total_effort": plan_hours(costs.contractor_hours, lang),
        "work": money(costs.work, lang, cur),
        "contingency_amount": money(costs.contingency, lang, cur),
        "net": money(costs.net, lang, cur),
        "vat_amount": money(costs.vat, lang, cur),
        "total": money(costs.total, lang, cur),
        "finish": day(plan.finish, lang),
        "launch": day(plan.launch, lang),
        # a staged project's go-lives and acceptance (empty when it goes live in one go)
        "stages_live": stages_live_text(plan, lang),
        # the post-launch audit's day, when the plan runs past the launch: named for what
        # it is, so that a reader does not take it for the project's end
        "after_launch": join([day(d, lang) for d in audits], lang, last=True),
        "audits": len(audits),
        "over_limit": money(costs.over_limit, lang, cur) if costs.over_limit > 0 else "",
    }


def phase_period(plan: Plan | None, phase_id: str, lang: str) -> tuple[str, str]:
    """Start and finish of a plan phase as text, empty when there is no such phase."""
    if plan is None:
        return "", ""
    found = next((ph for ph in plan.phases if ph.id == phase_id), None)
    if found is None:
        return "", ""
    return day_long(found.start, lang), day_long(found.finish, lang)


def time_ranges(text: str, project: Project | None = None) -> str:
    """Clock ranges written with a hyphen ("09:00-18:00") with an en dash instead, in the
    text of a Russian project (an English project's text is quoted as written)."""
    import re

    if project is not None and project.project.language != "ru":
        return text
    return re.sub(r"(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})", "\\1\u2013\\2", text)


def support_cost(plan: Plan | None, lang: str, *, whole: bool = False) -> dict[str, str]:
    """What the support package costs, as every document quotes it: a month, and the
    package's term (``support.months`` after launch, else a year); ``whole``: in whole
    currency units (a functional specification quotes no pence).

    ``term`` reads after the amount: «за 6 месяцев» / "for 6 months", «в год» / "a year".
    """
    if plan is None or not plan.costs.support_month:
        return {"month_cost": "", "term_cost": "", "term": "", "months": ""}
    costs = plan.costs
    cur = costs.currency
    months = costs.support_months
    if months:
        span = count_of(months, "месяц" if lang == "ru" else "month", lang, case="accs")
        term = f"за {span}" if lang == "ru" else f"for {span}"
        total = costs.support_package or costs.support_month * months
    else:
        term = "в год" if lang == "ru" else "a year"
        total = costs.support_year
    money: MoneyFormat
    if whole:
        money = whole_money
    elif plan.project.project.mode in PRICE_MODES:
        money = project_money(plan)  # a short project's one rounding rule
    else:
        money = sparing_money
    return {"month_cost": money(costs.support_month, lang, cur),
            "term_cost": money(total, lang, cur), "term": term,
            "months": str(months or "")}


def clock_after(start: str, hours: float) -> str:
    """The time ``hours`` after ``start`` (HH:MM) on a 24-hour clock ("20:00")."""
    h, m = (int(x) for x in start.split(":"))
    minutes = (h * 60 + m + round(hours * 60)) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def support_hours(project: Project, lang: str) -> str:
    """The support hours as the documents state them: clock ranges with an en dash, in
    the client's time zone. Hours that name no zone get the client's after their first
    range («08:00–22:00 по местному времени (МСК+1)»); hours that name one are quoted as
    written (`validate` warns when that zone is not the client's)."""
    import re

    from crmimpl.model.checks import zone_named

    text = time_ranges(project.support.hours, project)
    zone = project.timezone
    if zone is None or zone_named(text) is not None:
        return text
    label = zone_label(zone, project.project.start, lang)
    match = re.search(r"\d{1,2}:\d{2}\s*[\u2013-]\s*\d{1,2}:\d{2}", text)
    if match is None:
        return f"{text} ({label})"
    return f"{text[:match.end()]} {label}{text[match.end():]}"


def zone_label(zone: str, day: date, lang: str) -> str:
    """A time zone as a client reads it: Moscow time «МСК», a Russian zone by its offset
    from Moscow («по местному времени (МСК+1)»), another by its city ("UK time" for
    London)."""
    from crmimpl.countries import utc_offset_hours

    shift = utc_offset_hours(zone, day) - utc_offset_hours("Europe/Moscow", day)
    russian = zone in _RUSSIAN_ZONES
    if russian and shift == 0:
        return "МСК" if lang == "ru" else "Moscow time"
    if russian:
        sign = "+" if shift > 0 else "\u2212"
        hours = f"{sign}{abs(shift):g}"
        return (f"по местному времени (МСК{hours})" if lang == "ru"
                else f"local time (Moscow time {hours} h)")
    if zone == "Europe/London":
        return "по времени Великобритании" if lang == "ru" else "UK time"
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return f"по местному времени ({city})" if lang == "ru" else f"{city} time"


# IANA zones of Russia (their offsets are told from Moscow time, as Russians do).
_RUSSIAN_ZONES = frozenset({
    "Europe/Kaliningrad", "Europe/Moscow", "Europe/Simferopol", "Europe/Kirov",
    "Europe/Volgograd", "Europe/Astrakhan", "Europe/Saratov", "Europe/Ulyanovsk",
    "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk", "Asia/Novosibirsk", "Asia/Barnaul",
    "Asia/Tomsk", "Asia/Novokuznetsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Chita",
    "Asia/Yakutsk", "Asia/Khandyga", "Asia/Vladivostok", "Asia/Ust-Nera", "Asia/Magadan",
    "Asia/Sakhalin", "Asia/Srednekolymsk", "Asia/Kamchatka", "Asia/Anadyr"})


def deadline_departments(project: Project) -> set[str] | None:
    """Departments whose missed calls become callbacks with a deadline: those the
    telephony changes name (teplo: dispatch and sales; the engineers call out and the
    management takes no calls on company numbers); None when no change names any, so
    every department taking calls may have one."""
    named = {d for ch in project.planned_changes if ch.module == "telephony"
             for d in ch.departments}
    return named or None


def unknown_hours_departments(project: Project) -> list[Department]:
    """Departments that take calls on the telephony being connected (a CTI project)
    with neither shifts nor working hours, and callback deadlines counted in them: the
    hours nobody stated, so the survey report and the specification ask for them."""
    pbx = next((i for i in project.integrations if i.kind == "telephony"), None)
    if pbx is None or project.project.mode != "cti":
        return []
    timed = deadline_departments(project)
    return [d for d in project.client.departments
            if (not pbx.departments or d.id in pbx.departments) and d.users
            and not d.shifts and not d.hours and (timed is None or d.id in timed)]


def hours_question(project: Project, lang: str) -> str:
    """The open question on the working hours of :func:`unknown_hours_departments`
    (empty when none)."""
    depts = unknown_hours_departments(project)
    if not depts:
        return ""
    names = join([f"«{d.name}»" if lang == "ru" else f'"{d.name}"' for d in depts],
                 lang, last=True)
    # until the client answers, the settings and the tests take an ordinary office day,
    # so that a callback deadline counted in these hours can be set up and tested
    if lang == "ru":
        return (f"Время работы подразделени{'й' if len(depts) > 1 else 'я'} {names} (дни "
                "недели и часы приема звонков): в нем отсчитываются сроки перезвона по "
                "пропущенным звонкам, вне его действуют правила нерабочего времени; до "
                "ответа настройка и испытания исходят из рабочих дней с 09:00 до 18:00")
    return (f"Working days and hours of {names}: callback deadlines for missed calls "
            "count in them, and the out-of-hours rules apply outside them; until the "
            "answer, the settings and the tests assume working days from 09:00 to 18:00")


def hours_question_owner(project: Project) -> str:
    """Who answers :func:`hours_question`: the heads of those departments (the head of
    sales knows the sales department's hours, not the client's project manager), else
    the client's project manager."""
    heads = [d.head for d in unknown_hours_departments(project) if d.head]
    return join(list(dict.fromkeys(heads)), project.project.language) or \
        first_name_with(project, ["project_manager"], side="client")


def tax_terms(project: Project) -> dict[str, bool]:
    """How the documents speak of VAT. ``free``: the contractor charges none
    (``vat_rate: 0``: a Russian contractor on the simplified tax system, a country
    without VAT), so prices carry no "before VAT", no VAT row and no total with VAT."""
    return {"free": project.project.vat_rate == 0}


def stage_go_lives(plan: Plan | None) -> list[tuple[int, date]]:
    """An iterative plan's go-live days, stage by stage: (0, the MVP's launch), then
    (n, iteration n's completion), the day that stage's users start work in the system;
    empty for a plan delivered in one go."""
    if plan is None:
        return []
    tasks = {t.id: t for t in plan.tasks}
    if "mvp.launch" not in tasks:
        return []
    out = [(0, tasks["mvp.launch"].start)]
    n = 1
    while f"iteration.done.{n}" in tasks:
        out.append((n, tasks[f"iteration.done.{n}"].finish))
        n += 1
    return out


def stages_live_text(plan: Plan | None, lang: str,
                     fmt: Callable[[date, str], str] = day) -> str:
    """A staged project's go-lives and its acceptance in one clause, so that no document
    gives one go-live date for an MVP and iterations that start work on different days:
    «MVP — 17.04.2026, итерация 1 — 10.06.2026, итерация 2 —
    14.07.2026; приемка работ — 14.07.2026» / "the MVP goes live on 17 Apr 2026,
    iteration 1 on 10 Jun 2026 and iteration 2 on 14 Jul 2026; the work is accepted on
    14 Jul 2026". Empty when the plan is not staged."""
    stages = stage_go_lives(plan)
    if not stages or plan is None:
        return ""
    acceptance = fmt(plan.launch, lang)
    if lang == "ru":
        parts = [f"MVP — {fmt(stages[0][1], lang)}"] + [
            f"итерация {n} — {fmt(d, lang)}" for n, d in stages[1:]]
        return f"{', '.join(parts)}; приемка работ — {acceptance}"
    parts = [f"the MVP goes live on {fmt(stages[0][1], lang)}"] + [
        f"iteration {n} on {fmt(d, lang)}" for n, d in stages[1:]]
    return f"{join(parts, lang, last=True)}; the work is accepted on {acceptance}"


def staged_adoption(project: Project, plan: Plan | None, lang: str) -> dict[str, str]:
    """A staged project's adoption support as the training plan states it: it starts for
    each stage's users on that stage's go-live and runs to the end of the adoption period,
    ``training.adoption_days`` working days from the working day after the last training
    session (the training plan's computation), so that a specification does not say "the
    first 21 days" of one go-live. Empty values when the plan is not staged."""
    stages = stage_go_lives(plan)
    if not stages or plan is None or not plan.sessions:
        return {"adoption_stages": "", "adoption_end": ""}
    from crmimpl.plan.pilot import adoption_period

    last = max(s.day for s in plan.sessions)
    _, end = adoption_period(date.fromordinal(last.toordinal() + 1),
                             project.training.adoption_days, plan.calendar.is_working)
    if lang == "ru":
        parts = [f"MVP — с {day(stages[0][1], lang)}"] + [
            f"итерация {n} — с {day(d, lang)}" for n, d in stages[1:]]
        text = ", ".join(parts)
    else:
        parts = [f"the MVP from {day(stages[0][1], lang)}"] + [
            f"iteration {n} from {day(d, lang)}" for n, d in stages[1:]]
        text = join(parts, lang, last=True)
    return {"adoption_stages": text, "adoption_end": day(end, lang)}


def asked_materials(answers: object | None) -> list[tuple[str, dict[str, Any]]]:
    """The training materials the client asked for in the survey
    (``rollout.documentation``) beyond the usual set, each with its entry of
    ``asked_materials`` in the training content: the training plan lists them, the
    specification's list of documents has a row for each that is a document of its own
    (``doc``), so what the plan promises the specification contracts (round 19: optima's
    plan promised video lessons no specification list had)."""
    report = getattr(answers, "report", None)
    asked = report("rollout.documentation") if report is not None else None
    if not isinstance(asked, list):
        return []
    from crmimpl.vocabulary import template_data

    extra = template_data("training.yaml").get("asked_materials", {})
    return [(key, extra[key]) for key in asked if key in extra]


def warranty(project: Project, lang: str) -> str:
    """The warranty period after acceptance as the specifications state it («3 месяца»,
    "3 months"); empty without a warranty (``support.warranty_months`` 0)."""
    from crmimpl import i18n

    n = project.support.warranty_months
    return i18n.count(n, lang, ("месяца", "месяцев", "месяцев"), ("month", "months")) \
        if n else ""
