"""Helpers for the questionnaire tests: fill an exported workbook like a client would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crmimpl.questionnaire import export as fmt


def fill_workbook(path: Path, answers: dict[str, Any], *, respondent: dict[str, Any] | None
                  = None, out: Path | None = None, language: str = "en") -> Path:
    """Type ``answers`` (question id -> cell value, list of labels or table rows) into an
    exported workbook found by its hidden id column, and save it to ``out``."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    yes = fmt.UI[language]["yes"]
    for ws in wb.worksheets:
        if ws.title in (fmt.META, fmt.LISTS):
            continue
        marker = ws.cell(fmt.TABLE_ID_ROW, fmt.ID_COL).value
        if isinstance(marker, str) and marker.startswith("table::"):
            _fill_table(ws, answers.get(marker.split("::", 1)[1]))
            continue
        for row in range(1, ws.max_row + 1):
            key = ws.cell(row, fmt.ID_COL).value
            if not isinstance(key, str):
                continue
            if key.startswith("@respondent.") and respondent:
                name = key.split(".", 1)[1]
                if name in respondent:
                    ws.cell(row, 3).value = respondent[name]
            elif "::" in key:
                qid, choice = key.split("::", 1)
                if qid in answers:
                    ws.cell(row, fmt.ANSWER_COL).value = yes if choice in answers[qid] else None
            elif key in answers and not isinstance(answers[key], list):
                ws.cell(row, fmt.ANSWER_COL).value = answers[key]
    target = out or path
    wb.save(target)
    return target


def _fill_table(ws: Any, rows: list[dict[str, Any]] | None) -> None:
    if rows is None:
        return
    columns = {ws.cell(fmt.TABLE_ID_ROW, c).value: c for c in range(fmt.TABLE_FIRST_COL,
                                                                     ws.max_column + 1)}
    by_id = {ws.cell(r, fmt.ID_COL).value: r for r in range(fmt.TABLE_FIRST_ROW,
                                                            ws.max_row + 1)}
    for r in range(fmt.TABLE_FIRST_ROW, ws.max_row + 1):
        for c in columns.values():
            ws.cell(r, c).value = None
    for index, record in enumerate(rows):
        row = by_id[record["row"]] if "row" in record else fmt.TABLE_FIRST_ROW + index
        for key, value in record.items():
            if key != "row":
                ws.cell(row, columns[key]).value = value
