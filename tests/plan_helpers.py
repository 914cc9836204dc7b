"""Small projects for plan tests, written as YAML text like a consultant would."""

from __future__ import annotations

from pathlib import Path

from crmimpl.model.project import Project, load_project

SMALL = """\
project:
  id: small
  title: "Small CRM"
  language: en
  mode: express
  start: 2026-03-02
  deadline: {deadline}
  vat_rate: 22
client:
  name: "Small Ltd"
  industry: "Retail"
  crm_users: 5
  departments:
    - id: sales
      kind: sales
      name: "Sales"
      headcount: 5
goals:
  - id: G1
    statement: "Grow repeat sales"
    kpi: {{metric: "Repeat sales share", baseline: 20, target: 30, unit: "%", deadline: 2026-12-31}}
    tasks:
      - id: G1.1
        statement: "No follow-up after the first order"
team:
  - id: pm
    name: "Anna Smirnova"
    roles: [project_manager, consultant]
    side: contractor
    rate: {{amount: 3000, per: hour}}
  - id: dev2
    name: "Boris Petrov"
    roles: [developer]
    side: contractor
    rate: {{amount: 16000, per: day}}
budget:
  limit: {limit}
  fixed: [{fixed}]
scope:
  modules: [client_base, sales_pipeline]
{extra}"""


def small_project(tmp_path: Path, extra: str = "", *, limit: int = 500000,
                  fixed: str = "scope, budget", deadline: str = "2026-12-01") -> Project:
    """Write the small express project (plus ``extra`` YAML) and load it."""
    folder = tmp_path / "small"
    folder.mkdir(exist_ok=True)
    (folder / "project.yaml").write_text(
        SMALL.format(extra=extra, limit=limit, fixed=fixed, deadline=deadline),
        encoding="utf-8")
    return load_project(folder)


def new_project(tmp_path: Path, mode: str, lang: str = "en") -> Project:
    """A project from ``crmimpl new`` for ``mode``."""
    from crmimpl.scaffold import write_new_project

    folder = tmp_path / f"new-{mode}-{lang}"
    write_new_project(folder, mode=mode, lang=lang)
    return load_project(folder)
