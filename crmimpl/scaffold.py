"""``crmimpl new`` and ``crmimpl schema``: starting files for a consultant."""

from __future__ import annotations

import json
from datetime import date, timedelta
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
    "telephony": {"system": "IP-АТС (Asterisk)", "kind": "telephony", "protocol": "rest",
                  "direction": "both", "objects_ru": '"звонки", "записи разговоров"',
                  "objects_en": '"calls", "call recordings"'},
    "accounting": {"system": "1С:Управление торговлей 11", "kind": "accounting",
                   "protocol": "odata", "direction": "both",
                   "objects_ru": '"контрагенты", "номенклатура", "счета"',
                   "objects_en": '"counterparties", "items", "invoices"'},
    "website": {"system": "Сайт компании", "kind": "website", "protocol": "rest",
                "direction": "to_crm", "objects_ru": '"заявки"', "objects_en": '"leads"'},
}

# mode -> departments, modules, integrations, budget, fixed corners, months
_PRESETS: dict[str, dict[str, Any]] = {
    "express": dict(depts=["sales"], integrations=[], budget=350000, fixed="time, budget",
                    months=1, modules="client_base, contacts, sales_pipeline, planning, email"),
    "typical": dict(depts=["sales", "service", "marketing"],
                    integrations=["accounting", "telephony"], budget=2500000,
                    fixed="scope, budget", months=4,
                    modules="client_base, contacts, sales_pipeline, planning, service, "
                    "marketing_campaigns, reports, telephony, email"),
    "project": dict(depts=["sales", "service", "marketing", "management"],
                    integrations=["accounting", "telephony", "website"], budget=6000000,
                    fixed="scope, time", months=7,
                    modules="client_base, contacts, sales_pipeline, planning, service, "
                    "complaints, marketing_campaigns, mailings, kpi_dashboards, reports, "
                    "business_processes, telephony, email"),
    "cti": dict(depts=["sales"], integrations=["telephony"], budget=400000,
                fixed="scope, time", months=1, modules="client_base, telephony"),
    "iterative": dict(depts=["sales", "service"], integrations=["telephony"],
                      budget=1800000, fixed="time, budget", months=4,
                      modules="client_base, contacts, sales_pipeline, planning, service, "
                      "telephony"),
}


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


def new_project_text(directory: Path, mode: str, lang: str, today: date | None = None) -> str:
    """Text of a commented ``project.yaml`` for ``mode`` in ``lang``."""
    import jinja2

    if mode not in MODES:
        raise UsageError.single("--mode", f"unknown mode '{mode}'",
                                hint="choose one of: " + ", ".join(MODES))
    if lang not in LANGS:
        raise UsageError.single("--lang", f"unknown language '{lang}'", hint="choose ru or en")
    preset = _PRESETS[mode]
    start = _next_monday(today or date.today())
    months = preset["months"]
    departments = [{"id": d, **_DEPTS[d]} for d in preset["depts"]]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir() / "new"),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
    )
    goal = _goal(mode)
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
        integrations=[{"id": i, **_INTEGRATIONS[i]} for i in preset["integrations"]],
        budget=preset["budget"],
        fixed=preset["fixed"],
        modules=preset["modules"],
        **goal,
    )


def _goal(mode: str) -> dict[str, Any]:
    if mode == "cti":
        return dict(
            goal_ru="Не терять входящие звонки", goal_en="Stop losing incoming calls",
            metric_ru="Доля пропущенных входящих звонков",
            metric_en="Share of missed incoming calls",
            baseline=18, target=5, unit_ru="%", unit_en="%",
            task_ru="Пропущенный звонок не попадает ни к одному менеджеру",
            task_en="A missed call reaches no manager",
        )
    return dict(
        goal_ru="Увеличить продажи за счёт работы с базой клиентов",
        goal_en="Grow sales by working the client base",
        metric_ru="Выручка в месяц", metric_en="Monthly revenue",
        baseline=10, target=13, unit_ru="млн руб.", unit_en="RUB mln",
        task_ru="Клиентская база разбросана по личным таблицам менеджеров",
        task_en="The client base is scattered across managers' spreadsheets",
    )


def _slug(name: str) -> str:
    import re

    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-_").lower()
    if slug and not slug[0].isalpha():
        slug = "p-" + slug
    return slug[:60]


def write_new_project(directory: Path, *, mode: str, lang: str) -> Path:
    """Write ``DIR/project.yaml`` and the JSON Schema beside it; never overwrite."""
    target = directory / "project.yaml"
    if target.exists():
        raise ExistingFileError.single(
            str(target), "already exists; crmimpl new never overwrites a project",
            hint="choose another folder or delete the file yourself",
        )
    text = new_project_text(directory, mode, lang)
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
