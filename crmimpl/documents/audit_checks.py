"""The consultant's checks of an audit record before its report goes out.

They are warnings for the review notes, never text of the report: the auditor's words
are not rewritten. Each says what to change in the audit file (round 19: an owner away
on the action's date, an integrator's developer told to appoint bank staff, a retail
director told to build automations, a goal behind its pace with no measure proposed, a
conclusion that praises the weakest area).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.questionnaire import audit as au

if TYPE_CHECKING:
    from crmimpl.model.project import Person, Project

# roles whose holders configure the system on the client's side
_CONFIGURING = {"sysadmin", "developer", "consultant", "analyst", "support"}


def audit_warnings(project: Project, records: list[au.AuditRecord],
                   plan: object | None = None) -> list[str]:
    """Every warning about the audit records of a project, oldest audit first."""
    out: list[str] = []
    for record in records:
        where = f"audits/{record.date.isoformat()}.yaml"
        out += [f"{where}: {text}" for text in (
            _owners_away(project, record) + _owners_misfit(project, record)
            + _goals_without_measure(project, record, plan) + _praise(record)
            + _documents_not_delivered(project, record, plan) + _unknown_references(record)
            + _not_closed_by_next_audit(project, record, plan) + _measures_before(record)
            + _settings_without_hours(project, record))]
    return out


def person_named(project: Project, name: str | None) -> Person | None:
    """The team member an audit names: by full name, by the project's translation of
    it, or as «Фамилия И. О.»."""
    if not name:
        return None
    wanted = " ".join(name.split())
    for person in project.team:
        full = person.name
        parts = full.split()
        short = (f"{parts[0]} {parts[1][0]}. {parts[2][0]}." if len(parts) == 3 else full)
        if wanted in {full, project.in_own_words(full), short}:
            return person
    return None


def _assigned(record: au.AuditRecord) -> list[tuple[str, str, dt.date | None, str]]:
    """(check, owner, due, action text) of every action, each action with its own
    owner and date where it has them, else the finding's."""
    out = []
    for checks in record.areas.values():
        for check_id, c in checks.items():
            if c.status not in ("failed", "partly"):
                continue
            items = au.action_items(c) or [au.ActionItem(c.finding or check_id)]
            for item in items:
                owner = item.owner or c.owner
                for one in re.split(r"[,;]\s*(?=[A-ZА-ЯЁ][a-zа-яё]+\s)", owner or ""):
                    if one.strip():
                        out.append((check_id, one.strip(), item.due or c.due, item.text))
    return out


def _owners_away(project: Project, record: au.AuditRecord) -> list[str]:
    """An action given to someone on leave on its due date (northwind: Rachel Moore is
    away 10–21 August)."""
    out = []
    for check_id, owner, due, _text in _assigned(record):
        person = person_named(project, owner)
        if person is None or due is None:
            continue
        for leave in person.vacations:
            if leave.start <= due <= leave.end:
                out.append(f"{check_id}: {owner} is on leave from {leave.start} to "
                           f"{leave.end}, yet owns an action due {due}: give it to "
                           "someone at work then, or move its date")
    return out


def _patterns(key: str) -> list[re.Pattern[str]]:
    """The phrases of both languages that mark a kind of work (locale ``audit_checks``)."""
    return [re.compile(p, re.IGNORECASE) for lang in ("ru", "en")
            for p in i18n.words("audit_checks", lang)[key]]


def _side(project: Project, owner: str) -> tuple[str, set[str]] | None:
    """The side and roles of an owner: a team member's, or a client department's head
    (who configures nothing); None for a name the project does not know."""
    person = person_named(project, owner)
    if person is not None:
        return person.side, set(person.roles)
    for department in project.client.departments:
        head = department.head or ""
        parts = head.split()
        short = f"{parts[0]} {parts[1][0]}. {parts[2][0]}." if len(parts) == 3 else head
        if head and " ".join(owner.split()) in {head, project.in_own_words(head), short}:
            return "client", set()
    return None


def _owners_misfit(project: Project, record: au.AuditRecord) -> list[str]:
    """Work given to the wrong side: the contractor cannot appoint the client's staff,
    and a client manager who does not configure the system cannot build automations."""
    staffing, building = _patterns("staffing"), _patterns("building")
    out = []
    for check_id, owner, _due, text in _assigned(record):
        found = _side(project, owner)
        if found is None:
            continue
        side, roles = found
        if side == "contractor" and any(p.search(text) for p in staffing):
            out.append(f"{check_id}: {owner} (contractor) owns a decision on the client's "
                       "staff; give it to the client's head of the unit concerned")
        elif (side == "client" and not _CONFIGURING & roles
              and any(p.search(text) for p in building)):
            out.append(f"{check_id}: {owner} (client) owns configuration or development "
                       "work; split it off as the contractor's action with its owner and "
                       "hours")
    return out


def _settings_without_hours(project: Project, record: au.AuditRecord) -> list[str]:
    """Configuration the contractor does for a finding with no hours: the report bills
    every such action by one rule (support hours, a change request or warranty), so one
    without hours leaves the month's support balance wrong (volga: a daily summary, a
    complaint alert and a dashboard told as the bank's own actions, with no hours)."""
    building = _patterns("building")
    out = []
    for checks in record.areas.values():
        for check_id, c in checks.items():
            if c.status not in ("failed", "partly"):
                continue
            for item in au.action_items(c):
                owner = item.owner or c.owner or ""
                found = _side(project, owner.split(",")[0].strip())
                if (found is not None and found[0] == "contractor"
                        and item.hours is None and not item.warranty
                        and any(p.search(item.text) for p in building)):
                    out.append(f"{check_id}: {owner} (contractor) configures the system "
                               f"with no hours («{item.text[:60]}…»): add them at the end "
                               "of the action's line, e.g. [Name, 25.06.2027, 4 h]")
    return out


def _goals_without_measure(project: Project, record: au.AuditRecord,
                           plan: object | None) -> list[str]:
    """A goal the report finds behind its pace or past its deadline with no measure
    proposed: the sponsor would get homework instead of a recommendation (volga G3, G4)."""
    from crmimpl.documents import audit_report

    behind = audit_report.goals_needing_measures(project, record, plan)
    return [f"{goal}: behind its pace or past its deadline with no measure proposed; "
            "write the auditor's measure in its `action`" for goal in behind
            if not (record.kpi[goal].action or "").strip()]


def _praise(record: au.AuditRecord) -> list[str]:
    """A conclusion that calls the weakest area good (northwind: «Adoption is good» at
    70 %, the lowest area, with a failed high-criticality check)."""
    from crmimpl.documents.audit_report import weakest_area

    found = weakest_area(record)
    text = record.conclusion or ""
    if found is None or not text:
        return []
    area = found[0]
    names = _area_names(area)
    praise = _patterns("praise")
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if any(n.lower() in sentence.lower() for n in names) and any(
                p.search(sentence) for p in praise):
            return [f"conclusion: praises {area}, the weakest area by the scores: "
                    f"«{sentence.strip()}»"]
    return []


def _area_names(area: str) -> list[str]:
    """An area's titles in both languages, and the id itself."""
    from crmimpl.questionnaire.library import get_questionnaire

    definition = get_questionnaire(au.QUESTIONNAIRE, None)
    names: list[Any] = [area.replace("_", " ")]
    for section, _q in au.areas(definition):
        if section.id == area:
            names += [section.title.get("ru"), section.title.get("en")]
    return [str(n) for n in names if n]


def _auditor_texts(record: au.AuditRecord) -> list[tuple[str, str]]:
    """(where, text) of everything the auditor wrote that the report prints."""
    out = [(f"{check_id}", text) for checks in record.areas.values()
           for check_id, c in checks.items()
           for text in (c.evidence, c.finding, c.action) if text]
    out += [(goal, text) for goal, k in record.kpi.items()
            for text in (k.comment, k.action) if text]
    return out + [(key, text) for key, text in (("conclusion", record.conclusion),
                                                ("strengths", record.strengths)) if text]


# the modes whose design document promises a kind of document: the specifications
# (ТЗ, functional, CTI) list an administrator guide among the deliverables; an express
# package's passport does not
_PROMISED = {"admin_guide": {"typical", "project", "iterative", "cti"}}


def _documents_not_delivered(project: Project, record: au.AuditRecord,
                             plan: object | None) -> list[str]:
    """A document the auditor cites («инструкция администратора») of a kind neither the
    project's design document promises nor a task of its plan delivers: the client
    would ask for a document nobody promised (round 20: kreativ's express package
    delivers a user quick guide and the rules of working in the system, yet its audit
    sent the administrator to her «instructions»)."""
    tasks = getattr(plan, "tasks", None)
    if tasks is None:
        return []
    names = " ".join(t.name for t in tasks)
    mode = project.project.mode
    kinds: dict[str, list[re.Pattern[str]]] = {}
    for lang in ("ru", "en"):
        for kind, pattern in i18n.words("audit_checks", lang)["documents"].items():
            kinds.setdefault(kind, []).append(re.compile(pattern, re.IGNORECASE))
    out = []
    for kind, patterns in kinds.items():
        if mode in _PROMISED.get(kind, set()) or any(p.search(names) for p in patterns):
            continue
        for where, text in _auditor_texts(record):
            found = next((m for p in patterns if (m := p.search(text))), None)
            if found is not None:
                out.append(f"{where}: cites «{found.group(0)}», a document no task of the "
                           "plan delivers; name one the project delivers, or add its task")
    return out


def _unknown_references(record: au.AuditRecord) -> list[str]:
    """A finding cited by a check id (``{calls_logged}``) that is no finding of this
    audit: the report would print the braces as they are."""
    from crmimpl.documents.audit_report import REFERENCE

    findings = {check_id for checks in record.areas.values()
                for check_id, c in checks.items() if c.status in ("failed", "partly")}
    out = []
    for where, text in _auditor_texts(record):
        for match in REFERENCE.finditer(text):
            unknown = [x.strip() for x in match.group(1).split(",")
                       if x.strip() not in findings]
            if unknown:
                out.append(f"{where}: cites {match.group(0)}, but {', '.join(unknown)} is "
                           "no finding of this audit; cite the check id of a failed or "
                           "partly passed check")
    return out


def _not_closed_by_next_audit(project: Project, record: au.AuditRecord,
                              plan: object | None) -> list[str]:
    """A goal measure whose interim target the next audit is to check («проверяется на
    аудите № 3») over a month that is not over by that audit's date: the figures of a
    month are measured once it is closed (round 20: optima's audit 3 on 24 February was
    to check December–February revenue)."""
    from crmimpl.documents.audit_report import _next_date

    following = _next_date(project, record, plan)
    if following is None or record.number is None:
        return []
    out = []
    for lang in ("ru", "en"):
        words = i18n.words("audit_checks", lang)
        months = [re.compile(m, re.IGNORECASE) for m in words["months"]]
        audit = re.compile(words["audit_number"].format(n=record.number + 1), re.IGNORECASE)
        for goal, k in record.kpi.items():
            for clause in re.split(r"[;.](?:\s|$)", k.action or ""):
                if not audit.search(clause):
                    continue
                named = [(m.start(), n) for n, p in enumerate(months, start=1)
                         for m in p.finditer(clause)]
                if not named:
                    continue
                month = max(named)[1]  # the last month the clause names
                year = record.date.year + (month < record.date.month)
                end = (dt.date(year + month // 12, month % 12 + 1, 1)
                       - dt.timedelta(days=1))
                if following <= end:
                    out.append(f"{goal}: the next audit ({following}) is to check a target "
                               f"over a month that ends on {end}, after it; end the "
                               "period with a month closed by then, or move the audit")
    return out


def _measures_before(record: au.AuditRecord) -> list[str]:
    """A goal measure due before a finding it cites (``{complaints_on_time}``) is due:
    the same action would carry two dates (round 20: volga's measures restated the
    findings' actions with earlier deadlines)."""
    from crmimpl.documents.audit_report import REFERENCE

    due: dict[str, dt.date] = {}
    for checks in record.areas.values():
        for check_id, c in checks.items():
            if c.status in ("failed", "partly"):
                dates = [d for d in [c.due, *(i.due for i in au.action_items(c))] if d]
                if dates:
                    due[check_id] = max(dates)
    out = []
    for goal, k in record.kpi.items():
        if k.due is None:
            continue
        for match in REFERENCE.finditer(k.action or ""):
            later = [x.strip() for x in match.group(1).split(",")
                     if x.strip() in due and due[x.strip()] > k.due]
            for check_id in later:
                out.append(f"{goal}: the measure is due {k.due}, yet it cites {check_id}, "
                           f"due {due[check_id]}; give the measure that date, or cite "
                           "the finding without restating its action")
    return out
