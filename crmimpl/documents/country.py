"""The client's country: the personal-data law, the regulator and local conventions.

The data lives in ``templates/locale/countries.yaml``: Russia, its neighbours, the UK and
the US by name, every EU and EEA country through the GDPR entry, and a neutral phrase for
any other country. Documents of both languages take the law from here, so an English
document for a UK client cites the UK GDPR and never 152-FZ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmimpl.countries import SOURCE, country_entry
from crmimpl.vocabulary import template_data

if TYPE_CHECKING:
    from crmimpl.model.project import Project

def _phrase(key: str, lang: str, **values: str) -> str:
    return str(template_data(SOURCE)["phrases"][key][lang]).format(**values)


def _local(entry: dict[str, Any], key: str, lang: str) -> str:
    value = entry.get(key)
    return str(value[lang]) if isinstance(value, dict) else ""


def legal_basis(project: Project, lang: str) -> dict[str, Any]:
    """The legal frame of the client's country, as plain data for document contexts.

    Returns:
        ``country`` (ISO code), ``country_name``, ``personal_data_law`` (cited as a source
        document is; ``personal_data_law_title`` with a capital letter, for a list),
        ``regulator`` (empty when none is named), ``notification`` and
        ``localisation`` (duties before processing, RU and GB only), ``gdpr`` (an EU or
        EEA country), ``is_ru``, and whole sentences for the documents: ``processing``
        (personal data is processed in line with the law), ``regulator_phrase`` and
        ``notification_phrase`` (empty when not applicable).
    """
    code = project.country
    entry = country_entry(code)
    law = _local(entry, "law", lang)
    regulator = _local(entry, "regulator", lang)
    notification = _local(entry, "notification", lang)
    return {
        "country": code,
        "country_name": _local(entry, "name", lang),
        "personal_data_law": law,
        "personal_data_law_title": law[:1].upper() + law[1:],
        "regulator": regulator,
        "notification": notification,
        "localisation": _local(entry, "localisation", lang),
        "gdpr": bool(entry["gdpr"]),
        "is_ru": code == "RU",
        "processing": _local(entry, "processing", lang)
        or _phrase("processing", lang, law=law),
        "regulator_phrase": _phrase("regulator", lang, regulator=regulator) if regulator
        else "",
        "notification_phrase": _phrase("notification", lang, notification=notification)
        if notification else "",
    }
