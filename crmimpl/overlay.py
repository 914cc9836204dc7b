"""Translation overlays: the project's text in another language, beside project.yaml.

``project.en.yaml`` (``<project stem>.<lang>.yaml``) mirrors ``project.yaml``: the same
sections, lists of records matched by ``id`` (goals, tasks, requirements, departments,
people, user classes, changes, risks, integrations...) and other lists by position
(``products``, ``functions``, ``design`` lines, test ``steps``). It holds text only:
numbers, dates, amounts, ids and enum values come from project.yaml alone, so a figure
can never differ between the languages. It is applied when documents are built in its
language and nowhere else: the project's own language reads project.yaml untouched.

An entry that matches nothing in project.yaml (an unknown id, a key the project does not
have, a position past the end of a list) and a value that is not text are errors naming
the overlay's file and line.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crmimpl.errors import CrmimplError, Problem
from crmimpl.load import KeyPath, YamlDocument, load_yaml

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LETTER = re.compile(r"[^\W\d_]")


def overlay_path(project_file: Path, lang: str) -> Path:
    """Where the overlay for ``lang`` lives: ``project.en.yaml`` beside ``project.yaml``."""
    return project_file.with_name(f"{project_file.stem}.{lang}.yaml")


# what project.yaml writes as an identifier or a fixed value, not as words: ids and
# choices (sales_pipeline, must, crm_1c), record ids (R08, G1.2, CH5), e-mails, web
# addresses; a value with no letters at all (a phone number) is not text either
_IDENTIFIER = re.compile(
    r"[a-z][a-z0-9_]*|[A-Z]{1,4}\d+(\.\d+)*|[^\s@]+@[^\s@]+|(https?://|www\.)\S+")


def is_text(value: Any) -> bool:
    """Whether a project value is words a person would translate (``"Отдел маркетинга"``,
    ``"1С"``, ``"amoCRM"``), as opposed to an id, a choice, an e-mail, a phone number or
    a figure (``sales_pipeline``, ``R08``, ``a@b.ru``, ``+7 (495) 640-12-10``)."""
    if not isinstance(value, str) or not _LETTER.search(value):
        return False
    if _CYRILLIC.search(value):
        return True
    return not _IDENTIFIER.fullmatch(value.strip())


def needs_translation(value: Any) -> bool:
    """A text value still in Russian (Cyrillic letters in it)."""
    return is_text(value) and bool(_CYRILLIC.search(value))


def contains_cyrillic(value: Any) -> bool:
    """Whether a value (a string, or any nesting of lists and mappings) has Russian text."""
    if isinstance(value, str):
        return bool(_CYRILLIC.search(value))
    if isinstance(value, dict):
        return any(contains_cyrillic(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_cyrillic(v) for v in value)
    return False


def record_key(part: str | int, base: Any) -> str:
    """A readable path element: ``goals[G1]`` for a record with an id, else ``[3]``."""
    if isinstance(part, int) and isinstance(base, list) and part < len(base):
        item = base[part]
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"[{item['id']}]"
    return f"[{part}]" if isinstance(part, int) else str(part)


def readable_path(data: Any, key_path: KeyPath) -> str:
    """``("goals", 0, "tasks", 1, "statement")`` → ``goals[G1].tasks[G1.2].statement``."""
    out, node = "", data
    for part in key_path:
        piece = record_key(part, node)
        out += piece if piece.startswith("[") else ("." if out else "") + piece
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return out


@dataclass
class Overlay:
    """The project data with an overlay applied, and what was (not) translated."""

    data: Any
    source: Path | None
    translated: set[KeyPath] = field(default_factory=set)

    def untranslated(self, words: Any = None) -> list[str]:
        """Paths of the text fields still in Russian, in file order; ``words`` (a
        function, e.g. ``Project.in_own_words``) may translate a value another way (a
        person's name the project's overlay gives), which then does not count."""
        from crmimpl.i18n import unit_parts

        found: list[str] = []

        def visit(path: KeyPath, value: Any) -> None:
            # a unit the English formatter knows ("млн руб.") needs no translation
            if path and path[-1] == "unit" and unit_parts(str(value), "en") is not None:
                return
            if needs_translation(value) and (words is None
                                             or needs_translation(words(value))):
                found.append(readable_path(self.data, path))

        _walk(self.data, (), visit)
        return found


def _walk(node: Any, path: KeyPath, visit: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            _walk(value, (*path, key), visit)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, (*path, i), visit)
    else:
        visit(path, node)


# an overlay beside its file: ``2026-12-07.en.yaml``, ``survey.en.yaml`` (not a record)
_OVERLAY_NAME = re.compile(r".+\.(ru|en)\.yaml")


def is_overlay_file(path: Path) -> bool:
    """Whether ``path`` is a translation overlay (``<stem>.<lang>.yaml``), which a folder
    of records (``audits/``, ``answers/``) must not read as a record of its own."""
    return bool(_OVERLAY_NAME.fullmatch(path.name))


def load_translated(path: Path, lang: str | None, untranslated: list[str] | None,
                    words: Any = None, shown: Any = None) -> YamlDocument:
    """A record file (answers, an audit) read with positions and, for ``lang`` other
    than its own, its overlay ``<stem>.<lang>.yaml`` merged in (:func:`apply_file_overlay`);
    the paths of its text still in Russian that ``shown(path)`` keeps (all without it)
    are added to ``untranslated`` as ``<file>: <path>``."""
    doc = load_yaml(path, defer_problems=True)
    if lang is not None and isinstance(doc.data, dict) and \
            doc.data.get("language", "ru") != lang:
        doc, overlay = apply_file_overlay(doc, lang, words)
        if overlay is not None and untranslated is not None:
            untranslated += [f"{path.name}: {p}" for p in overlay.untranslated(words)
                             if shown is None or shown(p)]
    return doc


def apply_file_overlay(doc: YamlDocument, lang: str, words: Any = None
                       ) -> tuple[YamlDocument, Overlay | None]:
    """A record file (an audit, an answers file) with its overlay ``<stem>.<lang>.yaml``
    merged in by :func:`apply_overlay`'s rules. ``words`` (``Project.in_own_words`` of
    the translated project) then writes the people's names the overlay left as they are
    (``Лебедева О. Д.``, an owner, a respondent) as the project's translation does, where
    that leaves nothing in Russian."""
    from dataclasses import replace

    if doc.path is None:
        return doc, None
    path = overlay_path(doc.path, lang)
    if path.is_file():
        overlay = apply_overlay(doc.data, load_yaml(path), base_name=doc.path.name)
    else:
        overlay = Overlay(copy.deepcopy(doc.data), None)
    if words is not None:
        def visit(key_path: KeyPath, value: Any) -> None:
            if needs_translation(value):
                named = words(value)
                if named and not _CYRILLIC.search(named):
                    node = overlay.data
                    for part in key_path[:-1]:
                        node = node[part]
                    node[key_path[-1]] = named

        _walk(overlay.data, (), visit)
    return replace(doc, data=overlay.data), overlay


def apply_overlay(base: Any, doc: YamlDocument, base_name: str = "project.yaml") -> Overlay:
    """``base`` (project.yaml's data, not changed) with the overlay ``doc`` merged in.
    ``base_name`` names the translated file in the errors (an audit record's, say).

    Raises:
        CrmimplError: every entry that is not text or matches nothing, with file:line.
    """
    merged = copy.deepcopy(base)
    result = Overlay(merged, doc.path)
    problems: list[Problem] = []
    if not isinstance(doc.data, dict):
        raise CrmimplError.single(doc.location(()), "a translation overlay is a mapping of "
                                  "project.yaml's sections (client:, goals:, ...)")
    _merge(merged, doc.data, (), (), doc, problems, result)
    if problems:
        if base_name != "project.yaml":
            problems = [p._replace(message=p.message.replace("project.yaml", base_name),
                                   hint=p.hint.replace("project.yaml", base_name))
                        for p in problems]
        raise CrmimplError(problems)
    return result


def _merge(base: Any, over: Any, base_path: KeyPath, over_path: KeyPath,
           doc: YamlDocument, problems: list[Problem], result: Overlay) -> Any:
    """Merge ``over`` into ``base`` (in place for containers); return the new value."""
    where = readable_path(result.data, base_path) if base_path else "(top)"

    def fail(message: str, hint: str, *, key: bool = False) -> None:
        location = doc.key_location(over_path) if key else doc.location(over_path)
        problems.append(Problem(location, where, message, hint))

    if isinstance(over, dict):
        if not isinstance(base, dict):
            fail("project.yaml has no mapping here", "translate only what project.yaml holds")
            return base
        for key, value in over.items():
            if key not in base:
                problems.append(Problem(
                    doc.key_location((*over_path, key)),
                    f"{where}.{key}" if base_path else str(key),
                    "project.yaml has no such key here",
                    "check the spelling and the indentation against project.yaml"))
                continue
            base[key] = _merge(base[key], value, (*base_path, key), (*over_path, key),
                               doc, problems, result)
        return base
    if isinstance(over, list):
        if not isinstance(base, list):
            fail("project.yaml has no list here", "translate only what project.yaml holds")
            return base
        by_id = {item["id"]: i for i, item in enumerate(base)
                 if isinstance(item, dict) and isinstance(item.get("id"), str)}
        for j, item in enumerate(over):
            if by_id and isinstance(item, dict):
                rid = item.get("id")
                if not isinstance(rid, str):
                    problems.append(Problem(doc.location((*over_path, j)), where,
                                            "a record here is matched by its id",
                                            "add `id:` with the id it has in project.yaml"))
                    continue
                if rid not in by_id:
                    problems.append(Problem(
                        doc.location((*over_path, j, "id")), where,
                        f"no record with id {rid} in project.yaml",
                        "use an id that project.yaml has; the overlay adds no records"))
                    continue
                i = by_id[rid]
                rest = {k: v for k, v in item.items() if k != "id"}
                _merge(base[i], rest, (*base_path, i), (*over_path, j), doc, problems, result)
                continue
            if j >= len(base):  # the first item too many is the line to name
                problems.append(Problem(
                    doc.location((*over_path, j)), where,
                    f"project.yaml has only {len(base)} item(s) in this list",
                    "the overlay translates items by position and adds none"))
                break
            if item is None:  # "~": keep this item as it is
                continue
            base[j] = _merge(base[j], item, (*base_path, j), (*over_path, j),
                             doc, problems, result)
        return base
    # a scalar: only text replaces text
    if not isinstance(over, str):
        kind = ("a date" if isinstance(over, (date, datetime)) else
                "a yes/no value" if isinstance(over, bool) else
                "empty" if over is None else "a number")
        fail(f"the overlay holds text only, this is {kind}",
             "numbers, dates and amounts come from project.yaml only: remove this line")
        return base
    if not is_text(base):
        what = "a number or date" if not isinstance(base, str) else "an id or fixed value"
        fail(f"project.yaml holds {what} here, not text to translate",
             "ids, choices, e-mails and figures are the same in every language: remove "
             "this line")
        return base
    result.translated.add(base_path)
    return over


def load_overlay(project_file: Path, lang: str, base: Any) -> Overlay | None:
    """The project data ``base`` with ``project.<lang>.yaml`` applied; None without one."""
    path = overlay_path(project_file, lang)
    if not path.is_file():
        return None
    return apply_overlay(base, load_yaml(path))
