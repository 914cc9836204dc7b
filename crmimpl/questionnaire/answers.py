"""Imported answers: ``answers/<questionnaire>[-<audience>].yaml`` in the project folder.

Each file keeps one response per imported workbook (source file name, respondent and the
answers by question id). :func:`load_answers` reads them all for the documents: by
questionnaire, by question id and by ``report_key``, merged across audiences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from crmimpl.errors import CrmimplError
from crmimpl.store import atomic_write_text

ANSWERS_DIR = "answers"
MULTI_VOICE_KINDS = {"employee"}


class Respondent(BaseModel):
    """Who filled in the workbook (empty fields when anonymous)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    position: str | None = None
    department: str | None = None
    date: dt.date | None = None
    anonymous: bool | None = None


class Response(BaseModel):
    """Answers from one imported workbook."""

    model_config = ConfigDict(extra="forbid")

    source: str
    respondent: Respondent = Field(default_factory=Respondent)
    answers: dict[str, Any] = Field(default_factory=dict)


class AnswerFile(BaseModel):
    """One ``answers/*.yaml`` file: a questionnaire for one audience."""

    model_config = ConfigDict(extra="forbid")

    questionnaire: str
    version: int
    kind: str
    audience: str | None = None
    audience_kind: str | None = None
    language: str
    responses: list[Response] = Field(default_factory=list)

    def merged(self) -> dict[str, Any]:
        """Answers of all responses; a later response wins on the same question."""
        out: dict[str, Any] = {}
        for response in self.responses:
            out.update(response.answers)
        return out


def answers_path(project_dir: Path, qid: str, audience: str | None) -> Path:
    """``answers/<qid>[-<audience>].yaml`` under the project folder."""
    return project_dir / ANSWERS_DIR / (qid + (f"-{audience}" if audience else "") + ".yaml")


def read_answer_file(path: Path) -> AnswerFile:
    """Read and validate one answers file (safe YAML, positions in errors)."""
    from crmimpl.load import load_yaml
    from crmimpl.model.validate import validate_document

    return validate_document(AnswerFile, load_yaml(path, defer_problems=True))


def write_answer_file(path: Path, data: AnswerFile) -> Path:
    """Write an answers file atomically (safe_dump, sorted keys, Unicode kept)."""
    payload = data.model_dump(mode="python", exclude_none=True)
    text = yaml.safe_dump(payload, sort_keys=True, allow_unicode=True, width=100,
                          default_flow_style=False)
    header = "# Imported by `crmimpl questionnaire import`; edit the workbook, not this file.\n"
    return atomic_write_text(path, header + text)


def diff_answers(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """``(question, old, new)`` for every answer the new set changes or removes."""
    changes = []
    for key in sorted(set(old) | set(new)):
        if key in old and old.get(key) != new.get(key):
            changes.append((key, old.get(key), new.get(key)))
    return changes


# ------------------------------------------------------------------- reading
@dataclass
class AnswerValue:
    """One answer with where it came from."""

    questionnaire: str
    question: str
    audience: str | None
    value: Any
    respondent: str | None = None


@dataclass
class QuestionnaireAnswers:
    """All answers to one questionnaire, across audiences."""

    id: str
    kind: str
    files: dict[str, AnswerFile] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, Any]:
        """Answers by question id, merged across audiences (first audience wins).

        For questionnaires with many voices (the employee survey) each value is the list
        of all respondents' answers.
        """
        out: dict[str, Any] = {}
        for item in self.entries():
            if self.kind in MULTI_VOICE_KINDS:
                out.setdefault(item.question, []).append(item.value)
            else:
                out.setdefault(item.question, item.value)
        return out

    def by_audience(self) -> dict[str, dict[str, Any]]:
        """Merged answers per audience (``""`` for a questionnaire without one)."""
        return {aud: f.merged() for aud, f in self.files.items()}

    def entries(self) -> list[AnswerValue]:
        """Every answer of every response, in audience order."""
        out = []
        for audience, data in sorted(self.files.items()):
            sources = data.responses if self.kind in MULTI_VOICE_KINDS else [
                Response(source="", answers=data.merged())]
            for response in sources:
                who = response.respondent.name
                out += [AnswerValue(self.id, q, audience or None, v, who)
                        for q, v in sorted(response.answers.items())]
        return out


@dataclass
class Answers:
    """Everything imported for a project."""

    questionnaires: dict[str, QuestionnaireAnswers] = field(default_factory=dict)
    report_keys: dict[str, list[AnswerValue]] = field(default_factory=dict)

    def get(self, questionnaire: str, question: str, default: Any = None) -> Any:
        """The merged answer to a question, or ``default``."""
        qa = self.questionnaires.get(questionnaire)
        return qa.values.get(question, default) if qa else default

    def report(self, key: str, default: Any = None) -> Any:
        """The first answer landing at ``report_key`` (``company.org_structure``)."""
        items = self.report_keys.get(key)
        return items[0].value if items else default

    def report_all(self, key: str) -> list[AnswerValue]:
        """Every answer landing at ``report_key``, per audience and respondent."""
        return list(self.report_keys.get(key, []))


def load_answers(project_dir: Path | str) -> Answers:
    """Read every ``answers/*.yaml`` of a project.

    Report keys come from the current questionnaire definitions (previous ids of renamed
    questions are mapped to the new ones).

    Raises:
        CrmimplError: a broken answers file (with file:line) or unknown questionnaire.
    """
    from crmimpl.questionnaire.library import load_library

    project_dir = Path(project_dir)
    folder = project_dir / ANSWERS_DIR
    result = Answers()
    if not folder.is_dir():
        return result
    library = load_library(project_dir, strict=False)
    problems = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = read_answer_file(path)
        except CrmimplError as exc:
            problems += exc.problems
            continue
        qa = result.questionnaires.setdefault(
            data.questionnaire, QuestionnaireAnswers(data.questionnaire, data.kind))
        qa.files[data.audience or ""] = _renamed(data, library.get(data.questionnaire))
    if problems:
        raise CrmimplError(problems)
    for qa in result.questionnaires.values():
        definition = library.get(qa.id)
        for item in qa.entries():
            q = definition.find(item.question) if definition else None
            if q is not None and q.report_key:
                result.report_keys.setdefault(q.report_key, []).append(item)
    return result


def _current_id(definition: Any, qid: str) -> str:
    question = definition.find(qid)
    return str(question.id) if question is not None else qid


def _renamed(data: AnswerFile, definition: Any) -> AnswerFile:
    if definition is None:
        return data
    for response in data.responses:
        response.answers = {_current_id(definition, k): v for k, v in response.answers.items()}
    return data
