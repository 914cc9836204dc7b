"""What every workbook writer shares: text is never a formula, and styles are cheap.

openpyxl turns any string starting with ``=`` into a formula. Client and project text
(names, answers, evidence) must reach the reader as typed, so every writer puts values
through :func:`put`.

Every writer creates its workbook with :func:`new_workbook`, which makes setting a
style on a cell cheap (see :func:`_install_style_cache`), and saves it with
:func:`save_workbook`, which writes each sheet in memory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any


def put(cell: Any, value: Any) -> Any:
    """Write ``value`` into ``cell``; text always as a string cell (never a formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def print_setup(ws: Any, *, landscape: bool = True, title_rows: str | None = None) -> None:
    """Print ``ws`` on A4, every column on the page's width (as many pages down as it
    takes), the header rows on every page. openpyxl's ``fitToWidth`` alone does nothing:
    the sheet must also be marked fit-to-page, and a height of 0 pages means "any"."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    if title_rows:
        ws.print_title_rows = title_rows


def fit_rows(ws: Any, first: int = 1) -> None:
    """Rows from ``first`` on tall enough for their wrapped text. Neither LibreOffice
    nor Excel grows a row to its wrapped text when it opens a file, so a long question,
    an instruction or a list of topics would print over the next row; a row already set
    taller (a long answer's 45 pt) keeps its height.

    Only the cells written are read (not the whole rectangle), and their font and
    alignment are looked up by index in the workbook's lists: style proxies for
    thousands of cells were most of this function's time.
    """
    from crmimpl.render.textwidth import line_count

    wb = ws.parent
    wraps: dict[int, bool] = {}  # alignment index: wraps its text
    faces: dict[int, tuple[float, bool]] = {}  # font index: size, bold
    widths: dict[int, float] = {}
    rows: dict[int, int] = {}
    for (number, col), cell in sorted(ws._cells.items()):
        value = cell._value
        if (number < first or not isinstance(value, str) or not value
                or value.startswith("=")):
            continue
        style = cell._style
        if not _wraps(wb, style.alignmentId if style else 0, wraps):
            continue
        width = widths.get(col)
        if width is None:
            width = widths[col] = _column_twips(ws, col)
        if not width:
            continue
        size, bold = _face(wb, style.fontId if style else 0, faces)
        lines = line_count(value, width, size, bold)
        if lines > rows.get(number, 1):
            rows[number] = lines
    for number, lines in rows.items():
        height = lines * 15 + 2
        current = ws.row_dimensions[number].height
        if current is None or current < height:
            ws.row_dimensions[number].height = height


def _wraps(wb: Any, index: int, known: dict[int, bool]) -> bool:
    if index not in known:
        alignment = wb._alignments[index]
        known[index] = bool(alignment is not None and alignment.wrap_text)
    return known[index]


def _face(wb: Any, index: int, known: dict[int, tuple[float, bool]]) -> tuple[float, bool]:
    if index not in known:
        font = wb._fonts[index]
        known[index] = ((float(font.sz or 11), bool(font.b)) if font is not None
                        else (11.0, False))
    return known[index]


def _column_twips(ws: Any, col: int) -> float:
    """The text width of column ``col`` in twips (0 when hidden). Excel's width is in
    characters of the default font: about 7 px each at 96 dpi, 15 twips a pixel, less
    the cell's padding."""
    from openpyxl.utils import get_column_letter

    dim = ws.column_dimensions[get_column_letter(col)]
    return 0.0 if dim.hidden else max(1.0, (dim.width or 8.43) * 7 - 5) * 15


def new_workbook() -> Any:
    """A new openpyxl workbook, style setting made cheap."""
    from openpyxl import Workbook

    _install_style_cache()
    return Workbook()


def save_workbook(wb: Any, path: Path) -> None:
    """Save ``wb`` to ``path`` as ``wb.save`` does, each sheet's XML written in memory.

    openpyxl writes every sheet to a temporary file of its own, reads it back into the
    zip and removes it: for the questionnaires' and attendance sheets' hundreds of
    sheets that is a tenth of the writing. The parts and their XML are openpyxl's own.
    """
    import datetime
    from zipfile import ZIP_DEFLATED, ZipFile

    with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        wb.properties.modified = datetime.datetime.now(
            tz=datetime.UTC).replace(tzinfo=None)
        _memory_writer()(wb, archive).save()


@cache
def _memory_writer() -> type:
    """openpyxl's ``ExcelWriter`` writing each sheet to memory, not a temporary file
    (its ``write_worksheet`` but for where the sheet's XML goes), the rows of a sheet
    in one string (:mod:`crmimpl.render.sheet_data`)."""
    from io import BytesIO

    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    from crmimpl.render.sheet_data import sheet_data

    class SheetWriter(WorksheetWriter):
        def write_rows(self) -> None:
            data = sheet_data(self.ws)
            if data is None:
                super().write_rows()
                return
            xf = self.xf.send(True)
            with xf.element("sheetData"):
                xf.flush()  # what lxml holds goes out before the rows
                self.out.write(data)
            self.xf.send(None)

    class MemoryWriter(ExcelWriter):
        def write_worksheet(self, ws: Any) -> None:
            if self.workbook.write_only:
                super().write_worksheet(ws)
                return
            ws._drawing = SpreadsheetDrawing()
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = SheetWriter(ws, out=BytesIO())
            writer.write()
            ws._rels = writer._rels
            self._archive.writestr(ws.path[1:], writer.read())
            self.manifest.append(ws)

    return MemoryWriter


_INSTALLED = False


def _install_style_cache() -> None:
    """Make ``cell.font = BOLD`` (and fill, border, alignment, protection) cheap.

    openpyxl finds a style's index in the workbook's list by hashing the style object,
    and hashing a style hashes all its fields (a font: 13 of them, its colour too): a
    third of a questionnaire's time. The writers set the same few style objects on
    thousands of cells, so the index is remembered per list and per object: the first
    setting of an object goes through openpyxl (so the workbook's style lists, and the
    file, are exactly as before), later ones reuse its index. The remembered object is
    kept alive with its index, so its id cannot be reused; the writers never change a
    style object after setting it (openpyxl's styles are values).
    """
    global _INSTALLED
    if _INSTALLED:
        return
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.styles.styleable import StyleDescriptor

    def __set__(self: Any, instance: Any, value: Any) -> None:
        coll = getattr(instance.parent.parent, self.collection)
        known = coll.__dict__.get("_crmimpl_index")
        if known is None:
            known = coll._crmimpl_index = {}
        hit = known.get(id(value))
        if hit is None or hit[0] is not value:
            hit = known[id(value)] = (value, coll.add(value))
        if not instance._style:
            instance._style = StyleArray()
        setattr(instance._style, self.key, hit[1])

    StyleDescriptor.__set__ = __set__
    _INSTALLED = True


def shared(style: type, **fields: Any) -> Any:
    """One style object per kind and fields (``shared(Font, bold=True)``), so that a
    writer setting it on many cells sets the same object (cheap, see above)."""
    return _shared(style, tuple(sorted(fields.items())))


@cache
def _shared(style: type, fields: tuple[tuple[str, Any], ...]) -> Any:
    return style(**dict(fields))
