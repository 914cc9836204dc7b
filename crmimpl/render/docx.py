"""Blocks to DOCX with python-docx, styled only by the reference file's named styles.

The writer opens the reference DOCX (``templates/reference.docx`` or a firm's own),
empties its body and appends one element per block. Only bold and italic runs carry
direct formatting; everything else is a named style, so a firm rebrands every document
by editing the reference file. python-docx has no API for list restarts, repeated
header rows, fields or section orientation; the small XML helpers below fill the gaps.
"""

from __future__ import annotations

import datetime as dt
import re
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# the writer's most called function (~200 000 calls for a large document) calls this;
# lxml comes with python-docx and is not one of the heavy imports kept inside functions
from lxml.etree import SubElement as _SubElement

from crmimpl.errors import CrmimplError
from crmimpl.i18n import NBSP, format_date, no_widow, tie, words
from crmimpl.render.blocks import (
    Block,
    BulletList,
    CodeBlock,
    DocMeta,
    Heading,
    LandscapeEnd,
    LandscapeStart,
    ListItem,
    OrderedList,
    PageBreak,
    Paragraph,
    Quote,
    Run,
    Signatory,
    Table,
    TitlePage,
    Toc,
    author_line,
    plain_text,
    signature_date,
)
from crmimpl.render.textwidth import line_count, longest_line, longest_word
from crmimpl.resources import templates_dir
from crmimpl.store import atomic_write_with

if TYPE_CHECKING:
    from docx.document import Document

CHECKBOX = {False: "☐", True: "☒"}
_TOKEN = re.compile(r"\{(title|subtitle|project|client|company|author|date|page|of)\}")


def default_reference() -> Path:
    """The built-in reference DOCX (``templates/reference.docx``)."""
    return templates_dir() / "reference.docx"


def write_docx(
    blocks: list[Block], out_path: Path | str, *, meta: DocMeta,
    reference: Path | str | None = None, toc_pages: list[str] | None = None,
) -> Path:
    """Write ``blocks`` as a DOCX file styled by a reference document.

    The table of contents is written as the TOC field's result (its entries, linked to
    the headings), so Word shows it without asking to update fields; the page numbers are
    ``toc_pages`` (one per :func:`toc_entries` entry, from LibreOffice's layout:
    :func:`crmimpl.render.pdf.refresh_docx`) or empty when no office suite laid it out.

    Args:
        blocks: The document, usually from :func:`crmimpl.render.markdown.parse_blocks`.
        out_path: Where to write; the file is replaced atomically.
        meta: Title page, header text, core properties and language.
        reference: A reference DOCX whose styles, page setup, header and footer are used
            (``--reference-docx``); the built-in one when ``None``.
        toc_pages: Page numbers of the table of contents entries.

    Returns:
        ``out_path`` as a :class:`~pathlib.Path`.

    Raises:
        CrmimplError: The reference file is missing or not a DOCX.
    """
    doc = _open_reference(Path(reference) if reference else default_reference())
    writer = _DocxWriter(doc, meta)
    writer.prepare()
    blocks = arrange(blocks, writer.fits)
    numbered = _abstract_num_of_style(doc, writer.style_id("Heading 1")) is not None
    writer.toc = _toc_plan(blocks, toc_pages, numbered=numbered)
    for n, block in enumerate(blocks):
        if isinstance(block, Table):
            writer.keep_with_table()
        writer.add(block)
        if isinstance(block, Table):
            writer.after_table(blocks[n + 1] if n + 1 < len(blocks) else None)
    writer.finish()
    return atomic_write_with(out_path, lambda tmp: doc.save(str(tmp)))


def _open_reference(path: Path) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not path.is_file():
        raise CrmimplError.single(str(path), "reference DOCX not found")
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise CrmimplError.single(str(path), f"not a usable DOCX file: {exc}") from None


def _el(tag: str, **attrs: str) -> Any:
    """A new ``w:`` element with ``w:`` attributes (``val="x"`` → ``w:val="x"``).

    What ``docx.oxml.OxmlElement(tag, {qn("w:val"): "x"})`` makes (python-docx's element
    class, the ``w`` namespace declared on it), without its per-call name parsing.
    """
    from docx.oxml.parser import oxml_parser

    if not tag.startswith("w:"):
        raise ValueError(f"not a w: element: {tag}")
    return oxml_parser.makeelement(_W + tag[2:], attrib={_W + k: v for k, v in attrs.items()},
                                   nsmap=_W_NSMAP)


class _DocxWriter:
    """Appends blocks to the body of one document; holds per-document caches."""

    def __init__(self, doc: Document, meta: DocMeta) -> None:
        from docx.oxml.ns import qn

        self.doc = doc
        self.meta = meta
        self.labels = words("document", meta.lang)
        self.body = doc.element.body
        self.sectPr = self.body.find(qn("w:sectPr"))
        self.qn = qn
        self.style_ids: dict[tuple[str, int], str] = {}
        self.style_by_name: dict[str, str] | None = None  # lower-case name: id
        self.has_title_page = False
        self.list_abstract_num: int | None = -1  # -1: not looked up yet
        self.toc: _TocPlan = _TocPlan([], {})
        self.table_pt = _style_size(doc, "Table Text", 10.0)
        self.heading_pt = _style_size(doc, "Table Heading", self.table_pt)
        # Smaller type for a table too wide even for a landscape page, when the
        # reference file has the styles for it.
        self.compact = _has_style(doc, "Table Text Compact") and \
            _has_style(doc, "Table Heading Compact")
        self.compact_pt = _style_size(doc, "Table Text Compact", self.table_pt)
        self.cells: dict[int, Any] = {}  # an empty table cell by width (empty_cell)
        self.paragraphs: dict[str | None, Any] = {}  # an empty paragraph by style

    # ------------------------------------------------------------ setup

    def prepare(self) -> None:
        for child in list(self.body):
            if child is not self.sectPr:
                self.body.remove(child)
        _set_core_properties(self.doc, self.meta)
        _set_company(self.doc, self.meta.company)
        _set_language(self.doc, self.labels["lang"])
        _drop_update_fields(self.doc)
        _fill_tokens(self.doc, self._token_values())

    def _token_values(self) -> dict[str, str]:
        m = self.meta
        return {"title": m.title, "subtitle": m.subtitle,
                "project": _header_fit(m.title, m.project),
                "client": m.client, "company": m.company, "author": m.author,
                "date": format_date(m.date, m.lang, "date_title"), "page": self.labels["page"],
                "of": self.labels["of"]}

    def finish(self) -> None:
        if self.has_title_page:
            _hide_first_page_header(self.doc)
        _landscape_headers(self.doc)

    # ------------------------------------------------------------ styles

    def style_id(self, name: str, kind: int = 1) -> str:
        """Id of the style ``name`` (1 paragraph, 2 character, 3 table), added if absent."""
        key = (name, kind)
        if key not in self.style_ids:
            self.style_ids[key] = self._lookup_style(name, kind)
        return self.style_ids[key]

    def _lookup_style(self, name: str, kind: int) -> str:
        from docx.enum.style import WD_STYLE_TYPE

        wd_type = {1: WD_STYLE_TYPE.PARAGRAPH, 2: WD_STYLE_TYPE.CHARACTER}.get(
            kind, WD_STYLE_TYPE.TABLE)
        styles = self.doc.styles
        if self.style_by_name is None:  # the first style of each name, as a search finds
            self.style_by_name = {}
            for style in styles:
                if style.name is not None:
                    self.style_by_name.setdefault(style.name.lower(), str(style.style_id))
        found = self.style_by_name.get(name.lower())
        if found is not None:
            return found
        # A firm's reference file may lack one of our styles: add a plain one so the
        # document still opens and the firm can style it later.
        added = str(styles.add_style(name, wd_type).style_id)
        self.style_by_name[name.lower()] = added
        return added

    # ------------------------------------------------------------ output helpers

    def append(self, element: Any) -> Any:
        self.sectPr.addprevious(element)
        return element

    def paragraph(self, style: str | None, runs: list[Run] | None = None) -> Any:
        # Plain lxml calls: python-docx's child-ordering helpers cost 3x more here;
        # and a copy of the style's empty paragraph, made once, is cheaper still.
        empty = self.paragraphs.get(style)
        if empty is None:
            empty = self.paragraphs[style] = _el("w:p")
            if style and style != "Normal":
                _sub(_sub(empty, "pPr"), "pStyle", val=self.style_id(style))
        p = deepcopy(empty)
        if runs:
            self.add_runs(p, runs)
        return p

    def add_runs(self, p: Any, runs: list[Run]) -> None:
        for run in runs:
            if run.link:
                link = _sub(p, "hyperlink")
                rel = self.doc.part.relate_to(run.link, _HYPERLINK, is_external=True)
                link.set(_R_ID, rel)
                self.run(link, run, "Hyperlink")
            else:
                self.run(p, run, "Code Char" if run.code else None)

    def run(self, parent: Any, run: Run, char_style: str | None) -> Any:
        r = _sub(parent, "r")
        if char_style or run.bold or run.italic:
            rpr = _sub(r, "rPr")
            if char_style:
                _sub(rpr, "rStyle", val=self.style_id(char_style, 2))
            if run.bold:
                _sub(rpr, "b")
            if run.italic:
                _sub(rpr, "i")
        _add_text(r, run.text if run.code else tie(run.text))
        return r

    # ------------------------------------------------------------ blocks

    def add(self, block: Block) -> None:
        handler = getattr(self, f"add_{type(block).__name__.lower()}")
        handler(block)

    def add_heading(self, block: Heading) -> None:
        p = self.paragraph(f"Heading {min(block.level, 6)}", block.runs)
        name = self.toc.bookmarks.get(id(block))
        if name is not None:  # the TOC entry links here
            start = _el("w:bookmarkStart", id=name[-9:].lstrip("0") or "0", name=name)
            after_ppr = 1 if len(p) and p[0].tag == _W + "pPr" else 0
            p.insert(after_ppr, start)
            p.append(_el("w:bookmarkEnd", id=start.get(_W + "id")))
        self.append(p)

    def add_paragraph(self, block: Paragraph) -> None:
        p = self.paragraph("Normal", block.runs)
        if block.runs and (block.runs[-1].text.rstrip().endswith(":") or _is_label(block)):
            # a lead-in («Подтверждения выполненных проверок:») or a bold label over its
            # rules («R09. Пропущенный звонок в отдел продаж») never stays alone at the
            # foot of a page: it keeps with the list or table it introduces
            p.insert(0, _el("w:pPr"))
            _sub(p[0], "keepNext")
        self.append(p)

    def add_codeblock(self, block: CodeBlock) -> None:
        self.append(self.paragraph("Code Block", [Run(block.text)]))

    def add_quote(self, block: Quote) -> None:
        for runs in block.paragraphs:
            self.append(self.paragraph("Quote", runs))

    def add_pagebreak(self, _block: PageBreak | None = None) -> None:
        r = _el("w:r")
        r.append(_el("w:br", type="page"))
        self.append(_el("w:p")).append(r)

    def add_bulletlist(self, block: BulletList, depth: int = 0) -> None:
        for item in block.items:
            if item.checked is not None:
                self.add_checklist_item(item)
            else:
                self.append(self.paragraph(_list_style("List Bullet", depth), item.runs))
            self.add_children(item, depth)

    def add_orderedlist(self, block: OrderedList, depth: int = 0) -> None:
        num_id = self.restart_numbering(block.start)
        for item in block.items:
            p = self.paragraph(_list_style("List Number", depth), item.runs)
            if num_id is not None:  # pPr exists: the list style was set
                num_pr = _sub(p[0], "numPr")
                _sub(num_pr, "ilvl", val=str(min(depth, 8)))
                _sub(num_pr, "numId", val=str(num_id))
            self.append(p)
            self.add_children(item, depth)

    def add_children(self, item: ListItem, depth: int) -> None:
        for child in item.children:
            if isinstance(child, OrderedList):
                self.add_orderedlist(child, depth + 1)
            else:
                self.add_bulletlist(child, depth + 1)

    def add_checklist_item(self, item: ListItem) -> None:
        box = Run(CHECKBOX[bool(item.checked)] + "\t")
        self.append(self.paragraph("Checklist", [box, *item.runs]))

    def restart_numbering(self, start: int) -> int | None:
        """A new ``w:num`` on the List Number definition that starts again at ``start``."""
        if self.list_abstract_num == -1:
            self.list_abstract_num = _abstract_num_of_style(self.doc, self.style_id("List Number"))
        abstract_id = self.list_abstract_num
        if abstract_id is None:
            return None
        numbering = self.doc.part.numbering_part.element
        num = numbering.add_num(abstract_id)
        for ilvl in range(9):
            num.add_lvlOverride(ilvl=ilvl).add_startOverride(start if ilvl == 0 else 1)
        return int(num.numId)

    def measure(self, block: Table) -> _Measure:
        return _measure(block, self.table_pt, self.heading_pt)

    def fits(self, block: Table, hinted: bool = False) -> bool:
        """Whether the table stays on portrait pages.

        It does when its words fit the portrait width and it is not cramped there (more
        than 2.5 times as tall as on a landscape page, and by more than a third of a
        page; for a long table the template expects wide, ``hinted``, more than 1.6
        times: a register whose every row wraps to eight lines in portrait reads better
        on landscape pages, while a few rows are not worth a half-empty page). A short
        table (up to :data:`_SHORT_TABLE` rows) that is too wide stays portrait in the
        compact type rather than take a landscape page of its own.
        """
        portrait, landscape = _text_widths(self.sectPr)
        measure = self.measure(block)
        narrow = _allot(measure, block.widths, portrait)
        if narrow is None:
            if self.compact and len(block.rows) <= _SHORT_TABLE:
                small = _measure(block, self.compact_pt, self.compact_pt)
                return _allot(small, block.widths, portrait) is not None
            return False
        wide = _allot(measure, block.widths, landscape) or narrow
        tall, short = _height(block, narrow), _height(block, wide)
        strict = hinted and len(block.rows) > _LONG_HINTED
        return tall <= (1.6 if strict else 2.5) * short or tall - short <= 15

    def add_table(self, block: Table) -> None:
        total = _text_width(self.sectPr)
        measure = self.measure(block)
        if block.floors:
            measure = _Measure([max(lo, f) for lo, f in zip(measure.least, block.floors,
                                                             strict=True)],
                               [max(m, f) for m, f in zip(measure.most, block.floors,
                                                          strict=True)])
        widths = _allot(measure, block.widths, total)
        styles = ("Table Heading", "Table Text")
        if widths is None and self.compact:
            measure = _measure(block, self.compact_pt, self.compact_pt)
            widths = _allot(measure, block.widths, total)
            styles = ("Table Heading Compact", "Table Text Compact")
        if widths is None:
            widths = _squeeze(measure, total)
        tbl = _el("w:tbl")
        tbl_pr = _el("w:tblPr")
        tbl.append(tbl_pr)
        tbl_pr.append(_el("w:tblStyle", val=self.style_id("CRM Table", 3)))
        tbl_pr.append(_el("w:tblW", w=str(sum(widths)), type="dxa"))
        tbl_pr.append(_el("w:tblLayout", type="fixed"))
        tbl_pr.append(_el("w:tblLook", val="04A0", firstRow="1", lastRow="0",
                          firstColumn="0", lastColumn="0", noHBand="0", noVBand="1"))
        grid = _el("w:tblGrid")
        for width in widths:
            grid.append(_el("w:gridCol", w=str(width)))
        tbl.append(grid)
        tbl.append(self.table_row(block.header, block, widths, styles[0], header=True))
        last = len(block.rows) - 1
        for n, row in enumerate(block.rows):
            # a table of one body row keeps it whole: no row follows that LibreOffice could
            # drop (see table_row), and a split one leaves a line or two of it alone on a
            # page of its own (kreativ's duty table, round 22)
            tr = self.table_row(row, block, widths, styles[1], header=False,
                                first=n == 0 and last > 0)
            if n == last - 1 and last >= 3 and _row_lines(block.rows[last], widths) <= 2:
                # the last row, short, never stands alone on a page of its own (optima's
                # register put R22 alone on a landscape page): the row before it keeps
                # with it. Not near the first row (see table_row on LibreOffice 7.4)
                for p_el in tr.iter(_W + "p"):
                    _keep_next(p_el)
            tbl.append(tr)
        self.append(tbl)

    def keep_with_table(self) -> None:
        """The paragraph right before a table keeps with it (``w:keepNext``).

        LibreOffice lays out a table with a repeated header row (``w:tblHeader``) that
        only partly fits at the foot of a page by moving it to the next page while
        keeping the split it computed for the first: that page then holds the header
        and a row or two, and the rest goes on. A lead-in kept with the table makes
        LibreOffice move both together and lay the table out afresh (a heading before
        a table already keeps with it); Word keeps the lead-in with the first row."""
        last = self.sectPr.getprevious()
        if last is None or last.tag != _W + "p":
            return
        p_pr = last.find(_W + "pPr")
        if p_pr is None:
            p_pr = _el("w:pPr")
            last.insert(0, p_pr)
        if p_pr.find(_W + "sectPr") is not None or p_pr.find(_W + "keepNext") is not None:
            return  # a section break stays where it is
        at = 1 if len(p_pr) and p_pr[0].tag == _W + "pStyle" else 0
        p_pr.insert(at, _el("w:keepNext"))

    def after_table(self, following: Block | None) -> None:
        """A paragraph after a table: a normal one keeps the next table or text apart.
        Before a section break none (the break brings its own tiny paragraph), and none
        at the end: the body's section properties need no paragraph before them, and a
        1-pt one spilled onto a blank last page when the table filled its page to the
        foot (teplo's English training plan, round 22)."""
        if isinstance(following, (Table, Heading, Paragraph, BulletList, OrderedList,
                                  Quote, CodeBlock)):
            self.append(self.paragraph("Normal"))

    def table_row(self, cells: list[list[Run]], block: Table, widths: list[int], style: str,
                  header: bool, first: bool = False) -> Any:
        tr = _el("w:tr")
        if header:
            tr_pr = _el("w:trPr")
            tr_pr.append(_el("w:cantSplit"))
            tr_pr.append(_el("w:tblHeader"))  # repeat the header row on every page
            tr.append(tr_pr)
        elif not first and _row_lines(cells, widths) <= _UNSPLIT_ROW_LINES:
            # a row of a few lines moves whole to the next page rather than leave its
            # first line alone at the foot of one; a tall row may still break. Not the
            # first body row: LibreOffice (7.4) drops every row after it from the layout
            # when a table with a repeated header starts at the foot of a page and its
            # first row may not split (the rows are in the file but not on any page)
            tr_pr = _el("w:trPr")
            tr_pr.append(_el("w:cantSplit"))
            tr.append(tr_pr)
        for col, width in enumerate(widths):
            tc = self.empty_cell(width)
            p = self.paragraph(style, cells[col] if col < len(cells) else [])
            align = block.align[col] if col < len(block.align) else None
            if align in ("center", "right"):
                _sub(p[0], "jc", val=align)
            tc.append(p)
            tr.append(tc)
        return tr

    def empty_cell(self, width: int) -> Any:
        """A new ``w:tc`` of ``width`` twips with no content yet: a copy of one made
        once per width (copying three elements is cheaper than making them)."""
        made = self.cells.get(width)
        if made is None:
            made = self.cells[width] = _el("w:tc")
            tc_pr = _el("w:tcPr")
            tc_pr.append(_el("w:tcW", w=str(width), type="dxa"))
            made.append(tc_pr)
        return deepcopy(made)

    def add_toc(self, block: Toc) -> None:
        """The TOC field with its result written out: one linked entry per heading."""
        self.append(self.paragraph("TOC Heading", [Run(self.labels["toc"])]))
        instr = f'TOC \\o "1-{block.depth}" \\h \\z \\u'
        begin, end = _field_parts(instr)
        entries = self.toc.entries or [_TocEntry(1, "", "", "")]
        for n, entry in enumerate(entries):
            p = self.paragraph(f"toc {min(entry.level, 9)}" if entry.text else "Normal")
            if n == 0:
                p.extend(begin)
            if entry.text:
                link = _sub(p, "hyperlink", anchor=entry.bookmark, history="1")
                text = f"{entry.number} {entry.text}" if entry.number else entry.text
                _add_text(_sub(link, "r"), f"{text}\t{entry.page}")
            if n == len(entries) - 1:
                p.extend(end)
            self.append(p)

    def add_titlepage(self, _block: TitlePage) -> None:
        m, labels = self.meta, self.labels
        if m.lang == "ru":
            self.add_approval_blocks()
        version = labels["version_line"].format(version=m.version, status=m.status) \
            if m.version and m.status else ""
        # a Russian title page: approvals, the title, then who prepared it and the firm
        # at the foot; an English one opens with the firm as a letterhead
        top = m.company if m.lang != "ru" else ""
        lines = [("Title Info", top), ("Title", no_widow(m.title)),
                 ("Subtitle", no_widow(m.subtitle)),
                 ("Title Info", f"{labels['project']}: {m.project}" if m.project else ""),
                 ("Title Info", f"{labels['client']}: {m.client}" if m.client else ""),
                 ("Title Info", version),
                 ("Title Info", author_line(labels["prepared_by"], m)),
                 ("Title Info", m.company if m.lang == "ru" else ""),
                 ("Title Info", format_date(m.date, m.lang, "date_title"))]
        for style, text in lines:
            if text or style == "Title":
                self.append(self.paragraph(style, [Run(text)]))
        if m.lang != "ru":
            self.add_signoff_table()
        self.has_title_page = not any(
            child.tag == self.qn("w:p") and child.find(f".//{self.qn('w:sectPr')}") is not None
            for child in self.body
        )
        self.add_pagebreak()

    def add_approval_blocks(self) -> None:
        """УТВЕРЖДАЮ (right) and СОГЛАСОВАНО (left) as a consultant lays them out: two
        columns of a borderless table above the title."""
        approvals = self.meta.approvals
        if not approvals:
            return
        columns = [[s for s in approvals if s.kind == "agree"],
                   [s for s in approvals if s.kind == "approve"]]
        width = _text_width(self.sectPr) // 2
        tbl = _el("w:tbl")
        tbl_pr = _sub(tbl, "tblPr")
        _sub(tbl_pr, "tblW", w=str(width * 2), type="dxa")
        borders = _sub(tbl_pr, "tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _sub(borders, edge, val="nil")
        _sub(tbl_pr, "tblLayout", type="fixed")
        grid = _sub(tbl, "tblGrid")
        for _ in columns:
            _sub(grid, "gridCol", w=str(width))
        tr = _sub(tbl, "tr")
        for signers in columns:
            tc = _sub(tr, "tc")
            _sub(_sub(tc, "tcPr"), "tcW", w=str(width), type="dxa")
            paragraphs = [p for s in signers for p in self.signature_block(s)]
            for p in paragraphs or [self.paragraph("Table Text")]:
                tc.append(p)
        self.append(tbl)

    def signature_block(self, signer: Signatory) -> list[Any]:
        """The paragraphs of one УТВЕРЖДАЮ / СОГЛАСОВАНО block."""
        labels = self.labels
        lines = [Run(labels[signer.kind], bold=True)]
        lines += [Run(text) for text in (signer.position or signer.role, signer.company)
                  if text]
        lines += [Run(f"_____________ {signer.short_name}"),
                  Run(signature_date(labels["signature_date"], self.meta)),
                  Run("")]
        return [self.paragraph("Table Text", [run]) for run in lines]

    def add_signoff_table(self) -> None:
        """The English sign-off table: role, name, position, signature, date."""
        approvals = self.meta.approvals
        if not approvals:
            return
        self.append(self.paragraph("Title Info", [Run(self.labels["signoff"])]))
        header = [[Run(text)] for text in self.labels["signoff_cols"]]
        # a short name stays on one line in its narrow column
        rows = [[[Run(s.role)], [Run(s.name.replace(" ", NBSP) if len(s.name) <= 25
                                     else s.name)],
                 [Run(", ".join(t for t in (s.position, s.company) if t))], [], []]
                for s in approvals]
        # a signature and a handwritten date need room though the cells are empty
        self.add_table(Table(header, rows, widths=[24, 20, 28, 16, 12],
                             floors=[0, 0, 0, 1700, 1450]))

    def add_landscapestart(self, _block: LandscapeStart) -> None:
        self.section_break(landscape=True)

    def add_landscapeend(self, _block: LandscapeEnd) -> None:
        self.section_break(landscape=False)

    def section_break(self, landscape: bool) -> None:
        """End the current section here; the next one gets the requested orientation."""
        ended = _clone(self.sectPr)
        # The ended section keeps its own header references; the new one links to it.
        # The paragraph holding the break is tiny, so it never spills onto a page alone.
        p = self.append(_tiny(_el("w:p")))
        p.pPr.append(ended)
        for ref in self.sectPr.xpath("w:headerReference|w:footerReference|w:titlePg"):
            self.sectPr.remove(ref)
        _set_orientation(self.sectPr, landscape)


_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_NSMAP = {"w": _W[1:-1]}
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _is_label(block: Paragraph) -> bool:
    """A short paragraph all in bold: a run-in label that heads what follows it."""
    text = "".join(r.text for r in block.runs).strip()
    return bool(text) and len(text) <= 160 and all(r.bold for r in block.runs if r.text.strip())


def _keep_next(p: Any) -> None:
    """Give a paragraph ``w:keepNext`` in its schema place (after ``w:pStyle``)."""
    p_pr = p.find(_W + "pPr")
    if p_pr is None:
        p_pr = _el("w:pPr")
        p.insert(0, p_pr)
    if p_pr.find(_W + "keepNext") is None:
        at = 1 if len(p_pr) and p_pr[0].tag == _W + "pStyle" else 0
        p_pr.insert(at, _el("w:keepNext"))


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    """Append a ``w:tag`` child with ``w:`` attributes (caller keeps schema order)."""
    if not attrs:
        return _SubElement(parent, _W + tag)
    return _SubElement(parent, _W + tag, {_W + k: v for k, v in attrs.items()})


def _add_text(r: Any, text: str) -> None:
    """Fill a run with ``w:t`` pieces, ``w:br`` for newlines and ``w:tab`` for tabs."""
    for n, line in enumerate(text.split("\n")):
        if n:
            _sub(r, "br")
        for m, piece in enumerate(line.split("\t")):
            if m:
                _sub(r, "tab")
            if piece:
                t = _sub(r, "t")
                t.text = piece
                if piece != piece.strip():
                    t.set(_XML_SPACE, "preserve")


def _list_style(base: str, depth: int) -> str:
    return base if depth == 0 else f"{base} {min(depth + 1, 3)}"


def _abstract_num_of_style(doc: Document, style_id: str) -> int | None:
    styles = doc.styles.element
    num_ids = styles.xpath(f'w:style[@w:styleId="{style_id}"]/w:pPr/w:numPr/w:numId/@w:val')
    if not num_ids:
        return None
    numbering = doc.part.numbering_part.element
    found = numbering.xpath(f'w:num[@w:numId="{num_ids[0]}"]/w:abstractNumId/@w:val')
    return int(found[0]) if found else None


def _field_parts(instr: str) -> tuple[list[Any], list[Any]]:
    """The runs before a field's result (begin, instruction, separate) and after it (end).

    The field is not marked dirty and the settings ask for no update: the result is
    already there, so Word opens the document without a question.
    """
    text = _el("w:instrText")
    text.text = f" {instr} "
    text.set(_XML_SPACE, "preserve")
    begin = [_wrap_run(_el("w:fldChar", fldCharType="begin")), _wrap_run(text),
             _wrap_run(_el("w:fldChar", fldCharType="separate"))]
    return begin, [_wrap_run(_el("w:fldChar", fldCharType="end"))]


@dataclass(frozen=True)
class _TocEntry:
    level: int
    number: str
    text: str
    bookmark: str
    page: str = ""


@dataclass
class _TocPlan:
    entries: list[_TocEntry]
    bookmarks: dict[int, str]  # id(Heading block) -> bookmark name


def toc_entries(blocks: list[Block]) -> list[str]:
    """The table of contents of ``blocks`` as the DOCX lists it: ``1.2 Heading`` lines."""
    plan = _toc_plan(arrange(blocks, lambda _t, _hinted=False: True), None)
    return [f"{e.number} {e.text}".strip() for e in plan.entries]


def _toc_plan(blocks: list[Block], pages: list[str] | None, *,
              numbered: bool = True) -> _TocPlan:
    """The entries of the first TOC: every heading after it up to its depth, numbered as
    the heading styles number them (when they do), each with a bookmark to link to."""
    toc = next((i for i, b in enumerate(blocks) if isinstance(b, Toc)), None)
    if toc is None:
        return _TocPlan([], {})
    depth = blocks[toc].depth  # type: ignore[union-attr]
    counters = [0] * 6
    entries: list[_TocEntry] = []
    bookmarks: dict[int, str] = {}
    for n, block in enumerate(blocks):
        if not isinstance(block, Heading):
            continue
        level = min(block.level, 6)
        counters[level - 1] += 1
        counters[level:] = [0] * (6 - level)
        if n < toc or level > depth:
            continue
        name = f"_Toc{len(entries) + 1:09d}"
        page = pages[len(entries)] if pages and len(entries) < len(pages) else ""
        number = ".".join(str(c) for c in counters[:level]) if numbered else ""
        entries.append(_TocEntry(level, number, plain_text(block.runs), name, page))
        bookmarks[id(block)] = name
    return _TocPlan(entries, bookmarks)


def _tiny(p: Any) -> Any:
    """Make an empty structural paragraph (a section break, the end) 1 pt high."""
    p_pr = p.get_or_add_pPr()
    p_pr.append(_el("w:spacing", before="0", after="0", line="20", lineRule="exact"))
    rpr = _sub(p_pr, "rPr")
    _sub(rpr, "sz", val="2")
    _sub(rpr, "szCs", val="2")
    return p


def _wrap_run(child: Any) -> Any:
    r = _el("w:r")
    r.append(child)
    return r


def _clone(element: Any) -> Any:
    import copy

    return copy.deepcopy(element)


def _set_orientation(sect_pr: Any, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT

    pg_sz = sect_pr.get_or_add_pgSz()
    short, long_ = sorted([pg_sz.w, pg_sz.h])
    pg_sz.w, pg_sz.h = (long_, short) if landscape else (short, long_)
    pg_sz.orient = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT


# Table cells: left and right cell margins of the CRM Table style, the borders, and a
# little air, in twips; and how much wider than measured a word may come out (kerning,
# another font of the same metrics).
_CELL_PAD = 85 + 85 + 40
_SHORT_TABLE = 15
_LONG_HINTED = 10  # rows from which a table hinted landscape is judged strictly
_WORD_SLACK = 1.04


@dataclass(frozen=True)
class _Measure:
    """Per column, in twips: the widest unbreakable word (the least width that breaks
    no word) and the widest unwrapped line (the width it would like)."""

    least: list[float]
    most: list[float]


def _measure(block: Table, body_pt: float, heading_pt: float) -> _Measure:
    count = len(block.header)
    least = [0.0] * count
    most = [0.0] * count
    rows = [(block.header, True), *((row, False) for row in block.rows)]
    for cells, header in rows:
        for col in range(min(count, len(cells))):
            for run in cells[col]:
                bold = header or run.bold
                size = heading_pt if header else body_pt
                least[col] = max(least[col], longest_word(tie(run.text), size, bold))
            text = tie(plain_text(cells[col]))
            size = heading_pt if header else body_pt
            most[col] = max(most[col], longest_line(text, size, header))
    least = [w * _WORD_SLACK + _CELL_PAD for w in least]
    most = [max(m * _WORD_SLACK + _CELL_PAD, lo) for m, lo in zip(most, least, strict=True)]
    return _Measure(least, most)


def _allot(measure: _Measure, hints: list[float] | None, total: int) -> list[int] | None:
    """Column widths in twips that add up to ``total`` and break no word, or ``None``
    when the words alone are wider than ``total``.

    The content decides, as browsers lay out tables: when every cell fits on one line,
    each column gets its widest line; otherwise each gets its longest word and the space
    left is shared in proportion to how much more each column's text would like. A
    template's ``<!-- widths: ... -->`` hint only says where room to spare goes: the
    extra space of a table whose cells all fit, and a column's share of the space left
    over the longest words (a column hinted twice as wide claims twice as much). So a
    hint can never make a column narrower than its longest word, nor give a column of
    short codes the room a column of descriptions needs.
    """
    least, most = measure.least, measure.most
    if sum(least) > total:
        return None
    count = len(least)
    use_hints = bool(hints) and len(hints or ()) == count and all(h > 0 for h in hints or ())
    weight = [h * count / sum(hints) for h in hints] if use_hints and hints else [1.0] * count
    if sum(most) <= total:
        spare = total - sum(most)
        shares = weight if use_hints else most
        out = [m + spare * s / sum(shares) for m, s in zip(most, shares, strict=True)]
    else:
        spare = total - sum(least)
        wants = [(m - lo) * w for m, lo, w in zip(most, least, weight, strict=True)]
        if sum(wants) <= 0:
            wants = [1.0] * count
        out = [lo + spare * w / sum(wants) for lo, w in zip(least, wants, strict=True)]
    return _to_twips(out, total)


def _squeeze(measure: _Measure, total: int) -> list[int]:
    """Widths for a table whose words do not fit even a landscape page: in proportion
    to the longest words (some words must break)."""
    return _to_twips([w * total / sum(measure.least) for w in measure.least], total)


def _to_twips(widths: list[float], total: int) -> list[int]:
    out = [int(w) for w in widths]
    out[out.index(max(out))] += total - sum(out)
    return out


def _height(block: Table, widths: list[int]) -> int:
    """Lines of text the table takes with these column widths (an estimate)."""
    return sum(_row_lines(cells, widths) for cells in [block.header, *block.rows])


_UNSPLIT_ROW_LINES = 12
"""A body row of at most this many lines (an estimate) is never split over two pages."""


def _row_lines(cells: list[list[Run]], widths: list[int]) -> int:
    """Lines of text a table row takes with these column widths (an estimate)."""
    return max((line_count(tie(plain_text(cells[c])), widths[c] - _CELL_PAD, 10.0)
                for c in range(min(len(cells), len(widths)))), default=1)


def arrange(blocks: list[Block], fits: Any) -> list[Block]:
    """Decide the page orientation of each part of a document.

    A ``<!-- landscape -->`` region of a template is a hint: it becomes a landscape
    section only when one of its tables does not fit a portrait page (``fits(table,
    True)`` is false: a hinted table is judged more strictly): a landscape section
    starts and ends with a page break, and one that is
    not needed leaves a half-empty page. A table outside such a region that does not
    fit portrait gets a landscape section of its own, with the headings right before it.
    Page breaks that would only make an empty page (at the end, next to a section
    break) are dropped, and so is a return to portrait when nothing follows.
    """
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, LandscapeStart):
            end = next((j for j in range(i + 1, len(blocks))
                        if isinstance(blocks[j], LandscapeEnd)), len(blocks))
            region = blocks[i + 1:end]
            if any(isinstance(b, Table) and not fits(b, True) for b in region):
                out += [LandscapeStart(), *_take_headings(out), *region, LandscapeEnd()]
            else:
                out += region
            i = end + 1
            continue
        if isinstance(block, LandscapeEnd):
            i += 1
            continue
        if isinstance(block, Table) and not fits(block):
            out += [LandscapeStart(), *_take_headings(out), block, LandscapeEnd()]
        else:
            out.append(block)
        i += 1
    return _drop_empty_breaks(out)


# a section's short lead-in (its paragraphs and lists before a landscape table, up to this
# many characters) goes onto the table's landscape page with the section's heading
_SHORT_LEAD_IN = 900


def _take_headings(out: list[Block]) -> list[Block]:
    """Remove what leads into a landscape table from the end of ``out`` and return it: the
    sentence introducing it (a paragraph ending with a colon) and the headings before,
    or a section's whole short lead-in (a heading, a paragraph and a summary list), so
    they go onto the table's page instead of standing alone on a near-empty page."""
    lead = 0
    while lead < len(out) and isinstance(out[-1 - lead], (Paragraph, BulletList, OrderedList)):
        lead += 1
    if lead and len(out) > lead and isinstance(out[-1 - lead], Heading) and \
            sum(len(_block_text(b)) for b in out[len(out) - lead:]) <= _SHORT_LEAD_IN:
        taken = out[len(out) - lead:]
        del out[len(out) - lead:]
    else:
        taken = []
        if out and isinstance(out[-1], Paragraph) and \
                plain_text(out[-1].runs).rstrip().endswith(":"):
            taken.insert(0, out.pop())
    while out and isinstance(out[-1], Heading):
        taken.insert(0, out.pop())
    return taken


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return plain_text(block.runs)
    if isinstance(block, (BulletList, OrderedList)):
        return " ".join(plain_text(item.runs) for item in block.items)
    return ""


def _drop_empty_breaks(blocks: list[Block]) -> list[Block]:
    breaks = (PageBreak, LandscapeStart, LandscapeEnd, TitlePage)  # each ends a page
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, LandscapeStart) and out and isinstance(out[-1], LandscapeEnd):
            out.pop()  # landscape again right away: stay in the landscape section
            continue
        if isinstance(block, (LandscapeStart, LandscapeEnd)) and out and \
                isinstance(out[-1], PageBreak):
            out.pop()  # a section break starts a new page anyway
        if isinstance(block, PageBreak) and out and isinstance(out[-1], breaks):
            continue
        out.append(block)
    while out and isinstance(out[-1], (PageBreak, LandscapeEnd)):
        out.pop()
    return out


def _text_widths(sect_pr: Any) -> tuple[int, int]:
    """Width between the margins of a portrait and of a landscape page, in twips."""
    from docx.shared import Twips

    pg_sz = sect_pr.pgSz
    w = pg_sz.w if pg_sz is not None and pg_sz.w else Twips(11906)
    h = pg_sz.h if pg_sz is not None and pg_sz.h else Twips(16838)
    pg_mar = sect_pr.pgMar
    margins = (pg_mar.left or 0) + (pg_mar.right or 0) if pg_mar is not None else 0
    short, long_ = sorted([w, h])
    return int((short - margins) / 635), int((long_ - margins) / 635)


def _has_style(doc: Document, name: str) -> bool:
    return any(s.name is not None and s.name.lower() == name.lower() for s in doc.styles)


def _style_size(doc: Document, name: str, default: float) -> float:
    """Font size in points of a paragraph style (through its base styles)."""
    for style in doc.styles:
        if style.name is not None and style.name.lower() == name.lower():
            while style is not None:
                size = style.font.size
                if size is not None:
                    return float(size.pt)
                style = style.base_style
    return default


def _text_width(sect_pr: Any) -> int:
    """Width between the margins of the current section, in twips."""
    from docx.shared import Twips

    pg_w = sect_pr.pgSz.w if sect_pr.pgSz is not None else Twips(11906)
    pg_mar = sect_pr.pgMar
    margins = (pg_mar.left or 0) + (pg_mar.right or 0) if pg_mar is not None else 0
    return int((pg_w - margins) / 635)  # EMU → twips


def _hide_first_page_header(doc: Document) -> None:
    """Give the first section an empty first-page header and footer (the title page)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
        for paragraph in part.paragraphs:  # python-docx styles them "Header": no rule line
            p_pr = paragraph._p.pPr
            if p_pr is not None and p_pr.pStyle is not None:
                p_pr.remove(p_pr.pStyle)


def _landscape_headers(doc: Document) -> None:
    """Give landscape sections a copy of the header whose right tab stop is at their
    right margin (the reference's stop is at the portrait margin, where a long header
    would run into itself), and portrait sections after them the first header again."""
    import copy

    from docx.enum.section import WD_HEADER_FOOTER, WD_ORIENT

    sections = list(doc.sections)
    primary = WD_HEADER_FOOTER.PRIMARY
    first_ref = sections[0]._sectPr.get_headerReference(primary)
    if first_ref is None or len(sections) < 2:
        return
    portrait_rid = first_ref.rId
    landscape_rid: str | None = None
    for section in sections[1:]:
        sect_pr = section._sectPr
        if sect_pr.get_headerReference(primary) is not None:
            continue  # the reference file's own header for this section
        if section.orientation != WD_ORIENT.LANDSCAPE:
            sect_pr.add_headerReference(primary, portrait_rid)
            continue
        if landscape_rid is not None:
            sect_pr.add_headerReference(primary, landscape_rid)
            continue
        source = sections[0].header._element
        header = section.header
        header.is_linked_to_previous = False
        target = header._element
        for child in list(target):
            target.remove(child)
        right = _text_width(sect_pr)
        for child in source:
            clone = copy.deepcopy(child)
            if clone.tag == _W + "p":
                p_pr = clone.get_or_add_pPr()
                tabs = p_pr.find(_W + "tabs")
                if tabs is None:
                    tabs = _el("w:tabs")
                    style = p_pr.find(_W + "pStyle")
                    (style.addnext if style is not None else p_pr.insert)(
                        *((tabs,) if style is not None else (0, tabs)))
                style = p_pr.find(_W + "pStyle")
                inherited = _style_tabs(doc, style.get(_W + "val") if style is not None else "")
                for stop in list(tabs):
                    tabs.remove(stop)
                stops = [("clear", pos) for pos in inherited if pos != right]
                for kind, pos in sorted([*stops, ("right", right)], key=lambda t: t[1]):
                    tabs.append(_el("w:tab", val=kind, pos=str(pos)))
            target.append(clone)
        made = sect_pr.get_headerReference(primary)
        landscape_rid = made.rId if made is not None else None


def _style_tabs(doc: Document, style_id: str) -> list[int]:
    """Tab stop positions a paragraph style sets (not through its base styles)."""
    if not style_id:
        return []
    found = doc.styles.element.xpath(
        f'w:style[@w:styleId="{style_id}"]/w:pPr/w:tabs/w:tab/@w:pos')
    return [int(pos) for pos in found]


def _set_core_properties(doc: Document, meta: DocMeta) -> None:
    props = doc.core_properties
    stamp = dt.datetime.combine(meta.date, dt.time(0, 0), tzinfo=dt.UTC)
    props.title = meta.title
    props.subject = meta.subtitle or meta.project
    props.author = props.last_modified_by = meta.author
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.language = words("document", meta.lang)["lang"]
    props.keywords = meta.project
    props.comments = props.category = ""


def _set_company(doc: Document, company: str) -> None:
    """Set ``Company`` in docProps/app.xml when the reference file has that part."""
    from lxml import etree

    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    for part in doc.part.package.iter_parts():
        if str(part.partname) != "/docProps/app.xml":
            continue
        root = etree.fromstring(part.blob)
        node = root.find(f"{{{ns}}}Company")
        if node is None:
            node = etree.SubElement(root, f"{{{ns}}}Company")
        node.text = company
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


def _set_language(doc: Document, lang: str) -> None:
    """Set ``w:lang`` in the document defaults and on every style that names one."""
    from docx.oxml.ns import qn

    styles = doc.styles.element
    rpr_default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    targets = list(styles.iter(qn("w:lang")))
    if rpr_default is not None and rpr_default.find(qn("w:lang")) is None:
        rpr_default.append(_el("w:lang", val=lang))
    for node in targets:
        node.set(qn("w:val"), lang)


def _drop_update_fields(doc: Document) -> None:
    """Remove ``w:updateFields`` (a reference file may have it): Word would ask on every
    opening whether to update fields, and the TOC is already filled in."""
    from docx.oxml.ns import qn

    settings = doc.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)


HEADER_TWIPS = 9355 - 400  # the header's right tab less a gap between its two parts
HEADER_PT = 9


def _header_fit(title: str, project: str) -> str:
    """The project's name as the running header shows it beside the title: on one line,
    whole words cut with "…" when both would not fit (a wrapped header repeats on every
    page)."""
    from crmimpl.render.textwidth import text_width

    room = HEADER_TWIPS - text_width(title, HEADER_PT)
    if text_width(project, HEADER_PT) <= room:
        return project
    # the client's quoted name («ТеплоСервис») says which project it is better than the
    # name's first words cut short
    quoted = re.findall(r"«[^«»]+(?:«[^«»]*»[^«»]*)?»", project)
    if quoted and text_width(quoted[-1], HEADER_PT) <= room:
        return quoted[-1]
    words = project.split()
    while words and text_width(" ".join(words) + "…", HEADER_PT) > room:
        words.pop()
    return " ".join(words).rstrip(",;:—–-") + "…" if words else ""


def _fill_tokens(doc: Document, values: dict[str, str]) -> None:
    """Replace ``{title}``-style tokens in every header and footer paragraph."""
    from docx.oxml.ns import qn

    seen: set[int] = set()
    for section in doc.sections:
        for hf in (section.header, section.footer, section.first_page_header,
                   section.first_page_footer, section.even_page_header,
                   section.even_page_footer):
            if hf.is_linked_to_previous or id(hf.part) in seen:
                continue
            seen.add(id(hf.part))
            for p in hf._element.iter(qn("w:p")):
                _replace_in_paragraph(list(p.iter(qn("w:t"))), values)


def _replace_in_paragraph(texts: list[Any], values: dict[str, str]) -> None:
    """Replace tokens even when Word split one across several ``w:t`` elements.

    Only the ``w:t`` elements a token spans are touched, so field results stay put.
    """
    pos = 0
    while True:
        parts = [t.text or "" for t in texts]
        match = _TOKEN.search("".join(parts), pos)
        if match is None:
            return
        value = values.get(match.group(1), "")
        offsets = [sum(len(p) for p in parts[:i]) for i in range(len(parts))]
        first = max(i for i, off in enumerate(offsets) if off <= match.start())
        last = max(i for i, off in enumerate(offsets) if off < match.end())
        head = parts[first][: match.start() - offsets[first]]
        tail = parts[last][match.end() - offsets[last] :]
        for i in range(first, last + 1):
            texts[i].text = ""
        texts[first].text = head + value + (tail if first == last else "")
        if last != first:
            texts[last].text = tail
        pos = match.start() + len(value)
