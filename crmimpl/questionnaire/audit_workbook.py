"""The audit checklist workbook: the questionnaire writer with an auditor's layout.

The sheets are those of a questionnaire workbook (so the questionnaire importer reads
them back): the instructions sheet, one table sheet per area named after the area (a
row per check: how to check, status, criticality, evidence, owner, due date), the KPI
table (one row per goal; project facts locked and grey, the actual value open), the
conclusions sheet, and the hidden ``_lists`` and ``_meta`` (plus audit number and date).
openpyxl is imported inside functions only.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from pathlib import Path
from typing import Any

from crmimpl.i18n import words
from crmimpl.model.questionnaire import Question, Questionnaire
from crmimpl.questionnaire import export as qx
from crmimpl.questionnaire.filled import refuse_filled
from crmimpl.render.cells import fit_rows, new_workbook, save_workbook, shared
from crmimpl.store import atomic_write_with

LOCKED_FILL = "EDEDED"
STATUS_FILLS = {"passed": "C6EFCE", "partly": "FFEB9C", "failed": "FFC7CE",
                "not_applicable": "E7E6E6"}
GIVEN_COLUMNS = {"how", "norm", "metric", "unit", "direction", "baseline", "target", "deadline"}
CHECK_ROW_HEIGHT = 60


def write_checklist(definition: Questionnaire, ctx: qx.ExportContext, output: Path, *,
                    number: int, date: dt.date | None) -> Path:
    """Write the checklist workbook to ``output`` atomically.

    Args:
        definition: The checklist narrowed to the project (see ``crmimpl.questionnaire.audit``).
        ctx: Project facts and prefill (guidance, criticality, KPI facts).
        output: The ``.xlsx`` path.
        number: The audit number.
        date: The planned audit date, if known.

    Returns:
        The path written.
    """
    wb = build_checklist(definition, ctx, number=number, date=date)
    refuse_filled(output, wb, "crmimpl audit import")
    return atomic_write_with(output, lambda tmp: save_workbook(wb, tmp))


def build_checklist(definition: Questionnaire, ctx: qx.ExportContext, *, number: int,
                    date: dt.date | None) -> Any:
    """The openpyxl workbook of the checklist (not saved)."""
    lang = ctx.language
    plan = _layout(definition, lang)
    wb = new_workbook()
    writer = _ChecklistWriter(wb, definition, ctx, plan)
    writer.lists()
    writer.instructions(wb.active, None)
    writer.retitle(wb.active, number, date)
    for name, q, _number in plan.table_sheets:
        ws = wb.create_sheet(name)
        writer.table(ws, q, _number)
        writer.finish_table(ws, q)
    for name, section in plan.section_sheets:
        writer.section(wb.create_sheet(name), section)
    writer.meta(None, None)
    writer.audit_meta(number, date)
    stamp = datetime.combine(ctx.document_date or dt.date(2000, 1, 1), datetime.min.time())
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "crmimpl"
    wb.properties.title = definition.title.get(lang)
    return wb


def _layout(definition: Questionnaire, lang: str) -> qx.Plan:
    """Table sheets named after their areas; plain sections keep their own sheets."""
    plan = qx.plan_layout(definition, lang, None)
    instructions = words("questionnaire_workbook", lang)["instructions"]
    used = {qx.INSTRUCTIONS.lower(), instructions.lower(), qx.META, qx.LISTS}
    titles = {q.id: s.title.get(lang) for s in definition.sections for q in s.questions}
    tables = []
    for index, (_old, q, _number) in enumerate(plan.table_sheets, start=1):
        name = qx.sheet_title(titles[q.id], used)
        plan.slots[q.id].table_sheet = name
        tables.append((name, q, str(index)))
    sections = []
    for old, section in plan.section_sheets:
        if all(q.type == "table" for q in section.questions):
            continue
        name = qx.sheet_title(section.title.get(lang), used)
        for q in section.questions:
            if plan.slots[q.id].sheet == old:
                plan.slots[q.id].sheet = name
        sections.append((name, section))
    return qx.Plan(section_sheets=sections, table_sheets=tables, slots=plan.slots)


class _ChecklistWriter(qx._Writer):
    """The questionnaire writer, with the auditor's wording, locked facts and colours."""

    table_comments = False  # the checklist has its own "source and comment" column

    def retitle(self, ws: Any, number: int, date: dt.date | None) -> None:
        """Audit number in the title, audit wording on the instructions sheet."""
        ui, base = words("audit_workbook", self.lang), self.ui
        qx.put(ws["B1"], ui["title"].format(title=self.d.title.get(self.lang), number=number))
        relabel = {base["respondent"]: ui["respondent"], base["deadline"]: ui["date"]}
        for row in range(1, ws.max_row + 1):
            label = ws.cell(row, 2).value
            if label == base["how"]:
                qx.put(ws.cell(row, 3), ui["how_text"])
            elif label == base["deadline"]:
                qx.put(ws.cell(row, 3), date or base["deadline_none"])
            if label in relabel:
                qx.put(ws.cell(row, 2), relabel[label])
        # the audit's instructions are longer than a questionnaire's: the rows fitted
        # to those would cut them off
        fit_rows(ws, 2)

    def finish_table(self, ws: Any, q: Question) -> None:
        """Lock project facts, colour statuses, name the first column, size the rows."""
        from openpyxl.styles import PatternFill, Protection

        slot = self.plan.slots[q.id]
        header = qx.TABLE_FIRST_ROW - 1
        ui = words("audit_workbook", self.lang)
        qx.put(ws.cell(header, 2), ui["goal"] if q.id == "kpi" else ui["check"])
        ws.column_dimensions["B"].width = 45
        fill = shared(PatternFill, patternType="solid", fgColor=LOCKED_FILL)
        r1, r2 = slot.table_rows
        for ci, col in enumerate(q.columns, start=qx.TABLE_FIRST_COL):
            if col.id not in GIVEN_COLUMNS:
                continue
            for row in range(r1, r2 + 1):
                cell = ws.cell(row, ci)
                cell.protection = shared(Protection, locked=True)
                cell.fill = fill
        for row in range(r1, r2 + 1):
            ws.row_dimensions[row].height = CHECK_ROW_HEIGHT
        self._status_colours(ws, q, r1, r2)

    def _status_colours(self, ws: Any, q: Question, r1: int, r2: int) -> None:
        from openpyxl.formatting.rule import FormulaRule
        from openpyxl.styles import PatternFill
        from openpyxl.utils import get_column_letter

        index = next((i for i, c in enumerate(q.columns) if c.id == "status"), None)
        if index is None:
            return
        letter = get_column_letter(qx.TABLE_FIRST_COL + index)
        labels = {ch.id: ch.label.get(self.lang)
                  for ch in self.d.choice_list("audit_status").choices}
        for status, colour in STATUS_FILLS.items():
            rule = FormulaRule(formula=[f'${letter}{r1}={qx._quote(labels[status])}'],
                               fill=PatternFill("solid", fgColor=colour, bgColor=colour))
            ws.conditional_formatting.add(f"{letter}{r1}:{letter}{r2}", rule)

    def audit_meta(self, number: int, date: dt.date | None) -> None:
        """Audit number and planned date under the questionnaire's ``_meta`` rows."""
        ws = self.wb[qx.META]
        row = ws.max_row + 1
        for key, value in (("audit_number", number),
                           ("audit_date", date.isoformat() if date else "")):
            qx.put(ws.cell(row, 1), key)
            qx.put(ws.cell(row, 2), value)
            row += 1
