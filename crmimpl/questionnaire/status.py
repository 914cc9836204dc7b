"""How far the client has got: % answered and open required questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crmimpl.model.conditions import evaluate
from crmimpl.model.questionnaire import Questionnaire, compiled_condition
from crmimpl.questionnaire.answers import ANSWERS_DIR, read_answer_file


@dataclass
class StatusRow:
    """Progress of one questionnaire for one audience."""

    questionnaire: str
    audience: str | None
    answered: int
    applicable: int
    responses: int
    open_required: list[str] = field(default_factory=list)

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


def project_status(project_dir: Path) -> list[StatusRow]:
    """One row per answers file of the project, in file order.

    Raises:
        CrmimplError: a broken answers file or definition.
    """
    from crmimpl.questionnaire.library import load_library

    library = load_library(project_dir, strict=False)
    country, currency = _client_country(project_dir)
    library = {qid: d.localised(country, currency) for qid, d in library.items()}
    rows = []
    for path in sorted((project_dir / ANSWERS_DIR).glob("*.yaml")):
        data = read_answer_file(path)
        definition = library.get(data.questionnaire)
        if definition is None:
            continue
        merged = {_current_id(definition, k): v for k, v in data.merged().items()}
        answered, applicable, open_required = progress(definition, merged,
                                                       data.audience_kind)
        rows.append(StatusRow(data.questionnaire, data.audience, answered, applicable,
                              len(data.responses), open_required))
    return rows


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
    """A plain-text table for the terminal."""
    if not rows:
        return "no answers imported yet (answers/ is empty)"
    lines = [f"{'questionnaire':<16} {'audience':<14} {'answered':>9} {'files':>5}  "
             "open required"]
    for r in rows:
        open_text = ", ".join(r.open_required[:8]) + (" ..." if len(r.open_required) > 8
                                                      else "")
        lines.append(f"{r.questionnaire:<16} {r.audience or '-':<14} "
                     f"{r.percent:>8}% {r.responses:>5}  {open_text or '-'}")
    return "\n".join(lines)
