"""Page layout through LibreOffice: every example's documents, both languages, as PDF.

Each example is built once per session with ``--format docx,pdf``: LibreOffice lays out
each DOCX once, the PDF is its export and the DOCX gets its TOC page numbers from it.
The checks (``tests/layout_check.py`` explains how each is made reliable) then read
the PDF's words with their positions and compare them with the DOCX:

- no page without body text;
- no table broken after a row or two with the rest of its page left blank;
- no word broken inside a table cell (or anywhere else): every PDF word is a word of
  the document;
- no amount, number with its unit or date split over two lines;
- the table of contents lists every heading with the page it is on, in the PDF and
  (the same numbers) in the DOCX, which asks Word for no field update;
- no "F9" / "update the table of contents" hint anywhere.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, soffice_convert
from tests.layout_check import HINTS, docx_text, pdf_pages, report, split_units, split_words

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "project.yaml").exists())
DOCUMENTS = ("survey_report", "tech_spec", "training_plan", "audit_report")
LANGS = ("ru", "en")
CASES = [(e, d, lang) for e in EXAMPLE_NAMES for d in DOCUMENTS for lang in LANGS]

pytestmark = pytest.mark.office


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, soffice: str) -> Callable[[str], Path]:
    """The output folder of an example built to DOCX and PDF (built on first use)."""
    from crmimpl.build import TEXT_DOCUMENTS, BuildOptions, build, product_names
    from crmimpl.model.project import load_project

    # Every text document (a document set per mode may add some) and the audit report.
    products = tuple(p for p in product_names() if p in TEXT_DOCUMENTS or p == "audit")

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    folders: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in folders:
            folder = tmp_path_factory.mktemp(f"layout-{name}")
            shutil.copytree(EXAMPLES / name, folder / name)
            with pytest.MonkeyPatch.context() as mp:
                mp.delenv("CRMIMPL_NO_OFFICE", raising=False)  # the TOC pages come from LO
                build(load_project(folder / name), BuildOptions(
                    out=folder / "out", langs=LANGS, formats=("docx", "pdf"),
                    only=products))
            folders[name] = folder / "out"
        return folders[name]

    return get


def _document(folder: Path, doc: str, lang: str) -> tuple[Path, Path]:
    pdfs = sorted(folder.glob(f"*-{doc}-{lang}.pdf"))
    if not pdfs:
        pytest.skip(f"the project has no {doc} ({lang})")
    return pdfs[0].with_suffix(".docx"), pdfs[0]


@pytest.mark.parametrize(("example", "doc", "lang"), CASES,
                         ids=[f"{e}-{d}-{lang}" for e, d, lang in CASES])
def test_layout(built: Callable[[str], Path], example: str, doc: str, lang: str) -> None:
    docx, pdf = _document(built(example), doc, lang)
    found = report(docx, pdf, lang)
    assert found["empty pages"] == [], "pages without body text"
    assert found["stranded tables"] == [], "a table broken after a few rows, its page blank"
    assert found["split words"] == [], "words broken over lines (narrow table columns?)"
    assert found["split amounts"] == [], "amounts or numbers with units split over lines"
    assert found["toc"] == [], "table of contents"
    assert found["hints"] == [], "update-fields hint or prompt"


@pytest.mark.parametrize("example", EXAMPLE_NAMES)
def test_layout_of_other_documents(built: Callable[[str], Path], example: str) -> None:
    """Documents beyond the four above (a mode's own document set) are checked alike."""
    for pdf in sorted(built(example).glob("*.pdf")):
        if any(f"-{doc}-" in pdf.name for doc in DOCUMENTS):
            continue
        lang = "en" if pdf.stem.endswith("-en") else "ru"
        found = report(pdf.with_suffix(".docx"), pdf, lang)
        for key in ("empty pages", "stranded tables", "lost rows", "split words",
                    "split amounts", "toc", "hints"):
            assert found[key] == [], (pdf.name, key)


def test_docx_alone_shows_its_table_of_contents(built: Callable[[str], Path],
                                                soffice: str, tmp_path: Path) -> None:
    """The DOCX as an office application opens it, without updating any field: the TOC
    is there with its page numbers (what Word shows, as no update is asked for)."""
    docx, _ = _document(built(EXAMPLE_NAMES[0]), "tech_spec", "ru")
    plain = soffice_convert(soffice, docx, "pdf", tmp_path)
    pages = pdf_pages(plain)
    text = "\n".join(p.text() for p in pages)
    assert not [h for h in HINTS if h in text]
    entries = docx_text(docx).toc
    assert len(entries) >= 10
    assert all(page.isdigit() for _, page in entries), entries
    flat = " ".join(text.split())
    for entry, _ in entries[:5]:
        assert ' '.join(entry.split()) in flat
    assert int(entries[-1][1]) <= len(pages)


def test_the_checks_see_a_broken_word_and_a_split_amount(soffice: str, tmp_path: Path) -> None:
    """A table whose columns are forced too narrow: the checks must report it."""
    import re
    import zipfile

    from crmimpl.render.blocks import DocMeta
    from crmimpl.render.docx import write_docx
    from crmimpl.render.markdown import parse_blocks

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = ("# Бюджет\n\n| Показатель | Сумма |\n|---|---|\n"
            "| Численность | 4\u00a0445\u00a0932\u00a0₽ |\n")
    good = write_docx(parse_blocks(text), tmp_path / "good.docx", meta=DocMeta(title="t"))
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = re.sub(rb'(w:gridCol|w:tcW) w:w="\d+"', rb'\1 w:w="700"', data)
                data = re.sub(rb'w:tblW w:w="\d+"', b'w:tblW w:w="1400"', data)
            dst.writestr(item, data)
    for path, broken in ((good, False), (bad, True)):
        pdf = soffice_convert(soffice, path, "pdf", tmp_path / path.stem)
        pages, doc = pdf_pages(pdf), docx_text(path)
        assert bool(split_words(pages, doc)) is broken, path.name
        assert bool(split_units(pages, doc)) is broken, path.name
