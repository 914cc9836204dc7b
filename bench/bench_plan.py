"""Time building plans and their outputs: ``python bench/bench_plan.py [--big N]``.

Builds the plan of every example (and of a synthetic project with N departments,
integrations and changes), then the Gantt HTML, the workbook and the iCalendar file.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from crmimpl.model.project import Project, load_project
from crmimpl.plan.builder import build_plan
from crmimpl.render.gantt import gantt_html
from crmimpl.render.ical import ical_bytes
from crmimpl.render.workbook import build_workbook

ROOT = Path(__file__).resolve().parent.parent


def timed(label: str, fn: Callable[[], object], repeat: int = 3) -> object:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<45} {best * 1000:9.1f} ms")
    return result


def synthetic(n: int) -> Project:
    """The optima example scaled to ``n`` departments, integrations and changes."""
    base = load_project(ROOT / "examples" / "optima-distribution")
    dept = base.client.departments[0]
    integ = base.integrations[0]
    change = base.changes[0]
    data = base.model_dump()
    data["client"]["departments"] = [
        {**dept.model_dump(), "id": f"d{i}", "name": f"Department {i}"} for i in range(n)]
    data["client"]["crm_users"] = n * dept.users
    data["integrations"] = [{**integ.model_dump(), "id": f"i{i}", "departments": []}
                            for i in range(n)]
    data["changes"] = [{**change.model_dump(), "id": f"c{i}", "requirement": None}
                       for i in range(n)]
    data["team"] = [{**p, "department": None} for p in data["team"]]
    data["requirements"] = []
    data["user_classes"] = []
    data["plan"]["tasks"] = []
    data["plan"]["add"] = []
    return Project.model_validate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", type=int, default=40, help="size of the synthetic project")
    args = parser.parse_args()
    projects = [(p.parent.name, load_project(p)) for p in
                sorted((ROOT / "examples").glob("*/project.yaml"))]
    projects.append((f"synthetic x{args.big}", synthetic(args.big)))
    with tempfile.TemporaryDirectory():
        for name, project in projects:
            plan = timed(f"{name}: build_plan", lambda p=project: build_plan(p))
            print(f"{'':<45} {len(plan.tasks)} tasks")  # type: ignore[attr-defined]
            timed(f"{name}: gantt html", lambda pl=plan: gantt_html(pl), repeat=1)
            timed(f"{name}: workbook", lambda pl=plan: build_workbook(pl), repeat=1)
            timed(f"{name}: ical", lambda pl=plan: ical_bytes(pl), repeat=1)


if __name__ == "__main__":
    main()
