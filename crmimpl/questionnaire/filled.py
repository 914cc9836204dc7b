"""Never replace a workbook a person has filled in.

A client may keep the filled questionnaire where crmimpl exported it
(``out/questionnaires/``) and a consultant may then run ``export`` or ``build`` again.
Before a workbook is written over an existing file, the answer cells of that file (the
unlocked cells the client types in) are compared with the new workbook's: a value the
new one does not have means somebody typed it, and the file is kept.

Every build rewrites every questionnaire, so the usual answer is "nothing typed": that is
first looked for in the sheets' XML straight from the zip (:func:`_quick_untouched`, a
few milliseconds); openpyxl reads the file only when that cannot tell (a date, a formula,
a cell typed in), so its answer and its message are the same as always.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from crmimpl.errors import CrmimplError, ExistingFileError
from crmimpl.questionnaire.safety import check_workbook

SKIPPED_SHEETS = ("_meta", "_lists")
MAX_ROWS = 3000
MAX_COLS = 40
SHOWN = 3


class FilledWorkbookError(ExistingFileError):
    """The target workbook holds answers; it was not replaced."""


def refuse_filled(target: Path, fresh: Any,
                  import_command: str = "crmimpl questionnaire import") -> None:
    """Raise when ``target`` exists and holds answers that ``fresh`` would lose.

    Args:
        target: Where the new workbook is about to be written.
        fresh: The new openpyxl workbook (not saved yet).
        import_command: The command that imports such a workbook, for the hint.

    Raises:
        FilledWorkbookError: naming the file, the first answered cells and what to do.
    """
    if not target.exists():
        return
    try:
        typed = _typed_cells(target, fresh)
    except CrmimplError as exc:
        reason = exc.problems[0].message if exc.problems else "unreadable"
        raise FilledWorkbookError.single(
            str(target), f"exists and cannot be checked for answers ({reason}); "
            "not replaced",
            hint="move it elsewhere (or delete it if nobody filled it), then run again"
        ) from None
    if not typed:
        return
    cells = ", ".join(typed[:SHOWN]) + (f" and {len(typed) - SHOWN} more"
                                        if len(typed) > SHOWN else "")
    raise FilledWorkbookError.single(
        str(target), f"holds answers typed into it ({cells}); not replaced",
        hint=f"import it first (`{import_command}`), then move it out of the way for a "
        "blank copy, or export to another file with -o")


def _typed_cells(target: Path, fresh: Any) -> list[str]:
    """``Sheet!C5`` of every unlocked cell whose value the fresh workbook lacks."""
    from openpyxl import load_workbook

    check_workbook(target)
    if _quick_untouched(target, fresh):
        return []
    try:
        wb = load_workbook(target, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        raise CrmimplError.single(str(target), f"damaged workbook ({exc})") from None
    try:
        return [cell for ws in wb.worksheets if ws.title not in SKIPPED_SHEETS
                for cell in _sheet_typed(ws, fresh)]
    except (SyntaxError, ValueError, KeyError, EOFError) as exc:
        raise CrmimplError.single(str(target), f"damaged workbook ({exc})") from None
    finally:
        wb.close()


def _sheet_typed(ws: Any, fresh: Any) -> list[str]:
    other = fresh[ws.title] if ws.title in fresh.sheetnames else None
    found = []
    for row in ws.iter_rows(min_row=1, max_row=MAX_ROWS, max_col=MAX_COLS):
        for cell in row:
            value = getattr(cell, "value", None)
            if value is None or value == "" or getattr(cell, "protection", None) is None:
                continue
            if cell.protection.locked:
                continue
            new = other._cells.get((cell.row, cell.column)) if other is not None else None
            if not _same(value, getattr(new, "value", None)):
                found.append(f"{ws.title}!{cell.coordinate}")
    return found


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_FALSE = ("0", "false", "f")  # what openpyxl reads as False


class _Unsure(Exception):
    """The quick look cannot tell; openpyxl reads the file."""


def _quick_untouched(target: Path, fresh: Any) -> bool:
    """Whether no unlocked cell of ``target`` holds a value ``fresh`` lacks, judged from
    the XML (as :func:`_sheet_typed` judges it from openpyxl's reading). ``False`` means
    "typed into, or cannot tell": strings, numbers, dates, booleans and plain formulas
    are compared here as openpyxl reads them; a shared or array formula, an ISO date
    cell, the 1904 date system or a cell without its address make it unsure.
    """
    import zipfile

    try:
        with zipfile.ZipFile(target) as archive:
            sheets = _sheet_parts(archive)  # (raises _Unsure on the 1904 date system)
            locked, dates = _xf_flags(archive)
            strings = _shared_strings(archive)
            for title, part in sheets:
                if title in SKIPPED_SHEETS:
                    continue
                other = fresh[title] if title in fresh.sheetnames else None
                with archive.open(part) as handle:
                    if not _part_untouched(handle, other, strings, locked, dates):
                        return False
    except (_Unsure, KeyError, ValueError, IndexError, OSError, zipfile.BadZipFile,
            SyntaxError):
        return False
    return True


def _parse(data: Any) -> Any:
    from lxml import etree

    return etree.parse(data, etree.XMLParser(resolve_entities=False, no_network=True,
                                             huge_tree=False)).getroot()


def _sheet_parts(archive: Any) -> list[tuple[str, str]]:
    """``(title, part)`` of every worksheet, in the workbook's order."""
    with archive.open("xl/_rels/workbook.xml.rels") as handle:
        rels = {rel.get("Id"): rel for rel in _parse(handle).iter(f"{_PACKAGE_REL}Relationship")}
    with archive.open("xl/workbook.xml") as handle:
        book = _parse(handle)
    properties = book.find(f"{_MAIN}workbookPr")
    if properties is not None and properties.get("date1904", "0") not in _FALSE:
        raise _Unsure
    found = []
    for sheet in book.iter(f"{_MAIN}sheet"):
        rel = rels[sheet.get(f"{_REL}id")]
        if rel.get("Type") != _WORKSHEET:
            continue  # a chart sheet has no cells
        target = rel.get("Target")
        found.append((sheet.get("name"),
                      target[1:] if target.startswith("/") else f"xl/{target}"))
    return found


def _xf_flags(archive: Any) -> tuple[list[bool], list[str | None]]:
    """Per cell format (``s``): whether it is locked, and whether it shows a date
    (``"date"``) or a duration (``"timedelta"``), as openpyxl decides when reading."""
    from openpyxl.styles.numbers import (
        BUILTIN_FORMATS,
        is_date_format,
        is_timedelta_format,
    )

    with archive.open("xl/styles.xml") as handle:
        styles = _parse(handle)
    custom = {int(f.get("numFmtId")): f.get("formatCode")
              for f in styles.iter(f"{_MAIN}numFmt")}
    locked: list[bool] = []
    dates: list[str | None] = []
    xfs = styles.find(f"{_MAIN}cellXfs")
    for xf in (() if xfs is None else xfs.iterfind(f"{_MAIN}xf")):
        protection = xf.find(f"{_MAIN}protection")
        locked.append(protection is None or protection.get("locked") not in _FALSE)
        number = int(xf.get("numFmtId", 0))
        code = custom.get(number, BUILTIN_FORMATS.get(number))
        if code is None or not is_date_format(code):
            dates.append(None)
        else:
            dates.append("timedelta" if is_timedelta_format(code) else "date")
    return locked, dates


def _shared_strings(archive: Any) -> list[str]:
    from openpyxl.reader.strings import read_string_table

    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    with archive.open("xl/sharedStrings.xml") as handle:
        return list(read_string_table(handle))


def _part_untouched(handle: Any, other: Any, strings: list[str], locked: list[bool],
                    dates: list[str | None]) -> bool:
    from openpyxl.cell.text import Text
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

    for cell in _parse(handle).iter(f"{_MAIN}c"):
        style = int(cell.get("s", 0))
        if style >= len(locked):
            raise _Unsure
        if locked[style]:
            continue
        kind = cell.get("t", "n")
        if kind == "d":
            raise _Unsure
        formula = cell.find(f"{_MAIN}f")
        text: str | None = None
        value: Any
        if formula is not None:  # a plain formula reads as its text
            if formula.get("t") not in (None, "normal"):
                raise _Unsure
            value = "=" + (formula.text or "")
        elif kind == "inlineStr":  # what openpyxl writes
            inline = cell.find(f"{_MAIN}is")
            if inline is None:
                continue
            value = Text.from_tree(inline).content
        else:
            value = text = cell.findtext(f"{_MAIN}v") or None
        if value is None:
            continue
        coordinate = cell.get("r")
        if not coordinate:
            raise _Unsure
        row, column = coordinate_to_tuple(coordinate)
        if row > MAX_ROWS or column > MAX_COLS:
            continue
        if text is None:
            pass  # a formula or an inline string: read above
        elif kind == "n":
            value = float(text) if any(c in text for c in ".eE") else int(text)
            if dates[style]:
                try:
                    value = from_excel(value, WINDOWS_EPOCH,
                                       timedelta=dates[style] == "timedelta")
                except (OverflowError, ValueError):
                    raise _Unsure from None
        elif kind == "s":
            value = strings[int(text)]
        elif kind == "b":
            value = bool(int(text))
        elif kind in ("str", "e"):
            value = text
        else:
            raise _Unsure
        if value == "":
            continue
        new = other._cells.get((row, column)) if other is not None else None
        if not _same(value, getattr(new, "value", None)):
            return False
    return True


def _same(old: Any, new: Any) -> bool:
    """Equal after a save and a reload (dates come back as datetimes, ints as floats)."""
    if isinstance(old, dt.datetime) and not isinstance(new, dt.datetime):
        old = old.date() if old.time() == dt.time(0) else old
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    return bool(old == new)


def kept_warning(exc: FilledWorkbookError) -> str:
    """The build's warning for a filled workbook it kept (the build goes on)."""
    problem = exc.problems[0]
    return (f"{problem.location}: kept, not replaced by a blank copy: "
            f"{problem.message.removesuffix('; not replaced')}; {problem.hint}")
