"""``crmimpl new`` and ``crmimpl schema``: starting files for a consultant."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from crmimpl.errors import ExistingFileError, UsageError
from crmimpl.resources import templates_dir
from crmimpl.store import atomic_write_text

MODES = ("express", "typical", "project", "cti", "iterative")
LANGS = ("ru", "en")
SCHEMA_PATH = ".crmimpl/project.schema.json"

_DEPTS: dict[str, dict[str, Any]] = {
    "sales": {"kind": "sales", "name_ru": "Отдел продаж", "name_en": "Sales", "headcount": 8},
    "service": {"kind": "service", "name_ru": "Сервисная служба", "name_en": "Service",
                "headcount": 5},
    "marketing": {"kind": "marketing", "name_ru": "Отдел маркетинга", "name_en": "Marketing",
                  "headcount": 3},
    "management": {"kind": "management", "name_ru": "Руководство", "name_en": "Management",
                   "headcount": 3},
}

_INTEGRATIONS: dict[str, dict[str, str]] = {
    "telephony": {"system_ru": "IP-АТС (Asterisk)", "system_en": "IP PBX (Asterisk)",
                  "kind": "telephony", "protocol": "rest",
                  "direction": "both", "objects_ru": '"звонки", "записи разговоров"',
                  "objects_en": '"calls", "call recordings"'},
    "accounting": {"kind": "accounting", "direction": "both",
                   "objects_ru": '"контрагенты", "номенклатура", "счета"',
                   "objects_en": '"customers", "products", "invoices"'},
    "website": {"system_ru": "Сайт компании", "system_en": "Company website",
                "kind": "website", "protocol": "rest",
                "direction": "to_crm", "objects_ru": '"заявки"', "objects_en": '"leads"'},
}
# The accounting system a client of the country most likely runs: (system, protocol).
_ONE_C_COUNTRIES = ("RU", "BY", "KZ")
_ACCOUNTING = {"GB": ("Xero", "rest"), "US": ("QuickBooks Online", "rest")}
_ONE_C = ("1С:Управление торговлей 11", "odata")
_OTHER_ACCOUNTING = ("Microsoft Dynamics 365 Business Central", "odata")
# Hourly rates of a consultant and a developer by currency; budgets scale with them.
_RATES: dict[str, tuple[int, int]] = {
    "RUB": (3500, 3000), "BYN": (130, 110), "KZT": (20000, 17000), "GBP": (110, 95),
    "USD": (150, 125), "EUR": (120, 100), "CHF": (150, 130), "PLN": (500, 420),
    "CZK": (2800, 2400), "HUF": (45000, 38000), "RON": (600, 500), "BGN": (230, 195),
    "SEK": (1300, 1100), "NOK": (1300, 1100), "DKK": (900, 750), "ISK": (20000, 17000),
}
DEFAULT_COUNTRY = {"ru": "RU", "en": "GB"}

# mode -> departments, modules, integrations, budget, fixed corners, months
_PRESETS: dict[str, dict[str, Any]] = {
    "express": dict(depts=["sales"], integrations=[], budget=350000, fixed="time, budget",
                    months=1, modules="client_base, contacts, sales_pipeline, planning, email"),
    "typical": dict(depts=["sales", "service", "marketing"],
                    integrations=["accounting", "telephony"], budget=2500000,
                    fixed="scope, budget", months=4,
                    modules="client_base, contacts, sales_pipeline, planning, service, "
                    "marketing_campaigns, reports, telephony, email"),
    # a project-mode client is larger: at the sizes of a typical one, the customisation
    # of thirteen modules would come to over 60 hours per user
    "project": dict(depts=["sales", "service", "marketing", "management"],
                    headcounts={"sales": 24, "service": 14, "marketing": 8, "management": 7},
                    integrations=["accounting", "telephony", "website"], budget=6000000,
                    fixed="scope, time", months=8,
                    modules="client_base, contacts, sales_pipeline, planning, service, "
                    "complaints, marketing_campaigns, mailings, kpi_dashboards, reports, "
                    "business_processes, telephony, email"),
    "cti": dict(depts=["sales"], integrations=["telephony"], budget=400000,
                fixed="scope, time", months=2, modules="client_base, telephony"),
    "iterative": dict(depts=["sales", "service"], integrations=["accounting", "telephony"],
                      headcounts={"sales": 16, "service": 8},
                      budget=1800000, fixed="time, budget", months=5,
                      modules="client_base, contacts, sales_pipeline, planning, service, "
                      "reports, telephony, email"),
}


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def new_project_text(directory: Path, mode: str, lang: str, today: date | None = None,
                     country: str | None = None) -> str:
    """Text of a commented ``project.yaml`` for ``mode`` in ``lang``.

    ``country`` (ISO code; default RU for Russian, GB for English) sets the calendar,
    currency, VAT, city, phone, accounting system and ``system:`` examples.
    """
    import jinja2

    if mode not in MODES:
        raise UsageError.single("--mode", f"unknown mode '{mode}'",
                                hint="choose one of: " + ", ".join(MODES))
    if lang not in LANGS:
        raise UsageError.single("--lang", f"unknown language '{lang}'", hint="choose ru or en")
    local = country_settings(country or DEFAULT_COUNTRY[lang], lang)
    preset = _PRESETS[mode]
    start = _next_monday(today or date.today())
    months = preset["months"]
    sizes = preset.get("headcounts", {})
    departments = [{"id": d, **_DEPTS[d], "headcount": sizes.get(d, _DEPTS[d]["headcount"])}
                   for d in preset["depts"]]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "new"),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
    )
    goal = _goal(mode, local)
    scale = Decimal(local["rate"]) / _RATES["RUB"][0]
    return env.get_template(f"project.{lang}.yaml.j2").render(
        schema_url=f"./{SCHEMA_PATH}",
        directory=str(directory),
        project_id=_slug(directory.resolve().name) or "crm-project",
        mode=mode,
        start=start.isoformat(),
        deadline=(start + timedelta(days=31 * months)).isoformat(),
        kpi_deadline=(start + timedelta(days=31 * (months + 6))).isoformat(),
        crm_users=sum(d["headcount"] for d in departments),
        departments=departments,
        integrations=[_integration(i, local) for i in preset["integrations"]],
        budget=int(round(preset["budget"] * scale, -3)),
        fixed=preset["fixed"],
        modules=preset["modules"],
        # the client's legal form in a Russian file: a limited liability partnership in
        # Kazakhstan (ТОО), a limited liability company elsewhere (ООО)
        legal_form={"KZ": "ТОО"}.get(local["country"], "ООО"),
        **local,
        **goal,
    )


def country_settings(country: str, lang: str) -> dict[str, Any]:
    """What a new project of a country writes: calendar, currency, VAT, city, phone,
    rates, the accounting system and whether 1С is the likely CRM platform.

    Raises:
        UsageError: not an ISO 3166 code, or a country without a production calendar.
    """
    from crmimpl.countries import country_entry

    code = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise UsageError.single("--country", f"'{country}' is not a country code",
                                hint="give the ISO 3166 code, e.g. GB, US, DE, RU")
    _check_calendar(code)
    entry = country_entry(code)
    currency = str(entry.get("currency") or "EUR")
    rate, dev_rate = _RATES.get(currency, _RATES["EUR"])
    city = entry.get("city") or {"ru": "Головной офис", "en": "Head office"}
    one_c = code in _ONE_C_COUNTRIES
    accounting = _ONE_C if one_c else _ACCOUNTING.get(code, _OTHER_ACCOUNTING)
    return {"country": code, "currency": currency, "vat": entry.get("vat", 20),
            "city": city[lang], "phone": entry.get("phone", "+1 000 000 0000"),
            "rate": rate, "dev_rate": dev_rate, "one_c": one_c,
            "accounting_system": accounting[0], "accounting_protocol": accounting[1]}


def _check_calendar(code: str) -> None:
    import holidays

    if code not in holidays.list_supported_countries():
        raise UsageError.single("--country", f"no production calendar for '{code}'",
                                hint="crmimpl plans by the country's public holidays; "
                                "give a country the holidays package knows")


def _integration(key: str, local: dict[str, Any]) -> dict[str, str]:
    entry = {"id": key, **_INTEGRATIONS[key]}
    if key == "accounting":
        entry["system_ru"] = entry["system_en"] = local["accounting_system"]
        entry["protocol"] = local["accounting_protocol"]
    return entry


def _goal(mode: str, local: dict[str, Any]) -> dict[str, Any]:
    if mode == "cti":
        return dict(
            goal_ru="Не терять входящие звонки", goal_en="Stop losing incoming calls",
            metric_ru="Доля пропущенных входящих звонков",
            metric_en="Share of missed incoming calls",
            baseline=18, target=5, unit_ru="%", unit_en="%",
            task_ru="Пропущенный звонок не попадает ни к одному менеджеру",
            task_en="A missed call reaches no manager",
        )
    cur = local["currency"]
    rub = cur == "RUB"
    return dict(
        goal_ru="Увеличить продажи за счёт работы с базой клиентов",
        goal_en="Grow sales by working the client base",
        metric_ru="Выручка в месяц", metric_en="Monthly revenue",
        baseline=10 if rub else 250, target=13 if rub else 320,
        unit_ru="млн руб." if rub else f"тыс. {cur}",
        unit_en="RUB mln" if rub else f"{cur} thousand",
        task_ru="Клиентская база разбросана по личным таблицам менеджеров",
        task_en="The client base is scattered across managers' spreadsheets",
    )


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-_").lower()
    if slug and not slug[0].isalpha():
        slug = "p-" + slug
    return slug[:60]


def write_new_project(directory: Path, *, mode: str, lang: str,
                      country: str | None = None) -> Path:
    """Write ``DIR/project.yaml`` and the JSON Schema beside it; never overwrite."""
    target = directory / "project.yaml"
    if target.exists():
        raise ExistingFileError.single(
            str(target), "already exists; crmimpl new never overwrites a project",
            hint="choose another folder or delete the file yourself",
        )
    text = new_project_text(directory, mode, lang, country=country)
    atomic_write_text(directory / SCHEMA_PATH, project_json_schema() + "\n")
    atomic_write_text(target, text)
    return target


def project_json_schema() -> str:
    """JSON Schema of ``project.yaml`` as indented text."""
    from crmimpl.model.project import Project

    schema = Project.model_json_schema(mode="validation")
    schema["title"] = "crmimpl project definition"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True)
