"""Countries as ``templates/locale/countries.yaml`` describes them: the personal-data
law, the regulator, the usual currency, a city and a phone number for examples.

Read by the document contexts (:mod:`crmimpl.documents.country`), by ``crmimpl new``
and by the model's warnings; data, not code, so a firm adds a country without Python.
"""

from __future__ import annotations

from typing import Any

from crmimpl.vocabulary import template_data

SOURCE = "locale/countries.yaml"


def country_entry(code: str) -> dict[str, Any]:
    """Everything ``countries.yaml`` knows of a country: its own entry, the GDPR entry
    merged under an EU/EEA country's name, city and phone, else ``default``."""
    data = template_data(SOURCE)
    countries = data["countries"]
    if code in countries:
        return {"gdpr": False, **countries[code]}
    if code in data["gdpr"]:
        return {**countries["GDPR"], **data["gdpr"][code], "gdpr": True}
    return {"gdpr": False, **countries["default"]}


def known_country(code: str) -> bool:
    """Whether ``countries.yaml`` names the country (by itself or as an EU/EEA member)."""
    data = template_data(SOURCE)
    return code in data["countries"] or code in data["gdpr"]


def expected_currency(code: str) -> str | None:
    """The currency a project in this country usually counts in (None when unknown)."""
    currency = country_entry(code).get("currency")
    return str(currency) if currency else None


def country_timezone(code: str) -> str | None:
    """The IANA time zone most of a country's businesses work in (``timezone`` in
    countries.yaml), None when the file names none."""
    zone = country_entry(code).get("timezone")
    return str(zone) if zone else None


def utc_offset_hours(zone: str, day: Any) -> float:
    """Hours a time zone is ahead of UTC at noon of a day."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    noon = dt.datetime.combine(day, dt.time(12), tzinfo=ZoneInfo(zone))
    offset = noon.utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def country_terms(code: str, lang: str) -> dict[str, str]:
    """The country's words for local things (``company_id``: «ИНН», "Companies House
    number"; ``parties``: «контрагенты», "accounts and contacts") in one language: its own
    ``terms`` over those of ``default``, so every slot has a word for any country."""
    default = template_data(SOURCE)["countries"]["default"].get("terms", {})
    own = country_entry(code).get("terms", {})
    return {key: str(value[lang]) for key, value in {**default, **own}.items()}


def fill_terms(text: str, code: str, lang: str) -> str:
    """``text`` with its ``{slot}`` marks replaced by the country's terms; a mark that
    names no term stays as written (a test holds the catalogue to known slots)."""
    import re

    terms = country_terms(code, lang)
    return re.sub(r"\{([a-z_]+)\}", lambda m: terms.get(m.group(1), m.group(0)), text)
