"""Who signs a document: the approval blocks of the title page, from the team.

A consultant's Russian title page carries УТВЕРЖДАЮ for the client's sponsor and
СОГЛАСОВАНО for the project managers of both sides; an English one a sign-off table
with the same people. Nobody is invented: a role the team lacks gets no block, and a
person holding two of these roles signs once (as the approver when one is the sponsor).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crmimpl.i18n import NBSP, short_legal_name, words

if TYPE_CHECKING:
    from crmimpl.model.project import Person, Project

# (signoff role, project role, team side, kind of signature), in the order they sign
_SIGNERS = (
    ("sponsor", "sponsor", "client", "approve"),
    ("contractor_pm", "project_manager", "contractor", "agree"),
    ("client_pm", "project_manager", "client", "agree"),
)
_CYRILLIC_WORD = re.compile(r"^[А-ЯЁ][а-яё]+(-[А-ЯЁ][а-яё]+)?$")


def signatories(project: Project, lang: str, *, binding: bool = False) -> list[dict[str, Any]]:
    """The people who sign a document of ``project``, as plain data for ``meta``.

    Each entry has ``kind`` (``approve`` or ``agree``), ``role`` (the part in the project,
    in ``lang``), ``name``, ``short_name`` (the signature line's form), ``position`` and
    ``company`` (the legal name of the person's side). A ``binding`` document (one that
    sets a price and payment terms) is approved by the contractor's authorised signatory
    too (``project.contractor_signatory``), not only agreed by its consultant.
    """
    roles = words("document", lang)["signoff_roles"]
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    signatory = project.project.contractor_signatory
    if binding and signatory is not None:
        out.append({"kind": "approve", "role": roles["contractor_signatory"],
                    "name": signatory.name, "short_name": short_name(signatory.name, lang),
                    "position": signatory.position, "company": _company(project, "contractor")})
    for key, role, side, kind in _SIGNERS:
        person = _first(project, role, side)
        if person is None or person.id in seen:
            continue
        seen.add(person.id)
        out.append({
            "kind": kind,
            "role": roles[key],
            "name": person.name,
            "short_name": short_name(person.name, lang),
            "position": person.position or "",
            "company": _company(project, side),
        })
    return out


def short_name(name: str, lang: str) -> str:
    """A name as a Russian signature line prints it: «Ковалёв Андрей Викторович» →
    «А. В. Ковалёв» (non-breaking spaces). Other names, and any name in an English
    document, stay as written."""
    parts = name.split()
    if lang != "ru" or len(parts) != 3 or not all(_CYRILLIC_WORD.match(p) for p in parts):
        return name
    surname, first, patronymic = parts
    return f"{first[0]}.{NBSP}{patronymic[0]}.{NBSP}{surname}"


def _first(project: Project, role: str, side: str) -> Person | None:
    return next((p for p in project.people_with(role) if p.side == side), None)


def _company(project: Project, side: str) -> str:
    if side == "client":
        # under a position, the legal form abbreviated («ООО «Оптима»», not «Общество с
        # ограниченной ответственностью «Оптима»» in the nominative)
        return short_legal_name(project.client.legal_name or project.client.name)
    return project.project.contractor or ""
