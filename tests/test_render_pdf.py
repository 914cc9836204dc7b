"""DOCX → PDF through LibreOffice: the PDF a client reads has its TOC and numbers."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.render import pdf
from crmimpl.render.blocks import DocMeta
from crmimpl.render.docx import write_docx
from crmimpl.render.markdown import parse_blocks, render_markdown

DATA = Path(__file__).resolve().parent / "data" / "render"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
HEADINGS = ["1 Общие сведения", "1.1 Цели проекта", "1.2 Участники", "1.2.1 Порядок работ",
            "2 Требования", "2.1 План-график", "3 Контрольный список"]


def sample_meta() -> DocMeta:
    data = json.loads((DATA / "meta.json").read_text(encoding="utf-8"))
    data["date"] = dt.date.fromisoformat(data["date"])
    return DocMeta(**data)


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not shutil.which("soffice"):
        pytest.skip("soffice is not installed")
    tmp = tmp_path_factory.mktemp("pdf")
    context = json.loads((DATA / "context.json").read_text(encoding="utf-8"))
    blocks = parse_blocks(render_markdown("sample", "ru", context, user_dir=DATA))
    return pdf.write_pdf(blocks, tmp / "sample.pdf", meta=sample_meta())


@pytest.mark.office
def test_toc_is_filled_and_headings_are_numbered(soffice: str, sample_pdf: Path) -> None:
    assert pdf.find_uno_python(soffice), "install python3-uno so the TOC can be updated"
    text = pdftotext(sample_pdf)
    assert "Error!" not in text
    assert "Обновите оглавление" not in text
    for heading in HEADINGS:
        assert text.count(heading) == 2, heading  # once in the TOC, once in the body
    toc = text[text.index("Содержание"):text.index("1 Общие сведения\n", text.index("3 Контр"))]
    assert re.search(r"1 Общие сведения\W+3", toc)  # page numbers filled in


@pytest.mark.office
def test_footer_counts_pages(soffice: str, sample_pdf: Path) -> None:
    text = pdftotext(sample_pdf)
    pages = page_count(sample_pdf)
    # The title page has no header or footer; numbering counts it (GOST style).
    assert f"стр. 2 из {pages}" in text
    assert f"стр. {pages} из {pages}" in text
    assert "стр. 1 из" not in text


@pytest.mark.office
def test_hostile_text_survives_to_pdf(soffice: str, sample_pdf: Path) -> None:
    text = pdftotext(sample_pdf)
    assert "**bold** {{ x }} <script>alert(1)</script>" in text


@pytest.mark.office
def test_first_page_footer_without_title_page(soffice: str, tmp_path: Path) -> None:
    blocks = parse_blocks("<!-- toc -->\n# Первый\n\nтекст\n<!-- pagebreak -->\n# Второй\n")
    docx_path = write_docx(blocks, tmp_path / "plain.docx", meta=sample_meta())
    out = pdf.docx_to_pdf(docx_path, tmp_path / "plain.pdf")
    text = pdftotext(out)
    assert "стр. 1 из 2" in text and "стр. 2 из 2" in text
    assert text.count("1 Первый") == 2 and text.count("2 Второй") == 2


@pytest.mark.office
def test_page_image_for_review(soffice: str, sample_pdf: Path) -> None:
    """Render the first body page to tests/artifacts/ for a human look."""
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "render_sample_page"
    for page in (1, 2, 3):
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page),
                        "-singlefile", str(sample_pdf), f"{prefix}{page}"], check=True)
        assert Path(f"{prefix}{page}.png").stat().st_size > 5000


def test_missing_soffice_is_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(CrmimplError, match="LibreOffice is not installed") as caught:
        pdf.write_pdf(parse_blocks("# x\n"), tmp_path / "x.pdf", meta=sample_meta())
    assert "apt-get install" in str(caught.value)
    assert not (tmp_path / "x.pdf").exists()
