"""Wishes in the client's answers: a questionnaire answer that asks the CRM for a
capability (round-robin assignment, contracts from the CRM, a satisfaction survey), and
the warning when no requirement of the register takes it (meets it, plans it for a later
iteration, or declines it with the reason)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crmimpl.model.checks import RefProblem
    from crmimpl.model.project import Project


@dataclass(frozen=True)
class Wish:
    """An answer of a department's questionnaire that asks the CRM for a capability."""

    audience: str          # the answers file's audience ("" when it has none)
    key: str               # `<question>.<choice>`, or `<question>` for a yes
    capability: str        # what it asks for, in the project's language
    department: str        # who asked, for a person to read


def answer_wishes(project: Project) -> list[Wish]:
    """Every wish the imported answers express (questions with `wishes:` in the library),
    in the order of the answers files."""
    from crmimpl.errors import CrmimplError
    from crmimpl.questionnaire.answers import load_answers
    from crmimpl.questionnaire.library import load_library

    if project.source is None or not (project.folder / "answers").is_dir():
        return []
    try:
        answers = load_answers(project.folder)
        library = load_library(project.folder, strict=False)
    except CrmimplError:
        return []      # broken answers are reported by the commands that read them
    out: list[Wish] = []
    for qa in answers.questionnaires.values():
        definition = library.get(qa.id)
        if definition is None:
            continue
        for item in qa.entries():
            q = definition.find(item.question)
            if q is None or not q.wishes or item.conflict:
                continue
            values = item.value if isinstance(item.value, list) else [item.value]
            audience = item.audience or ""
            data = qa.files.get(audience)
            who = (data.responses[0].respondent.department if data and data.responses
                   else None) or audience
            for value in values:
                choice = "true" if value is True else str(value)
                if q.type in ("text", "long_text") and isinstance(value, str) \
                        and value.strip() and "answered" in q.wishes:
                    choice = "true"  # a described practice asks for a decision on it
                    out.append(Wish(audience, q.id, q.wishes["answered"].get("en"), who))
                    continue
                if choice not in q.wishes:
                    continue
                key = q.id if choice == "true" else f"{q.id}.{choice}"
                out.append(Wish(audience, key, q.wishes[choice].get("en"), who))
    return out


def wish_taken(project: Project, wish: Wish) -> bool:
    """Whether a requirement names the wish in `answers:` (any priority)."""
    names = {wish.key, f"{wish.audience}:{wish.key}"}
    return any(names & set(r.answers) for r in project.requirements)


def wish_warnings(project: Project) -> list[RefProblem]:
    """A capability a department asked for in its questionnaire (round-robin assignment,
    contracts produced from the CRM, a satisfaction survey) that no requirement takes: the
    client reads the answer in the specification and finds no decision on it."""
    out: list[RefProblem] = []
    for wish in answer_wishes(project):
        if not wish_taken(project, wish):
            ref = f"{wish.audience}:{wish.key}" if wish.audience else wish.key
            out.append((("requirements",),
                        f"{wish.department} asked for {wish.capability} ({ref}) and no "
                        "requirement takes it",
                        f"name `{ref}` in a requirement's `answers:`: one that meets it, a "
                        "later iteration's, or a 'wont' one whose solution says why not"))
    return out


