"""A worksheet's ``<sheetData>`` written as openpyxl writes it, in one string.

openpyxl writes every cell through lxml's incremental writer, an element (and a context
manager) at a time: for the questionnaires' and attendance sheets' thousands of cells
that is a third of saving a workbook. :func:`sheet_data` makes the same bytes with string
formatting: the same rows (those with cells or row settings), the same cells (skipped
when empty and unstyled), the same attributes in the same order, the same escaping
(``&``, ``<``, ``>`` in text; non-ASCII as decimal character references, as openpyxl's
ASCII stream writes it). Cells it does not know how to write as openpyxl does (comments,
rich text, array formulas, a carriage return in a text) make it return ``None``, and
openpyxl writes that sheet itself.
"""

from __future__ import annotations

import math
import re
from typing import Any

# characters a text may hold that the plain escaping below does not write as libxml2
_UNUSUAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|\r")


def _text(value: str) -> str:
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode()


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def sheet_data(ws: Any) -> bytes | None:
    """The content of ``ws``'s ``<sheetData>`` as openpyxl would write it, or ``None``
    when a cell needs openpyxl's own writer. Registers the cells' styles and hyperlinks
    with the workbook and sheet in openpyxl's order, as its writer does."""
    from openpyxl.utils import get_column_letter

    if ws.parent.iso_dates:
        return None
    rows: dict[int, list[Any]] = {}
    for (row, _col), cell in sorted(ws._cells.items()):
        if not _plain(cell):
            return None
        rows.setdefault(row, []).append(cell)
    for row in ws.row_dimensions.keys() - rows.keys():
        rows[row] = []
    styles = ws.parent._cell_styles
    indices: dict[bytes, int] = {}  # a style's index in the workbook's list, by its bytes
    epoch = ws.parent.epoch
    letters: dict[int, str] = {}
    out: list[str] = []
    for row, cells in sorted(rows.items()):
        attrs = {"r": f"{row}"}
        attrs.update(ws.row_dimensions.get(row, {}))
        out.append("<row" + "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items()) + ">")
        for cell in cells:
            style = cell._style
            styled = style is not None and any(style)
            if cell._value is None and not styled:
                continue
            letter = letters.get(cell.column)
            if letter is None:
                letter = letters[cell.column] = get_column_letter(cell.column)
            index = None
            if styled:  # registered as openpyxl's writer does, the first time it is met
                key = style.tobytes()
                index = indices.get(key)
                if index is None:
                    index = indices[key] = styles.add(style)
            out.append(_cell(cell, f"{letter}{row}", index, epoch))
        out.append("</row>")
    return "".join(out).encode("ascii")


def _plain(cell: Any) -> bool:
    """Whether :func:`_cell` writes ``cell`` as openpyxl does."""
    if cell._comment is not None:
        return False
    value, kind = cell._value, cell.data_type
    if kind in ("s", "f"):
        return isinstance(value, str) and not _UNUSUAL.search(value)
    if kind == "d":
        return getattr(value, "tzinfo", None) is None
    return kind in ("n", "b", "e") and (value is None or isinstance(value, int | float | str))


def _cell(cell: Any, ref: str, style: int | None, epoch: Any) -> str:
    """One ``<c>``: openpyxl's ``_set_attributes`` and ``lxml_write_cell``."""
    kind, value = cell.data_type, cell._value
    head = f'<c r="{ref}"' if style is None else f'<c r="{ref}" s="{style}"'
    if kind == "s":
        head += ' t="inlineStr"'
    elif kind == "d":
        from openpyxl.utils.datetime import to_excel

        head += ' t="n"'
        value = to_excel(value, epoch)
    elif kind != "f":
        head += f' t="{kind}"'
    if cell.hyperlink:
        cell.parent._hyperlinks.append(cell.hyperlink)
    if value is None or value == "":
        return head + "></c>"
    if kind == "f":
        return f"{head}><f>{_text(value[1:])}</f><v></v></c>"
    if kind == "s":
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f"{head}><is><t{space}>{_text(value)}</t></is></c>"
    return f"{head}><v>{_number(value)}</v></c>"


def _number(value: Any) -> str:
    """openpyxl's ``safe_string`` of a number (or an error code's text)."""
    if isinstance(value, str):
        return _text(value)
    if value != value or value in (math.inf, -math.inf):
        return ""
    return f"{value:.16g}"
