"""Generate templates/reference.docx, the style source of every DOCX crmimpl writes.

Run ``python tools/make_reference_docx.py`` after changing a style here; the output is
reproducible (fixed core properties), so a diff of the parts shows what changed.

What the file carries:
- A4 portrait, margins 30/15/20/20 mm (left/right/top/bottom), Cyrillic-capable
  Liberation fonts set explicitly (no theme fonts), language ru-RU by default;
- Heading 1..6 numbered 1 / 1.1 / 1.1.1 / ... through a multi-level numbering
  definition linked to the heading styles (GOST style: no trailing dot);
- List Bullet (1..3) and List Number (1..3) on multi-level numbering definitions; the
  writer restarts numbered lists by new ``w:num`` elements pointing at the same
  definition;
- paragraph styles Title, Subtitle, Title Info, TOC Heading, toc 1..3, Table Heading,
  Table Text and their Compact pair, Code Block, Checklist, Quote; character styles
  Code Char and Hyperlink;
  the table style ``CRM Table`` with a shaded header row;
- a header ``{title}`` ⇥ ``{project}`` and a footer ``{page} PAGE {of} NUMPAGES``: the
  writer replaces the ``{...}`` tokens at write time, so a firm can rearrange them.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "reference.docx"

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
SERIF = "Liberation Serif"
SANS = "Liberation Sans"
MONO = "Liberation Mono"
ACCENT = "1F3864"


def fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:cs="{name}" w:eastAsia="{name}"/>'


DOC_DEFAULTS = f"""
<w:docDefaults {W_NS}>
  <w:rPrDefault><w:rPr>{fonts(SERIF)}<w:sz w:val="24"/><w:szCs w:val="24"/>
    <w:lang w:val="ru-RU" w:eastAsia="ru-RU" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
  <w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>
  </w:pPrDefault>
</w:docDefaults>"""


def pstyle(sid: str, name: str, ppr: str = "", rpr: str = "", based: str = "Normal",
           extra: str = "") -> str:
    based_on = f'<w:basedOn w:val="{based}"/>' if based else ""
    return (f'<w:style {W_NS} w:type="paragraph" w:customStyle="0" w:styleId="{sid}">'
            f'<w:name w:val="{name}"/>{based_on}{extra}<w:qFormat/>'
            f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>")


def cstyle(sid: str, name: str, rpr: str) -> str:
    return (f'<w:style {W_NS} w:type="character" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="DefaultParagraphFont"/><w:rPr>{rpr}</w:rPr></w:style>')


def heading(level: int, size: int, before: int) -> str:
    ppr = (f'<w:keepNext/><w:keepLines/><w:numPr><w:ilvl w:val="{level - 1}"/>'
           f'<w:numId w:val="1"/></w:numPr><w:spacing w:before="{before}" w:after="120"/>'
           f'<w:jc w:val="left"/><w:outlineLvl w:val="{level - 1}"/>')
    rpr = f'{fonts(SANS)}<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="{size}"/>'
    return pstyle(f"Heading{level}", f"heading {level}", ppr, rpr,
                  extra='<w:next w:val="Normal"/>')


def list_style(sid: str, name: str, num_id: int, ilvl: int) -> str:
    ppr = (f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
           '<w:spacing w:after="60"/><w:contextualSpacing/>')
    return pstyle(sid, name, ppr)


CELL = "<w:spacing w:before=\"40\" w:after=\"40\" w:line=\"240\" w:lineRule=\"auto\"/>"
CELL_COMPACT = "<w:spacing w:before=\"20\" w:after=\"20\" w:line=\"240\" w:lineRule=\"auto\"/>"
STYLES = [
    pstyle("Normal", "Normal", '<w:jc w:val="both"/>', based=""),
    heading(1, 32, 360), heading(2, 28, 240), heading(3, 24, 200), heading(4, 24, 160),
    heading(5, 22, 120), heading(6, 22, 120),
    pstyle("Title", "Title", '<w:spacing w:before="3600" w:after="240"/><w:jc w:val="center"/>',
           f'{fonts(SANS)}<w:b/><w:color w:val="{ACCENT}"/><w:sz w:val="48"/>'),
    pstyle("Subtitle", "Subtitle", '<w:spacing w:after="960"/><w:jc w:val="center"/>',
           f'{fonts(SANS)}<w:color w:val="404040"/><w:sz w:val="32"/>'),
    pstyle("TitleInfo", "Title Info", '<w:spacing w:after="120"/><w:jc w:val="center"/>',
           f'{fonts(SANS)}<w:sz w:val="26"/>'),
    pstyle("TOCHeading", "TOC Heading",
           '<w:keepNext/><w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/>'
           '<w:outlineLvl w:val="9"/>',
           f'{fonts(SANS)}<w:b/><w:color w:val="{ACCENT}"/><w:sz w:val="32"/>'),
    *[pstyle(f"TOC{n}", f"toc {n}",
             f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9345"/></w:tabs>'
             f'<w:spacing w:after="60"/><w:ind w:left="{(n - 1) * 284}"/><w:jc w:val="left"/>',
             extra='<w:next w:val="Normal"/>') for n in (1, 2, 3)],
    # Table cells: left-aligned, never hyphenated (the writer sizes columns so that no
    # word needs to break); the Compact pair is for tables too wide for a landscape page.
    pstyle("TableHeading", "Table Heading",
           f'<w:keepNext/><w:suppressAutoHyphens/>{CELL}<w:jc w:val="left"/>',
           f'{fonts(SANS)}<w:b/><w:bCs/><w:sz w:val="20"/><w:szCs w:val="20"/>'),
    pstyle("TableText", "Table Text", f'<w:suppressAutoHyphens/>{CELL}<w:jc w:val="left"/>',
           f'{fonts(SANS)}<w:sz w:val="20"/><w:szCs w:val="20"/>'),
    pstyle("TableHeadingCompact", "Table Heading Compact", CELL_COMPACT,
           '<w:sz w:val="16"/><w:szCs w:val="16"/>', based="TableHeading"),
    pstyle("TableTextCompact", "Table Text Compact", CELL_COMPACT,
           '<w:sz w:val="16"/><w:szCs w:val="16"/>', based="TableText"),
    pstyle("CodeBlock", "Code Block",
           '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/><w:spacing w:after="120" '
           'w:line="240" w:lineRule="auto"/><w:ind w:left="284" w:right="284"/>'
           '<w:jc w:val="left"/>', f'{fonts(MONO)}<w:sz w:val="20"/>'),
    pstyle("Checklist", "Checklist",
           '<w:spacing w:after="60"/><w:ind w:left="567" w:hanging="397"/><w:jc w:val="left"/>'),
    pstyle("Quote", "Quote",
           '<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="8EAADB"/></w:pBdr>'
           '<w:ind w:left="397"/>', '<w:i/><w:color w:val="404040"/>'),
    *[list_style(f"ListBullet{s}", f"List Bullet{' ' + s if s else ''}", 2, i)
      for i, s in enumerate(["", "2", "3"])],
    *[list_style(f"ListNumber{s}", f"List Number{' ' + s if s else ''}", 3, i)
      for i, s in enumerate(["", "2", "3"])],
    pstyle("Header", "header",
           '<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="8EAADB"/></w:pBdr>'
           '<w:tabs><w:tab w:val="right" w:pos="9355"/></w:tabs><w:spacing w:after="0"/>'
           '<w:jc w:val="left"/>', f'{fonts(SANS)}<w:color w:val="595959"/><w:sz w:val="18"/>'),
    pstyle("Footer", "footer", '<w:spacing w:after="0"/><w:jc w:val="right"/>',
           f'{fonts(SANS)}<w:color w:val="595959"/><w:sz w:val="18"/>'),
    cstyle("CodeChar", "Code Char", f'{fonts(MONO)}<w:sz w:val="20"/>'),
    cstyle("Hyperlink", "Hyperlink", '<w:color w:val="0563C1"/><w:u w:val="single"/>'),
    f"""<w:style {W_NS} w:type="table" w:styleId="CRMTable"><w:name w:val="CRM Table"/>
  <w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:pPr><w:spacing w:after="0"/></w:pPr>
  <w:tblPr><w:tblBorders>
    <w:top w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
    <w:left w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
    <w:bottom w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
    <w:right w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
    <w:insideH w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/>
    <w:insideV w:val="single" w:sz="4" w:space="0" w:color="7F7F7F"/></w:tblBorders>
    <w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr>
    <w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/></w:tcPr></w:tblStylePr>
</w:style>""",
]


def abstract_num(aid: int, levels: list[tuple[str, str, int, int]], style_ids: list[str]) -> str:
    """levels: (numFmt, lvlText, left indent, hanging) per level."""
    out = [f'<w:abstractNum {W_NS} w:abstractNumId="{aid}">'
           '<w:multiLevelType w:val="multilevel"/>']
    for ilvl, (fmt, text, left, hanging) in enumerate(levels):
        pstyle_ref = f'<w:pStyle w:val="{style_ids[ilvl]}"/>' if ilvl < len(style_ids) else ""
        suff = '<w:suff w:val="space"/>' if aid == 0 else ""
        font = fonts(SANS) if fmt == "bullet" else ""
        out.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'{pstyle_ref}{suff}<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr>'
            f"<w:rPr>{font}</w:rPr></w:lvl>")
    out.append("</w:abstractNum>")
    return "".join(out)


def numbering_parts() -> list[str]:
    headings = [("decimal", ".".join(f"%{i + 1}" for i in range(n + 1)), 0, 0) for n in range(9)]
    bullets = [("bullet", "•–•–•–•–•"[n], 357 * (n + 1), 357) for n in range(9)]
    formats = [("decimal", "."), ("lowerLetter", ")"), ("lowerRoman", ".")] * 3
    numbers = [(fmt, f"%{n + 1}{end}", 357 * (n + 1), 357) for n, (fmt, end) in enumerate(formats)]
    return [
        abstract_num(0, headings, [f"Heading{n}" for n in range(1, 10)]),
        abstract_num(1, bullets, ["ListBullet", "ListBullet2", "ListBullet3"]),
        abstract_num(2, numbers, ["ListNumber", "ListNumber2", "ListNumber3"]),
        *[f'<w:num {W_NS} w:numId="{i + 1}"><w:abstractNumId w:val="{i}"/></w:num>'
          for i in range(3)],
    ]


def set_styles(doc: object) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    styles = doc.styles.element  # type: ignore[attr-defined]
    styles.replace(styles.find(qn("w:docDefaults")), parse_xml(DOC_DEFAULTS))
    for xml in STYLES:
        new = parse_xml(xml)
        sid = new.get(qn("w:styleId"))
        for old in styles.findall(qn("w:style")):
            if old.get(qn("w:styleId")) == sid:
                styles.remove(old)
        styles.append(new)
    # Theme fonts win over named ones in Word: strip them so every style uses ours.
    theme_attrs = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in theme_attrs:
            rfonts.attrib.pop(attr, None)
        if not rfonts.attrib:
            rfonts.getparent().remove(rfonts)


def set_numbering(doc: object) -> None:
    from docx.oxml import parse_xml

    numbering = doc.part.numbering_part.element  # type: ignore[attr-defined]
    for child in list(numbering):
        numbering.remove(child)
    for xml in numbering_parts():
        numbering.append(parse_xml(xml))


def set_page(doc: object) -> None:
    from docx.shared import Mm

    section = doc.sections[0]  # type: ignore[attr-defined]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)


def field_runs(instr: str) -> str:
    return (f'<w:r {W_NS}><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r {W_NS}><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
            f'<w:r {W_NS}><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r {W_NS}><w:t>1</w:t></w:r>'
            f'<w:r {W_NS}><w:fldChar w:fldCharType="end"/></w:r>')


def set_header_footer(doc: object) -> None:
    from docx.oxml import parse_xml

    section = doc.sections[0]  # type: ignore[attr-defined]
    header = section.header.paragraphs[0]
    header.style = "header"
    header.add_run("{title}")
    header.add_run("\t{project}")
    footer = section.footer.paragraphs[0]
    footer.style = "footer"
    footer.add_run("{page} ")
    for xml in [*field_runs("PAGE").split("</w:r>")[:-1]]:
        footer._p.append(parse_xml(xml + "</w:r>"))
    footer.add_run(" {of} ")
    for xml in [*field_runs("NUMPAGES").split("</w:r>")[:-1]]:
        footer._p.append(parse_xml(xml + "</w:r>"))


def set_properties(doc: object) -> None:
    props = doc.core_properties  # type: ignore[attr-defined]
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    props.title = "crmimpl reference"
    props.author = props.last_modified_by = "crmimpl"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.comments = props.keywords = props.subject = props.category = ""


def drop_thumbnail(doc: object) -> None:
    package = doc.part.package  # type: ignore[attr-defined]
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rid]


def main(out: Path = OUT) -> Path:
    import docx

    doc = docx.Document()
    set_page(doc)
    set_styles(doc)
    set_numbering(doc)
    set_header_footer(doc)
    set_properties(doc)
    drop_thumbnail(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))
