"""The estimate-plan-schedule workbook: LibreOffice recalculates it to our numbers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from crmimpl.model.project import load_project
from crmimpl.plan.builder import Plan, build_plan
from crmimpl.render.workbook import build_workbook_with_cells, weekly_load, write_workbook
from tests.conftest import EXAMPLES, soffice_convert
from tests.plan_helpers import small_project

HOSTILE = """\
plan:
  add:
    - id: extra.formula
      name: "=HYPERLINK(\\"http://example.com\\",\\"click\\")"
      phase: development
      effort_hours: 2.25
      roles: [consultant]
"""


def _plans(tmp_path: Path) -> list[Plan]:
    plans = [build_plan(small_project(tmp_path, HOSTILE))]
    # optima: whole amounts; northwind: a net with pence the contingency makes whole
    for name in ("optima-distribution", "northwind-it"):
        if (EXAMPLES / name / "project.yaml").exists():
            plans.append(build_plan(load_project(EXAMPLES / name)))
    return plans


def _value(ws, ref: str) -> Decimal:  # type: ignore[no-untyped-def]
    return Decimal(str(ws[ref].value)).quantize(Decimal("0.01"))


def test_sheets_and_client_text_are_strings(tmp_path: Path) -> None:
    plan = _plans(tmp_path)[0]
    wb, _ = build_workbook_with_cells(plan)
    assert wb.sheetnames == ["Estimate", "Gantt", "Resources"]
    est = wb["Estimate"]
    cells = [c for row in est.iter_rows() for c in row if c.value and
             str(c.value).startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)
    formulas = [c.value for row in est.iter_rows() for c in row if c.data_type == "f"]
    assert any(str(f).startswith("=ROUND(H") for f in formulas)
    assert any(str(f).startswith("=SUBTOTAL(9,") for f in formulas)
    assert wb["Gantt"].conditional_formatting


def test_resource_load_adds_up(tmp_path: Path) -> None:
    plan = _plans(tmp_path)[0]
    load = weekly_load(plan)
    total = sum((h for weeks in load.values() for h in weeks.values()), Decimal(0))
    assert abs(total - plan.costs.hours) < Decimal("0.0001")


@pytest.mark.office
def test_libreoffice_recalculates_to_our_totals(tmp_path: Path, soffice: str) -> None:
    for i, plan in enumerate(_plans(tmp_path)):
        import openpyxl

        src = tmp_path / f"plan{i}.xlsx"
        write_workbook(plan, src)
        _, cells = build_workbook_with_cells(plan)
        out = soffice_convert(soffice, src, "xlsx", tmp_path / f"lo{i}")
        ws = openpyxl.load_workbook(out, data_only=True).worksheets[0]
        c = plan.costs
        expected = {"hours": c.contractor_hours, "client_hours": c.hours - c.contractor_hours,
                    "work": c.work, "contingency": c.contingency,
                    "net": c.net, "vat": c.vat, "total": c.total,
                    "difference": c.compared - c.limit}
        for phase in c.phases:
            expected[f"phase:{phase.phase_id}"] = phase.cost
        for key, value in expected.items():
            assert _value(ws, cells[key]) == value, key
        lines = [(row[7].value, row[8].value, row[9].value) for row in
                 ws.iter_rows(min_row=6) if isinstance(row[8].value, int | float)
                 and row[1].value]
        assert len(lines) == len(c.lines)
        for (hours, rate, cost), line in zip(lines, c.lines, strict=True):
            assert Decimal(str(hours)).quantize(Decimal("0.01")) == line.hours
            assert Decimal(str(rate)).quantize(Decimal("0.01")) == line.rate
            assert Decimal(str(cost)).quantize(Decimal("0.01")) == line.cost
        texts = [cell.value for row in ws.iter_rows() for cell in row
                 if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")]
        assert texts or i > 0, "client text survives LibreOffice as text"


def test_roles_are_named_and_hours_are_half_hours(tmp_path: Path) -> None:
    """A client reads role names, not identifiers, and work planned in half hours."""
    plan = _plans(tmp_path)[-1]
    wb, _ = build_workbook_with_cells(plan)
    est, res = wb.worksheets[0], wb.worksheets[2]
    roles = {est.cell(row=r, column=4).value for r in range(6, est.max_row + 1)} - {None}
    roles |= {res.cell(row=r, column=2).value for r in range(2, res.max_row + 1)} - {None}
    assert roles and not any("_" in str(v) for v in roles), roles
    hours = [est.cell(row=r, column=8).value for r in range(6, est.max_row + 1)
             if isinstance(est.cell(row=r, column=8).value, float)]
    assert hours and all(h * 2 == int(h * 2) for h in hours), sorted(set(hours))


def test_vacation_weeks_carry_no_load(tmp_path: Path) -> None:
    """A person's hours are spread over the task days they work, never over a vacation."""
    project = load_project(EXAMPLES / "optima-distribution")
    plan = build_plan(project)
    load = weekly_load(plan)
    for person in project.team:
        for vacation in person.vacations:
            day = vacation.start
            while day <= vacation.end:
                monday = day - timedelta(days=day.weekday())
                week = [monday + timedelta(days=k) for k in range(5)]
                if all(vacation.start <= d <= vacation.end or not plan.calendar.is_working(d)
                       for d in week):
                    assert not load.get(person.id, {}).get(monday), (person.id, monday)
                day += timedelta(days=1)


def test_package_price_against_hours_is_a_formula(tmp_path: Path) -> None:
    """An express package's fixed price is shown against what its hours cost."""
    plan = build_plan(load_project(EXAMPLES / "kreativ-agency"))
    assert plan.costs.package_price is not None
    wb, cells = build_workbook_with_cells(plan)
    ref = cells["package_difference"]
    assert wb.worksheets[0][ref].value.startswith("=" + cells["net"])
