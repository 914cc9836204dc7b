"""Workbooks print as a reader expects: every column on the page's width, the header on
every page, and no wrapped text printed over the next row (neither LibreOffice nor Excel
grows a row to its text when it opens a file)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crmimpl.render.textwidth import line_count
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("print")
    done = subprocess.run([sys.executable, "-m", "crmimpl", "build",
                           str(EXAMPLES / "kreativ-agency"), "-o", str(folder), "--only",
                           "plan,training-workbook,questionnaires,audit"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return folder


def _workbooks(out: Path) -> list[Path]:
    found = sorted(out.rglob("*.xlsx"))
    assert any("questionnaires" in p.parts for p in found)
    assert any(p.name.endswith("-plan.xlsx") for p in found)
    return found


def test_every_visible_sheet_fits_the_page_width(out: Path) -> None:
    for path in _workbooks(out):
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            where = f"{path.name}, sheet {ws.title!r}"
            assert ws.sheet_properties.pageSetUpPr.fitToPage, where
            assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, where
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), where


def test_wrapped_text_rows_are_tall_enough(out: Path) -> None:
    checked = 0
    paths = [*out.rglob("questionnaires/*.xlsx"), *out.glob("*-training-*.xlsx")]
    assert any("training" in p.name for p in paths)
    for path in paths:
        wb = load_workbook(path)
        for ws in wb.worksheets:
            if ws.sheet_state != "visible":
                continue
            for row in ws.iter_rows(min_row=2):
                for cell in row:
                    if not (isinstance(cell.value, str) and cell.alignment.wrap_text):
                        continue
                    dim = ws.column_dimensions[cell.column_letter]
                    if dim.hidden:
                        continue
                    lines = line_count(cell.value, (dim.width or 8.43) * 7 * 15,
                                       float(cell.font.sz or 11), bool(cell.font.b))
                    if lines > 1:
                        height = ws.row_dimensions[cell.row].height
                        assert height and height >= lines * 14, (
                            f"{path.name}!{ws.title}!{cell.coordinate}: {lines} lines, "
                            f"row height {height}")
                        checked += 1
    assert checked > 10
