"""The plan's tasks as plain data: one record per task, CSV and JSON.

What ``crmimpl plan show --format csv|json`` prints: every task column untruncated, the
figures exactly as the plan holds them (money and hours as decimal numbers, dates ISO).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan, PlanTask

COLUMNS = ("id", "name", "phase", "start", "finish", "days", "effort", "people", "cost",
           "critical", "float", "milestone")


def task_record(task: PlanTask) -> dict[str, Any]:
    """One task as a flat record keyed by :data:`COLUMNS`."""
    return {
        "id": task.id, "name": task.name, "phase": task.phase,
        "start": task.start.isoformat(), "finish": task.finish.isoformat(),
        "days": task.duration_days, "effort": task.effort_hours, "people": task.assignees,
        "cost": task.cost, "critical": task.critical, "float": task.total_float,
        "milestone": task.milestone,
    }


def plan_csv(plan: Plan) -> str:
    """The tasks as CSV with a header row; people joined by ``"; "``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for task in plan.tasks:
        record = task_record(task)
        record["people"] = "; ".join(record["people"])
        writer.writerow(_cell(record[c]) for c in COLUMNS)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def plan_json(plan: Plan) -> str:
    """The plan as JSON: dates, the critical path, the totals, the tasks and warnings."""
    c = plan.costs
    data = {
        "title": plan.project.project.title, "mode": plan.mode,
        "start": plan.start.isoformat(), "launch": plan.launch.isoformat(),
        "finish": plan.finish.isoformat(),
        "deadline": _iso(plan.project.project.deadline),
        "status_date": _iso(plan.status_date),
        "critical_path": list(plan.critical_path),
        "totals": {"hours": c.hours, "work": c.work, "contingency": c.contingency,
                   "net": c.net, "vat_rate": c.vat_rate, "vat": c.vat, "total": c.total,
                   "currency": c.currency},
        "phases": [{"id": p.id, "name": p.name, "start": p.start.isoformat(),
                    "finish": p.finish.isoformat(), "post_launch": p.post_launch}
                   for p in plan.phases],
        "tasks": [task_record(t) for t in plan.tasks],
        "warnings": [w.message for w in plan.warnings],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=_number) + "\n"


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


def _number(value: Any) -> int | float:
    """Decimals as JSON numbers (a float's shortest repr reads back as the same decimal)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"not JSON serializable: {type(value).__name__}")
