"""Projects of any size written as project.yaml data, for targets and property tests.

:func:`project_data` builds the plain data a consultant would write (no plan overrides);
:func:`write_project` stores it and loads it through the normal loader, so generated
projects pass the same validation as hand-written ones.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from crmimpl.model.project import Project, load_project

KINDS = ["sales", "service", "marketing", "accounting", "other", "management"]
INTEGRATIONS = [
    ("core_system", "soap", "both", 8), ("telephony", "sip", "both", 3),
    ("sso", "ldap", "to_crm", 1), ("sms", "rest", "from_crm", 1),
    ("email", "imap", "both", 2), ("website", "rest", "to_crm", 2),
    ("accounting", "odata", "both", 5), ("messengers", "rest", "both", 2),
    ("eshop", "rest", "to_crm", 3), ("bi", "odata", "from_crm", 4),
]
# what small projects connect: catalogue connectors, no core systems
LIGHT_INTEGRATIONS = [
    ("telephony", "rest", "both", 2), ("email", "imap", "both", 1),
    ("website", "rest", "to_crm", 1), ("messengers", "rest", "both", 1),
    ("sms", "rest", "from_crm", 1),
]
MODULES = ["client_base", "contacts", "sales_pipeline", "planning", "reports",
           "telephony", "email", "service", "marketing_campaigns", "kpi_dashboards"]


def project_data(*, mode: str = "project", users: int = 500, departments: int = 5,
                 integrations: int = 6, records: int = 8_000_000, team: int = 14,
                 seed: int = 1, vacations: bool = True, start: date = date(2026, 2, 2),
                 language: str = "ru", full_time: bool = False) -> dict[str, Any]:
    """A project of the given size: users spread over departments, a contractor team
    of several people per role, client key users, vacations if asked."""
    rng = random.Random(seed)
    weights = [rng.randint(1, 6) for _ in range(departments)]
    counts = [max(1, users * w // sum(weights)) for w in weights]
    counts[0] += users - sum(counts)
    if counts[0] < 1:
        counts = [max(1, c) for c in counts]
    users = sum(counts)
    depts = [{"id": f"d{i + 1}", "kind": KINDS[i % len(KINDS)], "name": f"Department {i + 1}",
              "headcount": c} for i, c in enumerate(counts)]
    people = _team(rng, team, depts, vacations, start, full_time)
    kinds = LIGHT_INTEGRATIONS if mode in ("express", "cti") else INTEGRATIONS
    if mode == "cti":  # telephony added to a CRM: the mode needs its telephony integration
        integrations = max(integrations, 1)
    modules = MODULES[: 3 + min(7, users // 100)] if mode != "cti" else \
        ["client_base", "telephony", "reports"]
    data: dict[str, Any] = {
        "project": {"id": f"gen-{seed}", "title": f"CRM for Generated {seed}",
                    "language": language, "mode": mode, "start": start.isoformat(),
                    "calendar": "RU", "currency": "RUB", "vat_rate": 22},
        "client": {"name": f"Generated {seed}", "industry": "Services", "crm_users": users,
                   "departments": depts},
        "goals": [{"id": "G1", "statement": "Grow repeat sales",
                   "kpi": {"metric": "Repeat sales", "baseline": 20, "target": 30,
                           "unit": "%", "deadline": (start + timedelta(days=540)).isoformat()},
                   "tasks": [{"id": "G1.1", "statement": "No follow-up after the first order"}]}],
        "team": people,
        "budget": {"limit": 100_000_000, "fixed": ["scope", "budget"]},
        "scope": {"modules": modules},
        "integrations": [
            {"id": f"i{n + 1}", "system": f"System {n + 1}", "kind": kind, "protocol": proto,
             "direction": direction, "objects": [f"Object {k + 1}" for k in range(objects)]}
            for n, (kind, proto, direction, objects) in enumerate(
                (kinds * 2)[:integrations])],
        "migration": _migration(records),
    }
    if mode == "iterative":
        data["plan"] = {"mvp_department": "d1"}
    return data


def _team(rng: random.Random, size: int, depts: list[dict[str, Any]], vacations: bool,
          start: date, full_time: bool) -> list[dict[str, Any]]:
    roles = ["project_manager", "consultant", "analyst", "developer", "trainer", "developer",
             "consultant", "analyst", "developer", "sysadmin", "trainer", "consultant",
             "developer", "analyst"]
    people: list[dict[str, Any]] = [{
        "id": "sponsor", "name": "Client Sponsor", "roles": ["sponsor"], "side": "client"}]
    for n in range(max(size, 1)):
        role = roles[n % len(roles)]
        person: dict[str, Any] = {
            "id": f"p{n + 1}", "name": f"Person {n + 1}", "roles": [role], "side": "contractor",
            "rate": {"amount": rng.choice([2500, 3000, 3500, 4000]), "per": "hour"},
            "availability": 1.0 if full_time else rng.choice([1.0, 1.0, 0.8, 0.5])}
        if vacations and rng.random() < 0.5:
            first = start + timedelta(days=rng.randint(10, 200))
            last = first + timedelta(days=rng.randint(3, 20))
            person["vacations"] = [{"start": first.isoformat(), "end": last.isoformat()}]
        people.append(person)
    for n, dept in enumerate(depts[: max(1, len(depts))]):
        people.append({"id": f"ku{n + 1}", "name": f"Key User {n + 1}", "roles": ["key_user"],
                       "side": "client", "department": dept["id"], "availability": 0.5})
    return people


def _migration(records: int) -> list[dict[str, Any]]:
    if records <= 0:
        return []
    first = records // 4
    return [
        {"id": "clients", "name": "Clients", "format": "database", "records": max(first, 1),
         "objects": ["Companies", "Contacts", "Accounts"]},
        {"id": "history", "name": "History", "format": "database",
         "records": max(records - first, 1), "objects": ["Interactions", "Deals"]},
    ]


def write_project(folder: Path, data: dict[str, Any]) -> Project:
    """Write ``data`` as ``folder/project.yaml`` and load it like the CLI does."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "project.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_project(folder)
