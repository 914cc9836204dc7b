"""Never replace a workbook a person has filled in.

A client may keep the filled questionnaire where crmimpl exported it
(``out/questionnaires/``) and a consultant may then run ``export`` or ``build`` again.
Before a workbook is written over an existing file, the answer cells of that file (the
unlocked cells the client types in) are compared with the new workbook's: a value the
new one does not have means somebody typed it, and the file is kept.
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
