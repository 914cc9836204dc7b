"""The two highlighting rules of a questionnaire's section sheets (not applicable, still
missing) are made once per workbook and written on every section sheet as before: the
same ranges, formulas, priorities 1 and 2 and their own fills."""

from __future__ import annotations

import zipfile
from pathlib import Path

from crmimpl.questionnaire.export import FIRST_ROW, ExportContext, export_questionnaire
from crmimpl.questionnaire.library import get_questionnaire


def test_every_section_sheet_has_both_rules(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ctx = ExportContext("p1", "Client", "en")
    out = export_questionnaire(get_questionnaire("survey"), ctx, tmp_path / "survey.xlsx")
    wb = load_workbook(out)
    sheets = [ws for ws in wb.worksheets if ws.conditional_formatting]
    assert len(sheets) >= 3
    for ws in sheets:
        rules = {str(cf.sqref): cf.rules for cf in ws.conditional_formatting}
        [(first, [na]), (second, [missing])] = sorted(rules.items())
        assert first.startswith(f"B{FIRST_ROW}:F") and second.startswith(f"C{FIRST_ROW}:D")
        assert (na.priority, missing.priority) == (1, 2)
        assert na.formula == [f"$G{FIRST_ROW}=FALSE"] and na.stopIfTrue
        assert missing.formula == [f"AND($G{FIRST_ROW}=TRUE,$H{FIRST_ROW}=TRUE,"
                                   f"$I{FIRST_ROW}=FALSE)"]
        assert na.dxf.fill != missing.dxf.fill and na.dxf.font.color is not None
    # two differential styles in the workbook, shared by every sheet
    styles = zipfile.ZipFile(out).read("xl/styles.xml").decode()
    assert '<dxfs count="2">' in styles
