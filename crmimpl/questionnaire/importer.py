"""Import filled questionnaire workbooks into ``answers/*.yaml``.

Order of work: the file passes :mod:`crmimpl.questionnaire.safety` before openpyxl sees
it; openpyxl reads it in read-only mode within fixed row and column bounds; answers are
found by the hidden id column and the ``_meta`` sheet (never by position), converted to
typed values and validated; every problem of every file is reported at once as
``file.xlsx!Sheet!D14: message``. Formulas in answer cells are flagged, never evaluated.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crmimpl.errors import CrmimplError, Problem, count_problems
from crmimpl.model.conditions import evaluate
from crmimpl.model.questionnaire import Column, Question, Questionnaire, compiled_condition
from crmimpl.questionnaire import export as fmt
from crmimpl.questionnaire.answers import (
    MULTI_VOICE_KINDS,
    AnswerFile,
    Respondent,
    Response,
    answers_path,
    diff_answers,
    read_answer_file,
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


@dataclass
class RawCell:
    """A cell value as read, with its location for messages."""

    location: str
    value: Any
    is_formula: bool = False


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
    """What an import did, per answers file."""

    written: list[tuple[Path, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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
    return CrmimplError.single(
        location, f"the workbook is damaged and cannot be read ({detail})",
        hint="open it in Excel or LibreOffice and save it again as .xlsx; if that fails, "
        "export the questionnaire again and copy the answers over")


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

    check = check_workbook(path)
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
        parsed.warnings.append(
            f"{path.name}: exported from version {meta.get('version')} of "
            f"'{definition.id}'; answers were matched by question id")
    parsed.warnings += reader.warnings + _dimension_warnings(path, check.dimensions)
    return parsed


def _dimension_warnings(path: Path, dims: dict[str, str]) -> list[str]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    out = []
    for part, ref in dims.items():
        letters, row = coordinate_from_string(ref)
        if row > MAX_ROWS or column_index_from_string(letters) > MAX_COLS:
            out.append(f"{path.name}: {part} has cells as far as {ref}; cells beyond row "
                       f"{MAX_ROWS} or column {MAX_COLS} were ignored")
    return out


def _read_meta(path: Path, wb: Any) -> dict[str, str]:
    if fmt.META not in wb.sheetnames:
        raise CrmimplError.single(
            path.name, "not a questionnaire exported by crmimpl (no _meta sheet)",
            hint="export it with `crmimpl questionnaire export` and fill that file")
    meta: dict[str, str] = {}
    for row in sheet_rows(path, wb[fmt.META], min_row=1, max_row=50, max_col=2):
        row = tuple(getattr(cell, "value", None) for cell in row)
        if row and row[0] is not None:
            meta[str(row[0])] = "" if row[1] is None else str(row[1])
    if meta.get("format") != fmt.FORMAT_NAME:
        raise CrmimplError.single(f"{path.name}!{fmt.META}", "unknown workbook format")
    return meta


def _definition(path: Path, meta: dict[str, str], library: dict[str, Questionnaire],
                project_id: str | None) -> Questionnaire:
    qid = meta.get("questionnaire", "")
    if qid not in library:
        raise CrmimplError.single(f"{path.name}!{fmt.META}",
                                  f"unknown questionnaire '{qid}'",
                                  hint="known: " + ", ".join(library))
    if project_id and meta.get("project") and meta["project"] != project_id:
        raise CrmimplError.single(
            f"{path.name}!{fmt.META}",
            f"workbook belongs to project '{meta['project']}', not '{project_id}'",
            hint="import it into its own project folder")
    # The workbook was exported for the client's country and currency: read it as such.
    return library[qid].localised(meta.get("country") or None, meta.get("currency") or None)


class _SheetReader:
    """Collects raw answer cells by id from every sheet, within bounds."""

    def __init__(self, path: Path, wb: Any, definition: Questionnaire) -> None:
        self.path = path
        self.wb = wb
        self.d = definition
        self.cells: dict[str, RawCell] = {}
        self.multi: dict[str, dict[str, RawCell]] = {}
        self.tables: dict[str, list[tuple[str, dict[str, RawCell]]]] = {}
        self.respondent: dict[str, RawCell] = {}
        self.warnings: list[str] = []

    def loc(self, sheet: str, row: int, col: int) -> str:
        from openpyxl.utils import get_column_letter

        return f"{self.path.name}!{sheet}!{get_column_letter(col)}{row}"

    def read_all(self) -> None:
        for ws in self.wb.worksheets:
            if ws.title in (fmt.META, fmt.LISTS):
                continue
            rows = sheet_rows(self.path, ws, min_row=1, max_row=MAX_ROWS, max_col=MAX_COLS)
            marker = _value(rows, fmt.TABLE_ID_ROW, fmt.ID_COL)
            if isinstance(marker, str) and marker.startswith("table" + fmt.MULTI_SEP):
                self._table(ws.title, rows, marker.split(fmt.MULTI_SEP, 1)[1])
            else:
                self._section(ws.title, rows)

    def _raw(self, sheet: str, rows: list[Any], row: int, col: int) -> RawCell:
        cell = rows[row - 1][col - 1] if row <= len(rows) and col <= len(rows[row - 1]) \
            else None
        value = getattr(cell, "value", None)
        is_formula = getattr(cell, "data_type", None) == "f" or (
            isinstance(value, str) and value.startswith("=") and len(value) > 1
            and getattr(cell, "data_type", None) != "s")
        return RawCell(self.loc(sheet, row, col), value, is_formula)

    def _section(self, sheet: str, rows: list[Any]) -> None:
        for index, row in enumerate(rows, start=1):
            key = row[fmt.ID_COL - 1].value if row else None
            if not isinstance(key, str) or not key or key == "id":
                continue
            if key.startswith("@respondent."):
                self.respondent[key.split(".", 1)[1]] = self._raw(sheet, rows, index, 3)
            elif fmt.MULTI_SEP in key:
                qid, choice = key.split(fmt.MULTI_SEP, 1)
                q = self.d.find(qid)
                if q is not None:
                    raw = self._raw(sheet, rows, index, fmt.ANSWER_COL)
                    self.multi.setdefault(q.id, {})[choice] = raw
            else:
                self._question_cell(sheet, rows, index, key)

    def _question_cell(self, sheet: str, rows: list[Any], index: int, key: str) -> None:
        q = self.d.find(key)
        if q is None:
            self.warnings.append(f"{self.loc(sheet, index, 1)}: question '{key}' is not in "
                                 f"'{self.d.id}' any more; its answer was ignored")
        elif q.type not in ("table", "note", "select_multiple"):
            self.cells[q.id] = self._raw(sheet, rows, index, fmt.ANSWER_COL)

    def _table(self, sheet: str, rows: list[Any], key: str) -> None:
        q = self.d.find(key)
        if q is None or q.type != "table":
            self.warnings.append(f"{self.path.name}!{sheet}: table '{key}' is not in "
                                 f"'{self.d.id}' any more; ignored")
            return
        header = rows[fmt.TABLE_ID_ROW - 1] if len(rows) >= fmt.TABLE_ID_ROW else ()
        columns = {c.value: i + 1 for i, c in enumerate(header)
                   if i + 1 >= fmt.TABLE_FIRST_COL and isinstance(c.value, str)}
        out = self.tables.setdefault(q.id, [])
        for index in range(fmt.TABLE_FIRST_ROW, len(rows) + 1):
            row_id = _value(rows, index, fmt.ID_COL)
            if not isinstance(row_id, str):
                continue
            cells = {cid: self._raw(sheet, rows, index, col) for cid, col in columns.items()}
            cells["__row__"] = RawCell(self.loc(sheet, index, 2), None)
            out.append((row_id, cells))


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

    def problem(self, location: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(location, "", message, hint))

    def run(self) -> ParsedWorkbook:
        for qid, raw in self.r.cells.items():
            self._single(self.d.question(qid), raw)
        for qid, cells in self.r.multi.items():
            self._multi(self.d.question(qid), cells)
        for qid, rows in self.r.tables.items():
            self._table(self.d.question(qid), rows)
        warnings = self._relevance()
        response = Response(source=self.path.name, respondent=self._respondent(),
                            answers=dict(sorted(self.answers.items())))
        return ParsedWorkbook(self.path, self.d, self.meta, response, self.problems,
                              warnings)

    def _convert(self, q: Question | Column, raw: RawCell) -> tuple[Any, bool]:
        """(value, ok); records the problem when not ok."""
        if raw.is_formula:
            self.problem(raw.location, f"formula in an answer cell ({str(raw.value)[:60]}); "
                         "formulas are not evaluated", "type the value itself")
            return None, False
        try:
            return convert(q, raw.value, self.d), True
        except ValueError as exc:
            self.problem(raw.location, str(exc))
            return None, False

    def _single(self, q: Question, raw: RawCell) -> None:
        value, ok = self._convert(q, raw)
        if not ok:
            self.failed.add(q.id)
        elif value is not None:
            self.answers[q.id] = value

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
                self.problem(raw.location, f"'{raw.value}' is not a mark; leave the cell "
                             "empty or choose the value from the list")
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
                self.problem(raw.location, f"'{col.label.get(self._lang())}' must be filled "
                             "in for this row")
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
                    warnings.append(f"{self.path.name}: '{q.id}' does not apply given the "
                                    "other answers; its answer was dropped")
                continue
            required = q.required or (q.required_if is not None and evaluate(
                compiled_condition(q.required_if), self.answers))
            if required and q.id not in self.answers and q.id not in self.failed \
                    and not self.partial:
                self.problem(self._where(q), "required question is not answered: "
                             f"{q.label.get(self._lang())}",
                             "answer it, or import with --partial to accept gaps")
        return warnings

    def _where(self, q: Question) -> str:
        if q.id in self.r.cells:
            return self.r.cells[q.id].location
        if q.id in self.r.multi:
            return next(iter(self.r.multi[q.id].values())).location
        if self.r.tables.get(q.id):
            return self.r.tables[q.id][0][1]["__row__"].location
        return f"{self.path.name}: question '{q.id}'"

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
def convert(q: Question | Column, value: Any, definition: Questionnaire) -> Any:
    """Convert a cell value to the answer type of ``q``; None when empty.

    Raises:
        ValueError: with a message for the client.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = q.type
    if kind in ("text", "long_text", "email", "phone", "url"):
        return _text(q, value)
    if kind in ("integer", "scale"):
        return _bounded(q, _integer(value))
    if kind in ("decimal", "money", "percent"):
        return _bounded(q, _number(value))
    if kind == "date":
        return _date(value)
    if kind == "yes_no":
        mark = _mark(value)
        if mark is None:
            raise ValueError(f"'{value}' is not yes or no")
        return mark
    if kind == "select_one":
        return _choice(q, value, definition)
    raise ValueError(f"questions of type {kind} take no answer in this cell")


def _text(q: Question | Column, value: Any) -> str:
    if isinstance(value, bool):
        raise ValueError("expected text")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = str(value).strip()
    limit = (q.length.max if q.length and q.length.max else MAX_TEXT)
    if len(text) > limit:
        raise ValueError(f"text is too long ({len(text)} characters; at most {limit})")
    if q.length and q.length.min and len(text) < q.length.min:
        raise ValueError(f"text is too short (at least {q.length.min} characters)")
    checks = {"email": (_EMAIL, "is not an e-mail address"),
              "phone": (_PHONE, "is not a phone number"),
              "url": (_URL, "is not a web address")}
    if q.type in checks and not checks[q.type][0].match(text):
        raise ValueError(f"'{text[:80]}' {checks[q.type][1]}")
    if q.pattern and not re.fullmatch(q.pattern, text):
        message = q.pattern_message.en if q.pattern_message else "has the wrong form"
        raise ValueError(f"'{text[:80]}': {message}")
    return text


def _integer(value: Any) -> int:
    number = _number(value)
    if isinstance(number, float) and not number.is_integer():
        raise ValueError(f"expected a whole number, got {value}")
    return int(number)


def _number(value: Any) -> int | float:
    if isinstance(value, bool | dt.date):
        raise ValueError(f"expected a number, got '{value}'")
    if isinstance(value, int | float):
        number: int | float = value
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        text = text.rstrip("%")
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got '{value}'") from None
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError(f"expected a number, got '{value}'")
        if number.is_integer() and abs(number) < 1e15:
            return int(number)
    return number


def _bounded(q: Question | Column, number: int | float) -> int | float:
    lo, hi = q.min, q.max
    if q.type == "scale":
        lo, hi = (1 if lo is None else lo), (5 if hi is None else hi)
    if lo is not None and number < lo:
        raise ValueError(f"{number} is below the minimum {fmt._fmt_number(lo)}")
    if hi is not None and number > hi:
        raise ValueError(f"{number} is above the maximum {fmt._fmt_number(hi)}")
    return number


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 2958466:
        from openpyxl.utils.datetime import from_excel

        converted: dt.datetime = from_excel(value)
        return converted.date()
    text = str(value).strip()
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"'{text[:40]}' is not a date (use DD.MM.YYYY)")


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


def _choice(q: Question | Column, value: Any, definition: Questionnaire) -> str:
    text = " ".join(str(value).split()).casefold()
    choices = definition.choice_list(q.choices or "").choices
    for ch in choices:
        if text in (ch.id.casefold(), ch.label.ru.casefold(), ch.label.en.casefold()):
            return ch.id
    raise ValueError(f"'{str(value)[:80]}' is not one of the choices "
                     f"({', '.join(ch.label.en for ch in choices[:8])}...)"
                     if len(choices) > 8 else
                     f"'{str(value)[:80]}' is not one of the choices "
                     f"({', '.join(ch.label.en for ch in choices)})")


# --------------------------------------------------------------------- import
def import_workbooks(project_dir: Path, files: list[Path], *, project_id: str | None = None,
                     force: bool = False, partial: bool = False) -> ImportResult:
    """Import filled workbooks into ``answers/`` of a project.

    All files are read and validated first; if any has problems, nothing is written and
    every problem is raised at once. Answers that would change existing ones are listed
    and need ``force``.

    Raises:
        CrmimplError: unsafe files, invalid answers, or changes without ``force``.
    """
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
        raise CrmimplError(problems, summary=f"{count_problems(len(problems))}; nothing imported")
    return _store(project_dir, parsed, force)


def _store(project_dir: Path, parsed: list[ParsedWorkbook], force: bool) -> ImportResult:
    result = ImportResult()
    planned: dict[Path, tuple[AnswerFile, str]] = {}
    conflicts: list[Problem] = []
    for item in parsed:
        result.warnings += item.warnings
        target = answers_path(project_dir, item.definition.id, item.audience)
        current = planned[target][0] if target in planned else _existing(target, item)
        updated, status, changes = merge_response(current, item)
        conflicts += [Problem(f"{target.name}", key, f"was {_show(old)}, "
                              f"{item.path.name} says {_show(new)}")
                      for key, old, new in changes]
        planned[target] = (updated, status)
    if conflicts and not force:
        raise CrmimplError(conflicts, summary=(
            f"{len(conflicts)} existing answer(s) would change; nothing written. "
            "Run again with --force to replace them."))
    for target, (data, status) in planned.items():
        write_answer_file(target, data)
        result.written.append((target, status))
    return result


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

    A response from the same source file replaces the old one; for questionnaires with
    one voice, answers that change what other files said are reported as changes too.

    Returns:
        The updated file, a status word and the ``(question, old, new)`` changes.
    """
    new = item.response
    others = [r for r in current.responses if r.source != new.source]
    previous = next((r for r in current.responses if r.source == new.source), None)
    if previous is not None and previous.answers == new.answers:
        return current, "unchanged", []
    changes = diff_answers(previous.answers, new.answers) if previous else []
    if item.definition.kind not in MULTI_VOICE_KINDS:
        before = AnswerFile(**{**current.model_dump(), "responses": others}).merged()
        changes += [(k, o, n) for k, o, n in diff_answers(before, new.answers)
                    if n is not None and (k, o, n) not in changes]
    updated = current.model_copy(update={
        "responses": [*others, new], "version": item.definition.version})
    return updated, "replaced" if previous else "added", changes


def _show(value: Any) -> str:
    text = "(empty)" if value is None else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def import_questionnaires(project_path: Path, files: list[Path], *, force: bool = False,
                          partial: bool = False) -> ImportResult:
    """Load the project, then :func:`import_workbooks` into its folder (CLI entry)."""
    from crmimpl.model.project import load_project

    project = load_project(project_path)
    return import_workbooks(project.folder, files, project_id=project.project.id,
                            force=force, partial=partial)
