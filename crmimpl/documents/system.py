"""The system being implemented, as documents name it, and the decisions it implies.

``system:`` of project.yaml says which CRM the client gets (product, edition, version,
platform, DBMS, deployment, licences) and whether it is built into an accounting system.
:func:`system_context` turns it into the phrases a consultant writes: the full name of
the system in one line, a licence table, and what the architecture and the deployment
mean for the client. The wording lives in ``templates/system.yaml``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crmimpl.i18n import join, without_note
from crmimpl.vocabulary import template_data

if TYPE_CHECKING:
    from crmimpl.model.project import Project, SystemInfo

SOURCE = "system.yaml"
# integrations that make the CRM a separate system exchanging with accounting
_ACCOUNTING_KINDS = ("accounting", "core_system")


def _text(section: str, key: str, lang: str, **values: str) -> str:
    entry = template_data(SOURCE)[section][key]
    return str(entry[lang]).format(**values)


def system_name(system: SystemInfo, lang: str) -> str:
    """Product, edition and version in one line: «1С:CRM КОРП, редакция 3.0 (версия
    3.0.27)». An edition of one word gets its word («редакция ПРОФ», "Enterprise
    edition"); a longer one is printed as written."""
    name = system.product
    vendor = (system.vendor or "").strip()
    # Microsoft Dynamics 365, not a legal name before it, nor «1С-Битрикс Битрикс24»
    # (a vendor whose name the product already carries)
    words = [w for w in re.split(r"[-\s:]+", vendor.casefold()) if len(w) >= 4]
    if (vendor and " " not in vendor and vendor.casefold() not in name.casefold()
            and not any(w in name.casefold() for w in words)):
        name = f"{vendor} {name}"
    if system.edition:
        edition = system.edition
        if " " not in edition.strip():
            edition = _text("words", "edition", lang, edition=edition)
        name += f", {edition}"
    if system.version:
        name += f" ({_text('words', 'version', lang, version=system.version)})"
    return name


def system_summary(system: SystemInfo, lang: str) -> str:
    """The system in one line with its platform, DBMS and deployment: «1С:CRM КОРП,
    редакция 3.0 (версия 3.0.27), платформа 1С:Предприятие 8.3, СУБД PostgreSQL 16,
    размещение на серверах заказчика»."""
    parts = [system_name(system, lang)]
    if system.platform:
        parts.append(_text("words", "platform", lang, platform=system.platform))
    if system.dbms:
        parts.append(_text("words", "dbms", lang, dbms=system.dbms))
    parts.append(_text("deployment", system.deployment, lang))
    return ", ".join(parts)


def architecture(project: Project, lang: str) -> str:
    """What the system's place implies: built into accounting, a separate system with
    exchange, a standalone one, or (CTI, add-ons) a system already in use."""
    system = project.system
    if system is None:
        return ""
    if system.in_use:
        text = _text("architecture", "in_use", lang)
        if system.holds:
            from crmimpl.documents.modes import lower_first

            holds = lower_first(system.holds.strip().rstrip("."))
            text += " " + _text("architecture", "holds", lang, holds=holds)
        return text
    if system.embedded_in:
        return _text("architecture", "embedded", lang, embedded_in=system.embedded_in)
    exchanges = list(dict.fromkeys(i.system for i in project.integrations
                                   if i.kind in _ACCOUNTING_KINDS))
    if exchanges:
        key = "exchange" if len(exchanges) == 1 else "exchange_many"
        # "Xero (accounting)": the sentence already says it is the accounting system
        names = [_quoted(without_note(name), lang) for name in exchanges]
        return _text("architecture", key, lang, systems=join(names, lang, last=True))
    return _text("architecture", "standalone", lang)


def _quoted(name: str, lang: str) -> str:
    """A system's name in «» after «системой» (so it is never declined); as written when
    it holds quotes of its own, and always in English."""
    if lang != "ru" or "«" in name or "\"" in name:
        return name
    return f"«{name}»"


def system_context(project: Project, lang: str) -> dict[str, Any]:
    """The system being implemented, as plain data for every document's context.

    Returns:
        ``named`` (whether project.yaml names a system), ``name`` (product, edition,
        version), ``summary`` (the name with platform, DBMS and deployment), ``vendor``,
        ``deployment`` (the key: ``cloud``, ``on_premise``, ``hosted``), ``hosting`` (what
        the deployment means for the client), ``architecture`` (built into accounting or
        separate with exchange, as a sentence), ``decision`` (both sentences),
        ``in_use``, ``embedded_in``, ``licences`` (rows of ``kind`` and ``count``) and
        ``has_licences``. Every text is empty when the project names no system.
    """
    from crmimpl.documents.modes import licence_rows, part_words

    system = project.system
    if system is None:
        return {"named": False, "name": "", "summary": "", "vendor": "", "deployment": "",
                "hosting": "", "architecture": "", "decision": "", "in_use": False,
                "embedded_in": "", "licences": [], "licences_for": False, "has_licences": False,
                "product": "",
                "holds": "", "part": part_words(project)}
    hosting = _text("hosting", system.deployment, lang)
    place = architecture(project, lang)
    return {
        "named": True,
        "name": system_name(system, lang),
        "summary": system_summary(system, lang),
        "vendor": system.vendor or "",
        "deployment": system.deployment,
        "hosting": hosting,
        "architecture": place,
        "decision": f"{place} {hosting}",
        "in_use": system.in_use,
        "embedded_in": system.embedded_in or "",
        "product": system.product,
        "holds": (system.holds or "").strip().rstrip("."),
        **licence_rows(project, lang),
        "has_licences": bool(system.licences),
        "part": part_words(project),
    }
