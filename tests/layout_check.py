"""Layout checks of a document's PDF against its DOCX (see tests/test_layout_lo.py).

The PDF's words come from ``pdftotext -bbox-layout`` (every word with its box, grouped in
lines), the document's own words from the DOCX XML. A word LibreOffice broke inside a
narrow table cell shows up as two pieces neither of which the document contains, so:

- **split words**: every PDF word must be a word of the document (split the same way:
  at spaces, no-break spaces and after a hyphen), a number (heading and list numbers,
  page numbers come from styles and fields), or a TOC leader. A piece such as
  ``Численнос`` is not a word of the document and is reported with the line it ends.
- **split amounts**: every run of the document joined by no-break spaces (``4 445 932 ₽``,
  ``RUB 3,439,000.00``, ``12 ч``) must stand on one PDF line wherever it appears (a range
  may break after its dash: ``1–`` / ``30 дней``).
- **empty pages**: every page has body text (words between the header and the footer).
- **stranded tables**: no page filled less than half whose table goes on over the page
  (the next page starts with the table's repeated header row).
- **TOC**: every entry of the DOCX's table of contents is in the PDF's TOC with a page
  number, the heading is on that page, and the DOCX shows the same number.

Run as a script over a build folder for a report: ``python -m tests.layout_check DIR``.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
X = "{http://www.w3.org/1999/xhtml}"
NBSP = "\u00a0"
_BREAKS = re.compile(r"[\s\u00a0]+|(?<=\w[-–—])(?=[\w(])")
_PUNCTUATION = re.compile(r"^[^\w]+$")
_LEADER = re.compile(r"\.{3,}|…{2,}")
_NUMBER = re.compile(r"^[(\[]?\d+([.,]\d+)*[.)\]:]?$")
_SYMBOLS = {"•", "–", "—", "-", "☐", "☒", "·"}
_MARGIN_PT = 50.0  # header and footer live within 50 pt of the page edge
HINTS = ("F9", "Обновите оглавление", "Update the table of contents")


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[list[tuple[str, float, float]]] = field(default_factory=list)  # (word, y0, y1)

    def body_lines(self) -> list[list[str]]:
        return [[w for w, y0, y1 in line if y0 >= _MARGIN_PT and y1 <= self.height - _MARGIN_PT]
                for line in self.lines]

    def body_words(self) -> list[str]:
        return [w for line in self.body_lines() for w in line]

    def text(self) -> str:
        return "\n".join(" ".join(w for w, _, _ in line) for line in self.lines)


def pdf_pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True, huge_tree=True))
    pages = []
    for n, page in enumerate(root.iter(f"{X}page"), start=1):
        p = Page(n, float(page.get("width")), float(page.get("height")))
        for line in page.iter(f"{X}line"):
            p.lines.append([(w.text or "", float(w.get("yMin")), float(w.get("yMax")))
                            for w in line.iter(f"{X}word")])
        pages.append(p)
    return pages


def pieces(text: str) -> list[str]:
    # a word joiner (U+2060, «10:00⁠–⁠13:30» kept on one line) is invisible in the PDF's text,
    # and LibreOffice's PDF has a plain hyphen for a non-breaking one (U+2011, «TC‑01»)
    return [w for w in _BREAKS.split(text.replace("\u2060", "").replace("\u2011", "-")) if w]


@dataclass
class DocxText:
    words: set[str]
    units: set[tuple[str, ...]]  # runs joined by no-break spaces, as their pieces
    toc: list[tuple[str, str]]  # (entry text, page number as written)
    text: str
    update_fields: bool
    has_toc: bool = True


def docx_text(docx: Path) -> DocxText:
    words: set[str] = set()
    units: set[tuple[str, ...]] = set()
    texts = []
    with zipfile.ZipFile(docx) as z:
        names = [n for n in z.namelist()
                 if re.match(r"word/(document|header\d*|footer\d*)\.xml$", n)]
        document = etree.fromstring(z.read("word/document.xml"))
        settings = etree.fromstring(z.read("word/settings.xml"))
        for name in names:
            root = etree.fromstring(z.read(name))
            for p in root.iter(f"{W}p"):
                text = "".join(n.text or "" if n.tag == f"{W}t" else " "  # tabs, breaks
                               for n in p.iter(f"{W}t", f"{W}tab", f"{W}br"))
                texts.append(text)
                words.update(pieces(text))
                for unit in re.findall(r"\S+(?:\u00a0\S+)+", text):
                    units.add(tuple(x for x in re.split(r"[\s\u00a0]+", unit) if x))
    toc = []
    for p in document.xpath("//w:p[w:hyperlink[starts-with(@w:anchor, '_Toc')]]",
                            namespaces=NS):
        link = p.xpath("w:hyperlink", namespaces=NS)[0]
        parts = []
        for node in link.iter(f"{W}t", f"{W}tab"):
            parts.append("\t" if node.tag == f"{W}tab" else node.text or "")
        entry, _, page = "".join(parts).rpartition("\t")
        toc.append((entry, page))
    instr = "".join(document.xpath("//w:instrText/text()", namespaces=NS))
    return DocxText(words, units, toc, "\n".join(texts),
                    bool(settings.xpath("w:updateFields", namespaces=NS)),
                    " TOC " in f" {instr} ")


def _is_known(token: str, words: set[str]) -> bool:
    if token in words or _NUMBER.match(token) or token in _SYMBOLS or \
            _PUNCTUATION.match(token):  # "₽ ." : pdftotext parts a fallback glyph
        return True
    return all(part in words or _NUMBER.match(part) or not part
               for part in _LEADER.split(token))


def split_words(pages: list[Page], doc: DocxText) -> list[str]:
    """PDF words that are no word of the document, with the line they are on."""
    found = []
    for page in pages:
        for line in page.lines:
            tokens = [t for w, _, _ in line for t in pieces(w)]
            for i, token in enumerate(tokens):
                # a no-break hyphen («8‑го») drawn in a fallback font parts the PDF word on
                # its line; joined to the word before, it is the document's word
                if token.startswith("-") and i and tokens[i - 1][-1:].isdigit() and \
                        re.fullmatch(r"-[а-яё]{1,3}", token):
                    continue
                if not _is_known(token, doc.words):
                    found.append(f"p{page.number}: {token!r} in {' '.join(tokens)!r}")
    return found


def split_units(pages: list[Page], doc: DocxText) -> list[str]:
    """No-break runs (amounts, numbers with units, dates) that a PDF line break splits."""
    stream: list[str] = []
    for page in pages:
        for line in page.lines:
            stream += [w for w, _, _ in line]
            stream.append("\n")
    starts: dict[str, list[int]] = {}
    for i, token in enumerate(stream):
        starts.setdefault(token, []).append(i)
    found = []
    for unit in doc.units:
        if unit[-1] in ("—", "–"):
            # a word tied to the dash after it: in a table the dash of the next column
            # can sit beside a wrapped word, which is no split; amounts are what count
            continue
        whole = "".join(unit)
        if " ".join(unit) in doc.text:
            # the same words also stand with a plain space (a name in running text): a
            # break between them there is allowed, and the PDF cannot tell which it is
            continue
        for i in starts.get(unit[0], []) + [j for t, js in starts.items()
                                            if t != unit[0] and unit[0].startswith(t)
                                            for j in js]:
            text, broken = "", False
            for token in stream[i:i + 3 * len(unit) + 2]:
                if token == "\n":  # a break after a hyphen or dash («1–» / «30 дней») is one
                    broken = broken or (bool(text) and not text.endswith(("-", "–", "—")))
                    continue
                text += token
                if len(text) >= len(whole):
                    break
            if text == whole and broken:
                found.append(" ".join(unit))
                break
    return sorted(found)


def empty_pages(pages: list[Page]) -> list[int]:
    """Pages with no body text (only the header and footer, or nothing)."""
    return [p.number for p in pages if len(p.body_words()) < 3]


def sparse_pages(pages: list[Page], least: float = 0.25) -> list[tuple[int, float]]:
    """Pages whose body text ends in the upper ``least`` part of the page (not the last)."""
    out = []
    for page in pages[:-1]:
        bottoms = [y1 for line in page.lines for _, y0, y1 in line
                   if y0 >= _MARGIN_PT and y1 <= page.height - _MARGIN_PT]
        if not bottoms:
            continue
        fill = (max(bottoms) - _MARGIN_PT) / (page.height - 2 * _MARGIN_PT)
        if fill < least:
            out.append((page.number, round(fill, 2)))
    return out


def stranded_tables(pages: list[Page], least: float = 0.5) -> list[int]:
    """Pages filled less than ``least`` whose table goes on over the page: the next page
    starts with lines of this page (the repeated header row). A table broken after a row
    or two leaves the rest of its page blank (LibreOffice moved a table with a repeated
    header without laying its split out again)."""
    out = []
    for page, following in itertools.pairwise(pages):
        lines = [tuple(w) for w in page.body_lines() if w]
        head = [tuple(w) for w in following.body_lines() if w][:3]  # cells come as lines
        if len(head) < 3 or not any(lines[i:i + 3] == head for i in range(len(lines))):
            continue
        if any(fill < least for _, fill in sparse_pages([page, following], least)):
            out.append(page.number)
    return out


def toc_problems(pages: list[Page], doc: DocxText, lang: str) -> list[str]:
    """TOC entries missing from the PDF, without a page number, pointing to the wrong
    page, or with a different number in the DOCX."""
    title = "Содержание" if lang == "ru" else "Contents"
    where = next((p for p in pages if title in p.text()), None)
    if not doc.has_toc:
        return []  # a short document without a table of contents
    if not doc.toc:
        return ["the DOCX has no table of contents entries"]
    if where is None:
        return ["no table of contents page in the PDF"]
    toc_text = "\n".join(p.text() for p in pages[where.number - 1:where.number + 3])
    # an entry wrapped after its own hyphen («Google-» / «таблице») is one word again
    flat = re.sub(r"(?<=\w-) (?=\w)", "", " ".join(toc_text.split()))
    problems = []
    last_page = len(pages)
    for entry, docx_page in doc.toc:
        m = re.search(re.escape(" ".join(entry.split())) + r"[\s.…]*?(\d+)\b", flat)
        if m is None:
            problems.append(f"TOC entry {entry!r} not in the PDF with a page number")
            continue
        page = int(m.group(1))
        if not 1 <= page <= last_page:
            problems.append(f"TOC entry {entry!r}: page {page} out of range")
            continue
        number, _, rest = entry.partition(" ")
        body = " ".join(pages[page - 1].text().split())
        first = rest.split()[0] if rest else number
        if f"{number} {first}" not in body:
            problems.append(f"TOC entry {entry!r}: the heading is not on page {page}")
        if docx_page != str(page):
            problems.append(f"TOC entry {entry!r}: page {docx_page!r} in the DOCX, "
                            f"{page} in the PDF")
    return problems


def lost_rows(pages: list[Page], docx: Path) -> list[str]:
    """Table rows of the DOCX that are on no page of the PDF (LibreOffice 7.4 once laid
    out a table's header and first row and dropped the rest): the rarest word of each
    row's first cell must be in the PDF at least as often as the DOCX has it."""
    from collections import Counter

    printed = Counter(w for page in pages for line in page.lines for word, _, _ in line
                      for w in pieces(word))
    with zipfile.ZipFile(docx) as z:
        document = etree.fromstring(z.read("word/document.xml"))
    written = Counter(w for p in document.iter(f"{W}p")
                      for w in pieces("".join(n.text or "" for n in p.iter(f"{W}t"))))
    out = []
    for tr in document.iter(f"{W}tr"):
        first = next(tr.iter(f"{W}tc"), None)
        if first is None:
            continue
        text = "".join(n.text or "" for n in first.iter(f"{W}t"))
        words = [w for w in pieces(text) if len(w) >= 4]
        if not words:
            continue
        rare = min(words, key=lambda w: written[w])
        if printed[rare] < written[rare]:
            out.append(text[:60])
    return list(dict.fromkeys(out))


def report(docx: Path, pdf: Path, lang: str) -> dict[str, list[object]]:
    pages = pdf_pages(pdf)
    doc = docx_text(docx)
    all_text = "\n".join(p.text() for p in pages)
    return {
        "split words": list(split_words(pages, doc)),
        "split amounts": list(split_units(pages, doc)),
        "empty pages": list(empty_pages(pages)),
        "stranded tables": stranded_tables(pages),
        "lost rows": lost_rows(pages, docx),
        "toc": list(toc_problems(pages, doc, lang)),
        "hints": [h for h in HINTS if h in all_text or h in doc.text]
        + (["w:updateFields"] if doc.update_fields else []),
        "sparse pages (info)": list(sparse_pages(pages)),
    }


if __name__ == "__main__":
    for pdf in sorted(Path(sys.argv[1]).rglob("*.pdf")):
        lang = "en" if pdf.stem.endswith("-en") else "ru"
        result = report(pdf.with_suffix(".docx"), pdf, lang)
        print(f"== {pdf.relative_to(sys.argv[1])} ({len(pdf_pages(pdf))} pages)")
        for key, items in result.items():
            if items:
                print(f"  {key}: {items[:12]}{' ...' if len(items) > 12 else ''}")
