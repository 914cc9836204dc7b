"""Conflicting answers between respondents, and the consultant's settlement of them.

Two people of one department may answer the same question differently. Nothing is
guessed: the conflict is listed (``crmimpl questionnaire conflicts``) until the consultant
records which value counts (``crmimpl questionnaire settle``, or by hand) in
``answers/settled.yaml``; the documents then use that value.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from crmimpl.messages import error, msg
from crmimpl.questionnaire.answers import (
    ANSWERS_DIR,
    Conflict,
    Settlement,
    answer_files,
    find_conflicts,
    read_answer_file,
    read_settled,
    write_settled,
)


def project_conflicts(project_dir: Path) -> list[Conflict]:
    """Every conflict of every answers file, settled or not, in file order."""
    settled = read_settled(project_dir)
    return [c for path in answer_files(project_dir)
            for c in find_conflicts(read_answer_file(path), settled)]


def render_conflicts(conflicts: list[Conflict]) -> str:
    """The conflicts for the terminal: each voice, and the settlement when there is one."""
    if not conflicts:
        return msg("no_conflicts")
    lines = []
    for c in conflicts:
        state = (msg("settled_state", value=_show(c.settled.value))
                 + (f" ({c.settled.note})" if c.settled.note else "")
                 if c.settled else msg("not_settled"))
        lines.append(f"{c.stem}: {c.question}: {state}")
        lines += [f"    {who}: {_show(value)}" for who, value in c.voices]
    open_count = sum(1 for c in conflicts if c.settled is None)
    if open_count:
        lines.append(msg("settle_each", n=open_count))
    return "\n".join(lines)


def settle(project_dir: Path, stem: str, question: str, *, take: str | None = None,
           value: str | None = None, note: str | None = None,
           today: dt.date | None = None) -> Settlement:
    """Record which answer counts for ``question`` of ``answers/<stem>.yaml``.

    Args:
        project_dir: The project folder.
        stem: The answers file without ``.yaml`` (``survey``, ``requirements-sales``).
        question: The question id.
        take: A respondent whose answer counts (name or source file, any case).
        value: The value itself, as it would be typed in the workbook.
        note: Why (kept with the settlement).
        today: The date recorded (default: today).

    Raises:
        CrmimplError: unknown file, question or respondent; neither or both of
            ``take`` and ``value``; a value the question does not accept.
    """
    from crmimpl.questionnaire.importer import convert
    from crmimpl.questionnaire.library import load_library

    if (take is None) == (value is None):
        raise error("settle", msg("take_or_value"))
    path = project_dir / ANSWERS_DIR / f"{stem}.yaml"
    if not path.is_file():
        known = ", ".join(p.stem for p in answer_files(project_dir)) or "none yet"
        raise error(stem, msg("no_answers_file"), msg("known", items=known))
    data = read_answer_file(path)
    definition = load_library(project_dir, strict=False).get(data.questionnaire)
    q = definition.find(question) if definition else None
    if q is None or definition is None:
        raise error(f"{stem}: {question}", msg("no_question"))
    if take is not None:
        chosen = _voice(data.responses, q.id, take, stem)
    else:
        try:
            chosen = convert(q, value, definition, lang=data.language)
        except ValueError as exc:
            raise error(f"{stem}: {q.id}", str(exc)) from None
    record = Settlement(value=chosen, note=note, date=today or dt.date.today())
    settled = read_settled(project_dir)
    settled.settled.setdefault(stem, {})[q.id] = record
    write_settled(project_dir, settled)
    return record


def _voice(responses: list[Any], qid: str, take: str, stem: str) -> Any:
    wanted = take.casefold().strip()
    found = [r for r in responses if qid in r.answers and (
        wanted in r.who().casefold() or wanted == r.source.casefold())]
    if len(found) != 1:
        names = "; ".join(r.who() for r in responses if qid in r.answers)
        key = "take_nobody" if not found else "take_several"
        raise error(f"{stem}: {qid}", msg(key, take=take), msg("answered_list", names=names))
    return found[0].answers[qid]


def _show(value: Any) -> str:
    text = msg("empty_value") if value is None else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
