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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError
from crmimpl.i18n import format_date, words
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
)
from crmimpl.resources import templates_dir
from crmimpl.store import atomic_write_with

if TYPE_CHECKING:
    from docx.document import Document

CHECKBOX = {False: "☐", True: "☒"}
# Elements that follow w:updateFields in CT_Settings (schema order matters to Word).
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
    "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)
_TOKEN = re.compile(r"\{(title|subtitle|project|client|company|author|date|page|of)\}")


def default_reference() -> Path:
    """The built-in reference DOCX (``templates/reference.docx``)."""
    return templates_dir() / "reference.docx"


def write_docx(
    blocks: list[Block], out_path: Path | str, *, meta: DocMeta,
    reference: Path | str | None = None,
) -> Path:
    """Write ``blocks`` as a DOCX file styled by a reference document.

    Args:
        blocks: The document, usually from :func:`crmimpl.render.markdown.parse_blocks`.
        out_path: Where to write; the file is replaced atomically.
        meta: Title page, header text, core properties and language.
        reference: A reference DOCX whose styles, page setup, header and footer are used
            (``--reference-docx``); the built-in one when ``None``.

    Returns:
        ``out_path`` as a :class:`~pathlib.Path`.

    Raises:
        CrmimplError: The reference file is missing or not a DOCX.
    """
    doc = _open_reference(Path(reference) if reference else default_reference())
    writer = _DocxWriter(doc, meta)
    writer.prepare()
    for block in blocks:
        writer.add(block)
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
    """A new ``w:`` element with ``w:`` attributes (``val="x"`` → ``w:val="x"``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    return OxmlElement(tag, {qn(f"w:{k}"): v for k, v in attrs.items()})


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
        self.has_title_page = False
        self.list_abstract_num: int | None = -1  # -1: not looked up yet

    # ------------------------------------------------------------ setup

    def prepare(self) -> None:
        for child in list(self.body):
            if child is not self.sectPr:
                self.body.remove(child)
        _set_core_properties(self.doc, self.meta)
        _set_company(self.doc, self.meta.company)
        _set_language(self.doc, self.labels["lang"])
        _set_update_fields(self.doc)
        _fill_tokens(self.doc, self._token_values())

    def _token_values(self) -> dict[str, str]:
        m = self.meta
        return {"title": m.title, "subtitle": m.subtitle, "project": m.project,
                "client": m.client, "company": m.company, "author": m.author,
                "date": format_date(m.date, m.lang, "date_title"), "page": self.labels["page"],
                "of": self.labels["of"]}

    def finish(self) -> None:
        if self.has_title_page:
            _hide_first_page_header(self.doc)

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
        for style in styles:
            if style.name is not None and style.name.lower() == name.lower():
                return str(style.style_id)
        # A firm's reference file may lack one of our styles: add a plain one so the
        # document still opens and the firm can style it later.
        return str(styles.add_style(name, wd_type).style_id)

    # ------------------------------------------------------------ output helpers

    def append(self, element: Any) -> Any:
        self.sectPr.addprevious(element)
        return element

    def paragraph(self, style: str | None, runs: list[Run] | None = None) -> Any:
        # Plain lxml calls: python-docx's child-ordering helpers cost 3x more here.
        p = _el("w:p")
        if style and style != "Normal":
            _sub(_sub(p, "pPr"), "pStyle", val=self.style_id(style))
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
        _add_text(r, run.text)
        return r

    # ------------------------------------------------------------ blocks

    def add(self, block: Block) -> None:
        handler = getattr(self, f"add_{type(block).__name__.lower()}")
        handler(block)

    def add_heading(self, block: Heading) -> None:
        self.append(self.paragraph(f"Heading {min(block.level, 6)}", block.runs))

    def add_paragraph(self, block: Paragraph) -> None:
        self.append(self.paragraph("Normal", block.runs))

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

    def add_table(self, block: Table) -> None:
        widths = _column_widths(block, _text_width(self.sectPr))
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
        tbl.append(self.table_row(block.header, block, widths, header=True))
        for row in block.rows:
            tbl.append(self.table_row(row, block, widths, header=False))
        self.append(tbl)
        self.append(self.paragraph("Normal"))  # keeps adjacent tables apart

    def table_row(self, cells: list[list[Run]], block: Table, widths: list[int],
                  header: bool) -> Any:
        tr = _el("w:tr")
        if header:
            tr_pr = _el("w:trPr")
            tr_pr.append(_el("w:cantSplit"))
            tr_pr.append(_el("w:tblHeader"))  # repeat the header row on every page
            tr.append(tr_pr)
        style = "Table Heading" if header else "Table Text"
        for col, width in enumerate(widths):
            tc = _el("w:tc")
            tc_pr = _el("w:tcPr")
            tc_pr.append(_el("w:tcW", w=str(width), type="dxa"))
            tc.append(tc_pr)
            p = self.paragraph(style, cells[col] if col < len(cells) else [])
            align = block.align[col] if col < len(block.align) else None
            if align in ("center", "right"):
                _sub(p[0], "jc", val=align)
            tc.append(p)
            tr.append(tc)
        return tr

    def add_toc(self, block: Toc) -> None:
        self.append(self.paragraph("TOC Heading", [Run(self.labels["toc"])]))
        p = self.paragraph("Normal")
        instr = f'TOC \\o "1-{block.depth}" \\h \\z \\u'
        for r in _field_runs(instr, self.labels["toc_hint"]):
            p.append(r)
        self.append(p)

    def add_titlepage(self, _block: TitlePage) -> None:
        m, labels = self.meta, self.labels
        if m.lang == "ru":
            self.add_approval_blocks()
        version = labels["version_line"].format(version=m.version, status=m.status) \
            if m.version and m.status else ""
        lines = [("Title Info", m.company), ("Title", m.title), ("Subtitle", m.subtitle),
                 ("Title Info", f"{labels['project']}: {m.project}" if m.project else ""),
                 ("Title Info", f"{labels['client']}: {m.client}" if m.client else ""),
                 ("Title Info", version),
                 ("Title Info", m.author),
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
        lines += [Run(f"_____________ {signer.short_name}"), Run(labels["signature_date"]),
                  Run("")]
        return [self.paragraph("Table Text", [run]) for run in lines]

    def add_signoff_table(self) -> None:
        """The English sign-off table: role, name, position, signature, date."""
        approvals = self.meta.approvals
        if not approvals:
            return
        self.append(self.paragraph("Title Info", [Run(self.labels["signoff"])]))
        header = [[Run(text)] for text in self.labels["signoff_cols"]]
        rows = [[[Run(s.role)], [Run(s.name)],
                 [Run(", ".join(t for t in (s.position, s.company) if t))], [], []]
                for s in approvals]
        self.add_table(Table(header, rows, widths=[24, 20, 28, 16, 12]))

    def add_landscapestart(self, _block: LandscapeStart) -> None:
        self.section_break(landscape=True)

    def add_landscapeend(self, _block: LandscapeEnd) -> None:
        self.section_break(landscape=False)

    def section_break(self, landscape: bool) -> None:
        """End the current section here; the next one gets the requested orientation."""
        ended = _clone(self.sectPr)
        # The ended section keeps its own header references; the new one links to it.
        p = self.append(_el("w:p"))
        p.get_or_add_pPr().append(ended)
        for ref in self.sectPr.xpath("w:headerReference|w:footerReference|w:titlePg"):
            self.sectPr.remove(ref)
        _set_orientation(self.sectPr, landscape)


_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    """Append a ``w:tag`` child with ``w:`` attributes (caller keeps schema order)."""
    from lxml import etree

    return etree.SubElement(parent, _W + tag, {_W + k: v for k, v in attrs.items()})


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


def _field_runs(instr: str, placeholder: str) -> list[Any]:
    runs = []
    begin = _el("w:r")
    begin.append(_el("w:fldChar", fldCharType="begin"))
    begin[-1].set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}dirty", "true")
    text = _el("w:instrText")
    text.text = f" {instr} "
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    runs += [begin, _wrap_run(text), _wrap_run(_el("w:fldChar", fldCharType="separate"))]
    shown = _el("w:r")
    _add_text(shown, placeholder)
    runs += [shown, _wrap_run(_el("w:fldChar", fldCharType="end"))]
    return runs


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


def _column_widths(block: Table, total: int) -> list[int]:
    """Column widths in twips: from the widths directive, else from the text lengths."""
    from crmimpl.render.blocks import plain_text

    count = len(block.header)
    weights = block.widths
    if not weights:
        weights = []
        for col in range(count):
            cells = [block.header[col], *(row[col] for row in block.rows if col < len(row))]
            longest = max(len(plain_text(cell)) for cell in cells)
            weights.append(float(min(max(longest, 4), 40)))
    scale = total / sum(weights)
    return [int(w * scale) for w in weights]


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


def _set_update_fields(doc: Document) -> None:
    """Ask the office application to update fields (the TOC) when it opens the file."""
    from docx.oxml.ns import qn

    settings = doc.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    flag = _el("w:updateFields", val="true")
    for name in _SETTINGS_AFTER_UPDATE_FIELDS:
        successor = settings.find(qn(f"w:{name}"))
        if successor is not None:
            successor.addprevious(flag)
            return
    settings.append(flag)


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
