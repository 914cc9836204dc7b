"""The document register: version, status and date of each document a project issues.

A document's date is the one written in ``documents:`` of project.yaml, or else the day
the plan approves it: the survey report on its approval milestone, the specification on
its own (an iterative MVP's on the MVP specification task), the training plan two working
weeks before the first session (an iterative MVP's survey report after its interviews).
A survey report or specification the plan would date on or before the last answer
imported into ``answers/`` (the respondents' dates) is dated the next working day: a
document never quotes answers given after it was approved. The title page, the header
and the body all take the date from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from crmimpl.errors import CrmimplError

if TYPE_CHECKING:
    from crmimpl.model.project import Project
    from crmimpl.plan.builder import Plan

TRAINING_LEAD_DAYS = 10
QUOTES_ANSWERS = ("survey", "spec")
"""Documents that quote the imported answers: dated after the last of them."""
# where each document is approved: plan tasks (milestones), then phases, in order
APPROVAL = {
    "survey": ("survey.approved", "survey"),
    "spec": ("design.approved", "design", "mvp.spec", "survey.approved", "survey"),
    "backlog": ("prep.charter", "preparation"),
}


@dataclass(frozen=True)
class DocumentEntry:
    """What a document says about itself."""

    version: str
    status: str
    date: date


def document_entry(project: Project, plan: Plan | None, name: str) -> DocumentEntry:
    """The register entry of document ``name`` (survey, spec, training): the date written
    in ``documents:``, else ``project.document_date``, else the plan's approval day."""
    given = project.documents.get(name)  # type: ignore[call-overload]
    written = (given.date if given is not None and given.date else None) \
        or project.project.document_date
    when = written or (approval_date(plan, name) if plan is not None
                       else project.project.start)
    last = last_answer_date(project) if written is None and name in QUOTES_ANSWERS else None
    if last is not None and when <= last:
        when = plan.calendar.add_working_days(last, 1) if plan is not None else last
    if name == "backlog" and written is None:
        # the backlog places the requirements the survey report registers: never before it
        when = max(when, document_entry(project, plan, "survey").date)
    if name == "training" and written is None:
        # the plan teaches the groups and rights the survey and the specification (the
        # passport, the CTI specification) set: never dated before them
        after = ["survey"] if project.project.mode == "iterative" else ["survey", "spec"]
        when = max([when, *(document_entry(project, plan, n).date for n in after)])
    if given is None:
        return DocumentEntry("1.0", "review", when)  # issued for approval, not yet signed
    return DocumentEntry(given.version, given.status, when)


def last_interview(plan: Plan) -> date | None:
    """The day the plan's last survey interview ends (None: the plan has none)."""
    return max((t.finish for t in plan.tasks if ".interview." in t.id), default=None)


def approval_date(plan: Plan, name: str) -> date:
    """The day the plan approves document ``name`` (the project start when it does not)."""
    if name == "training" and plan.sessions:
        # two working weeks ahead: the lists of participants and the training set-up
        # the plan asks for are ready before the first session
        first = min(s.day for s in plan.sessions)
        return max(plan.start, plan.calendar.add_working_days(first, -TRAINING_LEAD_DAYS))
    tasks = {t.id: t for t in plan.tasks}
    if name == "survey" and "survey.approved" not in tasks and not any(
            p.id == "survey" for p in plan.phases):
        # an iterative MVP: the survey's findings are approved after its interviews
        interviews = last_interview(plan)
        if interviews is not None:
            return interviews
    phases = {p.id: p for p in plan.phases}
    for ref in APPROVAL.get(name, ()):
        if ref in tasks:
            review = tasks.get(ref.replace(".approved", ".review"))
            if name == "spec" and ref == "survey.approved" and review is not None \
                    and review.start < tasks[ref].finish:
                # the express passport is handed to the client when their review of the
                # settings list starts and signed at its approval: dated on the handing
                # over, it gives the client the review's days to sign it
                return review.start
            return tasks[ref].finish
        if ref in phases:
            return phases[ref].finish
    return plan.project.project.start


def last_answer_date(project: Project) -> date | None:
    """The day of the last answer imported into the project's ``answers/`` (each
    respondent's date, else the import's), or None."""
    if project.source is None:
        return None
    folder = project.folder / "answers"
    if not folder.is_dir():
        return None
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                  for p in sorted(folder.glob("*.yaml")))
    return _last_answer(str(project.folder), stamp)


@lru_cache(maxsize=32)
def _last_answer(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> date | None:
    from crmimpl.questionnaire.answers import load_answers

    try:
        answers = load_answers(Path(folder))
    except CrmimplError:  # the build reports a broken answers file itself
        return None
    days = [r.respondent.date or (r.imported.date() if r.imported else None)
            for qa in answers.questionnaires.values() for f in qa.files.values()
            for r in f.responses]
    found = [d for d in days if d is not None]
    return max(found) if found else None


OPEN_QUESTION_DAYS = 5
"""Working days after the survey report's approval the client has for open questions."""


def open_question_due(plan: Plan) -> date:
    """When the survey's open questions are due: a week of work after the survey report
    is approved (its register date), so the answers arrive as the next stage starts and
    never before the report that asks; a working day before that stage (the
    specification, the MVP, the settings) ends or the specification they feed is
    approved, when that comes sooner. Every document
    that lists the open questions takes this one date."""
    cal = plan.calendar
    approved = document_entry(plan.project, plan, "survey").date
    due = cal.add_working_days(approved, OPEN_QUESTION_DAYS)
    stage = next((ph for ph in plan.phases if ph.id in ("design", "mvp", "development")), None)
    ends = [stage.finish] if stage is not None else []
    spec = document_entry(plan.project, plan, "spec").date
    if spec > approved:
        ends.append(spec)  # the specification the answers feed is approved on this day
    for end in ends:
        latest = cal.previous_working_day(end - timedelta(days=1))
        if approved < latest < due:
            due = latest
    return due


def late_question_due(plan: Plan, dated: date, due: date | None = None) -> date | None:
    """A new date for an open question in a document dated ``dated`` after the question's
    due date (``due``, by default :func:`open_question_due`) with no answer recorded: a
    week of work after the document, and a working day before the development it needs
    the answer for ends, when that comes sooner. None when the question is not yet due."""
    if (due or open_question_due(plan)) >= dated:
        return None
    cal = plan.calendar
    due = cal.add_working_days(dated, OPEN_QUESTION_DAYS)
    stage = next((ph for ph in plan.phases if ph.id == "development"), None)
    if stage is not None:
        latest = cal.previous_working_day(stage.finish - timedelta(days=1))
        if dated < latest < due:
            due = latest
    return due
