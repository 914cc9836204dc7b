"""Import filled questionnaire workbooks into ``answers/*.yaml``, one response per
respondent (see :mod:`crmimpl.questionnaire.answers`).

Order of work: the file passes :mod:`crmimpl.questionnaire.safety` before openpyxl sees
it; openpyxl reads it in read-only mode within fixed row and column bounds; answers are
found by the hidden id column and the ``_meta`` sheet (never by position), converted to
typed values and validated; every problem of every file is reported at once as
``file.xlsx!Sheet!D14: message``. Formulas in answer cells are flagged, never evaluated.

Values are read as the client meant them (by the question's type and the workbook's
language: percentages, grouped and decimal-comma numbers, amounts with their currency,
dates typed as text), or refused with what to type; nothing is changed silently. The
id column, header row and answer and comment columns are found on every sheet, so
inserted rows and columns move nothing; a question found twice is an error naming both
places; a question the workbook lacks is named in a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmimpl.errors import CrmimplError, Problem
from crmimpl.i18n import LANGUAGES, words
from crmimpl.messages import counted, current, error, msg, problem, speaking
from crmimpl.model.conditions import evaluate
from crmimpl.model.questionnaire import Column, Question, Questionnaire, compiled_condition
from crmimpl.questionnaire import export as fmt
from crmimpl.questionnaire.answers import (
    AnswerFile,
    Conflict,
    Respondent,
    Response,
    answers_path,
    diff_answers,
    find_conflicts,
    read_answer_file,
    read_settled,
    write_answer_file,
)
from crmimpl.questionnaire.safety import check_workbook

MAX_ROWS = 3000
MAX_COLS = 40

YES = {"yes", "да", "y", "д", "true", "истина", "1", "+", "x", "х", "✓", "✔", "v"}
NO = {"no", "нет", "n", "н", "false", "ложь", "0", "-"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{5,25}$")
_URL = re.compile(r"^(https?://)?[\w\-]+(\.[\w\-]+)+(:\d+)?(/\S*)?$", re.IGNORECASE)
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")
MAX_TEXT = 10_000
ANSWER_TITLES = tuple(words("questionnaire_workbook", lang)["answer"].casefold()
                      for lang in LANGUAGES)
COMMENT_TITLES = tuple(words("questionnaire_workbook", lang)["comment"].casefold()
                       for lang in LANGUAGES)


@dataclass
class RawCell:
    """A cell value as read, with its location for messages."""

    location: str
    value: Any
    is_formula: bool = False
    number_format: str = "General"


@dataclass
class ParsedWorkbook:
    """One workbook read and validated (not yet written)."""

    path: Path
    definition: Questionnaire
    meta: dict[str, str]
    response: Response
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def audience(self) -> str | None:
        """Audience the workbook was exported for (department id or kind)."""
        return self.meta.get("audience") or None


@dataclass
class ImportResult:
    """What an import did, per workbook: the answers file, added, replaced or unchanged,
    and whose answers they were (``respondents``, in the same order)."""

    written: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    respondents: list[str] = field(default_factory=list)
    language: str = "en"  # of the messages (see crmimpl.messages)

    def lines(self) -> tuple[list[str], list[str]]:
        """(warnings, results) for the terminal, in the messages' language."""
        with speaking(self.language):
            warnings = [f"{msg('warning')}: {w}" for w in self.warnings]
            results = [msg("imported_line", status=msg(f"status_{status}"), path=path,
                           who=who, file=source)
                       for (path, status), (who, source) in zip(
                           self.written, self.sources, strict=True)]
        return warnings, results

    sources: list[tuple[str, str]] = field(default_factory=list)


# --------------------------------------------------------------------- reading
# What openpyxl raises while streaming a malformed or truncated part.
DAMAGED_PART_ERRORS = (SyntaxError, ValueError, KeyError, IndexError, TypeError, EOFError,
                       zlib.error, zipfile.BadZipFile)


def damaged(location: str, exc: BaseException) -> CrmimplError:
    """The message for a part openpyxl cannot parse (truncated or broken XML).

    openpyxl wraps the parser's error in a long ValueError that ends with "Please see the
    exception for more details"; the message gives that cause instead.
    """
    cause = exc.__cause__ or exc
    detail = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
    return error(location, msg("damaged", detail=detail), msg("damaged_hint"))


def sheet_rows(path: Path, ws: Any, **bounds: int) -> list[Any]:
    """All rows of a worksheet within ``bounds``, or a damaged-sheet error at Sheet."""
    try:
        return list(ws.iter_rows(**bounds))
    except DAMAGED_PART_ERRORS as exc:
        raise damaged(f"{path.name}!{ws.title}", exc) from None


def read_workbook(path: Path, library: dict[str, Questionnaire], *,
                  project_id: str | None = None, partial: bool = False) -> ParsedWorkbook:
    """Check, read and validate one filled workbook.

    Raises:
        CrmimplError: the file is unsafe, or not a questionnaire from crmimpl. Problems
            with individual answers are returned in ``problems`` instead.
    """
    from openpyxl import load_workbook

    check_workbook(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except CrmimplError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise damaged(path.name, exc) from None
    try:
        meta = _read_meta(path, wb)
        definition = _definition(path, meta, library, project_id)
        reader = _SheetReader(path, wb, definition)
        reader.read_all()
    finally:
        wb.close()
    parsed = _Validator(path, definition, meta, reader, partial).run()
    if meta.get("hash") != definition.content_hash():
        parsed.warnings.append(msg("other_version", file=path.name, version=meta.get("version"),
                                   id=definition.id))
    parsed.warnings += reader.warnings
    return parsed


def _read_meta(path: Path, wb: Any) -> dict[str, str]:
    if fmt.META not in wb.sheetnames:
        raise error(path.name, msg("not_a_questionnaire"), msg("not_a_questionnaire_hint"))
    meta: dict[str, str] = {}
    for row in sheet_rows(path, wb[fmt.META], min_row=1, max_row=50, max_col=2):
        row = tuple(getattr(cell, "value", None) for cell in row)
        if row and row[0] is not None:
            meta[str(row[0])] = "" if row[1] is None else str(row[1])
    if meta.get("format") != fmt.FORMAT_NAME:
        raise error(f"{path.name}!{fmt.META}", msg("unknown_format"))
    return meta


def _definition(path: Path, meta: dict[str, str], library: dict[str, Questionnaire],
                project_id: str | None) -> Questionnaire:
    qid = meta.get("questionnaire", "")
    if qid not in library:
        raise error(f"{path.name}!{fmt.META}", msg("unknown_questionnaire", id=qid),
                    msg("known", items=", ".join(library)))
    if project_id and meta.get("project") and meta["project"] != project_id:
        raise error(f"{path.name}!{fmt.META}",
                    msg("other_project", theirs=meta["project"], ours=project_id),
                    msg("other_project_hint"))
    # The workbook was exported for the client's country and currency: read it as such.
    return library[qid].localised(meta.get("country") or None, meta.get("currency") or None)


HEAD_ROWS = 30  # the id column and the header are looked for in the first rows
HEAD_COLS = 12


class _SheetReader:
    """Collects raw answer cells by id from every sheet, within bounds.

    The hidden id column, the header row and the answer and comment columns are found
    on each sheet (by the ``id`` header and the column titles in either language), so
    inserted rows and columns move nothing; a question found twice is a problem naming
    both places, never a silent pick.
    """

    def __init__(self, path: Path, wb: Any, definition: Questionnaire) -> None:
        self.path = path
        self.wb = wb
        self.d = definition
        self.cells: dict[str, RawCell] = {}
        self.multi: dict[str, dict[str, RawCell]] = {}
        self.tables: dict[str, list[tuple[str, dict[str, RawCell]]]] = {}
        self.comments: dict[str, RawCell] = {}
        # comments on the rows of a table sheet, by table: (row id, cell)
        self.row_comments: dict[str, list[tuple[str, RawCell]]] = {}
        self.respondent: dict[str, RawCell] = {}
        self.warnings: list[str] = []
        self.problems: list[Problem] = []
        self.seen: dict[str, RawCell] = {}
        self.copies: dict[tuple[str, str], list[str]] = {}

    def loc(self, sheet: str, row: int, col: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.path.name}!{sheet}!{get_column_letter(col)}{row}"

    def read_all(self) -> None:
        for ws in self.wb.worksheets:
            if ws.title in (fmt.META, fmt.LISTS):
                continue
            rows = sheet_rows(self.path, ws, min_row=1, max_row=MAX_ROWS, max_col=MAX_COLS)
            table = _find(rows, lambda v: v.startswith("table" + fmt.MULTI_SEP))
            if table is not None:
                row, col = table
                marker = str(_value(rows, row, col))
                self._table(ws.title, rows, marker.split(fmt.MULTI_SEP, 1)[1], row, col)
            else:
                self._section(ws.title, rows)
            self._far_cells(ws)
        self._copied_sheets()

    def _raw(self, sheet: str, rows: list[Any], row: int, col: int) -> RawCell:
        cell = rows[row - 1][col - 1] if row <= len(rows) and col <= len(rows[row - 1]) \
            else None
        value = getattr(cell, "value", None)
        is_formula = getattr(cell, "data_type", None) == "f" or (
            isinstance(value, str) and value.startswith("=") and len(value) > 1
            and getattr(cell, "data_type", None) != "s")
        number_format = str(getattr(cell, "number_format", None) or "General")
        return RawCell(self.loc(sheet, row, col), value, is_formula, number_format)

    def _columns(self, rows: list[Any]) -> tuple[int, int, int | None]:
        """(id column, answer column, comment column) of a section sheet."""
        header = _find(rows, lambda v: v == "id")
        keyed = header or _find(rows, lambda v: v.startswith("@respondent."))
        if header is None:
            id_col = keyed[1] if keyed else fmt.ID_COL
            return id_col, id_col + 2, None
        row, id_col = header
        titles = {str(_value(rows, row, c) or "").strip().casefold(): c
                  for c in range(id_col + 1, MAX_COLS + 1)}
        answer = next((titles[t] for t in ANSWER_TITLES if t in titles),
                      id_col + fmt.ANSWER_COL - fmt.ID_COL)
        comment = next((titles[t] for t in COMMENT_TITLES if t in titles), None)
        return id_col, answer, comment

    def _section(self, sheet: str, rows: list[Any]) -> None:
        id_col, answer_col, comment_col = self._columns(rows)
        for index in range(1, len(rows) + 1):
            key = _value(rows, index, id_col)
            if not isinstance(key, str) or not key or key == "id":
                continue
            if key.startswith("@respondent."):
                raw = self._raw(sheet, rows, index, answer_col)
                if self._first(key, raw):
                    self.respondent[key.split(".", 1)[1]] = raw
                continue
            raw = self._raw(sheet, rows, index, answer_col)
            if not self._first(key, raw):
                continue
            qid = key.split(fmt.MULTI_SEP, 1)[0]
            if comment_col is not None:
                self._comment(qid, self._raw(sheet, rows, index, comment_col))
            if fmt.MULTI_SEP in key:
                q = self.d.find(qid)
                if q is not None:
                    self.multi.setdefault(q.id, {})[key.split(fmt.MULTI_SEP, 1)[1]] = raw
            else:
                self._question_cell(raw, key)

    def _first(self, key: str, raw: RawCell) -> bool:
        """Record where ``key`` was found; False (and a problem) when found before."""
        before = self.seen.get(key)
        if before is None:
            self.seen[key] = raw
            return True
        sheet_a, sheet_b = (r.location.split("!")[1] for r in (before, raw))
        if sheet_a == sheet_b:
            if before.value != raw.value:
                self.problems.append(problem(raw.location, msg(
                    "twice_on_sheet", key=key, other=before.location.rsplit('!', 1)[1]),
                    msg("twice_on_sheet_hint")))
        else:
            differs = before.value != raw.value
            self.copies.setdefault((sheet_a, sheet_b), []).append(key if differs else "")
        return False

    def _copied_sheets(self) -> None:
        for (first, second), keys in self.copies.items():
            differing = [k for k in keys if k]
            where = f"{self.path.name}!{second}"
            if not differing:
                self.warnings.append(msg("copied_same", where=where, first=first))
                continue
            shown = ", ".join(differing[:5]) + (" ..." if len(differing) > 5 else "")
            self.problems.append(problem(where, msg(
                "copied_differs", first=first, n=len(differing), shown=shown),
                msg("copied_differs_hint", first=first, second=second)))

    def _comment(self, qid: str, raw: RawCell) -> None:
        if raw.value is not None and str(raw.value).strip() and not raw.is_formula:
            if qid in self.comments:
                text = f"{self.comments[qid].value}\n{raw.value}"
                self.comments[qid] = RawCell(raw.location, text)
            else:
                self.comments[qid] = raw

    def _question_cell(self, raw: RawCell, key: str) -> None:
        q = self.d.find(key)
        if q is None:
            self.warnings.append(msg("question_gone", where=raw.location, key=key,
                                     id=self.d.id))
        elif q.type not in ("table", "note", "select_multiple"):
            self.cells[q.id] = raw

    def _table(self, sheet: str, rows: list[Any], key: str, id_row: int, id_col: int
               ) -> None:
        q = self.d.find(key)
        if q is None or q.type != "table":
            self.warnings.append(msg("table_gone", where=f"{self.path.name}!{sheet}", key=key,
                                     id=self.d.id))
            return
        if q.id in self.tables:
            self.problems.append(problem(
                f"{self.path.name}!{sheet}", msg("table_copied", sheet=self._table_sheet(q.id)),
                msg("table_copied_hint")))
            return
        header = rows[id_row - 1] if len(rows) >= id_row else ()
        columns = {c.value: i + 1 for i, c in enumerate(header)
                   if i + 1 > id_col and isinstance(c.value, str)}
        out = self.tables.setdefault(q.id, [])
        for index in range(id_row + 1, len(rows) + 1):
            row_id = _value(rows, index, id_col)
            if not isinstance(row_id, str):
                continue
            cells = {cid: self._raw(sheet, rows, index, col) for cid, col in columns.items()}
            comment = cells.pop(fmt.TABLE_COMMENT, None)
            if comment is not None and comment.value is not None and \
                    str(comment.value).strip() and not comment.is_formula:
                self.row_comments.setdefault(q.id, []).append((row_id, comment))
            cells["__row__"] = RawCell(self.loc(sheet, index, id_col + 1), None)
            out.append((row_id, cells))
        if not out:
            out.append(("", {"__row__": RawCell(self.loc(sheet, id_row + 2, id_col + 1),
                                                None)}))

    def _table_sheet(self, qid: str) -> str:
        rows = self.tables.get(qid) or []
        return rows[0][1]["__row__"].location.split("!")[1] if rows else "?"

    def _far_cells(self, ws: Any) -> None:
        """Warn about values beyond the rows and columns read (not merely formatting)."""
        from openpyxl.utils import get_column_letter

        if (ws.max_row or 0) <= MAX_ROWS and (ws.max_column or 0) <= MAX_COLS:
            return
        try:
            far = _first_far_value(ws)
        except DAMAGED_PART_ERRORS as exc:
            raise damaged(f"{self.path.name}!{ws.title}", exc) from None
        if far is not None:
            ref = f"{get_column_letter(far[1])}{far[0]}"
            self.warnings.append(msg("far_value", where=f"{self.path.name}!{ws.title}!{ref}",
                                     ref=ref, rows=MAX_ROWS, cols=MAX_COLS))


def _first_far_value(ws: Any) -> tuple[int, int] | None:
    """(row, column) of the first non-empty cell beyond the bounds, from the sheet's XML
    (only the cells written are parsed, however large the declared dimension)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    with ws._get_source() as src:
        parser = WorkSheetParser(src, ws._shared_strings, data_only=True,
                                 epoch=ws.parent.epoch, date_formats=ws.parent._date_formats,
                                 timedelta_formats=ws.parent._timedelta_formats)
        for _, row in parser.parse():
            for cell in row:
                if cell.get("value") in (None, ""):
                    continue
                if cell["row"] > MAX_ROWS or cell["column"] > MAX_COLS:
                    return int(cell["row"]), int(cell["column"])
    return None


def _find(rows: list[Any], test: Any) -> tuple[int, int] | None:
    """(row, column) of the first string cell in the sheet's head that passes ``test``."""
    for r in range(1, min(len(rows), HEAD_ROWS) + 1):
        for c in range(1, min(len(rows[r - 1]), HEAD_COLS) + 1):
            value = getattr(rows[r - 1][c - 1], "value", None)
            if isinstance(value, str) and test(value):
                return r, c
    return None


def _value(rows: list[Any], row: int, col: int) -> Any:
    if row > len(rows) or col > len(rows[row - 1]):
        return None
    return getattr(rows[row - 1][col - 1], "value", None)


# ------------------------------------------------------------------ validation
class _Validator:
    """Turns raw cells into typed answers and collects every problem."""

    def __init__(self, path: Path, definition: Questionnaire, meta: dict[str, str],
                 reader: _SheetReader, partial: bool) -> None:
        self.path = path
        self.d = definition
        self.meta = meta
        self.r = reader
        self.partial = partial
        self.problems: list[Problem] = []
        self.failed: set[str] = set()
        self.answers: dict[str, Any] = {}
        self.gone: set[str] = set()
        self.notes: list[str] = []

    def problem(self, location: str, message: str, hint: str = "") -> None:
        self.problems.append(problem(location, message, hint))

    def run(self) -> ParsedWorkbook:
        for qid, raw in self.r.cells.items():
            self._single(self.d.question(qid), raw)
        for qid, cells in self.r.multi.items():
            self._multi(self.d.question(qid), cells)
        for qid, rows in self.r.tables.items():
            self._table(self.d.question(qid), rows)
        self.problems[:0] = self.r.problems
        warnings = self._missing() + self._relevance() + self._unnamed()
        comments = {qid: str(raw.value).strip()[:MAX_TEXT]
                    for qid, raw in sorted(self.r.comments.items())
                    if self.d.find(qid) is not None}
        comments.update(self._row_comments())
        response = Response(source=self.path.name, respondent=self._respondent(),
                            imported=now(), answers=dict(sorted(self.answers.items())),
                            comments={self.d.question(k).id: v for k, v in comments.items()})
        return ParsedWorkbook(self.path, self.d, self.meta, response, self.problems,
                              warnings + self.notes)

    def _row_comments(self) -> dict[str, str]:
        """The comments on a table's rows as one comment of the table question, each
        line led by what the row is about (its label, or its first value, or its number)."""
        out = {}
        ui = words("questionnaire_workbook", self._lang())
        for qid, items in sorted(self.r.row_comments.items()):
            q = self.d.question(qid)
            fixed = {r.id: r.label.get(self._lang()) for r in q.rows}
            order = [row_id for row_id, _ in self.r.tables.get(qid, [])]
            lines = []
            for row_id, raw in items:
                text = " ".join(str(raw.value).split())
                lead = fixed.get(row_id) or self._first_value(q, row_id) or \
                    f"{ui['row']} {order.index(row_id) + 1 if row_id in order else row_id}"
                lines.append(f"{lead}: {text}")
            out[q.id] = "\n".join(lines)[:MAX_TEXT]
        return out

    def _first_value(self, q: Question, row_id: str) -> str:
        """The first filled text cell of a free table row (what the row is about)."""
        cells = next((c for r, c in self.r.tables.get(q.id, []) if r == row_id), {})
        for col in q.columns:
            raw = cells.get(col.id)
            if raw is not None and isinstance(raw.value, str) and raw.value.strip():
                return " ".join(raw.value.split())[:80]
        return ""

    def _unnamed(self) -> list[str]:
        """A warning when nobody signed the workbook (its file name stands for them)."""
        raw = self.r.respondent.get("name")
        named = raw is not None and raw.value not in (None, "") and str(raw.value).strip()
        anonymous = self.r.respondent.get("anonymous")
        if named or (anonymous is not None and _mark(anonymous.value) and self.d.anonymous):
            return []
        where = raw.location if raw is not None else self.path.name
        return [msg("unnamed", where=where, file=self.path.name)]

    def _missing(self) -> list[str]:
        """A warning naming every question the workbook no longer has (row deleted)."""
        found = set(self.r.cells) | set(self.r.multi) | set(self.r.tables)
        gone = [q for q in self.d.questions(self.meta.get("audience_kind") or None)
                if q.answerable and q.id not in found]
        self.gone = {q.id for q in gone}
        why = msg("why_newer" if self.meta.get("hash") != self.d.content_hash()
                  else "why_deleted")
        return [msg("missing_question", file=self.path.name, key=q.id,
                    label=q.label.get(self._lang()), why=why) for q in gone]

    def _convert(self, q: Question | Column, raw: RawCell) -> tuple[Any, bool]:
        """(value, ok); records the problem when not ok."""
        if raw.is_formula:
            self.problem(raw.location, msg("formula", formula=str(raw.value)[:60]),
                         msg("formula_hint"))
            return None, False
        try:
            return convert(q, raw.value, self.d, lang=self._lang(),
                           number_format=raw.number_format), True
        except ValueError as exc:
            self.problem(raw.location, str(exc))
            return None, False

    def _single(self, q: Question, raw: RawCell) -> None:
        value, ok = self._convert(q, raw)
        if not ok:
            self.failed.add(q.id)
        elif value is not None:
            self.answers[q.id] = value
            self._fraction_check(q, raw, value)

    def _fraction_check(self, q: Question | Column, raw: RawCell, value: Any) -> None:
        """A percent answer between 0 and 1 may be a percentage the office application
        stored as a fraction without showing it as one: kept, but said."""
        if q.type == "percent" and isinstance(value, int | float) and 0 < value < 1 \
                and (q.max is None or q.max > 1) and "%" not in raw.number_format:
            self.notes.append(msg("fraction_kept", where=raw.location, key=q.id,
                                  value=_spoken(value), meant=_spoken(_tidy(round(value * 100,
                                                                                   10)))))

    def _multi(self, q: Question, cells: dict[str, RawCell]) -> None:
        codes = [ch.id for ch in self.d.choice_list(q.choices or "").choices]
        chosen = []
        for code, raw in cells.items():
            if raw.is_formula:
                self._convert(q, raw)
                self.failed.add(q.id)
                continue
            mark = _mark(raw.value)
            if mark is None:
                self.problem(raw.location, msg("not_a_mark", value=raw.value))
                self.failed.add(q.id)
            elif mark and code in codes:
                chosen.append(code)
        if chosen:
            self.answers[q.id] = [c for c in codes if c in chosen]

    def _table(self, q: Question, rows: list[tuple[str, dict[str, RawCell]]]) -> None:
        out = []
        fixed = {r.id for r in q.rows}
        for row_id, cells in rows:
            record: dict[str, Any] = {}
            for col in q.columns:
                raw = cells.get(col.id)
                if raw is None:
                    continue
                value, ok = self._convert(col, raw)
                if not ok:
                    self.failed.add(q.id)
                elif value is not None:
                    record[col.id] = value
                    self._fraction_check(col, raw, value)
            must = row_id in fixed and q.required and not self.partial
            if record or must:
                self._table_required(q, cells, record)
            if record:
                out.append({"row": row_id, **record} if row_id in fixed else record)
        if out:
            self.answers[q.id] = out

    def _table_required(self, q: Question, cells: dict[str, RawCell],
                        record: dict[str, Any]) -> None:
        for col in q.columns:
            raw = cells.get(col.id)
            if col.required and col.id not in record and raw is not None and raw.value in (
                    None, ""):
                self.problem(raw.location, msg("row_cell_required",
                                               label=col.label.get(self._lang())))
                self.failed.add(q.id)

    def _lang(self) -> str:
        return self.meta.get("language", "ru")

    def _relevance(self) -> list[str]:
        warnings = []
        for q in self.d.questions(self.meta.get("audience_kind") or None):
            if not q.answerable:
                continue
            relevant = q.relevant is None or evaluate(compiled_condition(q.relevant),
                                                      self.answers)
            if not relevant:
                if q.id in self.answers:
                    del self.answers[q.id]
                    warnings.append(msg("does_not_apply", file=self.path.name, key=q.id))
                continue
            required = q.required or (q.required_if is not None and evaluate(
                compiled_condition(q.required_if), self.answers))
            if required and q.id not in self.answers and q.id not in self.failed \
                    and not self.partial:
                if q.id in self.gone:
                    self.problem(self._where(q), msg("required_deleted",
                                                     label=q.label.get(self._lang())),
                                 msg("required_deleted_hint"))
                else:
                    self.problem(self._where(q), msg("required_open",
                                                     label=q.label.get(self._lang())),
                                 msg("required_open_hint"))
        return warnings

    def _where(self, q: Question) -> str:
        if q.id in self.r.cells:
            return self.r.cells[q.id].location
        if q.id in self.r.multi:
            return next(iter(self.r.multi[q.id].values())).location
        if self.r.tables.get(q.id):
            return self.r.tables[q.id][0][1]["__row__"].location
        return msg("not_in_workbook", file=self.path.name, key=q.id)

    def _respondent(self) -> Respondent:
        fields: dict[str, Any] = {}
        for name, raw in self.r.respondent.items():
            kind = {"date": "date", "anonymous": "yes_no"}.get(name, "text")
            probe = Column(id="respondent", type=kind, label={"ru": name, "en": name})
            value, ok = self._convert(probe, raw)
            if ok and value is not None and name in Respondent.model_fields:
                fields[name] = value
        if fields.get("anonymous") and self.d.anonymous:
            fields = {k: v for k, v in fields.items() if k not in ("name", "position")}
        else:
            fields.pop("anonymous", None)
        return Respondent(**fields)


# ----------------------------------------------------------------- conversion
def now() -> dt.datetime:
    """When an import happens (seconds, local time)."""
    return dt.datetime.now().replace(microsecond=0)


def convert(q: Question | Column, value: Any, definition: Questionnaire, *,
            lang: str = "ru", number_format: str = "General") -> Any:
    """Convert a cell value to the answer type of ``q``; None when empty.

    What the client meant is read by the question's type and the workbook's language:
    ``15%`` or 0.15 in a cell formatted as a percentage is 15 in a percent question;
    ``1 000`` and ``1,000`` are a thousand in an English workbook, ``0,2`` is 0.2 in a
    Russian one; dates typed as text in either language's usual form are dates. Whatever
    cannot be read for sure is an error saying what to type.

    Raises:
        ValueError: with a message for the client.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = q.type
    if kind in ("text", "long_text", "email", "phone", "url"):
        return _text(q, value)
    if kind in ("integer", "scale"):
        return _bounded(q, _integer(value, lang))
    if kind == "money" and isinstance(value, str):
        return _bounded(q, _amount(q, value, lang))
    if kind == "money":
        _same_currency(q, value, number_format, lang)
    if kind in ("decimal", "money", "percent"):
        return _bounded(q, _quantity(kind, value, lang, number_format))
    if kind == "date":
        precision = q.date_precision
        if precision == "year":
            return _year(value, lang)
        if precision == "month":
            return _month(value, lang)
        return _date(value, lang)
    if kind == "yes_no":
        mark = _mark(value)
        if mark is None:
            ui = words("questionnaire_workbook", lang)
            raise ValueError(msg("not_yes_no", value=value, yes=ui["yes"], no=ui["no"]))
        return mark
    if kind == "select_one":
        return _choice(q, value, definition, lang)
    raise ValueError(msg("no_answer_here", kind=kind))


def _text(q: Question | Column, value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError(msg("text_not_yes_no"))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = str(value).strip()
    limit = (q.length.max if q.length and q.length.max else MAX_TEXT)
    if len(text) > limit:
        raise ValueError(msg("too_long", n=len(text), limit=limit))
    if q.length and q.length.min and len(text) < q.length.min:
        raise ValueError(msg("too_short", limit=q.length.min))
    checks = {"email": (_EMAIL, "not_email"), "phone": (_PHONE, "not_phone"),
              "url": (_URL, "not_url")}
    if q.type in checks and not checks[q.type][0].match(text):
        raise ValueError(msg(checks[q.type][1], value=text[:80]))
    if q.pattern and not re.fullmatch(q.pattern, text):
        message = q.pattern_message.get(current()) if q.pattern_message else msg("wrong_form")
        raise ValueError(msg("pattern", value=text[:80], message=message))
    return text


def _integer(value: Any, lang: str = "ru") -> int:
    number = _number(value, lang)
    if isinstance(number, float) and not number.is_integer():
        raise ValueError(msg("not_whole", value=value))
    return int(number)


def _quantity(kind: str, value: Any, lang: str, number_format: str) -> int | float:
    """A decimal, money or percent answer; percentages as the client wrote them."""
    typed_percent = isinstance(value, str) and value.strip().endswith("%")
    formatted_percent = isinstance(value, int | float) and not isinstance(value, bool) \
        and "%" in number_format.replace("\\%", "")
    if kind != "percent" and (typed_percent or formatted_percent):
        what = msg("an_amount" if kind == "money" else "a_number")
        raise ValueError(msg("a_percentage", value=_shown(value, formatted_percent), what=what))
    number = _number(value.strip().removesuffix("%") if typed_percent else value, lang)
    if formatted_percent:
        # the office application stores 15% as 0.15 and shows it as 15 %
        number = _tidy(round(float(number) * 100, 10))
    return number


CURRENCIES = {"RUB": ("₽", "руб", "р", "rub", "rur"), "USD": ("$", "usd", "долл"),
              "EUR": ("€", "eur", "евро"), "GBP": ("£", "gbp"), "KZT": ("₸", "тенге", "kzt"),
              "BYN": ("byn", "бел")}
SCALES = {1_000: ("тыс", "k", "thousand", "thousands", "th"),
          1_000_000: ("млн", "m", "mln", "million", "millions"),
          1_000_000_000: ("млрд", "bn", "billion", "billions")}
_AMOUNT = re.compile(r"^(?P<pre>[^\d+-]*)(?P<num>[+-]?[\d\s\u00a0\u202f.,']*\d)"
                     r"(?P<post>.*)$")


def _currency_of(text: str) -> str | None:
    word = text.strip(" .").casefold()
    for code, marks in CURRENCIES.items():
        if any(word == m or (len(m) > 1 and word.startswith(m)) for m in marks):
            return code
    return None


def _amount(q: Question | Column, text: str, lang: str) -> int | float:
    """Money typed as text: ``1 000 руб.``, ``$1,000``, ``1,5 млн``; the currency must be
    the question's (a different one is not converted silently)."""
    found = _AMOUNT.match(text.strip())
    if not found:
        return _quantity("money", text, lang, "General")
    words = (found["pre"] + " " + found["post"]).replace(".", " ").split()
    scale = 1
    for w in list(words):
        factor = next((f for f, marks in SCALES.items() if w.casefold() in marks), None)
        if factor is not None and scale == 1:
            scale = factor
            words.remove(w)
    currency = _currency_of(" ".join(words)) if words else None
    if words and currency is None:
        return _quantity("money", text, lang, "General")  # the usual message
    wanted = _currency_of(q.unit.en) if q.unit else None
    if currency is not None and currency != wanted:
        raise ValueError(msg("other_currency_text", value=text[:40], currency=currency,
                             asked=_asked(q, lang)))
    number = _quantity("money", found["num"], lang, "General")
    return _tidy(round(number * scale, 6)) if scale != 1 else number


def _same_currency(q: Question | Column, value: Any, number_format: str, lang: str) -> None:
    """An amount the office application recognised in another currency is refused."""
    marks = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB"}
    shown = next((code for mark, code in marks.items() if mark in number_format), None)
    wanted = _currency_of(q.unit.en) if q.unit else None
    if shown is not None and shown != wanted:
        raise ValueError(msg("other_currency_cell", value=value, currency=shown,
                             asked=_asked(q, lang)))


def _asked(q: Question | Column, lang: str) -> str:
    return msg("asks_for_unit", unit=q.unit.get(lang)) if q.unit else msg("no_currency")


def _shown(value: Any, as_percent: bool) -> str:
    if as_percent:
        return f"{_tidy(round(float(value) * 100, 10))}%"
    return str(value)


def _tidy(number: float) -> int | float:
    return int(number) if float(number).is_integer() and abs(number) < 1e15 else number


_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def _number(value: Any, lang: str = "ru") -> int | float:
    """A number from a cell; text in the workbook language's notation.

    English: ``1,000`` and ``1 000`` are 1000, ``1,000.5`` is 1000.5, and ``0,2`` (a comma
    not grouping thousands) is refused. Russian: ``0,2`` and ``1 000,5`` are decimals, and
    ``1,000`` is refused (a thousand, or one?).
    """
    if isinstance(value, bool | dt.date):
        raise ValueError(msg("not_a_number", value=value))
    if isinstance(value, int | float):
        number: int | float = value
    else:
        number = _parse_number(str(value).strip(), lang)
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(msg("not_a_number", value=value))
        if number.is_integer() and abs(number) < 1e15:
            return int(number)
    return number


def _parse_number(text: str, lang: str) -> float:
    bad = ValueError(msg("not_a_number", value=text[:40]))
    compact = _SPACES.sub("", text)
    if "," in compact and "." in compact:
        if lang == "en" and _GROUPED.match(compact):
            compact = compact.replace(",", "")
        else:
            raise bad
    elif "," in compact:
        grouped = _GROUPED.match(compact) is not None
        if lang == "en":
            if not grouped:
                raise ValueError(msg("decimal_point", value=text[:40]))
            compact = compact.replace(",", "")
        elif grouped:
            raise ValueError(msg("thousand_or_one", value=text[:40],
                                 thousand=compact.replace(',', ' '),
                                 one=compact.split(',')[0]))
        else:
            compact = compact.replace(",", ".")
    try:
        return float(compact)
    except ValueError:
        raise bad from None


def _bounded(q: Question | Column, number: int | float) -> int | float:
    lo, hi = q.min, q.max
    if q.type == "scale":
        lo, hi = (1 if lo is None else lo), (5 if hi is None else hi)
    if lo is not None and number < lo:
        raise ValueError(msg("below_min", value=number, limit=fmt._fmt_number(lo)))
    if hi is not None and number > hi:
        raise ValueError(msg("above_max", value=number, limit=fmt._fmt_number(hi)))
    return number


EARLIEST_YEAR = 1950
EXCEL_EPOCH = dt.date(1899, 12, 30)
LATEST_YEAR = 2100
_YEAR = re.compile(r"^\d{4}$")
_MONTH_YEAR = re.compile(r"^\d{1,2}[./-]\d{4}$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _date_hint(lang: str) -> str:
    """What to type in a day question, in the workbook language's notation."""
    return msg("type_date", example="31.12.2026" if lang == "ru" else "2026-12-31")


def _date(value: Any, lang: str = "ru") -> dt.date:
    """A date from a date cell or from text in the workbook language's usual forms.

    A year alone (2026), which an office application turns into a day of 1905, and a
    month with its year are refused with what to type instead.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        serial = (value - EXCEL_EPOCH).days
        if EARLIEST_YEAR <= serial <= LATEST_YEAR:
            # a year typed into a date cell: the office application shows a day of 1905
            raise ValueError(msg("year_not_date_cell", value=serial, shown=value.isoformat(),
                                 hint=_date_hint(lang)))
        return _plausible(value, str(value), lang)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EARLIEST_YEAR <= value <= LATEST_YEAR and float(value).is_integer():
            raise ValueError(msg("year_not_date", value=int(value), hint=_date_hint(lang)))
        if 1 < value < 2958466:
            from openpyxl.utils.datetime import from_excel

            converted: dt.datetime = from_excel(value)
            return _plausible(converted.date(), str(value), lang)
        raise ValueError(msg("not_a_date", value=value, hint=_date_hint(lang)))
    text = str(value).strip()
    if _YEAR.match(text):
        raise ValueError(msg("year_not_date", value=text, hint=_date_hint(lang)))
    if _MONTH_YEAR.match(text):
        raise ValueError(msg("month_not_date", value=text, hint=_date_hint(lang)))
    return _plausible(_text_date(text, lang), text, lang)


EARLIEST_FOUNDED = 1700  # a year question may ask when a company was founded
_YEAR_WORDS = re.compile(r"^(\d{4})\s*(г\.?|гг?\.?|год|года|y\.?|year)?$", re.IGNORECASE)
_ISO_MONTH = re.compile(r"^(\d{4})[-./](\d{1,2})$")
_NAMED_MONTH = re.compile(r"^([^\W\d_]+)\.?,?\s+(\d{4})(\s*(г\.?|года?))?$", re.IGNORECASE)
_MONTH_STEMS = {"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "мае": 5,
                "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
                "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
                "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}


def _year_hint(lang: str) -> str:
    return msg("type_year")


def _month_hint(lang: str) -> str:
    """What to type in a month question, in the workbook language's notation."""
    return msg("type_month", example="03.2026" if lang == "ru" else "03/2026")


def _year(value: Any, lang: str = "ru") -> int:
    """A year question: a year typed as a number or text (``2009``, ``2009 г.``); a date
    or a month names its year."""
    year: int | None = None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        serial = (value - EXCEL_EPOCH).days
        year = serial if EARLIEST_FOUNDED <= serial <= LATEST_YEAR else value.year
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise ValueError(msg("not_a_year", value=value, hint=_year_hint(lang)))
        year = int(value)
    else:
        text = " ".join(str(value).split())
        found = _YEAR_WORDS.match(text)
        if found:
            year = int(found[1])
        else:
            try:
                year = int(_month(text, lang)[:4])
            except ValueError:
                try:
                    year = _text_date(text, lang).year
                except ValueError:
                    raise ValueError(msg("not_a_year", value=text[:40],
                                         hint=_year_hint(lang))) from None
    if not EARLIEST_FOUNDED <= year <= LATEST_YEAR:
        raise ValueError(msg("implausible_year", value=year, hint=_year_hint(lang)))
    return year


def _month(value: Any, lang: str = "ru") -> str:
    """A month question: ``03.2026``, ``2026-03``, ``март 2026``, ``March 2026`` or a date
    (its month), stored as ``YYYY-MM``; a year alone is refused with what to type."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        serial = (value - EXCEL_EPOCH).days
        if EARLIEST_YEAR <= serial <= LATEST_YEAR:
            raise ValueError(msg("year_not_month", value=serial, hint=_month_hint(lang)))
        day = _plausible(value, str(value), lang)
        return f"{day.year:04d}-{day.month:02d}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if EARLIEST_YEAR <= value <= LATEST_YEAR and float(value).is_integer():
            raise ValueError(msg("year_not_month", value=int(value),
                                 hint=_month_hint(lang)))
        return _month(_date(value, lang), lang)
    text = " ".join(str(value).split())
    bad = ValueError(msg("not_a_month", value=text[:40], hint=_month_hint(lang)))
    if _YEAR.match(text) or _YEAR_WORDS.match(text):
        raise ValueError(msg("year_not_month", value=text, hint=_month_hint(lang)))
    month: int | None = None
    year: int | None = None
    if _MONTH_YEAR.match(text):
        month, year = (int(x) for x in re.split(r"[./-]", text))
    elif _ISO_MONTH.match(text):
        found = _ISO_MONTH.match(text)
        assert found is not None
        year, month = int(found[1]), int(found[2])
    elif _NAMED_MONTH.match(text):
        found = _NAMED_MONTH.match(text)
        assert found is not None
        word = found[1].casefold()
        month = _MONTH_STEMS.get(word) or _MONTH_STEMS.get(word[:3])
        year = int(found[2])
    else:
        try:
            day = _plausible(_text_date(text, lang), text, lang)
        except ValueError:
            raise bad from None
        return f"{day.year:04d}-{day.month:02d}"
    if month is None or not 1 <= month <= 12 or not EARLIEST_YEAR <= (year or 0) \
            <= LATEST_YEAR:
        raise bad
    return f"{year:04d}-{month:02d}"


def _text_date(text: str, lang: str) -> dt.date:
    bad = ValueError(msg("not_a_date", value=text[:40], hint=_date_hint(lang)))
    iso = _ISO_DATE.match(text)
    if iso:
        return _make_date(int(iso[1]), int(iso[2]), int(iso[3]), bad)
    found = _NUMERIC_DATE.match(text)
    if not found:
        raise bad
    first, sep, second, year = int(found[1]), found[2], int(found[3]), int(found[4])
    year += 2000 if year < 100 else 0
    if sep == "." or lang == "ru":
        return _make_date(year, second, first, bad)
    if first > 12:
        return _make_date(year, second, first, bad)   # 31/12/2026
    if second > 12 or first == second:
        return _make_date(year, first, second, bad)   # 12/31/2026
    months = ["", *words("format", current())["months"]]
    raise ValueError(msg("ambiguous_date", value=text, one=f"{first} {months[second]}",
                         two=f"{second} {months[first]}",
                         iso_one=f"{year}-{second:02d}-{first:02d}",
                         iso_two=f"{year}-{first:02d}-{second:02d}"))


def _make_date(year: int, month: int, day: int, bad: ValueError) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise bad from None


def _plausible(day: dt.date, shown: str, lang: str) -> dt.date:
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(msg("implausible_date", value=shown, iso=day.isoformat(),
                             hint=_date_hint(lang)))
    return day


def _mark(value: Any) -> bool | None:
    """True/False for yes/no marks in either language; None when unrecognised."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text.endswith(".0"):
        text = text[:-2]
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _choice(q: Question | Column, value: Any, definition: Questionnaire,
            lang: str = "ru") -> str:
    text = " ".join(str(value).split()).casefold()
    choices = definition.choice_list(q.choices or "").choices
    for ch in choices:
        if text in (ch.id.casefold(), ch.label.ru.casefold(), ch.label.en.casefold()):
            return ch.id
    labels = [ch.label.get(lang) for ch in choices]
    listed = "; ".join(labels[:8]) + (msg("and_more", n=len(labels) - 8) if len(labels) > 8
                                      else "")
    raise ValueError(msg("not_a_choice", value=str(value)[:80], listed=listed))


# --------------------------------------------------------------------- import
def import_workbooks(project_dir: Path, files: list[Path], *, project_id: str | None = None,
                     force: bool = False, partial: bool = False,
                     language: str | None = None) -> ImportResult:
    """Import filled workbooks into ``answers/`` of a project.

    All files are read and validated first; if any has problems, nothing is written and
    every problem is raised at once. Answers that would change existing ones are listed
    and need ``force``.

    Messages are in ``language`` (the project's; see :mod:`crmimpl.messages`).

    Raises:
        CrmimplError: unsafe files, invalid answers, or changes without ``force``.
    """
    with speaking(language) as spoken:
        result = _import_workbooks(project_dir, files, project_id, force, partial)
    result.language = spoken
    return result


def _import_workbooks(project_dir: Path, files: list[Path], project_id: str | None,
                      force: bool, partial: bool) -> ImportResult:
    from crmimpl.questionnaire.library import load_library

    library = load_library(project_dir, strict=False)
    parsed, problems = [], []
    for path in files:
        try:
            item = read_workbook(Path(path), library, project_id=project_id, partial=partial)
        except CrmimplError as exc:
            problems += exc.problems
            continue
        problems += item.problems
        parsed.append(item)
    if problems:
        raise CrmimplError(problems, summary=msg("nothing_imported",
                                                 problems=counted(len(problems), "problem")))
    return _store(project_dir, parsed, force)


def _store(project_dir: Path, parsed: list[ParsedWorkbook], force: bool) -> ImportResult:
    result = ImportResult()
    planned: dict[Path, AnswerFile] = {}
    statuses: list[tuple[Path, str, str, str]] = []
    changed: list[Problem] = []
    for item in parsed:
        result.warnings += item.warnings
        target = answers_path(project_dir, item.definition.id, item.audience)
        current = planned[target] if target in planned else _existing(target, item)
        updated, status, changes = merge_response(current, item)
        who = item.response.who()
        changed += [problem(target.name, msg("answer_changed", old=_show(old),
                                             file=item.path.name, new=_show(new), who=who),
                            key_path=key)
                    for key, old, new in changes]
        planned[target] = updated
        statuses.append((target, status, who, item.path.name))
    if changed and not force:
        raise CrmimplError(changed, summary=msg("would_change",
                                                answers=counted(len(changed), "answer")))
    settled = read_settled(project_dir)
    for target, data in planned.items():
        if any(t == target and s != "unchanged" for t, s, _, _ in statuses):
            write_answer_file(target, data)
        result.warnings += [conflict_line(c) for c in find_conflicts(data, settled)
                            if c.settled is None]
    result.written = [(t, s) for t, s, _, _ in statuses]
    result.respondents = [f"{who}, from {source}" for _, _, who, source in statuses]
    result.sources = [(who, source) for _, _, who, source in statuses]
    return result


def conflict_line(c: Conflict) -> str:
    """One unsettled conflict for the terminal."""
    voices = "; ".join(f"{who}: {_show(value)}" for who, value in c.voices)
    return msg("disagree", stem=c.stem, key=c.question, voices=voices)


def _existing(target: Path, item: ParsedWorkbook) -> AnswerFile:
    if target.exists():
        return read_answer_file(target)
    return AnswerFile(questionnaire=item.definition.id, version=item.definition.version,
                      kind=item.definition.kind, audience=item.audience,
                      audience_kind=item.meta.get("audience_kind") or None,
                      language=item.meta.get("language", "ru"))


def merge_response(current: AnswerFile, item: ParsedWorkbook
                   ) -> tuple[AnswerFile, str, list[tuple[str, Any, Any]]]:
    """Add a workbook's response to an answers file.

    A response of the same respondent (see :meth:`Response.identity`) is replaced, and
    the answers it changes are returned; another respondent's response is kept beside
    it whatever they answered (disagreements are conflicts to settle, not changes).

    Returns:
        The updated file, a status word and the ``(question, old, new)`` changes.
    """
    new = item.response
    key = new.identity()
    previous = next((r for r in current.responses if r.identity() == key), None)
    if previous is not None and previous.answers == new.answers \
            and previous.comments == new.comments:
        return current, "unchanged", []
    changes = diff_answers(previous.answers, new.answers) if previous else []
    if previous is not None:
        changes += [(msg("comment_key", key=k), o, n) for k, o, n in
                    diff_answers(previous.comments, new.comments)]
    stored = new.model_copy(update={"key": key})
    responses = [stored if r is previous else r for r in current.responses]
    if previous is None:
        responses.append(stored)
    updated = current.model_copy(update={
        "responses": responses, "version": item.definition.version})
    return updated, "replaced" if previous else "added", changes


def _spoken(number: float) -> str:
    """A number in a message: with a decimal comma in Russian ones."""
    text = str(number)
    return text.replace(".", ",") if current() == "ru" else text


def _show(value: Any) -> str:
    text = msg("empty_value") if value is None else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def import_questionnaires(project_path: Path, files: list[Path], *, force: bool = False,
                          partial: bool = False) -> ImportResult:
    """Load the project, then :func:`import_workbooks` into its folder (CLI entry)."""
    from crmimpl.model.project import load_project

    project = load_project(project_path)
    return import_workbooks(project.folder, files, project_id=project.project.id,
                            force=force, partial=partial, language=project.project.language)
