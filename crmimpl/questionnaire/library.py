"""The questionnaire library: built-in definitions plus a project's own.

Built-in definitions live in ``questionnaires/*.yaml``; a project may add or override
definitions in its own ``questionnaires/`` folder (same id wins for the project).
"""

from __future__ import annotations

from pathlib import Path

from crmimpl.errors import CrmimplError
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


def load_library(project_dir: Path | None = None) -> dict[str, Questionnaire]:
    """All definitions by questionnaire id, validated.

    Raises:
        CrmimplError: every problem of every broken definition.
    """
    result: dict[str, Questionnaire] = {}
    problems = []
    for path in definition_files(project_dir).values():
        try:
            definition = load_definition(path)
        except CrmimplError as exc:
            problems += exc.problems
            continue
        result[definition.id] = definition
    if problems:
        raise CrmimplError(problems)
    return dict(sorted(result.items()))


def get_questionnaire(qid: str, project_dir: Path | None = None) -> Questionnaire:
    """The definition with id ``qid``.

    Raises:
        CrmimplError: unknown id (with the known ones as a hint) or a broken definition.
    """
    library = load_library(project_dir)
    if qid not in library:
        raise CrmimplError.single(
            qid, "no questionnaire with this id",
            hint="known: " + ", ".join(library) + " (see `crmimpl questionnaire list`)",
        )
    return library[qid]


def describe_library(project_dir: Path | None = None) -> str:
    """One line per questionnaire: id, kind, version, questions, audiences, title."""
    lines = []
    for qid, d in load_library(project_dir).items():
        count = sum(1 for q in d.questions() if q.answerable)
        audiences = ",".join(d.audiences) or "-"
        lines.append(f"{qid:<16} {d.kind:<13} v{d.version:<3} {count:>4} questions  "
                     f"{audiences:<45} {d.title.en} / {d.title.ru}")
    return "\n".join(lines)
