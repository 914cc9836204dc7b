"""Fill an exported crmimpl workbook the way a client or an auditor would.

Shared by the tests, the benchmarks and the example tools (``tools/fill_example_*.py``).
Cells are found by the hidden ids the exporter writes, never by position:

* ``@respondent.<field>`` in column A of the first sheet: the respondent (column C);
* ``<question>`` in column A of a section sheet: the answer (column D);
* ``<question>::<choice>`` in column A: the tick of one choice of a multiple choice;
* ``table::<question>`` in A3 of a table sheet: the table, its column ids in row 3 and
  its row ids in column A from row 5 (the audit checklist is built the same way).

:func:`fill_workbook` takes answers by question id:

* a scalar is typed into the answer cell; ``True``/``False`` become the workbook's Yes/No;
* a list of choice ids ticks those choices of a multiple choice (and clears the others);
* a list of row mappings (column id → value) replaces the rows of a table from the top,
  emptying the remaining rows (prefilled rows included);
* a mapping of row id → row mapping fills only the given cells of fixed rows (checklist
  areas, the KPI table); the other cells stay as exported;
* ``None`` empties the question (every row of a table, every tick of a multiple choice).

With ``definition`` (the questionnaire the workbook was exported from) the values are
answers as crmimpl stores them, and a choice id of a single choice is typed as its label
in the workbook's language. Without it strings are typed as given, so a test can type a
label, a stray value or a formula.

:func:`read_fill_file` reads the example data under ``examples/<name>/fill/``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from crmimpl.i18n import words
from crmimpl.questionnaire import export as fmt

if TYPE_CHECKING:
    from crmimpl.model.questionnaire import Column, Question, Questionnaire

FILL_DIR = "fill"
AUDIT = "audit"
RESPONDENT = "@respondent."
TABLE = "table" + fmt.MULTI_SEP
RESPONDENT_COL = 3


class FillError(ValueError):
    """The answers do not fit the workbook."""


def read_meta(path: Path) -> dict[str, Any]:
    """The ``_meta`` sheet of an exported workbook as a mapping."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return _meta(wb)
    finally:
        wb.close()


def _meta(wb: Any) -> dict[str, Any]:
    return {r[0]: r[1] for r in wb[fmt.META].iter_rows(max_col=2, values_only=True) if r[0]}


@dataclass
class _Cells:
    """Where each kind of answer goes in one workbook."""

    respondent: dict[str, tuple[Any, int]] = field(default_factory=dict)
    plain: dict[str, tuple[Any, int]] = field(default_factory=dict)
    multi: dict[str, dict[str, tuple[Any, int]]] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def index(cls, wb: Any) -> _Cells:
        cells = cls()
        for ws in wb.worksheets:
            if ws.title in (fmt.META, fmt.LISTS):
                continue
            marker = ws.cell(fmt.TABLE_ID_ROW, fmt.ID_COL).value
            if isinstance(marker, str) and marker.startswith(TABLE):
                cells.tables[marker.removeprefix(TABLE)] = ws
                continue
            for row in range(1, ws.max_row + 1):
                key = ws.cell(row, fmt.ID_COL).value
                if not isinstance(key, str):
                    continue
                if key.startswith(RESPONDENT):
                    cells.respondent[key.removeprefix(RESPONDENT)] = (ws, row)
                elif fmt.MULTI_SEP in key:
                    qid, choice = key.split(fmt.MULTI_SEP, 1)
                    cells.multi.setdefault(qid, {})[choice] = (ws, row)
                else:
                    cells.plain.setdefault(key, (ws, row))
        # the row of a table or multiple choice on its section sheet only points elsewhere
        for qid in (*cells.tables, *cells.multi):
            cells.plain.pop(qid, None)
        return cells


def fill_workbook(path: Path, answers: dict[str, Any], *,
                  respondent: dict[str, Any] | None = None,
                  definition: Questionnaire | None = None, lang: str | None = None,
                  out: Path | None = None, strict: bool = True) -> Path:
    """Type ``answers`` (and ``respondent``) into the workbook at ``path``.

    Args:
        path: An exported questionnaire workbook or audit checklist.
        answers: Question id → value (see the module docstring).
        respondent: Respondent fields (name, position, department, date, anonymous).
        definition: The questionnaire, to type choice ids as their labels.
        lang: The expected language of the workbook (checked against ``_meta``).
        out: Where to save (default: over ``path``).
        strict: Refuse answers and respondent fields the workbook has no cell for.

    Returns:
        The saved path.

    Raises:
        FillError: a value that does not fit (unknown question, row, column or choice,
            more table rows than the sheet has, another language).
    """
    from openpyxl import load_workbook

    wb = load_workbook(path)
    language = _meta(wb).get("language") or "ru"
    if lang is not None and lang != language:
        raise FillError(f"{path.name} is in '{language}', expected '{lang}'")
    cells = _Cells.index(wb)
    typist = _Typist(definition, language, path.name)
    missing = []
    for name, value in (respondent or {}).items():
        if name in cells.respondent:
            ws, row = cells.respondent[name]
            ws.cell(row, RESPONDENT_COL).value = typist.cell(value)
        else:
            missing.append(RESPONDENT + name)
    for qid, value in answers.items():
        if qid in cells.tables:
            typist.table(cells.tables[qid], qid, value)
        elif qid in cells.multi:
            chosen = value or []
            unknown = set(chosen) - set(cells.multi[qid])
            if unknown:
                raise FillError(f"{path.name}: {qid}: no choice {sorted(unknown)}")
            for choice, (ws, row) in cells.multi[qid].items():
                ws.cell(row, fmt.ANSWER_COL).value = typist.cell(True) if choice in chosen \
                    else None
        elif qid in cells.plain:
            ws, row = cells.plain[qid]
            ws.cell(row, fmt.ANSWER_COL).value = typist.cell(value, typist.question(qid))
        else:
            missing.append(qid)
    if missing and strict:
        raise FillError(f"{path.name}: no cell for {', '.join(missing)}")
    target = out or path
    wb.save(target)
    return target


class _Typist:
    """Turns stored values into what a person types in the workbook's language."""

    def __init__(self, definition: Questionnaire | None, lang: str, name: str) -> None:
        self.definition = definition
        self.lang = lang
        self.name = name

    def question(self, qid: str) -> Question | None:
        return self.definition.question(qid) if self.definition is not None else None

    def cell(self, value: Any, q: Question | Column | None = None) -> Any:
        if isinstance(value, bool):
            return words("questionnaire_workbook", self.lang)["yes" if value else "no"]
        if self.definition is not None and q is not None and q.type == "select_one" \
                and value is not None:
            for choice in self.definition.choice_list(q.choices or "").choices:
                if choice.id == value:
                    return choice.label.get(self.lang)
            raise FillError(f"{self.name}: {q.id}: '{value}' is not a choice of {q.choices}")
        return value

    def table(self, ws: Any, qid: str, value: Any) -> None:
        columns = {ws.cell(fmt.TABLE_ID_ROW, c).value: c
                   for c in range(fmt.TABLE_FIRST_COL, ws.max_column + 1)
                   if ws.cell(fmt.TABLE_ID_ROW, c).value}
        rows = {ws.cell(r, fmt.ID_COL).value: r
                for r in range(fmt.TABLE_FIRST_ROW, ws.max_row + 1)
                if isinstance(ws.cell(r, fmt.ID_COL).value, str)}
        q = self.question(qid)
        by_id = {c.id: c for c in q.columns} if q is not None else {}
        if isinstance(value, dict):
            fill = [(rows.get(rid), rid, record) for rid, record in value.items()]
            if any(row is None for row, _, _ in fill):
                raise FillError(f"{self.name}: {qid}: no row "
                                f"{sorted(rid for row, rid, _ in fill if row is None)}")
        else:
            records = value or []
            if len(records) > len(rows):
                raise FillError(f"{self.name}: {qid}: {len(records)} rows, the sheet has "
                                f"{len(rows)}")
            blank = dict.fromkeys(columns)
            fill = [(row, rid, {**blank, **(records[i] if i < len(records) else {})})
                    for i, (rid, row) in enumerate(rows.items())]
        for row, rid, record in fill:
            unknown = set(record) - set(columns)
            if unknown:
                raise FillError(f"{self.name}: {qid}: row {rid}: no column {sorted(unknown)}")
            for col_id, cell_value in record.items():
                ws.cell(row, columns[col_id]).value = self.cell(cell_value, by_id.get(col_id))


# ------------------------------------------------------------ example data
@dataclass
class FillFile:
    """One file of ``examples/<name>/fill/``: what one respondent typed into one workbook.

    ``<questionnaire>[-<audience>].yaml`` holds a questionnaire's answers (imported into
    ``answers/``); ``audit-<number>.yaml`` holds a filled audit checklist (imported into
    ``audits/<date>.yaml``). Keys: ``questionnaire``, ``audience`` (for a department),
    ``number`` (for an audit), ``workbook`` (name of the returned file, recorded as
    ``source``), ``respondent``, ``open`` (questions left open on purpose, emptied) and
    ``answers`` (as :func:`fill_workbook` takes them, choice ids and all).
    """

    path: Path
    questionnaire: str
    respondent: dict[str, Any]
    answers: dict[str, Any]
    audience: str | None = None
    number: int | None = None
    workbook: str | None = None
    open: list[str] = field(default_factory=list)

    def workbook_name(self, lang: str) -> str:
        """The file name of the filled workbook: ``workbook`` or the exporter's default."""
        if self.workbook:
            return self.workbook
        if self.questionnaire == AUDIT:
            return f"audit-{self.number}-filled.xlsx"
        return fmt.output_name(self.questionnaire, self.audience, lang)

    def values(self) -> dict[str, Any]:
        """The answers with the open questions as ``None`` (to empty any prefill)."""
        return {**self.answers, **dict.fromkeys(self.open)}


FILL_KEYS = {"questionnaire", "audience", "number", "workbook", "respondent", "open",
             "answers"}


def read_fill_file(path: Path) -> FillFile:
    """Read and check one file of example data."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or set(data) - FILL_KEYS or "questionnaire" not in data:
        raise FillError(f"{path}: expected a mapping with {sorted(FILL_KEYS)}")
    item = FillFile(path=path, questionnaire=data["questionnaire"],
                    respondent=data.get("respondent") or {}, answers=data.get("answers") or {},
                    audience=data.get("audience"), number=data.get("number"),
                    workbook=data.get("workbook"), open=data.get("open") or [])
    both = set(item.open) & set(item.answers)
    if both:
        raise FillError(f"{path}: both answered and left open: {sorted(both)}")
    if (item.questionnaire == AUDIT) != (item.number is not None):
        raise FillError(f"{path}: 'number' is for an audit checklist and required there")
    for key, value in item.respondent.items():
        if key == "date" and not isinstance(value, dt.date):
            raise FillError(f"{path}: respondent date '{value}' is not a YYYY-MM-DD date")
    return item


def fill_files(example: Path) -> list[FillFile]:
    """Every file of ``<example>/fill/``, questionnaires and audits, sorted by name."""
    return [read_fill_file(p) for p in sorted((example / FILL_DIR).glob("*.yaml"))]
