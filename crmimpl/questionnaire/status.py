"""How far the client has got: who answered, who has not, % answered, open required
questions, conflicting answers and the respondents' comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmimpl.model.conditions import evaluate
from crmimpl.model.questionnaire import Questionnaire, compiled_condition
from crmimpl.questionnaire.answers import (
    AnswerFile,
    Conflict,
    answer_files,
    find_conflicts,
    read_answer_file,
    read_settled,
)

SHOWN_COMMENTS = 5


@dataclass
class StatusRow:
    """Progress of one questionnaire for one audience."""

    questionnaire: str
    audience: str | None
    answered: int
    applicable: int
    responses: int
    open_required: list[str] = field(default_factory=list)
    respondents: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    comments: list[tuple[str, str, str]] = field(default_factory=list)
    returned: bool = True

    @property
    def percent(self) -> int:
        """Answered share of the questions that apply, in whole percent."""
        return 100 if not self.applicable else round(100 * self.answered / self.applicable)


def progress(definition: Questionnaire, answers: dict[str, object],
             audience_kind: str | None) -> tuple[int, int, list[str]]:
    """(answered, applicable, open required ids) of a set of answers."""
    answered = applicable = 0
    open_required = []
    for q in definition.questions(audience_kind):
        if not q.answerable:
            continue
        if q.relevant and not evaluate(compiled_condition(q.relevant), answers):
            continue
        applicable += 1
        if q.id in answers:
            answered += 1
            continue
        required = q.required or (q.required_if is not None and evaluate(
            compiled_condition(q.required_if), answers))
        if required:
            open_required.append(q.id)
    return answered, applicable, open_required


def project_status(project_dir: Path,
                   expected: list[tuple[str, str | None]] | None = None,
                   heads: dict[str, str] | None = None) -> list[StatusRow]:
    """One row per answers file of the project and one per expected ``(questionnaire,
    department)`` nobody has returned yet, by questionnaire and department order.

    Args:
        project_dir: The project folder.
        expected: The workbooks the project sends out (:func:`expected_workbooks`).
        heads: Department id → its head, named where a department has not answered.

    Raises:
        CrmimplError: a broken answers file or definition.
    """
    from crmimpl.questionnaire.library import load_library

    library = load_library(project_dir, strict=False)
    country, currency = _client_country(project_dir)
    library = {qid: d.localised(country, currency) for qid, d in library.items()}
    settled = read_settled(project_dir)
    rows = []
    for path in answer_files(project_dir):
        data = read_answer_file(path)
        definition = library.get(data.questionnaire)
        if definition is None:
            continue
        merged = {_current_id(definition, k): v
                  for k, v in data.merged(settled.values(data.stem)).items()}
        answered, applicable, open_required = progress(definition, merged,
                                                       data.audience_kind)
        rows.append(StatusRow(data.questionnaire, data.audience, answered, applicable,
                              len(data.responses), open_required,
                              [r.who() for r in data.responses],
                              find_conflicts(data, settled), _comments(data)))
    seen = {(r.questionnaire, r.audience) for r in rows}
    rows += [StatusRow(qid, audience, 0, 0, 0, returned=False,
                       respondents=[(heads or {}).get(audience or "", "")])
             for qid, audience in expected or [] if (qid, audience) not in seen]
    order = {pair: i for i, pair in enumerate(expected or [])}
    return sorted(rows, key=lambda r: (r.questionnaire, order.get(
        (r.questionnaire, r.audience), len(order)), r.audience or ""))


def _comments(data: AnswerFile) -> list[tuple[str, str, str]]:
    return [(qid, who, text) for qid, items in sorted(data.comments().items())
            for who, text in items]


def department_heads(project: Any) -> dict[str, str]:
    """Department id → the head's name, for departments that name one."""
    return {d.id: d.head for d in project.client.departments if d.head}


def expected_workbooks(project: Any) -> list[tuple[str, str | None]]:
    """``(questionnaire, department id)`` of every workbook a build exports for the
    project's departments (``None`` for a questionnaire without departments)."""
    from crmimpl.questionnaire.library import load_library

    out: list[tuple[str, str | None]] = []
    for qid, definition in load_library(project.folder, strict=False).items():
        if definition.kind == "audit":
            continue
        if not definition.audiences:
            out.append((qid, None))
            continue
        out += [(qid, d.id) for d in project.client.departments
                if d.kind in definition.audiences]
    return out


def _client_country(project_dir: Path) -> tuple[str | None, str | None]:
    """The client's country and currency: questions of other countries are not counted."""
    from crmimpl.errors import CrmimplError
    from crmimpl.model.project import load_project

    try:
        project = load_project(project_dir)
    except CrmimplError:
        return None, None
    return project.country, project.project.currency


def _current_id(definition: Questionnaire, qid: str) -> str:
    question = definition.find(qid)
    return question.id if question is not None else qid


def render_status(rows: list[StatusRow]) -> str:
    """A plain-text report for the terminal: a table, then per row who answered, the
    conflicts to settle and the respondents' comments."""
    from crmimpl.messages import msg, words

    if not rows:
        return msg("nothing_yet")
    title = words("status_header")
    lines = [f"{title[0]:<16} {title[1]:<16} {title[2]:>9} {title[3]:>6}  {title[4]}"]
    for r in rows:
        if not r.returned:
            head = msg("head", name=r.respondents[0]) if r.respondents and r.respondents[0] \
                else ""
            lines.append(f"{r.questionnaire:<16} {r.audience or '-':<16} {'-':>9} "
                         f"{0:>6}  " + msg("not_returned", head=head))
            continue
        open_text = ", ".join(r.open_required[:8]) + (" ..." if len(r.open_required) > 8
                                                      else "")
        lines.append(f"{r.questionnaire:<16} {r.audience or '-':<16} "
                     f"{r.percent:>8}% {r.responses:>6}  {open_text or '-'}")
    details = [line for r in rows if r.returned for line in _details(r)]
    return "\n".join([*lines, "", *details] if details else lines)


def _details(r: StatusRow) -> list[str]:
    from crmimpl.messages import counted, msg

    name = r.questionnaire + (f"-{r.audience}" if r.audience else "")
    out = [msg("answered_by", name=name, people="; ".join(r.respondents))]
    unsettled = [c for c in r.conflicts if c.settled is None]
    if unsettled:
        out.append(msg("to_settle", conflicts=counted(len(unsettled), "conflict"),
                       questions=", ".join(c.question for c in unsettled)))
    for qid, who, text in r.comments[:SHOWN_COMMENTS]:
        out.append(msg("comment_by", key=qid, who=who, text=_one_line(text)))
    if len(r.comments) > SHOWN_COMMENTS:
        out.append(msg("more_comments",
                       comments=counted(len(r.comments) - SHOWN_COMMENTS, "comment")))
    return out


def _one_line(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
