"""Imported answers: ``answers/<questionnaire>[-<audience>].yaml`` in the project folder.

Each file keeps one response per respondent (who, role, department, the date they wrote,
when it was imported and from which file, the answers by question id and their comments).
A second person's workbook is stored beside the first, never over it; a newer workbook of
the same person replaces that person's response (the importer shows the diff and needs
``--force``). Where respondents of a one-voice questionnaire disagree, the answers are
listed as conflicts until the consultant settles them in ``answers/settled.yaml``.

:func:`load_answers` reads them all for the documents: by questionnaire, by question id
and by ``report_key``, merged across audiences and respondents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from crmimpl.errors import CrmimplError
from crmimpl.store import atomic_write_text

ANSWERS_DIR = "answers"
SETTLED_FILE = "settled.yaml"
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
    """Answers of one respondent, from the last workbook imported for them."""

    model_config = ConfigDict(extra="forbid")

    source: str
    respondent: Respondent = Field(default_factory=Respondent)
    key: str | None = Field(None, description="Who this is (see :meth:`identity`).")
    imported: dt.datetime | None = None
    answers: dict[str, Any] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)

    def identity(self) -> str:
        """The respondent's identity: the name; the file when unnamed; the answers when
        anonymous (an anonymous person cannot be told from another one).

        Files written before respondents had keys get theirs here (migration on read).
        """
        if self.key:
            return self.key
        if self.respondent.name:
            return "name:" + " ".join(self.respondent.name.split()).casefold()
        if self.respondent.anonymous:
            digest = hashlib.sha256(json.dumps(self.answers, sort_keys=True, default=str)
                                    .encode()).hexdigest()[:12]
            return "anonymous:" + digest
        return "file:" + self.source

    def who(self) -> str:
        """The respondent for a person to read: name (position), else the file."""
        r = self.respondent
        if r.name:
            return r.name + (f" ({r.position})" if r.position else "")
        if r.anonymous:
            return f"anonymous ({self.source})"
        return self.source


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

    @property
    def stem(self) -> str:
        """``<questionnaire>[-<audience>]``: the file's name and its key in settled.yaml."""
        return self.questionnaire + (f"-{self.audience}" if self.audience else "")

    def merged(self, settled: dict[str, Any] | None = None) -> dict[str, Any]:
        """Answers of all responses: a settled value, else the earliest respondent's.

        Which answers disagree is :func:`find_conflicts`' business; documents read
        :class:`QuestionnaireAnswers`, which shows every voice of an unsettled conflict.
        """
        out: dict[str, Any] = {}
        for response in self.responses:
            for key, value in response.answers.items():
                out.setdefault(key, value)
        out.update({k: v for k, v in (settled or {}).items()})
        return out

    def comments(self) -> dict[str, list[tuple[str, str]]]:
        """Comments by question: ``[(who, text)]`` of every respondent."""
        out: dict[str, list[tuple[str, str]]] = {}
        for response in self.responses:
            for key, text in sorted(response.comments.items()):
                out.setdefault(key, []).append((response.who(), text))
        return out


class Settlement(BaseModel):
    """The consultant's decision on a conflicting answer."""

    model_config = ConfigDict(extra="forbid")

    value: Any
    note: str | None = None
    date: dt.date | None = None


class SettledFile(BaseModel):
    """``answers/settled.yaml``: answers file stem → question id → settlement."""

    model_config = ConfigDict(extra="forbid")

    settled: dict[str, dict[str, Settlement]] = Field(default_factory=dict)

    def values(self, stem: str) -> dict[str, Any]:
        """Settled values of one answers file by question id."""
        return {k: s.value for k, s in self.settled.get(stem, {}).items()}


@dataclass
class Conflict:
    """Respondents of one answers file who gave different answers to a question."""

    stem: str
    question: str
    voices: list[tuple[str, Any]]
    settled: Settlement | None = None


def find_conflicts(data: AnswerFile, settled: SettledFile | None = None) -> list[Conflict]:
    """Questions that respondents answered differently (one-voice questionnaires only;
    the employee survey collects different voices on purpose)."""
    if data.kind in MULTI_VOICE_KINDS:
        return []
    voices: dict[str, list[tuple[str, Any]]] = {}
    for response in data.responses:
        for key, value in response.answers.items():
            voices.setdefault(key, []).append((response.who(), value))
    decided = settled.settled.get(data.stem, {}) if settled else {}
    out = []
    for key, items in sorted(voices.items()):
        if len({_canonical(v) for _, v in items}) > 1:
            out.append(Conflict(data.stem, key, items, decided.get(key)))
    return out


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def answers_path(project_dir: Path, qid: str, audience: str | None) -> Path:
    """``answers/<qid>[-<audience>].yaml`` under the project folder."""
    return project_dir / ANSWERS_DIR / (qid + (f"-{audience}" if audience else "") + ".yaml")


def answer_files(project_dir: Path) -> list[Path]:
    """Every answers file of a project (``settled.yaml`` is not one), sorted."""
    folder = project_dir / ANSWERS_DIR
    from crmimpl.overlay import is_overlay_file

    return [p for p in sorted(folder.glob("*.yaml"))
            if p.name != SETTLED_FILE and not is_overlay_file(p)]


def read_answer_file(path: Path, lang: str | None = None,
                     untranslated: list[str] | None = None, words: Any = None) -> AnswerFile:
    """Read and validate one answers file (safe YAML, positions in errors). With ``lang``
    other than the file's, its translation ``<stem>.<lang>.yaml`` beside it is merged in
    (responses by position, answers and comments by question id, text only: see
    :mod:`crmimpl.overlay`), and the paths of its text still in Russian are added to
    ``untranslated`` (``survey.yaml: responses[0].answers.activity``; a value ``words``
    translates, a person's name the project's overlay gives, is not)."""
    from crmimpl.model.validate import validate_document
    from crmimpl.overlay import load_translated

    doc = load_translated(path, lang, untranslated, words, shown=lambda p: (
        ".answers." in p or ".comments." in p or p.endswith("respondent.name")))
    return validate_document(AnswerFile, doc)


def read_settled(project_dir: Path) -> SettledFile:
    """``answers/settled.yaml``, or nothing settled yet."""
    from crmimpl.load import load_yaml
    from crmimpl.model.validate import validate_document

    path = project_dir / ANSWERS_DIR / SETTLED_FILE
    if not path.exists():
        return SettledFile()
    return validate_document(SettledFile, load_yaml(path, defer_problems=True))


def write_settled(project_dir: Path, data: SettledFile) -> Path:
    """Write ``answers/settled.yaml`` atomically."""
    payload = data.model_dump(mode="python", exclude_none=True)
    text = yaml.safe_dump(payload, sort_keys=True, allow_unicode=True, width=100,
                          default_flow_style=False)
    header = ("# Conflicting answers settled by the consultant (`crmimpl questionnaire "
              "settle`);\n# answers file -> question -> the value that counts. Edit by hand "
              "if you like.\n")
    return atomic_write_text(project_dir / ANSWERS_DIR / SETTLED_FILE, header + text)


def write_answer_file(path: Path, data: AnswerFile) -> Path:
    """Write an answers file atomically (safe_dump, sorted keys, Unicode kept)."""
    payload = data.model_dump(mode="python", exclude_none=True)
    for response in payload.get("responses", []):
        if not response.get("comments"):
            response.pop("comments", None)
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
    """One answer with where it came from.

    ``respondent`` names who gave it when the voices differ (or the questionnaire
    collects many voices); ``conflict`` marks one side of an unsettled disagreement;
    ``comments`` are the respondents' explanations of the answer.
    """

    questionnaire: str
    question: str
    audience: str | None
    value: Any
    respondent: str | None = None
    conflict: bool = False
    comments: list[str] = field(default_factory=list)


@dataclass
class QuestionnaireAnswers:
    """All answers to one questionnaire, across audiences."""

    id: str
    kind: str
    files: dict[str, AnswerFile] = field(default_factory=dict)
    settled: SettledFile = field(default_factory=SettledFile)

    @property
    def values(self) -> dict[str, Any]:
        """Answers by question id, merged across audiences (first audience wins).

        For questionnaires with many voices (the employee survey) each value is the list
        of all respondents' answers. An unsettled conflict gives no value (it is not
        guessed): see :meth:`entries` for every voice.
        """
        out: dict[str, Any] = {}
        for item in self.entries():
            if self.kind in MULTI_VOICE_KINDS:
                out.setdefault(item.question, []).append(item.value)
            elif not item.conflict:
                out.setdefault(item.question, item.value)
        return out

    def by_audience(self) -> dict[str, dict[str, Any]]:
        """Merged answers per audience (``""`` for a questionnaire without one)."""
        return {aud: f.merged(self.settled.values(f.stem)) for aud, f in self.files.items()}

    def entries(self) -> list[AnswerValue]:
        """Every answer, in audience order: per respondent for many-voice questionnaires;
        otherwise one value per question (settled, or agreed by everyone who answered),
        or one per differing respondent while a conflict is unsettled."""
        out = []
        for audience, data in sorted(self.files.items()):
            comments = data.comments()
            if self.kind in MULTI_VOICE_KINDS:
                for response in data.responses:
                    who = response.respondent.name
                    out += [AnswerValue(self.id, q, audience or None, v, who,
                                        comments=_texts(response.comments.get(q)))
                            for q, v in sorted(response.answers.items())]
                continue
            conflicts = {c.question: c for c in find_conflicts(data, self.settled)}
            for q, v in sorted(data.merged(self.settled.values(data.stem)).items()):
                notes = [text for _, text in comments.get(q, [])]
                found = conflicts.get(q)
                if found is None or found.settled is not None:
                    out.append(AnswerValue(self.id, q, audience or None, v, comments=notes))
                    continue
                out += [AnswerValue(self.id, q, audience or None, value, who, True, notes)
                        for who, value in found.voices]
        return out


def _texts(text: str | None) -> list[str]:
    return [text] if text else []


@dataclass
class Answers:
    """Everything imported for a project."""

    questionnaires: dict[str, QuestionnaireAnswers] = field(default_factory=dict)
    report_keys: dict[str, list[AnswerValue]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)

    def get(self, questionnaire: str, question: str, default: Any = None) -> Any:
        """The merged answer to a question, or ``default``."""
        qa = self.questionnaires.get(questionnaire)
        return qa.values.get(question, default) if qa else default

    def report(self, key: str, default: Any = None) -> Any:
        """The first answer landing at ``report_key`` (``company.org_structure``) that is
        not one side of an unsettled conflict."""
        items = [i for i in self.report_keys.get(key, []) if not i.conflict]
        return items[0].value if items else default

    def report_all(self, key: str) -> list[AnswerValue]:
        """Every answer landing at ``report_key``, per audience and respondent."""
        return list(self.report_keys.get(key, []))

    def unsettled(self) -> list[Conflict]:
        """Conflicts the consultant has not settled yet."""
        return [c for c in self.conflicts if c.settled is None]

    def conflict_warnings(self) -> list[str]:
        """One line per answers file with unsettled conflicts, for the build."""
        by_file: dict[str, list[str]] = {}
        for c in self.unsettled():
            by_file.setdefault(c.stem, []).append(c.question)
        return [f"answers/{stem}.yaml: respondents disagree on {', '.join(questions)}; the "
                "survey report shows every answer with its respondent until you settle them "
                "(`crmimpl questionnaire conflicts`)" for stem, questions in by_file.items()]


def load_answers(project_dir: Path | str, lang: str | None = None,
                 untranslated: list[str] | None = None, words: Any = None) -> Answers:
    """Read every ``answers/*.yaml`` of a project, with ``answers/settled.yaml``.

    Report keys come from the current questionnaire definitions (previous ids of renamed
    questions are mapped to the new ones). With ``lang``, each file in that language where
    its overlay ``answers/<stem>.<lang>.yaml`` translates it (see :func:`read_answer_file`).

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
    try:
        settled = read_settled(project_dir)
    except CrmimplError as exc:
        problems += exc.problems
        settled = SettledFile()
    for path in answer_files(project_dir):
        try:
            data = read_answer_file(path, lang, untranslated, words)
        except CrmimplError as exc:
            problems += exc.problems
            continue
        qa = result.questionnaires.setdefault(
            data.questionnaire,
            QuestionnaireAnswers(data.questionnaire, data.kind, settled=settled))
        qa.files[data.audience or ""] = _renamed(data, library.get(data.questionnaire))
        result.conflicts += find_conflicts(data, settled)
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
        response.comments = {_current_id(definition, k): v
                             for k, v in response.comments.items()}
    return data
