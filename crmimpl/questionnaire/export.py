"""Write a questionnaire as an Excel workbook for the client to fill in.

Layout (the importer relies on the id column and ``_meta``, never on positions):

* ``Instructions``: purpose, how to fill, deadline, contact; respondent fields; total %.
* one sheet per section: hidden id column A, number B, locked question C, unlocked
  highlighted answer D, hint and unit E, the client's comment F (unlocked, optional),
  hidden helper columns G-J (applies, required,
  answered, counts) that drive conditional formatting and the "% answered" formula;
* one sheet per table question with pre-allocated rows (hidden column-id row 3) and,
  after the question's columns, the client's comment on each row (id ``@comment``);
* ``_lists`` (choices as named ranges) and ``_meta`` (id, version, hash, project,
  audience, language), both very hidden.

Client and project text is always written as string cells, so ``=...`` never becomes a
formula. openpyxl is imported inside functions only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError
from crmimpl.i18n import LANGUAGES, words
from crmimpl.model import conditions as c
from crmimpl.model.questionnaire import Column, Question, Questionnaire, compiled_condition
from crmimpl.questionnaire.filled import FilledWorkbookError, kept_warning, refuse_filled
from crmimpl.render.cells import fit_rows, new_workbook, print_setup, put, save_workbook
from crmimpl.store import atomic_write_with

if TYPE_CHECKING:
    from crmimpl.model.project import Project

FORMAT_NAME = "crmimpl-questionnaire"
FORMAT_VERSION = 1
INSTRUCTIONS = "Instructions"
META = "_meta"
LISTS = "_lists"
ID_COL = 1
ANSWER_COL = 4
COMMENT_COL = 6
FIRST_ROW = 5
TABLE_ID_ROW = 3
TABLE_FIRST_ROW = 5
TABLE_FIRST_COL = 3
MULTI_SEP = "::"
TABLE_COMMENT = "@comment"  # id of the comment column of a table sheet (never a column id)
RESPONDENT_FIELDS = ("name", "position", "department", "date")
ANON_FIELD = "anonymous"

DATE_HINTS = {"day": "date_hint", "month": "date_hint_month", "year": "date_hint_year"}
TYPE_HINTS = {"url": "hint_url", "email": "hint_email", "phone": "hint_phone",
              "percent": "hint_percent", "money": "hint_money"}

ANSWER_FILL = "FFF2CC"
MISSING_FILL = "F8CBAD"
NA_FILL = "E7E6E6"
HEADER_FILL = "D9E1F2"


@dataclass
class Audience:
    """A department the workbook may be addressed to."""

    id: str
    kind: str
    name: str


@dataclass
class ExportContext:
    """What the exporter needs to know about the project (plain data)."""

    project_id: str
    client_name: str
    language: str = "ru"
    project_title: str = ""  # what the client reads; the id stays in the hidden _meta
    deadline: date | None = None
    contact_name: str = ""
    contact_email: str | None = None
    contact_phone: str | None = None
    audiences: list[Audience] = field(default_factory=list)
    prefill: dict[str, Any] = field(default_factory=dict)
    document_date: date | None = None
    country: str | None = None
    currency: str | None = None


def context_from_project(project: Project, *, language: str | None = None,
                         deadline: date | None = None) -> ExportContext:
    """Build the export context from a loaded project.

    The contact person is the contractor's consultant or project manager; the prefill
    holds project facts by their ``prefill`` key (``client.name``, ``client.departments``).
    """
    contact = _contact(project)
    client = project.client
    prefill: dict[str, Any] = {
        "client.name": client.name,
        "client.industry": client.industry,
        "client.description": client.description,
        "client.employees": client.employees,
        "client.crm_users": client.crm_users,
        "client.locations": list(client.locations) or None,
        "client.products": [{"name": p} for p in client.products] or None,
        "client.departments": [
            {"name": d.name, "head": d.head, "headcount": d.headcount, "crm_users": d.users,
             "functions": "; ".join(d.functions) or None}
            for d in client.departments
        ],
        "project.deadline": project.project.deadline,
        "project.title": project.project.title,
    }
    return ExportContext(
        project_id=project.project.id,
        project_title=project.project.title,
        client_name=client.name,
        language=language or project.project.language,
        deadline=deadline,
        contact_name=contact.name if contact else "",
        contact_email=contact.email if contact else None,
        contact_phone=contact.phone if contact else None,
        audiences=[Audience(d.id, d.kind, d.name) for d in client.departments],
        prefill={k: v for k, v in prefill.items() if v not in (None, [], "")},
        document_date=project.project.document_date or project.project.start,
        country=project.country,
        currency=project.project.currency,
    )


def _contact(project: Project) -> Any:
    for role in ("consultant", "project_manager", "analyst"):
        for person in project.team:
            if person.side == "contractor" and role in person.roles:
                return person
    return project.team[0] if project.team else None


# ------------------------------------------------------------------- audiences
def resolve_audience(definition: Questionnaire, ctx: ExportContext,
                     audience: str | None) -> tuple[str | None, str | None]:
    """``(audience as given, department kind)`` for a department id or kind.

    Raises:
        CrmimplError: unknown department, or a kind the questionnaire is not for.
    """
    if audience is None:
        return None, None
    dept = next((a for a in ctx.audiences if a.id == audience), None)
    kind = dept.kind if dept else audience
    if dept is None and kind not in ("sales", "service", "marketing", "management",
                                     "accounting", "other"):
        known = ", ".join(a.id for a in ctx.audiences)
        raise CrmimplError.single(
            f"--audience {audience}", "no department with this id or kind",
            hint=f"departments of the project: {known}" if known else "")
    if definition.audiences and kind not in definition.audiences:
        raise CrmimplError.single(
            f"--audience {audience}",
            f"questionnaire '{definition.id}' is not for {kind} departments",
            hint="it is for: " + ", ".join(definition.audiences))
    return audience, kind


def default_output(project_dir: Path, qid: str, audience: str | None, language: str) -> Path:
    """``out/questionnaires/<qid>[-<audience>]-<lang>.xlsx`` in the project folder."""
    return project_dir / "out" / "questionnaires" / output_name(qid, audience, language)


def output_name(qid: str, audience: str | None, language: str) -> str:
    """``<qid>[-<audience>]-<lang>.xlsx``."""
    return qid + (f"-{audience}" if audience else "") + f"-{language}.xlsx"


# ---------------------------------------------------------------------- layout
@dataclass
class Slot:
    """Where a question's answer lives in the workbook."""

    sheet: str
    row: int
    sub_rows: dict[str, int] = field(default_factory=dict)
    table_sheet: str | None = None
    table_rows: tuple[int, int] = (0, 0)
    table_cols: tuple[int, int] = (0, 0)


@dataclass
class Plan:
    """Sheets and answer positions, computed before anything is written."""

    section_sheets: list[tuple[str, Any]] = field(default_factory=list)
    table_sheets: list[tuple[str, Question, str]] = field(default_factory=list)
    slots: dict[str, Slot] = field(default_factory=dict)


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def sheet_title(text: str, used: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, no special characters)."""
    base = _BAD_SHEET_CHARS.sub(" ", text).strip()[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name.lower())
    return name


def plan_layout(definition: Questionnaire, language: str, kind: str | None) -> Plan:
    """Decide every sheet name and answer row."""
    ui = words("questionnaire_workbook", language)
    used = {INSTRUCTIONS.lower(), ui["instructions"].lower(), META, LISTS}
    plan = Plan()
    for si, section in enumerate(definition.sections_for(kind), start=1):
        name = sheet_title(f"{si}. {section.title.get(language)}", used)
        plan.section_sheets.append((name, section))
        row = FIRST_ROW
        for qi, q in enumerate(section.questions, start=1):
            slot = Slot(name, row)
            plan.slots[q.id] = slot
            row += 1
            if q.type == "select_multiple":
                for choice in definition.choice_list(q.choices or "").choices:
                    slot.sub_rows[choice.id] = row
                    row += 1
            if q.type == "table":
                tname = sheet_title(f"{ui['table_sheet']} {si}.{qi}", used)
                plan.table_sheets.append((tname, q, f"{si}.{qi}"))
                nrows = len(q.rows) or q.max_rows
                slot.table_sheet = tname
                slot.table_rows = (TABLE_FIRST_ROW, TABLE_FIRST_ROW + nrows - 1)
                slot.table_cols = (TABLE_FIRST_COL, TABLE_FIRST_COL + len(q.columns) - 1)
    return plan


# --------------------------------------------------------------------- export
def export_questionnaire(definition: Questionnaire, ctx: ExportContext, output: Path, *,
                         audience: str | None = None) -> Path:
    """Write the workbook for ``definition`` to ``output`` atomically.

    Args:
        definition: the questionnaire.
        ctx: project facts (language, contact, deadline, prefill).
        output: the ``.xlsx`` path to write.
        audience: department id or kind, for questionnaires per department.

    Returns:
        The path written.
    """
    if ctx.language not in LANGUAGES:
        raise CrmimplError.single(f"--lang {ctx.language}", "language must be ru or en")
    given, kind = resolve_audience(definition, ctx, audience)
    # The client sees only what applies in its country (no 152-FZ for a UK client).
    definition = definition.localised(ctx.country, ctx.currency)
    wb = build_workbook(definition, ctx, given, kind)
    refuse_filled(output, wb)
    return atomic_write_with(output, lambda tmp: save_workbook(wb, tmp))


def build_workbook(definition: Questionnaire, ctx: ExportContext, audience: str | None,
                   kind: str | None) -> Any:
    """The openpyxl workbook (not saved)."""
    plan = plan_layout(definition, ctx.language, kind)
    wb = new_workbook()
    writer = _Writer(wb, definition, ctx, plan)
    writer.lists()
    writer.instructions(wb.active, audience)
    for name, section in plan.section_sheets:
        writer.section(wb.create_sheet(name), section)
    for name, q, number in plan.table_sheets:
        writer.table(wb.create_sheet(name), q, number)
    writer.meta(audience, kind)
    stamp = datetime.combine(ctx.document_date or date(2000, 1, 1), datetime.min.time())
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "crmimpl"
    wb.properties.title = definition.title.get(ctx.language)
    return wb


def _fmt_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class _Writer:
    """Writes the sheets of one workbook; holds shared styles and lookups."""

    table_comments = True  # a comment column after a table's own columns

    def __init__(self, wb: Any, definition: Questionnaire, ctx: ExportContext,
                 plan: Plan) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        self.wb = wb
        self.d = definition
        self.ctx = ctx
        self.lang = ctx.language
        self.ui = words("questionnaire_workbook", ctx.language)
        self.plan = plan
        self.list_names: dict[str, str] = {}
        thin = Side(style="thin", color="BFBFBF")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=14)
        self.grey_font = Font(italic=True, color="595959")
        self.answer_fill = PatternFill("solid", fgColor=ANSWER_FILL)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.unlocked = Protection(locked=False)
        self.progress_cells: list[tuple[str, str, str]] = []
        self.comment_validations: dict[str, Any] = {}

    # ----------------------------------------------------------------- lists
    def lists(self) -> None:
        from openpyxl.workbook.defined_name import DefinedName

        ws = self.wb.create_sheet(LISTS)
        ws.sheet_state = "veryHidden"
        lists: list[tuple[str, list[str]]] = [
            ("yes_no", [self.ui["yes"], self.ui["no"]]),
            ("yes_only", [self.ui["yes"]]),
        ]
        lists += [(cl.id, [ch.label.get(self.lang) for ch in cl.choices])
                  for cl in self.d.choice_lists]
        for col, (list_id, labels) in enumerate(lists, start=1):
            put(ws.cell(1, col), list_id)
            for row, label in enumerate(labels, start=2):
                put(ws.cell(row, col), label)
            letter = ws.cell(1, col).column_letter
            name = f"list_{list_id}"
            ref = f"'{LISTS}'!${letter}$2:${letter}${len(labels) + 1}"
            self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
            self.list_names[list_id] = name

    # ---------------------------------------------------------- instructions
    def instructions(self, ws: Any, audience: str | None) -> None:
        ws.title = INSTRUCTIONS if self.lang == "en" else self.ui["instructions"]
        ui, ctx = self.ui, self.ctx
        ws.column_dimensions["A"].hidden = True
        ws.column_dimensions["B"].width = 26
        ws.column_dimensions["C"].width = 90
        put(ws["B1"], self.d.title.get(self.lang)).font = self.title_font
        rows: list[tuple[str, str, Any]] = [
            ("", ui["client"], ctx.client_name),
            ("", ui["project"], ctx.project_title or ctx.project_id),
            ("", ui["purpose"], self.d.introduction.get(self.lang)),
            ("", ui["how"], ui["how_text"]),
            ("", ui["deadline"], ctx.deadline or ui["deadline_none"]),
            ("", ui["contact"], self._contact_text()),
        ]
        if audience:
            dept = next((a.name for a in ctx.audiences if a.id == audience), audience)
            rows.append(("", ui["department"], dept))
        row = 3
        for key, label, value in rows:
            self._info_row(ws, row, key, label, value, editable=False)
            row += 1
        row += 1
        put(ws.cell(row, 2), ui["respondent"]).font = self.bold
        row += 1
        fields = list(RESPONDENT_FIELDS) + ([ANON_FIELD] if self.d.anonymous else [])
        for name in fields:
            # the name tells one respondent from another (marked required unless the
            # questionnaire may be answered anonymously)
            label = ui[name] + (" *" if name == "name" and not self.d.anonymous else "")
            self._info_row(ws, row, f"@respondent.{name}", label, None, editable=True)
            self._respondent_validation(ws, row, name)
            row += 1
        row += 1
        put(ws.cell(row, 2), ui["progress"]).font = self.bold
        self.progress_row = (ws, row)
        ws.sheet_view.showGridLines = False
        fit_rows(ws, 2)
        self._protect(ws)
        self._print_setup(ws, landscape=False)

    def _contact_text(self) -> str:
        ctx = self.ctx
        parts = [p for p in (ctx.contact_name, ctx.contact_email, ctx.contact_phone) if p]
        return ", ".join(parts)

    def _info_row(self, ws: Any, row: int, key: str, label: str, value: Any,
                  *, editable: bool) -> None:
        if key:
            put(ws.cell(row, ID_COL), key)
        put(ws.cell(row, 2), label).font = self.bold
        ws.cell(row, 2).alignment = self.wrap
        cell = ws.cell(row, 3)
        put(cell, value)
        if isinstance(value, date):
            cell.number_format = self._date_format()
        cell.alignment = self.wrap
        if editable:
            cell.protection = self.unlocked
            cell.fill = self.answer_fill
            cell.border = self.border

    def _respondent_validation(self, ws: Any, row: int, name: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        if name == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1")
            ws.cell(row, 3).number_format = self._date_format()
        elif name == ANON_FIELD:
            dv = DataValidation(type="list", formula1=f"={self.list_names['yes_no']}")
        else:
            return
        dv.add(ws.cell(row, 3).coordinate)
        ws.add_data_validation(dv)

    def finish_progress(self) -> None:
        ws, row = self.progress_row
        if not self.progress_cells:
            return
        num = ",".join(f"'{s}'!{n}" for s, n, _ in self.progress_cells)
        den = ",".join(f"'{s}'!{d}" for s, _, d in self.progress_cells)
        cell = ws.cell(row, 3)
        cell.value = f"=IFERROR(SUM({num})/SUM({den}),1)"
        cell.number_format = "0%"
        cell.font = self.bold

    # -------------------------------------------------------------- sections
    def section(self, ws: Any, section: Any) -> None:
        ui = self.ui
        self._section_header(ws, section)
        row = FIRST_ROW
        for number, q in enumerate(section.questions, start=1):
            row = self._question(ws, row, f"{number}", q)
        last = max(row - 1, FIRST_ROW)
        fit_rows(ws, 2)
        self._helpers_format(ws, last)
        self._progress(ws, last)
        put(ws.cell(3, 3), ui["progress"]).font = self.bold
        ws.freeze_panes = f"A{FIRST_ROW}"
        self._protect(ws)
        self._print_setup(ws, landscape=True, title_rows=f"{FIRST_ROW - 1}:{FIRST_ROW - 1}")

    def _section_header(self, ws: Any, section: Any) -> None:
        ui = self.ui
        widths = {"A": 14, "B": 6, "C": 60, "D": 45, "E": 40, "F": 35}
        for letter, width in widths.items():
            ws.column_dimensions[letter].width = width
        for letter in "AGHIJ":
            ws.column_dimensions[letter].hidden = True
        put(ws["B1"], section.title.get(self.lang)).font = self.title_font
        if section.intro:
            put(ws["C2"], section.intro.get(self.lang)).alignment = self.wrap
            ws.row_dimensions[2].height = 45
        for col, text in enumerate(["id", ui["number"], ui["question"], ui["answer"],
                                    ui["notes"], ui["comment"]], start=1):
            cell = put(ws.cell(FIRST_ROW - 1, col), text)
            cell.font = self.bold
            cell.fill = self.header_fill
            cell.border = self.border

    def _question(self, ws: Any, row: int, number: str, q: Question) -> int:
        ui = self.ui
        slot = self.plan.slots[q.id]
        put(ws.cell(row, ID_COL), q.id)
        put(ws.cell(row, 2), number)
        label = q.label.get(self.lang) + (" *" if q.required else "")
        put(ws.cell(row, 3), label)
        notes = self._notes(q)
        put(ws.cell(row, 5), notes or None)
        for col in (2, 3, 5):
            ws.cell(row, col).alignment = self.wrap
            ws.cell(row, col).border = self.border
        ws.cell(row, 5).font = self.grey_font
        answer = ws.cell(row, ANSWER_COL)
        answer.border = self.border
        answer.alignment = self.wrap
        applies = self._formula(q.relevant) if q.relevant else "TRUE"
        ws.cell(row, 7).value = f"={applies}" if q.relevant else True
        if q.type == "note":
            ws.cell(row, 3).font = self.grey_font
            return row + 1
        self._comment_cell(ws.cell(row, COMMENT_COL))
        required = self._formula(q.required_if) if q.required_if else q.required
        ws.cell(row, 8).value = f"={required}" if q.required_if else bool(required)
        ws.cell(row, 9).value = f"={self._answered(q.id)}"
        ws.cell(row, 10).value = 1
        if q.type == "table":
            put(answer, ui["see_sheet"].format(sheet=slot.table_sheet))
            answer.hyperlink = f"#'{slot.table_sheet}'!A1"
            answer.font = self.grey_font
            return row + 1
        if q.type == "select_multiple":
            put(answer, ui["choose_below"]).font = self.grey_font
            return self._sub_rows(ws, row, q, applies)
        self._answer_cell(answer, q, self.ctx.prefill.get(q.prefill or ""))
        ws.row_dimensions[row].height = 45 if q.type == "long_text" else None
        return row + 1

    def _comment_cell(self, cell: Any) -> None:
        """The client's explanation of an answer: unlocked, optional, with a prompt."""
        from openpyxl.worksheet.datavalidation import DataValidation

        cell.protection = self.unlocked
        cell.border = self.border
        cell.alignment = self.wrap
        cell.number_format = "@"
        ws = cell.parent
        dv = self.comment_validations.get(ws.title)
        if dv is None:
            dv = DataValidation(allow_blank=True)
            dv.promptTitle = clip(self.ui["comment"], 32)
            dv.prompt = clip(self.ui["comment_prompt"], 255)
            dv.showInputMessage = True
            ws.add_data_validation(dv)
            self.comment_validations[ws.title] = dv
        dv.add(cell.coordinate)

    def _sub_rows(self, ws: Any, row: int, q: Question, applies: str) -> int:
        prefilled = self.ctx.prefill.get(q.prefill or "") or []
        for choice in self.d.choice_list(q.choices or "").choices:
            row += 1
            put(ws.cell(row, ID_COL), f"{q.id}{MULTI_SEP}{choice.id}")
            put(ws.cell(row, 3), "    " + choice.label.get(self.lang)).alignment = self.wrap
            ws.cell(row, 7).value = f"={applies}" if q.relevant else True
            cell = ws.cell(row, ANSWER_COL)
            self._unlock(cell)
            self._validate(cell, "list", f"={self.list_names['yes_only']}",
                           choice.label.get(self.lang), q.label.get(self.lang))
            if choice.id in prefilled:
                put(cell, self.ui["yes"])
        return row + 1

    def _notes(self, q: Question | Column) -> str:
        parts = []
        if q.hint:
            parts.append(q.hint.get(self.lang))
        elif q.type in TYPE_HINTS:
            parts.append(self.ui[TYPE_HINTS[q.type]])
        if q.unit:
            parts.append(q.unit.get(self.lang))
        limits = self._limits(q)
        if limits:
            parts.append(limits)
        return "; ".join(parts)

    def _limits(self, q: Question | Column) -> str:
        ui = self.ui
        lo, hi = q.min, q.max
        if q.type == "scale":
            lo, hi = (lo if lo is not None else 1), (hi if hi is not None else 5)
        if lo is not None and hi is not None:
            return ui["range"].format(lo=_fmt_number(lo), hi=_fmt_number(hi))
        if lo is not None and lo != 0:
            return ui["min"].format(lo=_fmt_number(lo))
        if hi is not None:
            return ui["max"].format(hi=_fmt_number(hi))
        if q.type == "date":
            return ui[DATE_HINTS[q.date_precision]]
        return ""

    # ---------------------------------------------------------- answer cells
    def _unlock(self, cell: Any) -> None:
        cell.protection = self.unlocked
        cell.fill = self.answer_fill
        cell.border = self.border
        cell.alignment = self.wrap

    def _answer_cell(self, cell: Any, q: Question | Column, value: Any) -> None:
        self._unlock(cell)
        kind = q.type
        if kind in ("select_one", "yes_no"):
            name = self.list_names["yes_no" if kind == "yes_no" else q.choices or ""]
            self._validate(cell, "list", f"={name}", q.label.get(self.lang), self._notes(q))
        elif kind in ("integer", "scale"):
            lo = q.min if q.min is not None else (1 if kind == "scale" else -1e12)
            hi = q.max if q.max is not None else (5 if kind == "scale" else 1e12)
            self._validate(cell, "whole", _fmt_number(lo), q.label.get(self.lang),
                           self._notes(q), _fmt_number(hi))
            cell.number_format = "0"
        elif kind in ("decimal", "money", "percent"):
            lo = q.min if q.min is not None else -1e15
            hi = q.max if q.max is not None else 1e15
            self._validate(cell, "decimal", _fmt_number(lo), q.label.get(self.lang),
                           self._notes(q), _fmt_number(hi))
            # General, not a money format: then an office application marks what it
            # recognises in a typed value (15% as a percentage, $1,000 as dollars) with a
            # format of its own, and the importer can tell; a fixed format would hide it
            cell.number_format = "General"
        elif kind == "date" and q.date_precision == "year":
            self._validate(cell, "whole", "1700", q.label.get(self.lang), self._notes(q),
                           "2100")
            cell.number_format = "0"
        elif kind == "date" and q.date_precision == "month":
            # text, so that an office application does not turn 03.2026 into a day
            cell.number_format = "@"
            self._validate(cell, None, None, q.label.get(self.lang), self._notes(q))
        elif kind == "date":
            self._validate(cell, "date", "1", q.label.get(self.lang), self._notes(q),
                           operator="greaterThan")
            cell.number_format = self._date_format()
        else:
            cell.number_format = "@"
            if self._notes(q) or q.length:
                self._text_validation(cell, q)
        if value is not None:
            self._prefill(cell, q, value)

    def _text_validation(self, cell: Any, q: Question | Column) -> None:
        if q.length is not None and q.length.max is not None:
            self._validate(cell, "textLength", str(q.length.max), q.label.get(self.lang),
                           self._notes(q), operator="lessThanOrEqual")
        else:
            self._validate(cell, None, None, q.label.get(self.lang), self._notes(q))

    def _prefill(self, cell: Any, q: Question | Column, value: Any) -> None:
        if q.type == "date" and q.date_precision != "day":
            value = month_or_year_text(value, q.date_precision, self.lang)
        if q.type == "yes_no":
            value = self.ui["yes"] if value else self.ui["no"]
        elif q.type == "select_one":
            choices = self.d.choice_list(q.choices or "").choices
            value = next((ch.label.get(self.lang) for ch in choices if ch.id == value), None)
        elif isinstance(value, list):
            value = "\n".join(str(v) for v in value)
        put(cell, value)

    def _validate(self, cell: Any, kind: str | None, formula1: str | None, title: str,
                  prompt: str, formula2: str | None = None, operator: str | None = None
                  ) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        dv = DataValidation(type=kind, formula1=formula1, formula2=formula2,
                            operator=operator or ("between" if formula2 else None),
                            allow_blank=True)
        dv.promptTitle = clip(title, 32)
        dv.prompt = clip(prompt or title, 255)
        dv.showInputMessage = True
        if kind is not None:
            dv.showErrorMessage = True
            dv.errorTitle = clip(self.ui["bad_value"], 32)
            dv.error = clip(self.ui["bad_value_text"], 255)
        dv.add(cell.coordinate)
        cell.parent.add_data_validation(dv)

    def _date_format(self) -> str:
        return str(self.ui["date_format"])

    # ------------------------------------------------------------- formulas
    def _formula(self, condition: str) -> str:
        return to_excel(compiled_condition(condition), self)

    def cell_ref(self, qid: str) -> str:
        slot = self.plan.slots[qid]
        return f"'{slot.sheet}'!$D${slot.row}"

    def _answered(self, qid: str) -> str:
        slot = self.plan.slots.get(qid)
        if slot is None:
            return "FALSE"
        if slot.sub_rows:
            rows = list(slot.sub_rows.values())
            return f"COUNTA('{slot.sheet}'!$D${rows[0]}:$D${rows[-1]})>0"
        if slot.table_sheet:
            from openpyxl.utils import get_column_letter

            c1, c2 = (get_column_letter(x) for x in slot.table_cols)
            r1, r2 = slot.table_rows
            return f"COUNTA('{slot.table_sheet}'!${c1}${r1}:${c2}${r2})>0"
        return f"LEN({self.cell_ref(qid)})>0"

    def _helpers_format(self, ws: Any, last: int) -> None:
        # the two rules are the same on every sheet (and the only ones there, so their
        # priorities are too): made once per workbook
        rules = self.__dict__.get("_helper_rules")
        if rules is None:
            rules = self._helper_rules = self._make_helper_rules()
        not_applicable, missing = rules
        ws.conditional_formatting.add(f"B{FIRST_ROW}:F{last}", not_applicable)
        ws.conditional_formatting.add(f"C{FIRST_ROW}:D{last}", missing)

    @staticmethod
    def _make_helper_rules() -> tuple[Any, Any]:
        from openpyxl.formatting.rule import FormulaRule
        from openpyxl.styles import Font, PatternFill

        missing = FormulaRule(
            formula=[f"AND($G{FIRST_ROW}=TRUE,$H{FIRST_ROW}=TRUE,$I{FIRST_ROW}=FALSE)"],
            fill=PatternFill("solid", fgColor=MISSING_FILL, bgColor=MISSING_FILL))
        not_applicable = FormulaRule(
            formula=[f"$G{FIRST_ROW}=FALSE"],
            fill=PatternFill("solid", fgColor=NA_FILL, bgColor=NA_FILL),
            font=Font(color="A6A6A6"), stopIfTrue=True)
        return not_applicable, missing

    def _progress(self, ws: Any, last: int) -> None:
        g, i, j = (f"${col}${FIRST_ROW}:${col}${last}" for col in "GIJ")
        den = f"SUMPRODUCT(({j}=1)*({g}=TRUE))"
        num = f"SUMPRODUCT(({j}=1)*({g}=TRUE)*({i}=TRUE))"
        ws["G3"] = f"={num}"
        ws["H3"] = f"={den}"
        cell = ws["D3"]
        cell.value = "=IFERROR(G3/H3,1)"
        cell.number_format = "0%"
        cell.font = self.bold
        self.progress_cells.append((ws.title, "$G$3", "$H$3"))

    # ---------------------------------------------------------------- tables
    def table(self, ws: Any, q: Question, number: str) -> None:
        ui = self.ui
        slot = self.plan.slots[q.id]
        put(ws["B1"], f"{number}. {q.label.get(self.lang)}").font = self.title_font
        if q.hint:
            put(ws["B2"], q.hint.get(self.lang)).font = self.grey_font
        put(ws.cell(TABLE_ID_ROW, ID_COL), f"table{MULTI_SEP}{q.id}")
        ws.row_dimensions[TABLE_ID_ROW].hidden = True
        ws.column_dimensions["A"].hidden = True
        header = TABLE_FIRST_ROW - 1
        put(ws.cell(header, 2), ui["row"] if not q.rows else ui["question"])
        ws.column_dimensions["B"].width = 40 if q.rows else 6
        for ci, col in enumerate(q.columns, start=TABLE_FIRST_COL):
            put(ws.cell(TABLE_ID_ROW, ci), col.id)
            title = col.label.get(self.lang) + (" *" if col.required else "")
            put(ws.cell(header, ci), title)
            letter = ws.cell(header, ci).column_letter
            ws.column_dimensions[letter].width = 40 if col.type == "long_text" else 20
        last = slot.table_cols[1]
        if self.table_comments:
            last += 1
            put(ws.cell(TABLE_ID_ROW, last), TABLE_COMMENT)
            put(ws.cell(header, last), self.ui["comment"])
            ws.column_dimensions[ws.cell(header, last).column_letter].width = 30
        for ci in range(2, last + 1):
            cell = ws.cell(header, ci)
            cell.font, cell.fill, cell.border = self.bold, self.header_fill, self.border
            cell.alignment = self.wrap
        self._table_rows(ws, q, slot)
        fit_rows(ws, header)
        ws.freeze_panes = ws.cell(TABLE_FIRST_ROW, TABLE_FIRST_COL).coordinate
        self._protect(ws)
        self._print_setup(ws, landscape=True, title_rows=f"{header}:{header}")

    def _table_rows(self, ws: Any, q: Question, slot: Slot) -> None:
        prefill = self.ctx.prefill.get(q.prefill or "") or []
        r1, r2 = slot.table_rows
        for index, row in enumerate(range(r1, r2 + 1)):
            fixed = q.rows[index] if q.rows else None
            put(ws.cell(row, ID_COL), fixed.id if fixed else f"r{index + 1}")
            label = put(ws.cell(row, 2), fixed.label.get(self.lang) if fixed else index + 1)
            label.alignment, label.border = self.wrap, self.border
            values = prefill[index] if index < len(prefill) else {}
            for ci, col in enumerate(q.columns, start=TABLE_FIRST_COL):
                value = values.get(col.id) if isinstance(values, dict) else None
                self._answer_cell(ws.cell(row, ci), col, value)
            if self.table_comments:
                self._comment_cell(ws.cell(row, slot.table_cols[1] + 1))

    # ------------------------------------------------------------------ meta
    def meta(self, audience: str | None, kind: str | None) -> None:
        self.finish_progress()
        ws = self.wb.create_sheet(META)
        ws.sheet_state = "veryHidden"
        rows = [
            ("format", FORMAT_NAME),
            ("format_version", FORMAT_VERSION),
            ("questionnaire", self.d.id),
            ("version", self.d.version),
            ("hash", self.d.content_hash()),
            ("project", self.ctx.project_id),
            ("audience", audience or ""),
            ("audience_kind", kind or ""),
            ("language", self.lang),
            ("country", self.ctx.country or ""),
            ("currency", self.ctx.currency or ""),
        ]
        for row, (key, value) in enumerate(rows, start=1):
            put(ws.cell(row, 1), key)
            put(ws.cell(row, 2), value)
        self._protect(ws)

    # ----------------------------------------------------------------- sheet
    def _protect(self, ws: Any) -> None:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.protection.formatCells = False

    def _print_setup(self, ws: Any, *, landscape: bool, title_rows: str | None = None
                     ) -> None:
        print_setup(ws, landscape=landscape, title_rows=title_rows)


def month_or_year_text(value: Any, precision: str, lang: str) -> Any:
    """A date, a ``YYYY-MM`` month or a year as typed in a month or year cell:
    ``03.2026`` (ru), ``03/2026`` (en) or ``2026``."""
    if isinstance(value, date):
        year, month = value.year, value.month
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        year, month = int(value[:4]), int(value[5:])
    else:
        return value
    if precision == "year":
        return year
    return f"{month:02d}{'.' if lang == 'ru' else '/'}{year}"


def clip(text: str, limit: int) -> str:
    """Cut text to ``limit`` characters, with an ellipsis when cut (Excel limits)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------- conditions → Excel
def to_excel(node: c.Node, writer: _Writer) -> str:
    """Translate a condition into an Excel formula over the workbook's answer cells.

    Choice codes become the labels shown in the workbook; unanswered numbers compare
    as false, like :func:`crmimpl.model.conditions.evaluate`.
    """
    if isinstance(node, c.BoolOp):
        return f"{node.op.upper()}({','.join(to_excel(i, writer) for i in node.items)})"
    if isinstance(node, c.Not):
        return f"NOT({to_excel(node.item, writer)})"
    if isinstance(node, c.Call):
        ref = node.args[0]
        assert isinstance(ref, c.Ref)
        if node.name == "answered":
            return writer._answered(ref.id)
        code = node.args[1].value if isinstance(node.args[1], c.Lit) else ""
        slot = writer.plan.slots.get(ref.id)
        if slot is not None and slot.sub_rows:
            row = slot.sub_rows.get(str(code))
            return f"LEN('{slot.sheet}'!$D${row})>0" if row else "FALSE"
        return f"{_operand(ref, writer)}={_excel_literal(code, ref, writer)}"
    if isinstance(node, c.In):
        operand = node.operand
        parts = [_equals(operand, o, writer) for o in node.options]
        text = f"OR({','.join(parts)})"
        return f"NOT({text})" if node.negated else text
    if isinstance(node, c.Compare):
        return _compare(node, writer)
    if isinstance(node, c.Ref):
        q = writer.d.find(node.id)
        if q is not None and q.type == "yes_no":
            return f"{writer.cell_ref(node.id)}={_quote(writer.ui['yes'])}"
        return writer._answered(node.id)
    return "TRUE" if node.value else "FALSE"


def _compare(node: c.Compare, writer: _Writer) -> str:
    if node.op in ("=", "!="):
        text = _equals(node.left, node.right, writer)
        return f"NOT({text})" if node.op == "!=" else text
    guards = [f"ISNUMBER({_operand(side, writer)})" for side in (node.left, node.right)
              if isinstance(side, c.Ref)]
    body = f"{_operand(node.left, writer)}{node.op}{_operand(node.right, writer)}"
    return f"AND({','.join([*guards, body])})" if guards else body


def _equals(left: c.Node, right: c.Node, writer: _Writer) -> str:
    if isinstance(left, c.Lit) and isinstance(right, c.Ref):
        left, right = right, left
    if isinstance(left, c.Ref) and isinstance(right, c.Lit):
        if writer.plan.slots.get(left.id) and writer.plan.slots[left.id].sub_rows:
            return to_excel(c.Call("selected", (left, right)), writer)
        return f"{_operand(left, writer)}={_excel_literal(right.value, left, writer)}"
    return f"{_operand(left, writer)}={_operand(right, writer)}"


def _operand(node: c.Node, writer: _Writer) -> str:
    if isinstance(node, c.Ref):
        return writer.cell_ref(node.id) if node.id in writer.plan.slots else '""'
    if isinstance(node, c.Lit):
        return _excel_literal(node.value, None, writer)
    return to_excel(node, writer)


def _excel_literal(value: Any, ref: c.Ref | None, writer: _Writer) -> str:
    q = writer.d.find(ref.id) if ref else None
    if q is not None and q.type == "yes_no":
        truthy = value is True or str(value).lower() in ("yes", "true")
        return _quote(writer.ui["yes"] if truthy else writer.ui["no"])
    if q is not None and q.choices and isinstance(value, str):
        for ch in writer.d.choice_list(q.choices).choices:
            if ch.id == value:
                return _quote(ch.label.get(writer.lang))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return f"{value:g}"
    return _quote(str(value))


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def export_for_project(project_path: Path, qid: str, *, audience: str | None = None,
                       language: str | None = None, deadline: date | None = None,
                       output: Path | None = None) -> Path:
    """Load the project and write its workbook for questionnaire ``qid`` (CLI entry).

    The default output is ``out/questionnaires/<qid>[-<audience>]-<lang>.xlsx``.
    """
    from crmimpl.model.project import load_project
    from crmimpl.questionnaire.library import get_questionnaire

    project = load_project(project_path)
    definition = get_questionnaire(qid, project.folder)
    if deadline is None:
        from crmimpl.plan.builder import build_plan

        deadline = return_by(build_plan(project))
    ctx = context_from_project(project, language=language, deadline=deadline)
    target = output or default_output(project.folder, qid, audience, ctx.language)
    return export_questionnaire(definition, ctx, target, audience=audience)


def return_by(plan: Any) -> date | None:
    """The day the client's workbooks are due back, from the plan: when its staff
    questionnaires task ends; in a plan without one (express, CTI, iterative), when the
    last interview ends, since the answers feed the survey report that follows. ``None``
    when the plan has neither (the workbook then says the date is to be agreed)."""
    own = [t.finish for t in plan.tasks if t.id == "survey.questionnaires"]
    if own:
        return own[0]
    return max((t.finish for t in plan.tasks
                if t.id.startswith(("survey.interview", "mvp.interview"))), default=None)


def build_outputs(ctx: Any) -> list[Path]:
    """Every questionnaire workbook of a project, for ``crmimpl build``.

    Questionnaires for departments are written once per department of a matching kind;
    the others once. Files go to ``<out>/questionnaires/<qid>[-<dept>]-<lang>.xlsx``. A
    workbook there that holds answers is kept, with a warning in ``ctx.warnings``.

    Args:
        ctx: the build context (``project``, ``options.out``, ``options.langs``); in an
            incremental build a workbook written from the same content is left as it is.
    """
    from crmimpl.questionnaire.library import load_library

    project = ctx.project
    library = load_library(project.folder)
    incremental = hasattr(ctx, "same_as_before")  # a BuildContext (see crmimpl.incremental)
    paths = []
    due = return_by(ctx.plan) if getattr(ctx, "plan", None) is not None else None
    for lang in ctx.options.langs:
        export_ctx = context_from_project(project, language=lang, deadline=due)
        context_text = repr(export_ctx) if incremental else ""
        for qid, definition in library.items():
            if definition.kind == "audit":
                continue  # audit checklists belong to the audit, not the survey
            # the state's key, once per definition (its repr is long; departments share it)
            definition_text = repr(definition) if incremental else ""
            for audience in _audiences_for(definition, export_ctx):
                target = ctx.options.out / "questionnaires" / output_name(qid, audience, lang)
                parts = [definition_text, context_text, audience]
                if incremental and ctx.same_as_before("questionnaire", parts, [target]):
                    continue  # an incremental build: written from the same content
                try:
                    paths.append(export_questionnaire(definition, export_ctx, target,
                                                      audience=audience))
                except FilledWorkbookError as exc:
                    ctx.warnings.append(kept_warning(exc))
                else:
                    if incremental:
                        ctx.remember("questionnaire", parts, [target])
    return paths


def _audiences_for(definition: Questionnaire, ctx: ExportContext) -> list[str | None]:
    if not definition.audiences:
        return [None]
    return [a.id for a in ctx.audiences if a.kind in definition.audiences]
