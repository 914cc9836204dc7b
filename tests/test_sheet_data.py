"""save_workbook writes the very parts openpyxl's own save writes."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from crmimpl.render.cells import new_workbook, put, save_workbook


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:  # the core properties hold the time of saving
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def _workbook(extra: str | None = None) -> object:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    wb = new_workbook()
    ws = wb.active
    texts = ["plain", "a & b < c > d", ' "quoted" ', "Дата — «ёлка» 😀", "line\nnext",
             "=not a formula", "#N/A-ish", "tab\there"]
    for row, text in enumerate(texts, start=1):
        put(ws.cell(row, 1), text).alignment = Alignment(wrap_text=True)
    ws["B1"] = 3
    ws["B2"] = 2.5
    ws["B3"] = 1e-20
    ws["B9"] = -0.1 + 0.3  # 0.19999999999999998: openpyxl writes 16 digits
    ws["B4"] = True
    ws["B10"] = 10**17
    ws["B11"] = float("nan")
    ws["B5"] = date(2026, 3, 1)
    ws["B6"] = datetime(2026, 3, 1, 9, 30)
    ws["B7"] = '=IF(A1<>"",COUNTIF(A1:A8,">0")&"x",0)'
    ws["B8"] = "#N/A"
    ws["C3"].font = Font(bold=True)  # styled, no value
    ws["D2"] = "link"
    ws["D2"].hyperlink = "#'Sheet'!A1"
    ws.row_dimensions[12].height = 30  # a row with a height and no cells
    ws.row_dimensions[2].hidden = True
    ws.cell(20, 30)  # an empty cell, never written
    if extra == "comment":
        ws["E1"].comment = Comment("note", "me")
    elif extra == "carriage return":
        put(ws["E1"], "a\r\nb")
    wb.create_sheet("Empty")
    return wb


@pytest.mark.parametrize("extra", [None, "comment", "carriage return"])
def test_the_same_parts_as_openpyxl(tmp_path: Path, extra: str | None) -> None:
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    save_workbook(_workbook(extra), ours)
    _workbook(extra).save(theirs)  # type: ignore[attr-defined]
    assert _parts(ours) == _parts(theirs)
