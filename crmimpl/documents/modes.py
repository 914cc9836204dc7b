"""Helpers shared by the mode-specific documents (package passport, CTI specification,
MVP backlog): the system being implemented, plan task dates, acceptance rows.

Every figure comes from the project or the run's plan; nothing here schedules or prices.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.vocabulary import template_data

if TYPE_CHECKING:
    from crmimpl.model.project import Project
    from crmimpl.plan.builder import Plan, PlanTask

DATA = "mode_documents.yaml"


def data_text(section: str, key: str, lang: str) -> str:
    """One entry of ``templates/mode_documents.yaml`` in ``lang`` (empty when missing)."""
    entry = template_data(DATA).get(section, {}).get(key)
    return str(entry[lang]) if entry else ""


def data_list(section: str, key: str, lang: str) -> list[str]:
    """A list entry of ``templates/mode_documents.yaml`` in ``lang``."""
    entry = template_data(DATA).get(section, {}).get(key) or {}
    return [str(x) for x in entry.get(lang, [])]


def system_context(project: Project, lang: str) -> dict[str, Any]:
    """The CRM system as the client knows it: name, edition, deployment, licences."""
    s = project.system
    if s is None:
        return {"known": False, "name": "", "vendor": "", "edition": "", "version": "",
                "platform": "", "deployment": "", "cloud": False, "dbms": "", "embedded_in": "",
                "holds": "", "in_use": False, "licences": [], "licences_total": "",
                "licences_for": False,
                "part": part_words(project)}
    return {
        "known": True,
        "part": part_words(project),
        "name": s.product,  # as the client calls it; the vendor is named separately
        "vendor": s.vendor or "",
        "edition": s.edition or "",
        "version": s.version or "",
        "platform": s.platform or "",
        "deployment": data_text("deployment", s.deployment, lang),
        "cloud": s.deployment == "cloud",
        "dbms": s.dbms or "",
        "embedded_in": s.embedded_in or "",
        # written without a closing full stop (the sentence around it adds one)
        "holds": lower_first(s.holds.strip().rstrip(".")) if s.holds else "",
        "in_use": s.in_use,
        **licence_rows(project, lang),
        "licences_total": i18n.number(sum(lic.count for lic in s.licences), lang),
    }


def licence_rows(project: Project, lang: str) -> dict[str, Any]:
    """The licence table every document prints, from ``system.licences``: each kind with
    its count and, where the project says so, the user classes it is for with their users
    ("Sales executive (7), Account manager (5)"); ``licences_for``: the column is shown
    (the project says it for every kind: a Dynamics buyer asks which role gets which)."""
    s = project.system
    licences = s.licences if s is not None else []
    classes = {u.id: u for u in project.user_classes}
    return {
        "licences": [{
            "kind": lic.kind[:1].upper() + lic.kind[1:],
            "count": i18n.number(lic.count, lang),
            "for": i18n.join([_class_users(classes[c], lang)
                              for c in lic.user_classes if c in classes], lang)}
            for lic in licences],
        "licences_for": bool(licences) and all(lic.user_classes for lic in licences),
    }


def _class_users(user_class: Any, lang: str) -> str:
    """"Sales executive (7)", or the name alone when the class gives no number."""
    users = user_class.users
    return user_class.name if users is None else \
        f"{user_class.name} ({i18n.number(users, lang)})"


def tasks_with(plan: Plan | None, prefix: str) -> list[PlanTask]:
    """Tasks whose id is ``prefix`` or starts with ``prefix.``, in outline order."""
    if plan is None:
        return []
    return [t for t in plan.tasks if t.id == prefix or t.id.startswith(prefix + ".")]


def task_span(plan: Plan | None, prefix: str, lang: str) -> tuple[str, str]:
    """First start and last finish of the tasks under ``prefix``, as dates (empty if none)."""
    found = tasks_with(plan, prefix)
    if not found:
        return "", ""
    return (i18n.day(min(t.start for t in found), lang),
            i18n.day(max(t.finish for t in found), lang))


def counted(n: int, lang: str, ru: tuple[str, str, str], en: tuple[str, str]) -> str:
    """``n`` formatted for ``lang`` with its noun agreeing (``8 460 записей``, ``1 record``)."""
    noun = i18n.plural_ru(n, *ru) if lang == "ru" else (en[0] if n == 1 else en[1])
    return f"{i18n.number(n, lang)} {noun}"


def lower_first(text: str) -> str:
    """``text`` with its first letter lowered to run on inside a sentence, unless the first
    word is an acronym or a name written in capitals (``UTM``, ``CRM``)."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and (word[1].isupper() or any(ch.isdigit() for ch in word)):
        return text
    if word.isascii() and any("\u0400" <= ch <= "\u04ff" for ch in text):
        return text  # a Latin name in Russian text: «Telegram и WhatsApp»
    return text[:1].lower() + text[1:]


# What a Russian document calls a functional part of the system (a module of the scope):
# a 1С consultant says «подсистема», an amoCRM or Bitrix24 integrator «раздел». The
# forms the templates need, with the words that agree with the noun's gender.
PART_WORDS: dict[str, dict[str, str]] = {
    "1c": {"lemma": "подсистема", "nom": "подсистема", "nom_pl": "подсистемы",
           "gen": "подсистемы", "gen_pl": "подсистем", "dat": "подсистеме",
           "dat_pl": "подсистемам", "prep": "подсистеме", "prep_pl": "подсистемах",
           "each": "каждая",
           "each_dat": "каждой", "entering": "входящая", "in_it": "в ней"},
    "other": {"lemma": "раздел", "nom": "раздел", "nom_pl": "разделы",
              "gen": "раздела", "gen_pl": "разделов", "dat": "разделу",
              "dat_pl": "разделам", "prep": "разделе", "prep_pl": "разделах", "each": "каждый",
              "each_dat": "каждому", "entering": "входящий", "in_it": "в нем"},
}


def part_words(project: Project) -> dict[str, str]:
    """The forms of the word for a part of the system (``PART_WORDS``): «подсистема» for
    a 1С product or a project naming no system, «раздел» otherwise."""
    system = project.system
    return PART_WORDS["other" if system is not None and not _is_1c(system) else "1c"]


def _is_1c(system: Any) -> bool:
    """Whether the system is a 1С product (its vendor, product or platform says so)."""
    names = " ".join(filter(None, (system.vendor, system.product, system.platform)))
    # 1С-Битрикс makes Bitrix24, whose parts are «разделы»
    return bool(re.search(r"1[СC]", names)) and not re.search(r"(?i)битрикс|bitrix", names)
