"""The estimate-plan-schedule workbook («смета-план-график») of a plan (openpyxl).

Sheets:

* **Estimate** — tasks by phase, one row per person on a task: role, person, dates,
  hours, rate and cost as a formula ``ROUND(hours × rate, 2)``; ``SUBTOTAL(9, …)`` per
  phase; work total, contingency, net, VAT and total as formulas. The formulas round
  exactly as :mod:`crmimpl.plan.costs` does, so an office application recalculates to our
  numbers (a test checks it with LibreOffice).
* **Gantt** — one row per phase and task, one column per week, bars drawn by
  conditional formatting from the start and finish cells; the critical path in red.
* **Resources** — hours per person per week (each task's hours spread evenly over its
  working days).

Text that came from people (names, titles) is always written as a string cell, never a
formula. openpyxl is imported inside the functions.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.i18n import currency_sign, words
from crmimpl.render.cells import new_workbook, print_setup, put, save_workbook, shared
from crmimpl.store import atomic_write_with
from crmimpl.vocabulary import label

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

MONEY = "#,##0.00"
HOURS = "0.00"
DAY = "DD.MM.YYYY"
HEADER_FILL = "DDE5F0"
PHASE_FILL = "F2F2F2"
BAR_FILL = "5B9BD5"
CRITICAL_FILL = "E06666"
PHASE_BAR_FILL = "404040"


def _text(ws: Any, row: int, col: int, value: str | None, **style: Any) -> Any:
    """A string cell: text starting with '=' stays text (client data is never a formula)."""
    cell = put(ws.cell(row=row, column=col), value)
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def _num(ws: Any, row: int, col: int, value: Decimal | float | int | date | None,
         fmt: str = HOURS, **style: Any) -> Any:
    cell = ws.cell(row=row, column=col, value=None if value is None else float(value)
                   if isinstance(value, Decimal) else value)
    cell.number_format = fmt
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def _formula(ws: Any, row: int, col: int, formula: str, fmt: str, **style: Any) -> Any:
    cell = ws.cell(row=row, column=col, value=formula)
    cell.number_format = fmt
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def build_workbook(plan: Plan, lang: str | None = None) -> Any:
    """The workbook (an ``openpyxl.Workbook``) of ``plan``."""
    return build_workbook_with_cells(plan, lang)[0]


def build_workbook_with_cells(plan: Plan, lang: str | None = None
                              ) -> tuple[Any, dict[str, str]]:
    """The workbook and where its totals are on the estimate sheet.

    ``lang`` (default: the plan's) is the language of its sheets, headers, labels and
    task names; pass the plan of the project translated into ``lang`` for its own text
    (client, people, the items the tasks are named after) to be in that language too.

    The map has ``hours``, ``work``, ``contingency``, ``net``, ``vat``, ``total``,
    ``difference`` and ``phase:<id>`` (subtotal), each a cell such as ``"J84"``.
    """
    wb = new_workbook()
    lang = lang or plan.language
    t = words("plan_workbook", lang)
    stamp = datetime.combine(plan.project.project.document_date or plan.project.project.start,
                             time(9, 0))
    wb.properties.creator = "crmimpl"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.title = plan.project.project.title
    est = wb.active
    est.title = t["estimate"]
    cells = _estimate_sheet(est, plan, t, lang)
    _gantt_sheet(wb.create_sheet(t["gantt"]), plan, t, lang)
    _resource_sheet(wb.create_sheet(t["resources"]), plan, t, lang)
    wb.calculation.fullCalcOnLoad = True
    return wb, cells


def _header(ws: Any, row: int, titles: list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    for col, title in enumerate(titles, start=1):
        _text(ws, row, col, title, font=shared(Font, bold=True),
              fill=shared(PatternFill, patternType="solid", fgColor=HEADER_FILL),
              alignment=shared(Alignment, wrap_text=True, vertical="center"))


def _estimate_sheet(ws: Any, plan: Plan, t: dict[str, Any], lang: str) -> dict[str, str]:
    from openpyxl.styles import Font, PatternFill

    info = plan.project.project
    bold = shared(Font, bold=True)
    _text(ws, 1, 1, f"{t['title']}: {info.title}", font=shared(Font, bold=True, size=14))
    _text(ws, 2, 1, f"{t['client']}: {plan.project.client.name}")
    if info.contractor:
        _text(ws, 3, 1, f"{t['contractor']}: {info.contractor}")
    sign = currency_sign(info.currency, lang)
    _header(ws, 5, [c.format(cur=sign) for c in t["cols"]])
    row, first = 6, 6
    subtotal_rows: dict[str, int] = {}
    sides = {p.id: label("side", p.side, lang) for p in plan.project.team}
    ours = label("side", "contractor", lang)
    for pi, phase in enumerate(plan.phases, start=1):
        _num(ws, row, 1, pi, "0", font=bold)
        _text(ws, row, 3, phase.name_in(lang), font=bold)
        phase_fill = shared(PatternFill, patternType="solid", fgColor=PHASE_FILL)
        for col in range(1, 12):
            ws.cell(row=row, column=col).fill = phase_fill
        row += 1
        top = row
        for ti, task in enumerate(phase.tasks, start=1):
            row = _task_rows(ws, row, f"{pi}.{ti}", task, lang, sides)
        _text(ws, row, 3, f"{t['subtotal']}: {phase.name_in(lang)}", font=bold)
        # the contractor's hours, as every document states them; the client's people's
        # hours (not paid) are in the lines and added up apart below
        _formula(ws, row, 8, f'=SUMIFS(H{top}:H{row - 1},K{top}:K{row - 1},"{ours}")', HOURS,
                 font=bold)
        _formula(ws, row, 10, f"=SUBTOTAL(9,J{top}:J{row - 1})", MONEY, font=bold)
        subtotal_rows[phase.id] = row
        row += 2
    return _totals(ws, plan, t, row, first, subtotal_rows, (ours, label(
        "side", "client", lang)))


def _task_rows(ws: Any, row: int, number: str, task: Any, lang: str,
               sides: dict[str, str]) -> int:
    lines = task.assignments or [None]
    for a in lines:
        _text(ws, row, 1, number)
        _text(ws, row, 2, task.id)
        _text(ws, row, 3, task.name_in(lang))
        _num(ws, row, 6, task.start, DAY)
        _num(ws, row, 7, task.finish, DAY)
        if a is not None:
            _text(ws, row, 4, label("role", a.role, lang))
            _text(ws, row, 5, a.person_name)
            _num(ws, row, 8, a.hours, HOURS)
            _num(ws, row, 9, a.rate, MONEY)
            _formula(ws, row, 10, f"=ROUND(H{row}*I{row},2)", MONEY)
            _text(ws, row, 11, sides.get(a.person_id, ""))
        row += 1
    return row


def _totals(ws: Any, plan: Plan, t: dict[str, Any], row: int, first: int,
            subtotal_rows: dict[str, int], sides: tuple[str, str]) -> dict[str, str]:
    from openpyxl.styles import Font

    bold = shared(Font, bold=True)
    costs = plan.costs
    last = row - 1
    cells: dict[str, str] = {f"phase:{k}": f"J{v}" for k, v in subtotal_rows.items()}
    work, cont, net, vat, total = row, row + 1, row + 2, row + 3, row + 4
    _text(ws, work, 3, t["work"], font=bold)
    ours, theirs = sides
    _formula(ws, work, 8, f'=SUMIFS(H{first}:H{last},K{first}:K{last},"{ours}")', HOURS,
             font=bold)
    _formula(ws, work, 10, f"=SUBTOTAL(9,J{first}:J{last})", MONEY, font=bold)
    _text(ws, cont, 3, t["contingency"])
    _num(ws, cont, 9, costs.contingency_percent, "0.00")
    # the contingency makes the net a whole amount (crmimpl.plan.costs)
    _formula(ws, cont, 10, f"=IF(I{cont}>0,ROUND(J{work}+ROUND(J{work}*I{cont}/100,2),0)"
             f"-J{work},0)", MONEY)
    if costs.package_price is not None:  # a fixed price, beside what the hours cost
        _text(ws, net, 3, t["package_net"], font=bold)
        _num(ws, net, 10, costs.package_price, MONEY, font=bold)
    else:
        _text(ws, net, 3, t["net"], font=bold)
        _formula(ws, net, 10, f"=ROUND(J{work}+J{cont},0)", MONEY, font=bold)
    _num(ws, vat, 9, costs.vat_rate, "0.00")
    if costs.prices_include_vat:
        _text(ws, vat, 3, t["vat_in"])
        _formula(ws, vat, 10, f"=ROUND(J{net}*I{vat}/(100+I{vat}),2)", MONEY)
        _formula(ws, total, 10, f"=J{net}", MONEY, font=bold)
    else:
        _text(ws, vat, 3, t["vat"])
        _formula(ws, vat, 10, f"=ROUND(J{net}*I{vat}/100,2)", MONEY)
        _formula(ws, total, 10, f"=J{net}+J{vat}", MONEY, font=bold)
    _text(ws, total, 3, t["total"], font=bold)
    limit, diff = total + 2, total + 3
    compared = total if costs.prices_include_vat else net
    _text(ws, limit, 3, t["limit"])
    _num(ws, limit, 10, costs.limit, MONEY)
    _text(ws, diff, 3, t["diff"])
    _formula(ws, diff, 10, f"=J{compared}-J{limit}", MONEY)
    if costs.package_price is not None:  # what the fixed price gives or takes against the hours
        _text(ws, diff + 1, 3, t["package_diff"])
        _formula(ws, diff + 1, 10, f"=J{net}-J{work}-J{cont}", MONEY)
        cells["package_difference"] = f"J{diff + 1}"
    client = diff + 3  # the client's people's hours: planned, not paid
    _text(ws, client, 3, t["client_hours"])
    _formula(ws, client, 8, f'=SUMIFS(H{first}:H{last},K{first}:K{last},"{theirs}")', HOURS)
    cells["client_hours"] = f"H{client}"
    _widths(ws, [8, 24, 60, 16, 28, 12, 12, 10, 14, 16, 14])
    ws.freeze_panes = "A6"
    print_setup(ws, title_rows="5:5")
    cells |= {"hours": f"H{work}", "work": f"J{work}", "contingency": f"J{cont}",
              "net": f"J{net}", "vat": f"J{vat}", "total": f"J{total}",
              "difference": f"J{diff}"}
    return cells


def _widths(ws: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _weeks(plan: Plan) -> list[date]:
    monday = plan.start - timedelta(days=plan.start.weekday())
    out = []
    while monday <= plan.finish:
        out.append(monday)
        monday += timedelta(days=7)
    return out


def _gantt_sheet(ws: Any, plan: Plan, t: dict[str, Any], lang: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    weeks = _weeks(plan)
    _header(ws, 1, [*t["gcols"]])
    for wi, monday in enumerate(weeks):
        cell = _num(ws, 1, 6 + wi, monday, "DD.MM")
        cell.alignment = shared(Alignment, text_rotation=90)
        cell.font = shared(Font, bold=True)
        ws.column_dimensions[get_column_letter(6 + wi)].width = 3.2
    row = 2
    for phase in plan.phases:
        _text(ws, row, 2, phase.name_in(lang), font=shared(Font, bold=True))
        _num(ws, row, 3, phase.start, DAY)
        _num(ws, row, 4, phase.finish, DAY)
        _text(ws, row, 5, "P")
        row += 1
        for task in phase.tasks:
            _text(ws, row, 1, task.id)
            _text(ws, row, 2, task.name_in(lang))
            _num(ws, row, 3, task.start, DAY)
            _num(ws, row, 4, task.finish, DAY)
            _text(ws, row, 5, t["critical_mark"] if task.critical else "")
            row += 1
    _gantt_rules(ws, len(weeks), row - 1, t["critical_mark"])
    _widths(ws, [26, 60, 11, 11, 5])
    ws.freeze_panes = "F2"
    print_setup(ws, title_rows="1:1")


def _gantt_rules(ws: Any, weeks: int, last_row: int, mark: str) -> None:
    """Bars by conditional formatting: a week cell is filled when it overlaps the task."""
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter

    if weeks == 0 or last_row < 2:
        return
    first_col, last_col = "F", get_column_letter(5 + weeks)
    area = f"{first_col}2:{last_col}{last_row}"
    overlap = "AND(F$1<=$D2,F$1+6>=$C2)"
    ws.conditional_formatting.add(area, FormulaRule(
        formula=[f'AND($E2="P",{overlap})'], stopIfTrue=True,
        fill=PatternFill("solid", fgColor=PHASE_BAR_FILL, bgColor=PHASE_BAR_FILL)))
    ws.conditional_formatting.add(area, FormulaRule(
        formula=[f'AND($E2="{mark}",{overlap})'], stopIfTrue=True,
        fill=PatternFill("solid", fgColor=CRITICAL_FILL, bgColor=CRITICAL_FILL)))
    ws.conditional_formatting.add(area, FormulaRule(
        formula=[overlap], fill=PatternFill("solid", fgColor=BAR_FILL, bgColor=BAR_FILL)))


def weekly_load(plan: Plan) -> dict[str, dict[date, Decimal]]:
    """Hours per person id per week (Monday): a training session's hours on its own day,
    any other task's hours spread evenly over the days of the task the person works
    (their vacations carry none)."""
    away = {p.id: [(v.start, v.end) for v in p.vacations] for p in plan.project.team}
    load: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for task in plan.tasks:
        if task.milestone or not task.assignments:
            continue
        booked: dict[str, list[tuple[date, float]]] = defaultdict(list)
        for day, person_id, hours in task.bookings:
            booked[person_id].append((day, hours))
        days = list(plan.calendar.working_days(task.start, task.finish)) or [task.start]
        for a in task.assignments:
            own = booked.get(a.person_id)
            total = sum((Decimal(str(h)) for _, h in own or []), Decimal(0))
            if own and total == a.hours:
                for d, h in own:
                    load[a.person_id][d - timedelta(days=d.weekday())] += Decimal(str(h))
                continue
            present = [d for d in days
                       if not any(s <= d <= e for s, e in away.get(a.person_id, []))] or days
            per_day = a.hours / len(present)
            for d in present:
                load[a.person_id][d - timedelta(days=d.weekday())] += per_day
    return load


def _resource_sheet(ws: Any, plan: Plan, t: dict[str, Any], lang: str) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    weeks = _weeks(plan)
    _header(ws, 1, t["rcols"])
    for wi, monday in enumerate(weeks):
        cell = _num(ws, 1, 4 + wi, monday, "DD.MM")
        cell.alignment = shared(Alignment, text_rotation=90)
        ws.column_dimensions[get_column_letter(4 + wi)].width = 5
    load = weekly_load(plan)
    row = 2
    last_col = get_column_letter(3 + len(weeks))
    for person in plan.project.team:
        if person.id not in load:
            continue
        _text(ws, row, 1, person.name)
        _text(ws, row, 2, ", ".join(label("role", r, lang) for r in person.roles))
        _formula(ws, row, 3, f"=SUM(D{row}:{last_col}{row})", HOURS)
        for wi, monday in enumerate(weeks):
            hours = load[person.id].get(monday)
            if hours:
                _num(ws, row, 4 + wi, hours.quantize(Decimal("0.1")), "0.0")
        row += 1
    _widths(ws, [30, 30, 12])
    ws.freeze_panes = "D2"
    print_setup(ws, title_rows="1:1")


def write_workbook(plan: Plan, path: Path | str, lang: str | None = None) -> Path:
    """Write the estimate-plan-schedule workbook atomically, in ``lang`` (default: the
    plan's language)."""
    wb = build_workbook(plan, lang)
    return atomic_write_with(path, lambda tmp: save_workbook(wb, tmp))
