"""The training plan workbook: the session schedule and one attendance sheet per group."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.i18n import words
from crmimpl.render.cells import fit_rows, new_workbook, print_setup, put, save_workbook, shared
from crmimpl.store import atomic_write_with
from crmimpl.vocabulary import label

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from crmimpl.plan.training import TrainingPlan


def write_training_workbook(plan: TrainingPlan, path: Path, lang: str,
                            trainer_names: dict[str, str], date_format: str,
                            positions: dict[str, str] | None = None) -> Path:
    """Write the schedule sheet and one attendance sheet per group to ``path``; the
    participants the project names come with their ``positions``."""

    text = words("training_workbook", lang)
    wb = new_workbook()
    ws = wb.active
    assert ws is not None
    ws.title = text["schedule"]
    _schedule_sheet(ws, plan, lang, trainer_names, date_format)
    for group in plan.groups:
        sheet = wb.create_sheet(_sheet_title(group.id))
        _attendance_sheet(sheet, plan, group.id, text, date_format, positions or {})
    wb.properties.creator = "crmimpl"
    return atomic_write_with(path, lambda tmp: save_workbook(wb, tmp))


def _sheet_title(group_id: str) -> str:
    bad = '[]:*?/\\'
    return "".join("_" if c in bad else c for c in group_id)[:31]


def _header(ws: Worksheet, row: int, values: list[str], widths: list[int]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = shared(PatternFill, patternType="solid", fgColor="DDE5F0")
    for col, (value, width) in enumerate(zip(values, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=col)
        _text(cell, value)
        cell.font = shared(Font, bold=True)
        cell.fill = fill
        cell.alignment = shared(Alignment, wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width


def _text(cell: Any, value: str) -> None:
    """A string cell that can never become a formula."""
    put(cell, value)


def _schedule_sheet(ws: Worksheet, plan: TrainingPlan, lang: str,
                    trainer_names: dict[str, str], date_format: str) -> None:
    from openpyxl.styles import Alignment

    from crmimpl.plan.training import ONSITE

    text = words("training_workbook", lang)
    names = {g.id: g.name for g in plan.groups}
    _header(ws, 1, [text["date"], text["start"], text["hours"], text["group"],
                    text["department"], text["session"], text["trainer"], text["format"],
                    text["topics"]],
            [12, 8, 8, 20, 30, 9, 24, 24, 70])
    for row, s in enumerate(plan.sessions, start=2):
        ws.cell(row=row, column=1, value=s.day).number_format = date_format
        _text(ws.cell(row=row, column=2), s.start_time)
        ws.cell(row=row, column=3, value=s.hours)
        _text(ws.cell(row=row, column=4), s.group_id)
        _text(ws.cell(row=row, column=5), names[s.group_id])
        ws.cell(row=row, column=6, value=s.number)
        _text(ws.cell(row=row, column=7), trainer_names.get(s.trainer_id, s.trainer_id))
        venue = plan.group(s.group_id).venue if s.format == ONSITE else None
        place = label("training_format", s.format, lang)
        _text(ws.cell(row=row, column=8), f"{place}: {venue}" if venue else place)
        _text(ws.cell(row=row, column=9), "; ".join(plan.topic_titles(s)))
        top = shared(Alignment, wrap_text=True, vertical="top")  # a row reads from its top
        for col in range(1, 10):
            ws.cell(row=row, column=col).alignment = top
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:I{max(len(plan.sessions) + 1, 2)}"
    fit_rows(ws, 2)
    print_setup(ws, title_rows="1:1")


def _attendance_sheet(ws: Worksheet, plan: TrainingPlan, group_id: str,
                      text: dict[str, str], date_format: str,
                      positions: dict[str, str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    group = next(g for g in plan.groups if g.id == group_id)
    sessions = plan.sessions_of(group_id)
    _text(ws.cell(row=1, column=1), f"{text['attendance']}: {group.id} — {group.name}")
    ws.cell(row=1, column=1).font = shared(Font, bold=True, size=12)
    _text(ws.cell(row=2, column=1), text["mark"])
    labels = [text["no"], text["name"], text["position"]]
    labels += [f"{text['session']} {s.number}" for s in sessions]
    # the trainer marks the graded exercise here, as the training plan says (round 19)
    labels += [text["total"], text["practical"], text["signature"]]
    widths = [5, 32, 22] + [12] * len(sessions) + [12, 14, 16]
    _header(ws, 4, labels, widths)
    for i, s in enumerate(sessions):
        cell = ws.cell(row=5, column=4 + i, value=s.day)
        cell.number_format = date_format
    first, last_col = 4, 3 + len(sessions)
    for n in range(group.size):
        row = 6 + n
        ws.cell(row=row, column=1, value=n + 1)
        named = [*group.members, *group.known]
        if n < len(named):
            _text(ws.cell(row=row, column=2), named[n])
            if named[n] in positions:
                _text(ws.cell(row=row, column=3), positions[named[n]])
        if sessions:
            a, b = get_column_letter(first), get_column_letter(last_col)
            ws.cell(row=row, column=last_col + 1, value=f'=COUNTIF({a}{row}:{b}{row},"+")')
    ws.freeze_panes = "D6"
    fit_rows(ws, 2)
    print_setup(ws, title_rows="4:5")
