"""The questionnaire library: built-in definitions plus a project's own.

Built-in definitions live in ``questionnaires/*.yaml``; a project may add or override
definitions in its own ``questionnaires/`` folder (same id wins for the project).
"""

from __future__ import annotations

from pathlib import Path

from crmimpl.errors import CrmimplError, Problem
from crmimpl.model.questionnaire import Questionnaire, load_questionnaire
from crmimpl.resources import questionnaires_dir

_CACHE: dict[tuple[Path, float], Questionnaire] = {}


def definition_files(project_dir: Path | None = None) -> dict[str, Path]:
    """Map of questionnaire file stem to definition file, the project's last."""
    folders = [questionnaires_dir()]
    if project_dir is not None and (project_dir / "questionnaires").is_dir():
        folders.append(project_dir / "questionnaires")
    files: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            files[path.stem] = path
    return files


def load_definition(path: Path) -> Questionnaire:
    """Load a definition file, cached per path and modification time."""
    key = (path.resolve(), path.stat().st_mtime)
    if key not in _CACHE:
        _CACHE[key] = load_questionnaire(path)
    return _CACHE[key]


def _load_all(project_dir: Path | None) -> tuple[dict[str, Questionnaire], list[Problem]]:
    result: dict[str, Questionnaire] = {}
    problems: list[Problem] = []
    for path in definition_files(project_dir).values():
        try:
            definition = load_definition(path)
        except CrmimplError as exc:
            problems += exc.problems
            continue
        result[definition.id] = definition
    return dict(sorted(result.items())), problems


def load_library(project_dir: Path | None = None, *, strict: bool = True
                 ) -> dict[str, Questionnaire]:
    """All definitions by questionnaire id, validated.

    Args:
        project_dir: a project folder whose ``questionnaires/`` adds definitions.
        strict: raise on any broken definition; otherwise skip broken ones.

    Raises:
        CrmimplError: every problem of every broken definition (when strict).
    """
    result, problems = _load_all(project_dir)
    if problems and strict:
        raise CrmimplError(problems)
    return result


def get_questionnaire(qid: str, project_dir: Path | None = None) -> Questionnaire:
    """The definition with id ``qid`` (other, broken definitions do not matter).

    Raises:
        CrmimplError: unknown id (with the known ones as a hint), plus the problems of
            broken definitions, one of which may be the one asked for.
    """
    library, problems = _load_all(project_dir)
    if qid in library:
        return library[qid]
    unknown = Problem(qid, "", "no questionnaire with this id",
                      "known: " + ", ".join(library) + " (see `crmimpl questionnaire list`)")
    raise CrmimplError([*problems, unknown])


def describe_library(project_dir: Path | None = None) -> str:
    """One line per questionnaire: id, kind, version, questions, audiences, title."""
    lines = []
    for qid, d in load_library(project_dir).items():
        count = sum(1 for q in d.questions() if q.answerable)
        audiences = ",".join(d.audiences) or "-"
        lines.append(f"{qid:<16} {d.kind:<13} v{d.version:<3} {count:>4} questions  "
                     f"{audiences:<45} {d.title.en} / {d.title.ru}")
    return "\n".join(lines)
