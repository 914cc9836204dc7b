"""Context of the technical specification («Техническое задание», after GOST 34.602-2020).

The specification says *how* each requirement of the register is met: the functions of
every module in scope, each requirement with its solution (standard setting or custom
change with effort and cost), integrations, data migration, user classes and access
rights, test cases and acceptance, documentation, support; an appendix traces every goal
to its requirements, specification items and test cases.

Specification items are numbered ``4.2.<module>.<requirement>``: section 4 is the fourth
top-level heading, 4.2 its second subsection and each module in scope a third-level
heading in the order of ``scope.modules`` (the writers number headings the same way).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from crmimpl import i18n
from crmimpl.documents import actors, modes, scenarios
from crmimpl.documents import common as c
from crmimpl.documents.register import document_entry
from crmimpl.errors import CrmimplError
from crmimpl.industry import module_label, project_industry, project_product, standard_functions
from crmimpl.model.project import Change, Project, Requirement
from crmimpl.plan.pilot import adoption_window, on_site_text, pilot_period, wave_starts
from crmimpl.plan.training import build_groups, group_sizes_text
from crmimpl.render.markdown import markdown_text
from crmimpl.vocabulary import label, template_data

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

NAME = "tech_spec"
FUNCTIONS_SECTION = "4.2"
# In the functional specification the requirements by area are the fifth section.
FS_FUNCTIONS_SECTION = "5"
# Countries where the EU GDPR applies (the EU and the rest of the EEA).
_GDPR_COUNTRIES = frozenset((
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"))
TESTED_PRIORITIES = ("must", "should")
# Access levels from the narrowest that still lets a user work in a module.
_WORKING_ACCESS = ("own", "read_all_edit_own", "department", "all")
# Subsystems that summarise other people's work: their cases are done by the widest rights.
_OVERVIEW_MODULES = frozenset({"kpi_dashboards", "reports"})


def build_context(
    project: Project, lang: str, *, plan: object | None = None, answers: object | None = None
) -> dict[str, Any]:
    """Everything the specification template shows, as plain, formatted data.

    Args:
        project: The validated project.
        lang: Document language, ``ru`` or ``en``.
        plan: The plan built from the project; built here when omitted.
        answers: Imported questionnaire answers; read from the project folder when omitted.

    Returns:
        The template context (strings, lists and dicts only).
    """
    the_plan = c.resolve_plan(project, plan)
    functional = functional_spec(project, lang)
    section = FS_FUNCTIONS_SECTION if functional else FUNCTIONS_SECTION
    items = _item_numbers(project, section)
    found = c.resolve_answers(project, answers)
    facts = test_data(project, lang, found)
    tests = _test_cases(project, lang, items, facts)
    feedback = department_answers(project, lang, found)
    feedback["interviewed"] = _interviewed(project, lang, items, feedback, the_plan)
    frame = c.frame_context(project, lang)
    title = _plain("titles", "functional_spec", lang) if functional else ""
    calculating = _calculating_changes(project, lang, the_plan)
    mode = project.project.mode
    show_math = mode == "project" or (mode in FULL_GOST_MODES and bool(calculating))
    context = {
        "tax": c.tax_terms(project),
        "lang": lang,
        "answers_in_original": lang != "ru" and c.answers_in_russian(found),
        # the title page names the system the ТЗ creates under its title; the project is on
        # the «Проект:» line below (the same title twice read as a slip)
        "meta": c.register_meta(project, the_plan, "spec", lang,
                                title or i18n.word("titles", NAME, lang),
                                project.project.title if functional else
                                _quoted(spec_system(project, lang)["full_name"], lang)),
        "functional_spec": functional,
        # the language the client's users work in (the project's), not this document's
        "ui_language": UI_LANGUAGE[lang][project.project.language],
        "feedback": feedback,
        "module_feedback": _module_feedback(project, lang, found),
        "access_policy": _access_policy(project, lang, found),
        "survey_facts": _survey_facts(project, lang, found),
        # the domestic software register the client requires, and what the sizing of an
        # on-premise system starts from: what the project knows, no invented figures
        "software_registry": _software_registry(project, lang, found),
        "hardware_sizing": _hardware_sizing(project, lang, found, the_plan),
        "performance": _performance(project, lang),
        "load": design_load(project, lang, found),
        "servers": _servers(project, lang),
        "approval_sheet": approval_sheet(project, lang),
        "test_data": facts,
        "general": _general(project, lang, the_plan),
        "client": c.client_row(project, lang),
        # «Отрасль — банковские услуги: ...»: after a dash, since the industry may hold a colon
        "industry_phrase": _after_dash(project.client.industry) if lang == "ru"
        else project.client.industry,
        "mode": project.project.mode,
        "mode_label": label("mode", project.project.mode, lang),
        "approach_label": label("approach", project.scope.approach, lang),
        "scope_notes": project.scope.notes or "",
        "goals": c.goal_rows(project, lang),
        "problems": c.problem_trace(project, lang),
        "departments": _departments(project, lang),
        # inside a sentence («телефонии (платформа контакт-центра «Оникс CC» 4.2)»): a name
        # that begins with an ordinary word takes lower case, an abbreviation stays
        "telephony_short": _sentence_tail(_telephony_system(project)),
        # the project wrote what happens when a connected system is down: the reliability
        # section refers to it instead of a generic rule that may contradict it
        "outage_designed": any(i.on_error for i in project.integrations),
        "print_forms": _print_forms(project, lang),
        "routed_units": _routed_units(project),
        "modules": _modules(project, lang, items, section, the_plan),
        "reports": _reports(project, lang, items),
        "later": _later(project, lang),
        # a functional specification quotes whole pounds, as the survey report does
        "changes": c.estimate_context(project, the_plan, lang, whole=functional)["changes"],
        # the changes that calculate (counters, scores, indicators): 4.3.2 names them
        "calculating_changes": calculating,
        # 4.3.2 Mathematical support: always in the project mode's full ТЗ; in the typical
        # one only when a custom change calculates (an ABC/XYZ category, a score), since
        # that algorithm is then the client's to check (round 22)
        "show_mathematical_support": show_math,
        # the subsection the licences are listed in, after the optional 4.3.2
        "software_item": "4.3.4" if show_math else "4.3.3",
        # a "could" change is built from the contingency: say so only when there is one
        "could_changes": any(r.priority == "could" and _change_of(project, r) is not None
                             for r in project.requirements),
        "estimate": _estimate(project, the_plan, lang, whole=functional),
        # a note follows the system's name and a colon: «…: используется готовый коннектор»
        "integrations": [{**row, "notes": _sentence_tail(row["notes"])} for row in
                         (c.integration_row(i, lang, project) for i in project.integrations)],
        "integration_designs": [_integration_design(i, lang) for i in project.integrations],
        "migration": [c.migration_row(project, m, lang) for m in project.migration],
        "migration_records": _records_total(project, lang),
        "user_classes": [_user_class(project, u, lang) for u in project.user_classes],
        "admins": _admins(project, lang, the_plan),
        "access": _access_matrix(project, lang),
        # users sign in through the client's directory: no passwords of the system's own
        "sso": next((i.system for i in project.integrations if i.kind == "sso"), ""),
        "tests": tests,
        "access_checks": _access_checks(tests),
        "rollout": _rollout(project, lang, the_plan),
        "support": _support(project, lang, the_plan),
        "documents": _documents(project, lang),
        # the materials the client asked for that are documents of their own
        **_asked_docs(found, lang),
        "trace": _traceability(project, lang, items, tests),
        "data_protection_law": data_protection_law(project, lang),
        **_legal_extras(project, lang),
        "country": project.country,
        **(_functional_extras(project, lang, the_plan, found, feedback["sections"])
           if functional else {}),
        **frame,
        # the specification's own view of the system over the frame's shared one
        "system": {**frame["system"], **spec_system(project, lang)},
        **spec_sections(project),
    }
    if functional:
        _whole_amounts(context, the_plan, lang)
    context["configuration"] = configuration(project, the_plan, lang)
    context["config_letter"] = _appendix_letter(2, lang)  # while the abbreviations are found
    context["abbreviations"] = abbreviations(context, lang)
    # the configuration appendix follows the abbreviations' when there is one
    context["config_letter"] = _appendix_letter(2 + bool(context["abbreviations"]), lang)
    return context


def configuration(project: Project, plan: Plan | None = None, lang: str = "en"
                  ) -> list[dict[str, Any]]:
    """The configuration tables the project defines (``configuration``), as written: the
    stages with their exit criteria, the service levels, the approval limits; in an
    iterative project, a table whose requirements come with different stages says when
    each applies and how the business works until then (``staged``)."""
    return [{"title": t.title, "note": t.note or "", "requirements": ", ".join(t.requirements),
             "columns": list(t.columns), "rows": [list(row) for row in t.rows],
             "widths": _column_widths([list(t.columns), *t.rows]),
             **_config_stages(project, plan, t, lang)}
            for t in project.configuration]


def _config_stages(project: Project, plan: Plan | None, table: Any, lang: str
                   ) -> dict[str, Any]:
    """When the rows of an iterative project's configuration table apply: the stage that
    delivers the table's first requirements, the later stages with theirs, and each staged
    row with how it is done until its stage goes live (the MVP's opportunity stages must
    not wait for iteration 2's approval flow without saying so)."""
    empty: dict[str, Any] = {"stage_note": "", "interim": []}
    if project.project.mode != "iterative" or plan is None or not table.requirements:
        return empty
    from crmimpl.documents import backlog

    rows = backlog.stage_rows(project, plan, lang)
    stage_of = {rid: s for s in rows for rid in s["req_ids"]}
    found = [stage_of[r] for r in table.requirements if r in stage_of]
    order = [s["key"] for s in rows]
    keys = sorted({s["key"] for s in found}, key=order.index)
    if len(keys) < 2:
        return empty
    by_key = {s["key"]: s for s in rows}

    def ids(key: str) -> str:
        return i18n.join([r for r in table.requirements if stage_of.get(r, {}).get("key")
                          == key], lang, last=True)

    first = by_key[keys[0]]
    later = [by_key[k] for k in keys[1:]]
    if lang == "ru":
        parts = [f"с этапа «{s['name']}» (ввод {s['done']}) — то, что опирается на {ids(s['key'])}"
                 for s in later]
        note = (f"С вводом этапа «{first['name']}» ({first['done']}) система обеспечивает "
                f"то, что опирается на {ids(first['key'])}; {'; '.join(parts)}.")
    else:
        parts = [f"what rests on {ids(s['key'])} applies from {s['name']} (live {s['done']})"
                 for s in later]
        note = (f"From the {first['name']} go-live ({first['done']}) the system enforces "
                f"what rests on {ids(first['key'])}; {'; '.join(parts)}.")
    interim = []
    for item in table.staged:
        stage = max((stage_of[r] for r in item.requires if r in stage_of),
                    key=lambda s: order.index(s["key"]), default=None)
        if stage is None or stage["key"] == keys[0]:
            continue
        interim.append({"row": item.row, "text": item.until.rstrip(". "),
                        "until": f"(до {stage['done']})" if lang == "ru"
                        else f"(until {stage['done']})"})
    if interim:
        note += (" До этого:" if lang == "ru" else " Until then:")
    return {"stage_note": note, "interim": interim}


def _column_widths(rows: list[list[str]]) -> list[int]:
    """Column widths in per cent, by the longest text each column holds (a short stage
    name beside its long exit criteria), damped by a square root so that a short
    column's cells still fit on one or two lines, none under 16 %."""
    longest = [max(len(row[i]) for row in rows) ** 0.5 for i in range(len(rows[0]))]
    raw = [max(16.0, 100 * n / sum(longest)) for n in longest]
    widths = [round(100 * w / sum(raw)) for w in raw]
    widths[-1] += 100 - sum(widths)
    return widths


def _appendix_letter(number: int, lang: str) -> str:
    """The letter of the ``number``-th appendix: А, Б, В… (GOST 2.105) or A, B, C…"""
    return ("АБВГДЕЖИКЛ" if lang == "ru" else "ABCDEFGHJK")[number - 1]


def _whole_amounts(context: dict[str, Any], plan: Plan | None, lang: str) -> None:
    """A functional specification quotes whole pounds, as the survey report does: each
    change under its requirement costs what the changes table says, the support package
    is in whole units."""
    costs = {row["id"]: row["cost"] for row in context["changes"]}
    for module in context["modules"]:
        for item in module["reqs"]:
            if item["change"] is not None and item["change"]["id"] in costs:
                item["change"]["cost"] = costs[item["change"]["id"]]
    context["support"].update(c.support_cost(plan, lang, whole=True))


def abbreviations(context: dict[str, Any], lang: str, name: str = NAME
                  ) -> list[dict[str, str]]:
    """The abbreviations a document uses, with their expansions (GOST 34.602-2020
    expects a list; the survey report's glossary lists them too): those of the glossary
    in tech_spec.yaml found in the document ``name`` as rendered without the list, except
    those its own terms already define in bold («**АТС** — …», «**Техническое задание
    (ТЗ)**»), Cyrillic first, each alphabetically."""
    from crmimpl.render.markdown import render_markdown

    glossary: dict[str, str] = template_data("tech_spec.yaml").get(
        "abbreviations", {}).get(lang, {})
    if not glossary:
        return []
    text = render_markdown(name, lang, {**context, "abbreviations": []}).replace("\\", "")
    # (a plain substring test first: most of the glossary is absent, and the pattern's
    # look-arounds scanning the whole text for each entry cost more than the render)
    found = [short for short in glossary
             if short in text and _abbreviation_pattern(short).search(text)
             and f"**{short}**" not in text and f"({short})**" not in text
             and f"- **{short}-" not in text]
    return [{"short": short, "full": glossary[short]}
            for short in sorted(found, key=lambda a: (a[:1].isascii(), a.lower()))]


@functools.cache
def _abbreviation_pattern(short: str) -> re.Pattern[str]:
    """Where ``short`` stands as an abbreviation: a whole word, or the first part of a
    compound («UTM-метки»), never a part of an id or a law's number («TC-R01», «152-ФЗ»)."""
    return re.compile(rf"(?<![\w-]){re.escape(short)}(?!\w)(?!-[^а-яёa-z])")


# Modes whose specification keeps every GOST 34.602-2020 subsection: the project mode's full
# ТЗ (METHODOLOGY.md) and the typical mode's, whose client signs a GOST document too and
# whose reviewers mark a missing subsection as a defect (the typical one keeps them short
# and leaves out only the mathematical support of the project mode's heavy changes). The
# iterative mode's specification of the MVP leaves out operating modes, organisational
# and methodological support, performance, emergencies and standardisation, and hardware
# unless the system runs on the client's servers.
FULL_GOST_MODES = ("project", "typical")


def spec_sections(project: Project) -> dict[str, bool]:
    """Which optional subsections the specification of this project shows."""
    full = project.project.mode in FULL_GOST_MODES
    on_premise = project.system is None or project.system.deployment != "cloud"
    return {"full_gost": full, "show_hardware": full or on_premise,
            # who watches the servers (diagnostics, external influences): the client's
            # own staff, or the cloud provider
            "client_servers": on_premise}


def wording(section: str, key: str, lang: str, **values: object) -> str:
    """Markdown of ``key`` in a section of ``templates/tech_spec.yaml`` (``default`` when
    the key is not listed), with ``{name}`` placeholders filled from ``values``."""
    entries = template_data("tech_spec.yaml")[section]
    entry = entries.get(key) or entries["default"]
    return markdown_text(str(entry[lang]), **values)


def _plain(section: str, key: str, lang: str, **values: object) -> str:
    """Plain text of ``key`` in a section of ``templates/tech_spec.yaml`` (no Markdown
    escaping: for titles and for values that are escaped once more by the template)."""
    entries = template_data("tech_spec.yaml")[section]
    entry = entries.get(key) or entries["default"]
    text = str(entry[lang])
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


UI_LANGUAGE = {"ru": {"ru": "русском", "en": "английском"},
               "en": {"ru": "Russian", "en": "English"}}
"""The project's working language named in a document's language (``на русском языке``,
``in Russian``): the system's interface and user documents are in it."""


def functional_spec(project: Project, lang: str) -> bool:
    """Whether the document takes the shape an English-speaking client expects (a
    functional specification / solution design) instead of the GOST 34.602 structure:
    an English document for a client outside Russia. A Russian client's English version
    keeps the GOST structure, which its own staff and auditors know."""
    return lang == "en" and project.country != "RU"


def data_protection_regime(country: str) -> str:
    """``uk_gdpr`` (GB), ``gdpr`` (EU/EEA), ``ru`` or ``default``: which data protection
    paragraph of the functional specification applies."""
    if country == "GB":
        return "uk_gdpr"
    if country in _GDPR_COUNTRIES:
        return "gdpr"
    return "ru" if country == "RU" else "default"


def _functional_extras(project: Project, lang: str, plan: Plan | None,
                       answers: Any, sections: list[dict[str, Any]]) -> dict[str, Any]:
    """What only the functional specification shows: both teams, the risks, the data
    protection paragraph of the client's country (the sign-off is on the title page),
    and the parts of :mod:`crmimpl.documents.functional_spec` (``sections``: the
    departments' answers the specification has already gathered)."""
    from crmimpl.documents import functional_spec as fs

    return {
        **fs.context(project, lang, plan, answers, sections),
        "team_client": c.team_rows(project, lang, "client"),
        "team_contractor": c.team_rows(project, lang, "contractor"),
        "risks": [c.risk_row(project, r, lang) for r in project.risks],
        "data_protection": wording("data_protection", data_protection_regime(project.country),
                                   lang, law=data_protection_law(project, lang),
                                   hosting=_hosting(project),
                                   basis=_lawful_basis(c.resolve_answers(project, answers),
                                                       lang)),
    }


def _lawful_basis(answers: Any, lang: str) -> str:
    """The sentence on the lawful basis of processing: the client's own answer when the
    survey gave it (contract, legitimate interests, consent for whom), else the usual
    position for business contacts, never "consent for marketing" across the board (a
    corporate subscriber may be e-mailed under legitimate interests with an opt-out)."""
    given = answers.report("compliance.lawful_basis") if answers is not None else None
    if isinstance(given, str) and given.strip():
        text = " ".join(given.split()).rstrip(".")
        if lang == "ru":
            return ("Правовое основание обработки фиксируется у каждого контакта так, как "
                    f"его определил заказчик: «{text}».")
        return ("The lawful basis is recorded on each contact as the client has set it out: "
                f"\u201c{text}.\u201d")
    if lang == "ru":
        return "Правовое основание каждой цели обработки фиксируется в системе."
    return ("The lawful basis of each purpose is recorded: legitimate interests for account "
            "management and for marketing to business contacts, consent where the law "
            "requires it (marketing e-mails to individuals).")


def _hosting(project: Project) -> str:
    """Where the CRM's data is stored, as the functional specification commits to it: a
    cloud service's environment is created in the client's own region (a UK client's
    promise of UK hosting to its clients holds), other deployments on servers the client
    or its hosting provider runs there."""
    region = "the UK" if project.country == "GB" else "the EEA"
    system = project.system
    if system is None:
        return f"the CRM service is hosted in {region} and its region is named in the contract"
    if system.deployment == "cloud":
        return (f"the {system.product} environment is created in the vendor's data centres "
                f"in {region}, and the region is not changed afterwards")
    if system.deployment == "hosted":
        return f"{system.product} runs in the hosting provider's data centre in {region}"
    return f"{system.product} runs on the client's own servers in {region}"


# ------------------------------------------------------------------ the system


def spec_system(project: Project, lang: str) -> dict[str, Any]:
    """The CRM being implemented, as the specification names it (``project.system``).

    Without a ``system:`` block every sentence falls back to neutral wording ("the CRM
    system chosen by the client"), so nothing is invented.
    """
    s = project.system
    client = project.client.name
    if s is None:
        return {"named": False, "product": "", "vendor": "", "platform": "", "dbms": "",
                "full_name": _plain("system_names", "unnamed", lang, client=client),
                "deployment": "", "deployment_key": "", "embedded_in": "",
                "in_use": False, "holds": "", "licences": [], "licences_for": False,
                "licence_total": "",
                "structure": _plain("system_structure", "unknown", lang),
                "accounting": _accounting_system(project),
                "accounting_short": scenarios.short_name(_accounting_system(project)),
                "rpo": "", "rto": "", "standby": ""}
    from crmimpl.documents.system import system_name

    product = system_name(s, lang)
    return {
        "named": True,
        "product": product,
        "product_short": s.product,
        "vendor": s.vendor or "",
        "platform": s.platform or "",
        "dbms": s.dbms or "",
        "full_name": _plain("system_names", "named", lang, client=client, product=s.product),
        "deployment_key": s.deployment,
        "deployment": _plain("deployment", s.deployment, lang),
        "embedded_in": s.embedded_in or "",
        "in_use": s.in_use,
        "holds": s.holds or "",
        **modes.licence_rows(project, lang),
        "licence_total": i18n.number(sum(lic.count for lic in s.licences), lang),
        "structure": _structure(project, lang),
        "accounting": _accounting_system(project),
        "accounting_short": scenarios.short_name(_accounting_system(project)),
        "rpo": _within_hours(s.rpo_hours, lang),
        "rto": _within_hours(s.rto_hours, lang),
        "standby": (s.standby or "").rstrip("."),
    }


def _within_hours(value: float, lang: str) -> str:
    """Hours after «не более» / "at most": «1 часа», «4 часов», «0,5 часа» (a fraction
    takes the genitive singular), "1 hour", "0.5 hours"."""
    if value != int(value):
        return (f"{i18n.number(value, lang)}\u00a0часа" if lang == "ru"
                else f"{i18n.number(value, lang)}\u00a0hours")
    n = int(value)
    return (i18n.count_of(n, "час", lang, case="gent") if lang == "ru"
            else i18n.count_of(n, "hour", lang))


def _telephony_system(project: Project) -> str:
    """The short name of the telephony the system is connected to, if any."""
    found = next((i.system for i in project.integrations if i.kind == "telephony"), "")
    return scenarios.short_name(found) if found else ""


def _accounting_system(project: Project) -> str:
    """The accounting or ERP system the CRM exchanges with, if any."""
    return next((i.system for i in project.integrations
                 if i.kind in ("accounting", "core_system")), "")


def _structure(project: Project, lang: str) -> str:
    """Embedded into the accounting system, or a separate base with exchange."""
    s = project.system
    assert s is not None
    accounting = _accounting_system(project)
    if s.embedded_in:
        return _plain("system_structure", "embedded", lang, product=s.product,
                      host=s.embedded_in)
    if accounting:
        return _plain("system_structure", "exchange", lang, product=s.product,
                      host=accounting)
    return _plain("system_structure", "standalone", lang, product=s.product)


# ------------------------------------------------------------------ answers


# Report keys of the requirements questionnaire a department's section shows, in order:
# prose first (what the department does, where it loses time, what it cannot do without),
# then the short answers as a two-column table.
_PROSE_KEYS = ("requirements.daily_work", "requirements.pain_points",
               "requirements.must_have")
_FACT_KEYS = ("requirements.sales.lead_distribution", "requirements.sales.documents",
              "requirements.sales.plans", "requirements.sales.telephony",
              "requirements.sales.reminders", "requirements.service.channels",
              "requirements.service.volume", "requirements.service.has_sla",
              "requirements.service.satisfaction", "requirements.marketing.campaigns",
              "requirements.marketing.source_tracking", "requirements.marketing.budget",
              "requirements.management.review_frequency", "requirements.management.forecast",
              "requirements.management.regulations", "requirements.mobile")
# Longer answers that refine one subsystem: shown under that subsystem in 4.2.
_MODULE_KEYS = {
    "client_base": ("requirements.sales.client_card",),
    "sales_pipeline": ("requirements.sales.discount_rules",),
    "service": ("requirements.service.sla",),
    "complaints": ("requirements.service.complaints",),
    "mailings": ("requirements.marketing.segmentation",),
    "marketing_campaigns": ("requirements.marketing.events",),
    "kpi_dashboards": ("requirements.management.kpi_panel",),
    "reports": ("requirements.management.control_points",),
}


_DESIGN_WORDS = {
    "ru": {"crm": "CRM-система", "conflict": "действует копия ведущей системы: изменение "
           "другой копии перезаписывается при следующем обмене",
           "one_way": "изменения, внесенные в принимающей системе, обратно не передаются",
           "on_error": "каждый сеанс обмена регистрируется в журнале; если система "
           "недоступна или отказывает в приеме записи, данные передаются повторно после "
           "восстановления связи, а администратор получает уведомление; работа "
           "пользователей в CRM-системе при этом не блокируется"},
    "en": {"crm": "CRM", "conflict": "the master's copy wins: a change to the other copy is "
           "overwritten at the next exchange",
           "one_way": "changes made in the receiving system are not sent back",
           "on_error": "every exchange run is logged; when the system is down or refuses a "
           "record, the data is sent again once the link is back and the administrator is "
           "notified; users keep working in the CRM meanwhile"},
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# objects of an outgoing exchange that the other system sends back: the delivery status
# of an SMS, a receipt, a read report («Статусы доставки SMS», "Delivery reports")
_RETURNED = re.compile(r"(статус\w* (доставки|прочтения|отправки)|квитанци\w*|"
                       r"отч[её]т\w* о (доставке|прочтении)|"
                       r"(delivery|read) (status|report|receipt)\w*|receipts?\b)",
                       re.IGNORECASE)


def _integration_design(i: Any, lang: str) -> dict[str, Any]:
    """An integration's design object by object: the master system, direction, matching
    key, when it is sent and what wins when the copies differ, with its error handling.
    ``integrations[].exchange`` gives it; a one-way exchange without it follows from its
    direction (the sending system owns what it sends); a two-way exchange without it is
    left to agree (``designed`` False)."""
    words = _DESIGN_WORDS.get(lang, _DESIGN_WORDS["en"])
    short = i.system.split(" (")[0]

    def master(who: str) -> str:
        return words["crm"] if who == "crm" else short

    rows = [{"object": e.object, "crm": e.crm or c.DASH, "master": master(e.master),
             "direction": label("direction", e.direction, lang),
             "key": _sentence_tail(e.key) if e.key else c.DASH,
             "when": e.when or i.frequency or c.DASH,
             "conflict": _capital(e.conflict or words["conflict"])}
            for e in i.exchange]
    if not rows and i.direction != "both":
        rows = []
        for o in i.objects:
            way = i.direction
            if way == "from_crm" and _RETURNED.match(o.strip()):
                # a delivery status or receipt is what the other system sends back
                way = "to_crm"
            who = "external" if way == "to_crm" else "crm"
            rows.append({"object": o, "crm": c.DASH, "master": master(who),
                         "direction": label("direction", way, lang), "key": c.DASH,
                         "when": i.frequency or c.DASH,
                         "conflict": _capital(words["one_way"])})
    return {"system": i.system, "rows": rows, "designed": bool(rows),
            # rows that follow from a one-way direction alone: no CRM object or key to
            # show, and one rule for every row, said once under the table
            "derived": bool(rows) and not i.exchange,
            "one_way": _capital(words["one_way"]) + ".",
            "on_error": _sentence_tail(i.on_error or words["on_error"])}


# answers that describe the department's work today: stated as such under a subsystem,
# with their topic («Текущий порядок работы с рекламациями: …»)
_AS_IS_KEYS = ("requirements.service.complaints",)


def _by_department(answers: Any, key: str) -> dict[str, Any]:
    """Answers at ``key`` per department id (the audience of the workbook)."""
    if answers is None:
        return {}
    out: dict[str, Any] = {}
    for item in answers.report_all(key):
        if item.audience and item.value not in (None, "", []):
            out.setdefault(item.audience, item.value)
    return out


def department_answers(project: Project, lang: str, answers: Any) -> dict[str, Any]:
    """What each department wrote in its requirements questionnaire, as prose and a table.

    Departments whose workbook came back get a section; the others are named in one
    sentence (their requirements came from the interviews and the register).
    """
    labels = c.question_labels(lang, project.folder)
    question_ids = _question_ids(project)
    keys = _PROSE_KEYS + _FACT_KEYS
    per_key = {key: _by_department(answers, key) for key in keys}
    sections, silent = [], []
    for d in project.client.departments:
        prose = [{"topic": _plain("answer_topics", key, lang),
                  "text": _retold(c.answer_text(per_key[key][d.id], lang,
                                                labels.get(key, ("", {}))[1]), lang)}
                 for key in _PROSE_KEYS if d.id in per_key[key]]
        given = [key for key in _FACT_KEYS if d.id in per_key[key]]
        statements = [t for key in given
                      if (t := _fact_statement(key, per_key[key][d.id], lang,
                                               _deferred_wish(project, d.id, key)))]
        facts = [{"question": _fact_label(key, labels, lang),
                  "answer": _fact_answer(key, per_key[key][d.id], labels, lang)
                  + excluded_note(project, d.id, question_ids.get(key), per_key[key][d.id],
                                   lang, labels.get(key, ("", {}))[1])}
                 for key in given if not _fact_statement(key, per_key[key][d.id], lang)]
        if prose or facts or statements:
            sections.append({"name": d.name, "head": d.head or "", "prose": prose,
                             "facts": facts, "statements": " ".join(statements)})
        elif d.users:
            silent.append(d.name)
    return {"sections": sections, "silent": silent}


def _question_ids(project: Project) -> dict[str, str]:
    """The questionnaire question id of each report key (``requirements.sales.documents``
    → ``sales_documents``): the id a requirement's ``answers`` names."""
    from crmimpl.questionnaire.library import load_library

    try:
        library = load_library(project.folder)
    except CrmimplError:
        return {}
    return {q.report_key: q.id for questionnaire in library.values()
            for q in questionnaire.questions() if q.report_key}


def excluded_note(project: Project, audience: str, qid: str | None, value: Any,
                   lang: str, choices: dict[str, str] | None = None) -> str:
    """«; вне объема этой версии (R23)» when the project excludes what the answer asked
    for: a "won't" requirement takes it (its ``answers``), so §3.4 does not show a wish
    that 4.1.4 overrules without saying so. When the requirement takes only some of a
    list's choices, the note names them («; договор и спецификация — вне объема этой
    версии (R21)»): a bare note after four documents reads as if all four were out."""
    if not qid:
        return ""
    values = value if isinstance(value, list) else [value]
    wont = [r for r in project.requirements if r.priority == "wont"]

    def taking(v: Any) -> list[str]:
        key = qid if v is True else f"{qid}.{v}"
        return [r.id for r in wont if {key, f"{audience}:{key}"} & set(r.answers)]

    per_value = {i: taking(v) for i, v in enumerate(values)}
    ids = list(dict.fromkeys(i for found in per_value.values() for i in found))
    if not ids:
        return ""
    text = i18n.join(ids, lang)
    out = [values[i] for i, found in per_value.items() if found]
    if choices is not None and isinstance(value, list) and len(out) < len(values):
        names = [c.answer_text(v, lang, choices) for v in out]
        names = [n if n[1:2].isupper() else n[:1].lower() + n[1:] for n in names if n]
        if names:
            what = i18n.join(names, lang, last=True)
            return (f"; {what} — вне объема этой версии ({text})" if lang == "ru"
                    else f"; {what}: out of scope of this version ({text})")
    return (f"; вне объема этой версии ({text})" if lang == "ru"
            else f"; out of scope of this version ({text})")


def _retold(text: str, lang: str) -> str:
    """A department's answer in the specification's voice: the as-is in the third person
    («узнаём звонком» → «узнают звонком»), or, where a pronoun keeps the client's first
    person, quoted as the department's words; a contract does not speak as the client."""
    from crmimpl.documents.survey_answers import quote, third_person

    told = third_person(text, lang)
    return told if told is not None else quote(text, lang)


def _interviewed(project: Project, lang: str, items: dict[str, str],
                 feedback: dict[str, Any], plan: Plan | None = None) -> list[dict[str, Any]]:
    """The departments that returned no questionnaire, each with what the interviews gave:
    its functions, the register's requirements it raised (with their items) and the
    problems of its process, so §3.4 speaks of every department, not of those that
    answered alone."""
    from crmimpl.documents.signoff import short_name

    silent = set(feedback["silent"])
    out = []
    for d in project.client.departments:
        if d.name not in silent:
            continue
        # every requirement the department raised, the deferred ones said to be deferred:
        # «stated no requirements» beside a register that names the department is false
        reqs = [{"id": r.id, "item": items.get(r.id, "") if r.priority != "wont" else "",
                 "statement": r.statement.rstrip("."), "deferred": r.priority == "wont"}
                for r in project.requirements
                if _source_department(project, r.source) == d.id]
        # the functions as written, when written in the document's language (an English
        # project's Russian version does not quote English phrases as prose)
        functions = [f.rstrip(".") for f in d.functions
                     if (lang == "ru") == bool(re.search("[\u0400-\u04ff]", f))]
        out.append({
            "name": d.name,
            "head": short_name(d.head, lang) if d.head else "",
            # who the interview heard, as the survey report and the plan name them
            "interviewed": i18n.join([short_name(n, lang) for n in
                                      c.interviewees(project, plan, d.id)], lang, last=True),
            "head_only": not any(p.side == "client" and p.department == d.id
                                 and p.name != d.head for p in project.team),
            # after a colon: «Функции подразделения: сайт, ...», an abbreviation kept
            "functions": "; ".join(f[:1].lower() + f[1:] if f[1:2].islower() else f
                                   for f in functions),
            "requirements": reqs,
        })
    return out


def _deferred_wish(project: Project, dept: str, key: str) -> Any:
    """The deferred ('wont') requirement that takes a department's yes to the question at
    ``key`` (its ``answers`` name the question, with or without the department), or None:
    a wish the project puts off is stated as put off, not as today's practice."""
    from crmimpl.questionnaire.library import load_library

    try:
        library = load_library(project.folder)
    except CrmimplError:
        return None
    ids = {q.id for qn in library.values() for q in qn.questions() if q.report_key == key}
    for r in project.requirements:
        if r.priority != "wont":
            continue
        for wish in r.answers:
            audience, _, question = str(wish).rpartition(":")
            if question.split(".")[0] in ids and audience in ("", dept):
                return r
    return None


def _fact_statement(key: str, value: Any, lang: str, deferred: Any = None) -> str:
    """A yes/no answer (or the reminders' importance) as the sentence a consultant writes
    («Для обращений установлены нормативные сроки…»), not a «Да» in a table; empty when
    the key has no sentence or the answer is not of that kind. A yes to a wish (the
    questionnaire asks what is needed) reads as the department's request, and, when a
    deferred requirement takes it (``deferred``), as a request this version does not meet."""
    own = template_data("tech_spec.yaml").get("answer_statements", {}).get(key)
    if not own:
        return ""
    forms = own[lang]
    if isinstance(value, bool):
        if value and deferred is not None and "deferred" in forms:
            return str(forms["deferred"]).format(id=deferred.id)
        return str(forms.get("yes" if value else "no", ""))
    if "scale" in forms and isinstance(value, int | float) and value >= 4:
        return str(forms["scale"]).format(value=i18n.number(value, lang))
    return ""


def _fact_label(key: str, labels: dict[str, tuple[str, dict[str, str]]], lang: str) -> str:
    own = template_data("tech_spec.yaml")["answer_topics"].get(key)
    return str(own[lang]) if own else labels.get(key, (key, {}))[0]


def _fact_answer(key: str, value: Any, labels: dict[str, tuple[str, dict[str, str]]],
                 lang: str) -> str:
    choices = labels.get(key, ("", {}))[1]
    if key == "requirements.sales.reminders":
        return _plain("answer_topics", "scale", lang, value=c.answer_text(value, lang))
    if isinstance(value, list):
        # a choice list reads as one phrase: "Звонок из карточки, записи разговоров"
        parts = [c.answer_text(v, lang, choices) for v in value]
        parts = [p if i == 0 or p[1:2].isupper() else p[:1].lower() + p[1:]
                 for i, p in enumerate(parts) if p]
        return ", ".join(parts)
    text = c.answer_text(value, lang, choices)
    return text[:1].upper() + text[1:]


def _module_feedback(project: Project, lang: str, answers: Any) -> dict[str, list[dict[str, str]]]:
    """Per subsystem in scope, what the departments asked of it in their own words."""
    out: dict[str, list[dict[str, str]]] = {}
    # an answer a requirement's design settles is that requirement's source, not a
    # second statement of its rules (two versions of a threshold for the developer)
    settled = {key for r in project.requirements if r.design for key in r.settles}
    for module, keys in _MODULE_KEYS.items():
        if module not in project.scope.modules:
            continue
        for key in keys:
            if key in settled:
                continue
            for dept, value in _by_department(answers, key).items():
                text = _retold(c.answer_text(value, lang), lang)
                if key in _AS_IS_KEYS:  # what is done today, not a rule for the setup
                    lead = text[:1].lower() if text[1:2].islower() else text[:1]
                    text = f"{_plain('answer_topics', key, lang)}: {lead}{text[1:]}"
                out.setdefault(module, []).append(
                    {"department": c.department_name(project, dept), "text": text})
    return out


def _software_registry(project: Project, lang: str, answers: Any) -> str:
    """The register of domestic software, for a Russian client that requires it (the
    survey's «только отечественное ПО из реестра Минцифры России») or whose ``system``
    names its entries: the entries, else who confirms them and when (empty otherwise)."""
    s = project.system
    origin = answers.report("selection.vendor_origin") if answers is not None else None
    if s is None or project.country != "RU" or (origin != "domestic_required"
                                                and not s.registry):
        return ""
    parts = [s.product] + ([f"СУБД {s.dbms}" if lang == "ru" else f"the DBMS {s.dbms}"]
                           if s.dbms else [])
    what = i18n.join(parts, lang, last=True)
    if lang == "ru":
        register = ("единый реестр российских программ для электронных вычислительных машин "
                    "и баз данных (Минцифры России)")
        if s.registry:
            return (f"По требованию заказчика система создается только на программном "
                    f"обеспечении, включенном в {register}: {s.registry.rstrip('.')}.")
        return (f"По требованию заказчика все программное обеспечение системы — {what} — "
                f"должно быть включено в {register}; номера записей реестра производитель "
                f"подтверждает выпиской из реестра до заключения договора поставки лицензий.")
    register = ("the Unified Register of Russian Software of the Ministry of Digital "
                "Development")
    if s.registry:
        return (f"At the client's requirement, the system uses only software entered in "
                f"{register}: {s.registry.rstrip('.')}.")
    return (f"At the client's requirement, all software of the system, {what}, must be "
            f"entered in {register}; the vendor confirms the entry numbers with an extract "
            f"from the register before the licence contract is signed.")


def _hardware_sizing(project: Project, lang: str, answers: Any, plan: Plan | None) -> str:
    """How the servers of an on-premise system are sized, from what the project knows:
    the named users (and their growth from the survey), the records migrated, the
    standby site; who calculates and approves it, and by when (the plan's deployment).
    Empty for a cloud system or without a named system."""
    s = project.system
    if s is None or s.deployment == "cloud":
        return ""
    users = project.client.crm_users
    answered = answers.report("growth.users") if answers is not None else None
    growth = answered if isinstance(answered, int | float) and answered > users else None
    records = sum(m.records for m in project.migration)
    deploy = next((t for t in getattr(plan, "tasks", []) if t.id == "rollout.deploy"), None)
    if lang == "ru":
        grown = f" (с учетом роста — {i18n.number(growth, lang)})" if growth is not None else ""
        facts = [f"{i18n.count_of(users, 'именованный пользователь', lang)}{grown}"]
        if records:
            facts.append(f"{_about_records(records, lang)} переносимых данных")
        if s.standby:
            facts.append(f"резервная площадка — {_first_clause(s.standby)}")
        when = f" до начала развертывания ({i18n.day(deploy.start, lang)})" if deploy else ""
        return (f"Конфигурацию серверов (процессоры, оперативная память, дисковая "
                f"подсистема, сеть) рассчитывает исполнитель по методике производителя "
                f"{s.product} и согласует с ИТ-службой заказчика{when}. Исходные данные "
                f"расчета: {'; '.join(facts)}.")
    facts = [i18n.count_of(users, "named user", lang)
             + (f" ({i18n.number(growth, lang)} with growth)" if growth is not None else "")]
    if records:
        facts.append(f"{_about_records(records, lang)} to migrate")
    if s.standby:
        facts.append(f"the standby site: {_first_clause(s.standby)}")
    when = f" before deployment ({i18n.day(deploy.start, lang)})" if deploy else ""
    return (f"The contractor sizes the servers (processors, memory, storage, network) by "
            f"the {s.product} vendor's method and agrees the sizing with the client's IT "
            f"department{when}. The sizing starts from: {'; '.join(facts)}.")


def _about_records(records: int, lang: str) -> str:
    """A data volume as a consultant sizes with it: «около 8 млн записей», «около 45 тыс.
    записей», «640 записей» / "about 8 million records"."""
    if records >= 1_000_000:
        value, ru_unit, en_unit = round(records / 1_000_000, 1), "млн", "million"
    elif records >= 10_000:
        value, ru_unit, en_unit = round(records / 1000), "тыс.", "thousand"
    else:
        return i18n.count_of(records, "запись" if lang == "ru" else "record", lang)
    if lang == "ru":
        return f"около {i18n.number(value, lang)}\u00a0{ru_unit} записей"
    return f"about {i18n.number(value, lang)}\u00a0{en_unit} records"


def _first_clause(text: str) -> str:
    """The first clause of a project's description (before a semicolon), without its
    final stop, for a list that separates its items with semicolons."""
    return text.split(";", 1)[0].strip().rstrip(".")


def _survey_facts(project: Project, lang: str, answers: Any) -> dict[str, str]:
    """Survey answers that make the technical requirements concrete: the reference
    directories that exist, the monthly request volume, the depth of history to keep."""
    if answers is None:
        return {"directories": "", "volume": "", "volume_dept": "", "growth_users": "",
                "registration": ""}
    registration = answers.report("company.registration")
    growth = answers.report("growth.users")
    if not isinstance(growth, int | float) or growth <= project.client.crm_users:
        growth = None
    directories = answers.report("data.directories")
    volumes = _by_department(answers, "requirements.service.volume")
    leads = answers.report("marketing.leads_per_month")
    if isinstance(leads, int | float):
        volumes = {**volumes, "": leads}  # the company's incoming enquiries
    dept, volume = max(volumes.items(), key=lambda kv: kv[1], default=("", None))
    return {
        "directories": c.answer_text(directories, lang) if directories else "",
        "volume": i18n.number(volume, lang) if isinstance(volume, int | float) else "",
        "volume_dept": c.department_name(project, dept) if dept else "",
        "growth_users": i18n.number(growth, lang) if growth else "",
        "registration": _registration(registration, lang),
    }


def design_load(project: Project, lang: str, answers: Any) -> list[str]:
    """What the system's sizing rests on, each from the project's own data: the users at
    once (and with growth), the records at launch from the migration sources, each
    exchange's frequency, the incoming requests a month. The request count alone is no
    load figure (420 a month is 20 a day); it is one line among the others."""
    ru = lang == "ru"
    facts = _survey_facts(project, lang, answers)
    users = project.client.crm_users
    forms = ("пользователя", "пользователей", "пользователей")
    line = (f"одновременная работа {i18n.count(users, lang, forms, ('', ''))}"
            if ru else f"{i18n.number(users, lang)} users working at once")
    if facts["growth_users"]:
        line += (f", с учетом роста — {facts['growth_users']}" if ru
                 else f", {facts['growth_users']} with the growth the client plans")
    out = [line]
    records = sum(m.records for m in project.migration)
    if records:
        sources = len(project.migration)
        shown = _round_records(records)
        noun = i18n.plural_ru(shown, "записи", "записей", "записей")
        out.append(
            f"около {i18n.number(shown, lang)} {noun}, переносимых при запуске из "
            f"{i18n.count(sources, lang, ('источника', 'источников', 'источников'), ('', ''))}"
            if ru else f"about {i18n.number(_round_records(records), lang)} records migrated "
            f"at launch from {i18n.count(sources, lang, ('', '', ''), ('source', 'sources'))}")
    for integration in project.integrations:
        if integration.frequency:
            # the name without its note («SMS-шлюз «Связь-Инфо» (договор банка)»)
            name = i18n.without_note(integration.system)
            # «сайт vrb-bank.ru, обмен: …», not «обмен с системой Сайт vrb-bank.ru»: a name
            # that opens with a generic word («Платформа…», «SMS-шлюз…») is not declined
            # after «с системой» and reads as a slip
            out.append((f"{_sentence_tail(name)}, обмен: " if ru else
                        f"the exchange with {name}: ")
                       + _lower_first(integration.frequency.rstrip(".")))
    if facts["volume"]:
        out.append(f"до {facts['volume']} обращений клиентов в месяц" if ru
                   else f"up to {facts['volume']} client requests a month")
    return out if len(out) > 1 else []


def _records_total(project: Project, lang: str) -> str:
    """The records of every migration source in all, as the table's heading says it: the
    exact sum, or «около 8 000 000» when a small source only adds a tail (640 articles
    on 8 million rows gave a falsely precise «8 000 640»), the figure the design load
    gives too."""
    records = sum(m.records for m in project.migration)
    shown = _round_records(records)
    if shown == records or abs(records - shown) * 1000 > records:
        return i18n.number(records, lang)
    return f"{'около' if lang == 'ru' else 'about'} {i18n.number(shown, lang)}"


def _round_records(records: int) -> int:
    """Record counts as a sizing figure, to three significant digits (22 940 → 22 900,
    8 000 612 → 8 000 000: never «около 8 000 600»)."""
    if records < 1000:
        return records
    return round(records, 3 - len(str(records)))


def _lower_first(text: str) -> str:
    """«В реальном времени» → «в реальном времени» inside a sentence; an abbreviation
    («CSV», «HTTP-сервис») keeps its capitals."""
    first = text.split(" ", 1)[0]
    return text if sum(ch.isupper() for ch in first) > 1 else text[:1].lower() + text[1:]


_HEAD = re.compile(r"\b(начальник|руководитель|директор|head|director|manager|lead)\b",
                   re.IGNORECASE)


def approval_sheet(project: Project, lang: str) -> list[dict[str, str]]:
    """The heads of the client's departments who agree the requirements of their
    departments (the approval sheet at the end of the specification), in the order of
    the departments; who signs the title page (the sponsor, the project managers) is not
    asked to sign again. A department without a named head has no line: nobody is
    invented."""
    from crmimpl.documents.signoff import short_name, signatories

    on_title = {s["name"] for s in signatories(project, lang)}
    team = {p.name: p for p in project.team}
    by_id = {p.id: p for p in project.team}
    # the owners of the project's goals on the client's side (the commercial director who
    # owns the revenue goals and whose approval rules the specification encodes) agree it
    # too, under their department, after its head
    owners = [by_id[g.owner] for g in project.goals
              if g.owner in by_id and by_id[g.owner].side == "client"]
    # so do the client's owners of the project's risks (the information-security officer
    # who owns the risk of the security approval agrees the security requirements)
    # (a head of a unit: an analyst owning a risk does not sign for the department)
    owners += [by_id[r.owner] for r in project.risks
               if r.owner in by_id and by_id[r.owner].side == "client"
               and _HEAD.search(by_id[r.owner].position or "")]
    out: list[dict[str, str]] = []
    listed: set[str] = set()
    for d in project.client.departments:
        people = ([(d.head, d.head_position)] if d.head else []) + [
            (p.name, None) for p in owners if p.department == d.id]
        for name, head_position in people:
            if name in on_title or name in listed:
                continue
            listed.add(name)
            person = team.get(name)
            position = head_position or (person.position if person and person.position
                                         else "")
            out.append({"department": d.name, "position": position or i18n.DASH,
                        "name": short_name(name, lang)})
    return out


def _servers(project: Project, lang: str) -> list[dict[str, str]]:
    """The agreed server sizing of ``system.servers`` as table rows."""
    system = project.system
    if system is None or system.deployment == "cloud":
        return []
    gb = "ГБ" if lang == "ru" else "GB"
    return [{
        "role": s.role[:1].upper() + s.role[1:],
        "count": i18n.number(s.count, lang),
        "cpu": i18n.number(s.cpu_cores, lang),
        "memory": f"{i18n.number(s.memory_gb, lang)}{i18n.NBSP}{gb}",
        "disk": (f"{i18n.number(s.disk_gb, lang)}{i18n.NBSP}{gb}" if s.disk_gb else i18n.DASH)
        + (f", {s.notes}" if s.notes else ""),
    } for s in system.servers]


_SECONDS = re.compile(
    r"(?:не более|не дольше|within|no more than|under)\s+(\d+)\s+(?:секунд|s\b|sec)")
_CONCURRENT = re.compile(r"(\d+)\s+(?:одновременн|concurrent|simultaneous)")


def _performance(project: Project, lang: str) -> dict[str, Any]:
    """The response time the specification requires: 3 seconds, or the strictest figure a
    custom change or a requirement of the project states (with its concurrent load), so
    section 4 gives one figure and one load profile."""
    texts = [f"{ch.description}" for ch in project.planned_changes] + [
        f"{r.statement} {r.solution or ''} {' '.join(r.design)}" for r in project.requirements]
    seconds, concurrent = 3, ""
    for text in texts:
        for found in _SECONDS.finditer(text.lower()):
            if int(found.group(1)) < seconds:
                seconds = int(found.group(1))
                load = _CONCURRENT.search(text.lower())
                concurrent = load.group(1) if load else concurrent
    forms = ("секунды", "секунд", "секунд")
    # systems asked online as a card opens (the bank's core system with its own timeout):
    # their answer is not the CRM's response time, or the figure could not be met
    external = [i18n.without_note(i.system) for i in project.integrations
                if any(x.when and _ON_OPEN.search(x.when) for x in i.exchange)]
    return {"seconds": i18n.count(seconds, lang, forms, ("second", "seconds")),
            "concurrent": i18n.number(int(concurrent), lang) if concurrent else "",
            "external": i18n.join(list(dict.fromkeys(external)), lang, last=True),
            "external_many": len(set(external)) > 1}


_ON_OPEN = re.compile(r"при открытии|on opening|when (?:the |a )?\w+ (?:card |record )?is opened"
                      r"|when (?:the |a )?(?:card|record) opens", re.IGNORECASE)


def _access_policy(project: Project, lang: str, answers: Any) -> list[dict[str, str]]:
    """The access rules the client wrote: the company policy, then each department's."""
    out = []
    if answers is not None:
        policy = answers.report("compliance.access_policy")
        if policy:
            out.append({"who": _plain("answer_topics", "company_policy", lang),
                        "text": c.answer_text(policy, lang)})
    for dept, value in _by_department(answers, "requirements.access_rules").items():
        out.append({"who": c.department_name(project, dept), "text": c.answer_text(value, lang)})
    return out


def _estimate(project: Project, plan: Plan | None, lang: str, *,
              whole: bool = False) -> dict[str, Any]:
    """The common estimate, each phase with what it delivers (``whole``: in whole
    currency units, the rows adding up to the totals as printed)."""
    estimate = c.estimate_context(project, plan, lang, whole=whole)
    results = template_data("tech_spec.yaml")["phase_results"]
    for phase in estimate["phases"]:
        base = phase["id"].split(".")[0]
        key = next((k for k in (f"{base}:{project.project.mode}", base) if k in results),
                   "default")
        phase["result"] = wording("phase_results", key, lang)
    return estimate


def _legal_extras(project: Project, lang: str) -> dict[str, Any]:
    """A Russian client's laws and standards beyond the personal data law (its industry's
    and its subsystems'), and the information protection paragraph of its industry."""
    if project.country != "RU":
        return {"extra_sources": [], "protection": ""}
    data = template_data("tech_spec.yaml")
    industry = project_industry(project)
    found = list(data["extra_sources"]["industry"].get(industry, []))
    for module in project.scope.modules:
        found += data["extra_sources"]["module"].get(module, [])
    protection = str((data["protection"].get(industry) or data["protection"]["default"])[lang])
    # advertising by e-mail, SMS or phone needs the subscriber's prior consent (38-FZ
    # art. 18): a specification with mailings or telemarketing says how it is kept
    consent = data["advertising_consent"]
    channels = [str(consent["channels"][m][lang]) for m in ("mailings", "telemarketing")
                if m in project.scope.modules]
    if channels:
        joined = i18n.join(channels, lang, last=True)
        protection += " " + str(consent["text"][lang]).format(channels=joined)
    return {"extra_sources": list(dict.fromkeys(str(e[lang]) for e in found)),
            "protection": protection.strip()}


def data_protection_law(project: Project, lang: str) -> str:
    """The personal-data law of the client's country (``legal.personal_data_law``)."""
    from crmimpl.documents.country import legal_basis

    return str(legal_basis(project, lang)["personal_data_law"])


# ------------------------------------------------------------------ sections 1-3


def _general(project: Project, lang: str, plan: Plan | None) -> dict[str, Any]:
    info = project.project
    finish = i18n.day_long(plan.finish, lang) if plan is not None else (
        i18n.day_long(info.deadline, lang) if info.deadline else "")
    return {
        "code": info.id.upper(),
        "survey_date": _register_date(project, plan, "survey", lang),
        "title": info.title,
        "contractor": info.contractor or "",
        "start": i18n.day_long(info.start, lang),
        "finish": finish,
        "launch": i18n.day_long(plan.launch, lang) if plan is not None else "",
        "stages_live": c.stages_live_text(plan, lang, i18n.day_long),
        # an iterative MVP's specification: the day the plan has it signed, before the
        # integrations and custom changes it prices are built
        "mvp_approved": next((i18n.day_long(t.finish, lang) for t in plan.tasks
                              if t.id == "mvp.approved"), "") if plan is not None else "",
        "deadline": i18n.day_long(info.deadline, lang) if info.deadline else "",
        "date": i18n.day_long(document_entry(project, plan, "spec").date, lang),
        # a specification written during the project (dated after the work began) is a
        # deliverable of the contract, made part of it once approved, not an annex signed
        # with it (round 19: a ТЗ of 8 June called itself an annex signed with a contract
        # under which work had started on 2 March)
        "during_project": document_entry(project, plan, "spec").date > info.start,
        "sponsor": c.first_name_with(project, ["sponsor"], side="client"),
        "client_pm": c.first_name_with(project, ["project_manager"], side="client"),
        "contractor_pm": c.first_name_with(project, ["project_manager"], side="contractor"),
        "modules": i18n.number(len(project.scope.modules), lang),
        "module_labels": [module_label(project, m, lang) for m in project.scope.modules],
        "has_mobile": "mobile" in project.scope.modules,
        "shifts": _shift_hours(project, lang),
        "maintenance_window": _maintenance_window(project),
        "contract": contract_reference(project, lang),
        "contract_title": project.contract.title or "" if project.contract else "",
    }


def contract_reference(project: Project, lang: str) -> str:
    """The contract as a document cites it: «№ 47/2026 от 26.01.2026» (ru) or
    "No. 47/2026 of 26 January 2026" (en); empty when the project names no contract (the
    text then speaks of "the contract" without a number, never of one it does not
    know). Its subject (``title``) follows the parties in the sentence."""
    contract = project.contract
    if contract is None:
        return ""
    if lang == "ru":
        text = f"№{i18n.NBSP}{contract.number} от {i18n.day(contract.date, lang)}"
    else:
        text = f"No.{i18n.NBSP}{contract.number} of {i18n.day_long(contract.date, lang)}"
    return text


def _register_date(project: Project, plan: Plan | None, key: str, lang: str) -> str:
    """The date of a document of the register (the survey report's: ``03.03.2026``)."""
    try:
        return i18n.day(document_entry(project, plan, key).date, lang)
    except (KeyError, ValueError):
        return ""


def _maintenance_window(project: Project) -> dict[str, str]:
    """The hours no shift works (from the end of the last shift to the start of the
    first), when the departments' shifts leave such a gap in the day: maintenance goes
    there, not into «вне рабочего времени» of a line that works 08:00–22:00. Empty when
    no department works in shifts, a shift crosses midnight or the shifts cover the day."""
    spans = []
    for d in project.client.departments:
        for sh in d.shifts:
            h, m = (int(x) for x in sh.start.split(":"))
            begin = h * 60 + m
            end = begin + round(sh.hours * 60)
            if end > 24 * 60:
                return {}
            spans.append((begin, end))
    if not spans:
        return {}
    first, last = min(b for b, _ in spans), max(e for _, e in spans)
    if first == 0 and last >= 24 * 60 - 1:
        return {}

    def clock(minutes: int) -> str:
        return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"

    return {"start": clock(last), "end": clock(first)}


def _shift_hours(project: Project, lang: str) -> list[dict[str, str]]:
    """Departments working in shifts, with the hours the system must be available to them."""

    return [{"name": d.name,
             "hours": "; ".join(f"{s.name}: {s.start}–{c.clock_after(s.start, s.hours)}"
                                for s in d.shifts)}
            for d in project.client.departments if d.shifts]


def _departments(project: Project, lang: str) -> list[dict[str, str]]:
    return [{
        "name": d.name,
        "kind": c.department_area(d, lang),
        "head": d.head or i18n.DASH,
        "headcount": i18n.number(d.headcount, lang),
        "users": i18n.number(d.users, lang),
    } for d in project.client.departments]


def _print_forms(project: Project, lang: str) -> list[dict[str, str]]:
    """The print forms of ``print_forms``: name, content, requirements and where each is
    printed (the CRM, or the system named)."""
    crm = "CRM-система" if lang == "ru" else "The CRM"
    return [{"name": f.name, "content": (f.content or "").rstrip(".") or i18n.DASH,
             "requirements": ", ".join(f.requirements) or i18n.DASH,
             "system": f.system or crm} for f in project.print_forms]


def _routed_units(project: Project) -> list[dict[str, str]]:
    """The units requirements hand work to that hold no CRM seat, each with how it takes
    the work of each requirement (3.2): an approval or a handover to a unit without users
    must say how it reaches that unit."""
    from crmimpl.model.checks import routed_unit

    units: dict[str, list[str]] = {}
    for req in project.requirements:
        if req.priority == "wont":
            continue
        for route in req.routes_to:
            name, users = routed_unit(project, route.unit)
            if not users:
                via = (route.via or "").strip().rstrip(".")
                units.setdefault(name, []).append(f"{via} ({req.id})" if via else req.id)
    return [{"name": name, "how": "; ".join(ways)} for name, ways in units.items()]


def _after_dash(text: str) -> str:
    """A phrase continuing a sentence: its first letter lower-cased unless it opens an
    abbreviation or a name in capitals («ИТ», «CRM»)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _quoted(name: str, lang: str) -> str:
    """A name in the document language's quotation marks."""
    return f"«{name}»" if lang == "ru" else f"\u201c{name}\u201d"


# ------------------------------------------------------------------ section 4.2


def _item_numbers(project: Project, section: str = FUNCTIONS_SECTION) -> dict[str, str]:
    """Specification item of every requirement in this version (``4.2.3.2``)."""
    out: dict[str, str] = {}
    for m_index, module in enumerate(project.scope.modules, start=1):
        in_module = [r for r in project.requirements
                     if r.module == module and r.priority != "wont"]
        for r_index, r in enumerate(in_module, start=1):
            out[r.id] = f"{section}.{m_index}.{r_index}"
    return out


def _source_name(project: Project, ref: str) -> str:
    """Who raised a requirement: a department (a team member's own), else as written."""
    return c.source_name(project, ref)


def _source_department(project: Project, ref: str) -> str:
    """The department id a requirement came from (a person's department for a person)."""
    person = next((p for p in project.team if p.id == ref), None)
    return (person.department or "") if person is not None else ref


def _change_of(project: Project, r: Requirement) -> Change | None:
    wanted = r.change
    return next((ch for ch in project.changes
                 if ch.id == wanted or (wanted is None and ch.requirement == r.id)), None)


def _item(project: Project, r: Requirement, lang: str, number: str,
          plan: Plan | None = None) -> dict[str, Any]:
    change = _change_of(project, r)
    cur = project.project.currency
    return {
        "number": number,
        "id": r.id,
        "statement": r.statement,
        "priority": label("priority", r.priority, lang),
        "fit": r.fit,
        "fit_label": label("fit", r.fit, lang),
        "solution": _sentence_tail(r.solution or ""),
        "design": list(r.design),
        "settles": bool(r.settles and r.design),  # drawn up from questionnaire answers
        "source": _source_name(project, r.source),
        "goals": ", ".join(r.goals),
        "change": None if change is None else {
            "id": change.id,
            "title": change.title,
            "description": _sentence_tail(change.description),
            "hours": i18n.hours(change.estimate_hours, lang),
            "cost": c.sparing_money(c.change_cost(project, change.estimate_hours, plan,
                                                  change.id), lang, cur),
        },
    }


def _sentence_tail(text: str) -> str:
    """Russian text that follows a colon in a sentence: its first letter in lower case,
    unless the first word is an abbreviation (КП, CRM, HTTP). Latin text keeps its
    capital (an English solution quoted in a Russian document stays as written)."""
    if len(text) > 1 and "А" <= text[0] <= "Я" and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _modules(project: Project, lang: str, items: dict[str, str],
             section: str = FUNCTIONS_SECTION, plan: Plan | None = None
             ) -> list[dict[str, Any]]:
    """Modules in scope in order, each with its standard functions and requirement items."""
    out = []
    for m_index, module in enumerate(project.scope.modules, start=1):
        reqs = [r for r in project.requirements if r.module == module and r.id in items]
        out.append({
            "key": module,
            "number": f"{section}.{m_index}",
            "label": module_label(project, module, lang),
            "functions": standard_functions(project, module, lang),
            "reqs": [_item(project, r, lang, items[r.id], plan) for r in reqs],
            "exchanges": module_exchanges(project, module) if not reqs else [],
            # the report subsystem without requirements of its own builds the reports
            # other subsystems' requirements ask for (listed in «Отчеты и печатные формы»)
            "report_reqs": i18n.join([row["id"] for row in _reports(project, lang, items)],
                                     lang, last=True)
            if module == "reports" and not reqs else "",
        })
    return out


def _tail_in_list(text: str, names: str) -> str:
    """An item inside a sentence: Russian as :func:`_sentence_tail`; English with its
    first word in lower case when it is a plain word ("An", "E-mail", "Outgoing"), not
    a name (a word of ``names``, the system's own name) nor an abbreviation."""
    if not text or not text[0].isascii():
        return _sentence_tail(text)
    word = text.split(" ", 1)[0]
    letters = word.replace("-", "")
    if letters.isalpha() and letters[0].isupper() and letters[1:].islower() \
            and word not in names.split():
        return text[0].lower() + text[1:]
    return text


def module_exchanges(project: Project, module: str) -> list[dict[str, str]]:
    """The exchanges that make a subsystem's work when no requirement names it (the
    e-mail subsystem is the Exchange integration's: what comes in and what goes out):
    each integration of a kind tech_spec.yaml ties to the subsystem, with its objects as
    the CRM receives or sends them."""
    kinds = template_data("tech_spec.yaml").get("module_integration_kinds", {}).get(module, [])
    out = []
    for i in project.integrations:
        if i.kind not in kinds:
            continue
        def tail(text: str, system: str = i.system) -> str:
            return _tail_in_list(text, system)

        if i.exchange:
            objects = [f"{tail(e.object)} — {tail(e.crm)}" if e.crm else tail(e.object)
                       for e in i.exchange]
        else:
            objects = [tail(o) for o in i.objects]
        if objects:
            out.append({"system": i.system, "objects": "; ".join(objects)})
    return out


def _reports(project: Project, lang: str, items: dict[str, str]) -> list[dict[str, str]]:
    """Reports, dashboards and print forms the specification fixes: the requirements of
    the report subsystems and the custom changes that make a report or a print form."""
    report_modules = {"reports", "kpi_dashboards"}
    stems = template_data("tech_spec.yaml").get("report_change_stems", [])
    out = []
    for r in project.requirements:
        change = _change_of(project, r)
        printed = change is not None and any(
            stem in f"{change.title} {change.description or ''}".lower() for stem in stems)
        # a report or print form any subsystem's requirement asks for by name
        named = any(stem in r.statement.lower() for stem in _REPORT_STEMS)
        if r.id in items and (r.module in report_modules or printed or named):
            out.append({
                "item": items[r.id],
                "id": r.id,
                "title": change.title if change else _report_title(r.statement),
                "module": module_label(project, r.module, lang),
                "fit": label("fit", r.fit, lang),
            })
    return out


def _report_title(statement: str) -> str:
    """A report named by its requirement: the statement up to its colon («Панель KPI для
    руководителей»), else the whole statement, without the closing full stop."""
    head, sep, _ = statement.partition(":")
    return head.strip() if sep and len(head.strip()) >= 15 else statement.strip().rstrip(".")


# Words of a requirement's statement that make it a report or print form of the register.
_REPORT_STEMS = ("отчет", "отчёт", "отчетност", "печатн", "план-факт", "report", "print form",
                 "plan vs actual")


def _later(project: Project, lang: str) -> list[dict[str, str]]:
    """Requirements left for a later version (won't this time)."""
    return [{"id": r.id, "statement": r.statement, "module": module_label(project, r.module, lang),
             "solution": r.solution or ""}
            for r in project.requirements if r.priority == "wont"]


# ------------------------------------------------------------------ access rights


def _user_class(project: Project, u: Any, lang: str) -> dict[str, str]:
    """A user class as a table row; without a description, the areas it works in."""
    row = c.user_class_row(project, u, lang)
    if not row["description"]:
        areas = [module_label(project, m, lang) for m in project.scope.modules
                 if u.rights.get(m) in _WORKING_ACCESS]
        others = [module_label(project, m, lang) for m in project.scope.modules
                  if u.rights.get(m) not in _WORKING_ACCESS]

        def listed(names: list[str]) -> str:
            # module labels hold commas themselves: quoted (ru) or split by semicolons (en)
            shown = [f"«{a}»" if lang == "ru" else a for a in names]
            return (", " if lang == "ru" else "; ").join(shown)

        if areas and not others:
            row["description"] = _plain("test_words", "works_in_all", lang)
        elif areas:
            # what the class does outside its working subsystems, as the matrix has it
            # (one source): «кроме «Клиентская база»» read as no access to the client card
            # where the matrix gives «просмотр»
            reads = [module_label(project, m, lang) for m in project.scope.modules
                     if u.rights.get(m) == "read"]
            closed = [module_label(project, m, lang) for m in project.scope.modules
                      if u.rights.get(m) not in _WORKING_ACCESS and u.rights.get(m) != "read"]
            extra = [_plain("test_words", key, lang, areas=listed(names))
                     for key, names in (("reads_in", reads), ("no_access_in", closed)) if names]
            if len(others) < len(areas):
                # a class working in most subsystems: the few it does not work in say more
                # than a dozen names it does (every name either way, never "and 7 more")
                parts = [*extra, _plain("test_words", "works_in_all_but", lang)]
            else:
                parts = [_plain("test_words", "works_in", lang, areas=listed(areas)), *extra]
            row["description"] = " ".join(parts)
    return row


def _admins(project: Project, lang: str, plan: object | None = None) -> dict[str, Any]:
    """The user class that administers the system (its name says so) and how many of it
    take the administration course: the training plan's course when the plan has one
    (volga: 6 in the class, one of them trained with the key users, 5 on the course),
    else the class's head count."""
    from crmimpl.plan.training import ADMINS, build_groups

    found = next((u for u in project.user_classes if _administers(u.name)), None)
    if found is None:
        return {"name": "", "users": "", "many": False}
    whole = count = found.users or 1
    sessions = getattr(plan, "sessions", None)
    if sessions:
        taught = {s.group_id for s in sessions}
        course = sum(g.size - g.guests for g in build_groups(project, lang)
                     if g.kind == ADMINS and g.id in taught)
        count = min(course, whole) or whole
    if count < whole:  # «5 человек из 6»: the class table counts the whole class
        users = (f"{i18n.count(count, 'ru', ('человек', 'человека', 'человек'), ('', ''))} "
                 f"из {whole}" if lang == "ru" else f"{count} of {whole} people")
    else:
        users = i18n.count(count, lang, ("человек", "человека", "человек"),
                           ("person", "people"))
    return {"name": found.name, "many": count > 1, "users": users}


def _access_matrix(project: Project, lang: str) -> dict[str, Any]:
    """Modules × user classes with the access label of each cell; for a product with a
    rights model of its own (``templates/products.yaml`` ``rights``), its entities ×
    user classes, in its terms (amoCRM has no rights per «mobile work»)."""
    classes = project.user_classes
    model = _product_rights(project)
    rows = []
    if model:
        for row in model["rows"]:
            mods = [m for m in row["modules"] if m in project.scope.modules]
            if not mods:
                continue
            words = row.get("levels", {})
            cells = []
            for uc in classes:
                level = next((uc.rights[m] for m in mods if m in uc.rights), "none")
                cells.append(str(words[level][lang]) if level in words
                             else _access_cell(level, None, lang))
            rows.append({"module": str(row["label"][lang]), "cells": cells})
    else:
        for module in project.scope.modules:
            cells = [_access_cell(uc.rights.get(module, "none"), uc.head_rights.get(module),
                                  lang) for uc in classes]
            rows.append({"module": module_label(project, module, lang), "cells": cells})
    rows += _record_rows(project, lang)
    if any(uc.export is not None for uc in classes):
        # the export right is a row of its own: a client's rules restrict it apart from
        # the records a class sees ("no one but the management exports the base")
        rows.append(_export_row(classes, lang))
    widths = ",".join(["22"] + [str(max(6, round(78 / max(len(classes), 1))))] * len(classes))
    return {
        "classes": [uc.name for uc in classes],
        "rows": rows,
        "header": str(model["header"][lang]) if model else "",
        "note": str(model["note"][lang]) if model and "note" in model else "",
        "widths": widths,
        "wide": len(classes) > 4,
        # a head's own role beyond the class's (the table marks it "department head")
        "heads": any(uc.head_rights for uc in classes),
        "export": any(uc.export is not None for uc in classes),
        "levels": [{"label": label("access", k, lang)} for k in
                   ("none", "read", "own", "read_all_edit_own", "department", "all")
                   if k not in ("read_all_edit_own",) or any(
                       k in uc.rights.values() for uc in classes)],
    }


def _product_rights(project: Project) -> dict[str, Any] | None:
    """The rights model of the project's product, when it has one of its own."""
    from crmimpl.industry import project_product
    from crmimpl.vocabulary import template_data

    entry = next((p for p in template_data("products.yaml")["products"]
                  if p["id"] == project_product(project)), None)
    return (entry or {}).get("rights")


def _record_rows(project: Project, lang: str) -> list[dict[str, Any]]:
    """A matrix row for each record of the data model a class has rights on of its own
    (``record_rights``: a custom table a requirement creates, such as an hours bank only
    Finance tops up), in the data model's order; a class that states none has no access.
    Without it the matrix gave Finance "read" on the service module while the requirement
    had Finance top the bank up."""
    out = []
    for rec in project.records:
        if not any(rec.id in uc.record_rights for uc in project.user_classes):
            continue
        cells = [label("access", uc.record_rights.get(rec.id, "none"), lang)
                 for uc in project.user_classes]
        out.append({"module": f"{rec.name} ({rec.table})", "cells": cells})
    return out


_EXPORT_WORDS = {
    "ru": ("Выгрузка списков и отчетов в Excel", "разрешена", "запрещена"),
    "en": ("Export of lists and reports to Excel", "allowed", "not allowed"),
}


def _export_row(classes: list[Any], lang: str) -> dict[str, Any]:
    """The matrix row of the export right: allowed only to the classes that state it."""
    name, yes, no = _EXPORT_WORDS["ru" if lang == "ru" else "en"]
    return {"module": name, "cells": [yes if uc.export else no for uc in classes]}


def _access_cell(level: str, head: str | None, lang: str) -> str:
    """A class's access to a module, and beyond it its heads' (``head_rights``)."""
    text = label("access", level, lang)
    if head is None or head == level:
        return text
    who = "руководитель подразделения" if lang == "ru" else "department head"
    return f"{text}; {who}: {label('access', head, lang)}"


def _user_class_for(project: Project, module: str, source: str = "",
                    scenario: dict[str, Any] | None = None) -> tuple[str, str]:
    """The user class that does the work in a module, and one that checks it.

    The doer has working rights in the module; among the classes of the requirement's
    source department, the one that works in that department alone comes before heads
    spanning several, the larger first; else the largest class wins; a dashboard or
    report is done by whoever sees the most of it. The checker sees the department's or
    everybody's records and shares a department with the doer when one does. A
    scenario's ``doer`` and ``checker`` stems (matched in a class's name)
    name who must do or check its steps (the security journal is read by security staff).
    """
    hints = scenario or {}
    # the largest classes first: the typical user of a module does its test
    ordered = sorted(project.user_classes, key=lambda u: -(u.users or 0))
    classes = [(u.name, {str(k): str(v) for k, v in u.rights.items()}, list(u.departments))
               for u in ordered]
    # a scenario that only uses the module's content (call scripts) is done by those who
    # read it; its checker is still someone who keeps it
    levels = (*_WORKING_ACCESS, "read") if hints.get("reads") else _WORKING_ACCESS
    able = [cl for cl in classes if cl[1].get(module) in levels]
    doer = _named(able, hints.get("doer"))
    if not doer:
        own = [cl for cl in able if source in cl[2]]
        if module in _OVERVIEW_MODULES:
            own.sort(key=lambda w: -_WORKING_ACCESS.index(w[1][module]))
        else:
            # the class most specific to the department (its line staff) before the
            # heads who span several departments; ``classes`` is already by size
            own.sort(key=lambda w: len(w[2]))
        if (module in _OVERVIEW_MODULES and own and own[0][1][module] != "all"
                and not _keeps_records(classes, source)):
            # a report over records its department does not keep (accounting's
            # receivables by sales manager): its own-department rights would show an
            # empty report, so it is run by a class that sees every record
            own = [cl for cl in able if cl[1][module] == "all"] or own
        doer = own[0][0] if own else (able[0][0] if able else "")
    doer_depts = next((cl[2] for cl in classes if cl[0] == doer), [])
    wide = [cl for cl in classes if cl[1].get(module) in ("department", "all")
            and cl[0] != doer]
    checker = _named(wide, hints.get("checker"))
    if not checker:
        # the administrator sees everything by its settings, not by the rights the test
        # is to prove: it checks nothing about who sees the records (no check step then)
        wide = [cl for cl in wide if not _administers(cl[0])]
        near = [cl for cl in wide if set(cl[2]) & set(doer_depts)]
        checker = (near or wide or [("", {}, [])])[0][0]
    return doer, checker


def _administers(class_name: str) -> bool:
    """Whether a user class is the system's administrators (its name says so)."""
    return any(stem in class_name.lower() for stem in ("админ", "admin"))


def _keeps_records(classes: list[tuple[str, dict[str, str], list[str]]], dept: str) -> bool:
    """Whether the department's staff keep records of their own (a class of it has
    'own' rights to clients, deals or claims: sales managers, service staff), so its
    department's records are what its reports show; accounting or a warehouse that only
    reads keeps none."""
    return any(rights.get(m) in ("own", "read_all_edit_own") and _works_with_clients(rights, m)
               for name, rights, depts in classes if dept in depts for m in _RECORD_MODULES)


def _works_with_clients(rights: dict[str, str], module: str) -> bool:
    """Whether a class's own records of a module are records it keeps: claims assigned
    for a check to a class that only reads the client base (a warehouse checking a
    breakage) are not; its department's reports would show none of the company's."""
    return module != "complaints" or rights.get("client_base") not in (None, "none", "read")


# the modules whose records a report is about (a task or a workflow of one's own is not)
_RECORD_MODULES = ("client_base", "contacts", "sales_pipeline", "complaints")


def _named(classes: list[tuple[str, dict[str, str], list[str]]], stems: Any) -> str:
    """The first class whose name holds one of ``stems`` (none: empty)."""
    for name, _rights, _depts in classes:
        lowered = f" {name.lower()} "
        if stems and any(stem in lowered for stem in stems):
            return name
    return ""


# ------------------------------------------------------------------ section 7


def test_data(project: Project, lang: str, answers: Any) -> dict[str, str]:
    """Test data of the project: a client of its industry, one of its products and its
    average deal (from the survey answers), for every test case."""
    data = scenarios.industry_data(project_industry(project), lang)
    if project.client.products:
        data["product"] = project.client.products[0]  # as written: the client's own words
    peer = data.pop("peer_client", "")
    business_peer = data.pop("business_peer", "")
    business_peer_tax_id = data.pop("business_peer_tax_id", "")
    if peer:
        # a person's cases pair the client with another person; the company is the main
        # client of the business departments' cases (scenarios.swap_clients)
        data["business_client"], data["other_client"] = data["other_client"], peer
        if business_peer:  # the business cases' second client: another company
            data["business_peer"] = business_peer
            data["business_peer_tax_id"] = business_peer_tax_id
        stems = scenarios.business_stems(project_industry(project))
        data["business_product"] = next(
            (p for p in project.client.products if any(st in p.lower() for st in stems)),
            data["product"])
    deal = answers.report("sales.average_deal") if answers is not None else None
    if isinstance(deal, int | float) and deal > 0:
        data["amount"] = _whole_money(deal, lang, project.project.currency)
    data["segment"] = i18n.number(campaign_segment(
        answers.report("clients.active") if answers is not None else None), lang)
    return data


def campaign_segment(active_clients: Any) -> int:
    """Test clients of a campaign segment: 1,000 by default, never more than the client
    has (a company of 140 clients does not test on 1,000), rounded down to tens and at
    least 20 so that a 10 % control group holds whole people."""
    if not isinstance(active_clients, int) or isinstance(active_clients, bool) \
            or active_clients <= 0:
        return 1000
    return max(20, min(1000, active_clients // 10 * 10))


def _whole_money(value: float, lang: str, currency: str) -> str:
    """An amount of test data in whole units: ``180 000 ₽`` / ``GBP 28,500``."""
    text = i18n.money(round(value), lang, currency)
    return text.replace(".00" if lang == "en" else ",00", "", 1)


def _test_cases(
    project: Project, lang: str, items: dict[str, str], facts: dict[str, str]
) -> list[dict[str, Any]]:
    """One test case per must and should requirement, each from the scenario of the
    library that fits the requirement (``templates/test_scenarios.yaml``), worded for
    the project's product and industry."""
    product, industry = project_product(project), project_industry(project)
    out = []
    for r in project.requirements:
        change = _change_of(project, r)
        # a "could" requirement is tested when it is a priced change: if it is built, the
        # client accepts it like any other
        if (r.priority not in TESTED_PRIORITIES and change is None) or r.id not in items:
            continue
        scenario = scenarios.choose(r.module, f"{r.statement} {r.solution or ''}",
                                    product=product, industry=industry)
        doer, checker = _user_class_for(project, r.module,
                                        _source_department(project, r.source), scenario)
        department = _department_of(project, r, doer)
        data = facts
        if scenarios.business_client_first(industry, f"{department} {r.statement}"):
            data = scenarios.swap_clients(facts)
        values = {**data, "role": doer or wording_plain_user(lang),
                  "checker": checker or doer or wording_plain_user(lang),
                  "department": department,
                  "integration": scenarios.integration_of(project, r.module, scenario)}
        values["approver"] = _approver(project, r.statement, values["checker"])
        values["channel"] = _plain("test_words", "channel_sms" if any(
            i.kind == "sms" for i in project.integrations) else "channel_phone", lang)
        filled = (_own_test(r.test) if r.test is not None
                  else scenarios.fill(scenario, lang, values))
        checks = [{"do": k.do, "expect": k.expect} for k in r.checks]
        first_doer = doer
        doer, roles = _cast(project, r, doer, checks or filled, lang)
        if checks and r.test is None and doer and doer != first_doer:
            # the consultant's checks name the tester: the scenario's steps before them
            # work in the tester's department, with its clients (round 22: a plan set for
            # «Розничная сеть» while an SME manager sold to companies in the same case)
            tester_department = _department_of(project, r, doer)
            if tester_department != department:
                data = facts
                if scenarios.business_client_first(industry,
                                                   f"{tester_department} {r.statement}"):
                    data = scenarios.swap_clients(facts)
                values = {**values, **data, "department": tester_department}
                filled = scenarios.fill(scenario, lang, values)
        others = _other_testers(project, doer, checks or filled, lang)
        denied = _denied_class(project, r.module,
                               (doer, checker, values["approver"], *roles))
        out.append({
            "id": f"TC-{r.id}",
            "requirement": r.id,
            "item": items[r.id],
            "module": r.module,
            "module_label": module_label(project, r.module, lang),
            "statement": r.statement,
            "priority": label("priority", r.priority, lang),
            "user_class": doer,
            # steps another role does ("As an account manager, forward…"), by number
            "others": others,
            "checker": checker,
            "change": change.id if change else "",
            "change_title": change.title if change else "",
            # a class without access to the module: the case ends by proving it sees nothing
            "denied": denied,
            "approver": values["approver"],
            "checks": checks,
            **filled,
        })
    return out


def _cast(project: Project, r: Requirement, doer: str, steps: Any,
          lang: str) -> tuple[str, set[str]]:
    """The tester whose rights cover the case's steps (:func:`actors.cast`), and every
    role the case uses; a step the tester cannot do names its role (changed in place:
    ``steps`` is the list of checks or the filled scenario)."""
    roles = actors.roles_of(project)
    if not roles or not doer:
        return doer, set()
    items = steps if isinstance(steps, list) else steps["steps"]
    texts = [str(k["do"]) if isinstance(k, dict) else str(k) for k in items]
    excluded = tuple(u.name for u in roles if _administers(u.name))
    casting = actors.cast(doer, texts, roles, r.module,
                          _source_department(project, r.source), lang, excluded=excluded)
    for i, role in enumerate(casting.step_roles):
        if not role:
            continue
        text = _plain("test_words", "as_role", lang, step=_lower_lead(texts[i]))
        if isinstance(items[i], dict):
            # a check is plain text (the template escapes it)
            items[i] = {**items[i], "do": text.replace("{role}", role)}
        else:
            # a filled scenario step is Markdown already: only the role is escaped
            items[i] = markdown_text(text, role=role)
    return casting.tester, casting.roles


def case_roles(project: Project) -> dict[str, set[str]]:
    """The user classes whose work each requirement's test case exercises: its tester and
    every role a step names (the people who meet the requirement on their screens)."""
    functional = functional_spec(project, "en")
    section = FS_FUNCTIONS_SECTION if functional else FUNCTIONS_SECTION
    items = _item_numbers(project, section)
    tests = _test_cases(project, "en", items, test_data(project, "en", None))
    roles = actors.roles_of(project)
    out: dict[str, set[str]] = {}
    for t in tests:
        steps = t["checks"] or t.get("steps") or []
        texts = [str(k["do"]) if isinstance(k, dict) else str(k) for k in steps]
        named = {actors.named_role(text, roles) for text in texts} - {""}
        out[t["requirement"]] = ({t["user_class"]} if t["user_class"] else set()) | named
    return out


def _other_testers(project: Project, tester: str, steps: Any, lang: str) -> str:
    """The steps of a case that a role other than its tester does, as the tester line
    names them («шаг 1 — пользователь класса «Менеджер по работе с клиентами»» / 'step 1
    by a user with the role "Account manager"'); empty when the tester does every step
    (round 12: TC-R20's tester was the service desk agent, its first step an account
    manager's)."""
    roles = actors.roles_of(project)
    if not roles or not tester:
        return ""
    items = steps if isinstance(steps, list) else steps.get("steps", [])
    texts = [str(k["do"]) if isinstance(k, dict) else str(k) for k in items]
    by_role: dict[str, list[int]] = {}
    for number, text in enumerate(texts, start=1):
        role = actors.named_role(text, roles)
        if role and role != tester:
            by_role.setdefault(role, []).append(number)
    parts = []
    for role, numbers in by_role.items():
        listed = i18n.join([str(n) for n in numbers], lang, last=True)
        if lang == "ru":
            word = "шаг" if len(numbers) == 1 else "шаги"
            parts.append(f"{word} {listed} — пользователь класса «{role}»")
        else:
            word = "step" if len(numbers) == 1 else "steps"
            parts.append(f'{word} {listed} by a user with the role "{role}"')
    return "; ".join(parts)


def _lower_lead(text: str) -> str:
    """A sentence that goes on after a lead-in: its first letter in lower case (not an
    abbreviation's: "CSV", "SLA")."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _access_checks(tests: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The access check stated once per subsystem, not copied into every case: the
    subsystem, a user class without access to it, and the cases whose records it must not see."""
    rows: dict[str, dict[str, Any]] = {}
    for t in tests:
        if not t["denied"]:
            continue
        row = rows.setdefault(t["module"], {"module_label": t["module_label"],
                                            "denied": t["denied"], "cases": []})
        row["cases"].append(t["id"])
    return [{"module_label": r["module_label"], "denied": r["denied"],
             "cases": ", ".join(r["cases"]).replace("-", "\u2011")} for r in rows.values()]


def _own_test(test: Any) -> dict[str, Any]:
    """A requirement's own test case (``requirements[].test``) as the template shows it."""
    # the consultant's text is plain: the template escapes it like every project value
    return {"scenario": "own", "steps": list(test.steps), "expect": test.expect.rstrip(". ")}


# Words that open the approval part of a requirement ("без согласования главного
# бухгалтера", "approved by the finance director").
_APPROVAL_WORDS = ("согласован", "согласует", "утвержд", "approv", "sign-off", "signed off")


def _approver(project: Project, statement: str, fallback: str) -> str:
    """The user class a requirement names as its approver, else ``fallback``.

    The words after the first approval word are matched by their first six letters
    against each class's name and its departments' names (главного бухгалтера →
    «Бухгалтерия и логистика»), so the case is approved by whom the rule names, not by
    whoever has the widest rights.
    """
    import re

    lowered = statement.lower()
    start = min((i for i in (lowered.find(w) for w in _APPROVAL_WORDS) if i >= 0),
                default=-1)
    if start < 0:
        return fallback
    words = re.findall(r"[а-яёa-z]{6,}", lowered[start:])[1:]
    names = [(u.name, " ".join([u.name] + [c.department_name(project, d)
                                           for d in u.departments]).lower())
             for u in project.user_classes]
    for word in words:
        found = next((name for name, text in names if word[:6] in text), "")
        if found:
            return found
    return fallback


def _denied_class(project: Project, module: str, busy: tuple[str, ...]) -> str:
    """The largest user class with no access to ``module`` that the case does not use."""
    rights = {u.name: {str(k): str(v) for k, v in u.rights.items()}
              for u in project.user_classes}
    shut = [u for u in project.user_classes
            if rights[u.name].get(module, "none") == "none" and u.name not in busy]
    shut.sort(key=lambda u: -(u.users or 0))
    return shut[0].name if shut else ""


def wording_plain_user(lang: str) -> str:
    """What a test case calls its tester when the project has no user classes."""
    return _plain("test_words", "user", lang)


def _department_of(project: Project, r: Requirement, doer: str) -> str:
    """The department whose staff do the test: the requirement's source when the tester's
    class works there, else the first department of the tester's class."""
    uc = next((u for u in project.user_classes if u.name == doer), None)
    source = _source_department(project, r.source)
    if uc is not None and uc.departments:
        dept = source if source in uc.departments else uc.departments[0]
        return c.department_name(project, dept)
    if any(d.id == r.source for d in project.client.departments):
        return c.department_name(project, r.source)
    return project.client.departments[0].name


# ------------------------------------------------------------------ sections 8-9, support


def _group_rule(project: Project, lang: str) -> str:
    """How the training groups are formed: the rule the training plan states too
    (:func:`crmimpl.plan.training.group_rule`)."""
    from crmimpl.plan.training import group_rule

    limit, parts = group_rule(project, build_groups(project, lang), lang)
    if not parts:
        return ""
    ru = lang == "ru"
    size = (f"не более {i18n.count_of(limit, 'человек', lang, case='gent')}" if ru
            else f"of no more than {i18n.count_of(limit, 'person', lang, plural='people')}")
    return f"{size}: " + ", ".join(parts) if ru else f"{size}: " + "; ".join(parts)


def _wave_users(w: Any, lang: str) -> str:
    """The users who start in a pilot wave: «140 пользователей», or «22 из 140
    пользователей» when only part of its departments' users start in it."""
    noun = "пользователь" if lang == "ru" else "user"
    if not w.partial:
        text = i18n.count_of(w.users, noun, lang)
    else:
        of = "из" if lang == "ru" else "of"
        text = (f"{i18n.number(w.users, lang)} {of} "
                f"{i18n.count_of(w.total, noun, lang, case='gent')}")
    if w.carried:  # the previous wave's users who did not start with it start now
        carried = i18n.count_of(w.carried, noun, lang)
        one = w.carried % 10 == 1 and w.carried % 100 != 11
        text += (f", а также {carried}, {'не начавший' if one else 'не начавших'} работу в "
                 "предыдущей волне" if lang == "ru"
                 else f", plus {carried} who did not start in the previous wave")
    return text


def _adoption_window(project: Project, plan: Plan | None, lang: str) -> str:
    """«с 10.03.2027 по 07.04.2027»: a phased pilot's adaptation dates, as the training
    plan states them; empty otherwise."""
    window = adoption_window(project, plan) if plan else None
    if window is None:
        return ""
    first, last = (i18n.day(d, lang) for d in window)
    return f"с {first} по {last}" if lang == "ru" else f"{first} to {last}"


def _calculating_changes(project: Project, lang: str, plan: Plan | None
                         ) -> list[dict[str, str]]:
    """The custom changes whose title or description names a calculation (a counter, a
    score, an indicator: ``calculation_stems`` of tech_spec.yaml), for the mathematical
    support section; a change that only shows or sends data calculates nothing."""
    stems = [str(x) for x in template_data("tech_spec.yaml").get("calculation_stems", [])]
    calculating = {ch.id for ch in project.planned_changes
                   if any(st in f"{ch.title} {ch.description or ''}".lower() for st in stems)}
    return [row for row in c.change_rows(project, lang, plan) if row["id"] in calculating]


def _acceptance_gap(plan: Plan | None, lang: str) -> str:
    """What happens on the working days between the end of pilot operation and the
    acceptance (the plan leaves them for the last fixes and the acceptance tests):
    «…завершается 10.03.2027; 11.03.2027 исполнитель устраняет последние замечания…»;
    empty when acceptance follows at once."""
    tasks = {t.id: t for t in getattr(plan, "tasks", [])}
    pilot, accept = tasks.get("rollout.pilot"), tasks.get("rollout.acceptance")
    cal = getattr(plan, "calendar", None)
    if pilot is None or accept is None or cal is None:
        return ""
    first = cal.add_working_days(pilot.finish, 1)
    last = cal.add_working_days(accept.start, -1)
    if first > last:
        return ""
    days = (i18n.day(first, lang) if first == last else
            (f"с {i18n.day(first, lang)} по {i18n.day(last, lang)}" if lang == "ru"
             else f"{i18n.day(first, lang)} to {i18n.day(last, lang)}"))
    # the remarks are fixed while the pilot runs (round 16: «one day to fix the last
    # remarks and run acceptance for 500 users»); the days after it are the tests'
    if lang == "ru":
        return (f"Опытная эксплуатация завершается {i18n.day(pilot.finish, lang)}; "
                f"замечания, выявленные в ее ходе, исполнитель устраняет до ее окончания. "
                f"{days[:1].upper()}{days[1:]} комиссия заказчика проводит приемо-сдаточные "
                f"испытания по тестовым примерам п. 7.2 на исправленной системе; акт приемки "
                f"в промышленную эксплуатацию подписывается {i18n.day(accept.start, lang)}.")
    return (f"Pilot operation ends on {i18n.day(pilot.finish, lang)}; the contractor fixes "
            f"the issues found during it before it ends. "
            f"{'On' if first == last else 'From'} {days} the client's committee "
            f"runs the acceptance tests (the test cases of item 7.2) on the corrected system; "
            f"the acceptance certificate is signed on {i18n.day(accept.start, lang)}.")


def _first_day(tasks: list[Any], lang: str) -> str:
    """The day the first of ``tasks`` starts, in words (empty without tasks)."""
    return i18n.day_long(min(t.start for t in tasks), lang) if tasks else ""


def _rollout(project: Project, lang: str, plan: Plan | None) -> dict[str, Any]:
    t = project.training
    trainers = [c.person_name(project, pid) for pid in t.trainers] or [
        p.name for p in project.people_with("trainer")]
    rollout_start, rollout_finish = c.phase_period(plan, "rollout", lang)
    pilot = pilot_period(plan)
    waves = wave_starts(project, plan) if plan else []
    return {
        "pilot_start": i18n.day_long(pilot[0], lang) if pilot else "",
        "pilot_waves": [{"n": w.n, "name": w.name, "start": i18n.day_long(start, lang),
                         "users": _wave_users(w, lang), "partial": w.partial,
                         "days": i18n.count_of(w.days, "рабочий день" if lang == "ru"
                                               else "working day", lang) if w.days else ""}
                        for w, start in waves],
        "pilot_finish": i18n.day_long(pilot[1], lang) if pilot else "",
        # the final load (first cut-over day) and the loads of changes before later waves
        "final_load": _first_day(modes.tasks_with(plan, "rollout.cutover"), lang),
        "wave_loads": [{"n": t.id.rsplit(".", 1)[-1], "date": i18n.day_long(t.finish, lang)}
                       for t in modes.tasks_with(plan, "rollout.wave_load")],
        # the consultants on duty while users start, with the plan's dates and hours
        "on_site": on_site_text(project, plan, lang) if plan else "",
        # the working days between the pilot's end and the acceptance, said what they are for
        "acceptance_gap": _acceptance_gap(plan, lang),
        "group_size": i18n.number(t.group_size, lang),
        "group_min": i18n.number(t.min_size, lang),
        "group_sizes": group_sizes_text(build_groups(project, lang), lang, each=True),
        "group_rule": _group_rule(project, lang),
        "hours_per_day": i18n.number(t.hours_per_day, lang),
        "record": t.record,
        "format": t.format,
        "trainers": i18n.join(trainers, lang, last=True),
        "crm_expert": c.person_name(project, t.crm_expert) if t.crm_expert else "",
        "adoption_days": i18n.number(t.adoption_days, lang),
        # a phased pilot's adaptation dates, as the training plan computes them
        "adoption_window": _adoption_window(project, plan, lang),
        # a staged project: each stage's support from its go-live to one end date
        **c.staged_adoption(project, plan, lang),
        "rollout_start": rollout_start,
        "rollout_finish": rollout_finish,
        "sysadmin": c.first_name_with(project, ["sysadmin"], side="client"),
        "audit_first": i18n.number(project.audit.first_after_days, lang),
        "audit_every": i18n.number(project.audit.every_months, lang),
        "audit_count": i18n.number(project.audit.count, lang),
        # the plan's audit dates, so §8 states the dates every other document shows
        "audit_dates": i18n.join([i18n.day(t.start, lang) for t in plan.tasks
                                  if t.id.startswith("audit.check.")], lang, last=True)
        if plan else "",
        "adoption_period": _days(t.adoption_days, lang, genitive=True),
        "audit_first_text": _days(project.audit.first_after_days, lang),
        "audit_every_text": _every_months(project.audit.every_months, lang),
        "audits_text": i18n.count(project.audit.count, lang, ("аудит", "аудита", "аудитов"),
                                  ("audit", "audits")),
        "mvp_department": (c.department_name(project, project.plan.mvp_department)
                           if project.plan.mvp_department else ""),
        "iterations": i18n.number(project.plan.iterations, lang),
    }


def _days(n: int, lang: str, genitive: bool = False) -> str:
    """``30 дней`` / ``21 дня`` (after «в течение») / ``30 days``."""
    if lang != "ru":
        return i18n.count(n, lang, ("", "", ""), ("day", "days"))
    forms = ("дня", "дней", "дней") if genitive else ("день", "дня", "дней")
    return i18n.count(n, lang, forms, ("", ""))


def _every_months(n: int, lang: str) -> str:
    """``ежемесячно`` / ``раз в 3 месяца`` / ``monthly`` / ``every 3 months``."""
    if n == 1:
        return "ежемесячно" if lang == "ru" else "monthly"
    return ("раз в " if lang == "ru" else "every ") + i18n.count(
        n, lang, ("месяц", "месяца", "месяцев"), ("month", "months"))


def _support(project: Project, lang: str, plan: Plan | None) -> dict[str, Any]:
    s = project.support
    return {
        **c.support_cost(plan, lang),
        "hours": c.support_hours(project, lang),
        "reaction": i18n.number(s.reaction_hours, lang),
        "reaction_text": working_hours(s.reaction_hours, lang),
        "fix_days": i18n.number(s.fix_days, lang),
        "monthly": i18n.number(s.monthly_hours, lang),
        "has_package": s.monthly_hours > 0,
        "warranty": c.warranty(project, lang),
    }


def working_hours(hours: float, lang: str) -> str:
    """A support time in working hours after «не более», as the survey states it: «4
    рабочих часов», "4 working hours" (support runs in the support hours, not round the
    clock)."""
    if float(hours).is_integer():
        if lang == "ru":
            return i18n.count_of(int(hours), "рабочий час", lang, case="gent")
        return i18n.count_of(int(hours), "working hour", lang)
    return (f"{i18n.number(hours, lang)} ч рабочего времени" if lang == "ru"
            else f"{i18n.number(hours, lang)} working hours")


def _asked_docs(answers: object | None, lang: str) -> dict[str, Any]:
    """The documents among the materials the client asked for in the survey: rows of
    the list of documents (``asked_docs``) and their names in a sentence."""
    rows = [dict(zip(("name", "audience", "when"), entry["doc"][lang], strict=True))
            for _, entry in c.asked_materials(answers) if "doc" in entry]
    names = [r["name"][:1].lower() + r["name"][1:] for r in rows]
    return {"asked_docs": rows, "asked_docs_text": i18n.join(names, lang, last=True)}


def _documents(project: Project, lang: str) -> list[dict[str, str]]:
    """User instructions, one per user class (their names go into the document titles)."""
    return [{"user_class": u.name, "users": i18n.number(u.users, lang) if u.users else i18n.DASH}
            for u in project.user_classes]


# ------------------------------------------------------------------ appendix


def _traceability(
    project: Project, lang: str, items: dict[str, str], tests: list[dict[str, Any]]
) -> list[dict[str, str]]:
    """Goal → requirement → specification item → test case, one row per pair."""
    tested = {t["requirement"]: t["id"] for t in tests}
    rows: list[dict[str, str]] = []
    for goal in project.goals:
        reqs = [r for r in project.requirements if goal.id in r.goals]
        if not reqs:
            rows.append({"goal": goal.id, "requirement": i18n.DASH, "item": i18n.DASH,
                         "test": i18n.DASH, "status": "uncovered"})
        rows += [_trace_row(goal.id, r, items, tested) for r in reqs]
    rows += [_trace_row(i18n.DASH, r, items, tested) for r in project.requirements if not r.goals]
    by_id = {r.id: r for r in project.requirements}
    for row in rows:
        r = by_id.get(row["requirement"])
        if row["status"] == "tested" and r is not None:
            # every row is tested: the note says how the requirement is met instead
            change = _change_of(project, r)
            fit = label("fit", r.fit, lang) + (f" {change.id}" if change is not None else "")
            row["status_label"] = f"{label('priority', r.priority, lang)}, {fit}"
        else:
            row["status_label"] = wording("trace_status", row["status"], lang)
    return rows


def _trace_row(
    goal: str, r: Requirement, items: dict[str, str], tested: dict[str, str]
) -> dict[str, str]:
    status = "tested" if r.id in tested else ("later" if r.priority == "wont" else "untested")
    return {"goal": goal, "requirement": r.id, "item": items.get(r.id, i18n.DASH),
            "test": tested.get(r.id, i18n.DASH), "status": status,
            "priority": r.priority}


# the Russian registration numbers, as English documents name them
_REGISTRATION_EN = {"ИНН": "INN", "КПП": "KPP", "ОГРН": "OGRN", "ОГРНИП": "OGRNIP"}


def _registration(value: Any, lang: str) -> str:
    """The client's registration numbers (``ИНН 7721456380, КПП 772101001``); in English
    the abbreviations are transliterated (``INN 7721456380, KPP 772101001``)."""
    text = str(value).strip().rstrip(".") if value else ""
    if lang != "ru":
        text = re.sub(r"\b(ОГРНИП|ОГРН|ИНН|КПП)\b",
                      lambda m: _REGISTRATION_EN[m.group(1)], text)
    return text
