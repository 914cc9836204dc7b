"""The laid-out DOCX kept by its source (issue 13): once a document's layout is in the
cache, the finished DOCX of the same blocks is copied from the cache on the next build
(no DOCX written, no layout looked up), byte for byte what the layout path writes; other
blocks, another LibreOffice or fonts, or a PDF asked for take the usual path."""

from __future__ import annotations

from pathlib import Path

import pytest

from crmimpl.render import docx as docx_module
from crmimpl.render import pdf
from crmimpl.render.office import office_session
from tests.test_layout_cache import Fake, _blocks, _pages, cache, fake  # noqa: F401
from tests.test_render_pdf import sample_meta


def _start(blocks: list, docx: Path | None, pdf_path: Path | None = None) -> list[Path]:
    with office_session():
        written, job = pdf.start_laid_out(blocks, meta=sample_meta(), docx_path=docx,
                                          pdf_path=pdf_path)
        if job is not None:
            written += [p for p in job.result() if p not in written]
    return written


def _count_docx_writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    real = docx_module.write_docx

    def counting(blocks, path, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(Path(path))
        return real(blocks, path, **kwargs)

    monkeypatch.setattr(docx_module, "write_docx", counting)
    return seen


def test_the_same_blocks_are_copied_from_the_cache(
        fake: Fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _count_docx_writes(monkeypatch)
    _start(_blocks(), tmp_path / "one" / "doc.docx")  # laid out
    _start(_blocks(), tmp_path / "two" / "doc.docx")  # the layout from the cache
    assert fake.layouts == 1 and len(seen) == 2
    written = _start(_blocks(), tmp_path / "three" / "doc.docx")
    assert written == [tmp_path / "three" / "doc.docx"]
    assert len(seen) == 2  # not written again: copied
    assert (tmp_path / "three" / "doc.docx").read_bytes() == \
        (tmp_path / "two" / "doc.docx").read_bytes()
    assert _pages(tmp_path / "three" / "doc.docx") == ["2", "3", "4"]
    assert pdf.docx_digest(tmp_path / "three" / "doc.docx") == \
        pdf.docx_digest(tmp_path / "one" / "doc.docx")


def test_other_blocks_or_another_office_take_the_usual_path(
        fake: Fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(2):
        _start(_blocks(), tmp_path / "doc.docx")
    seen = _count_docx_writes(monkeypatch)
    fake.shift(5)
    _start(_blocks("a paragraph longer"), tmp_path / "doc.docx")
    assert len(seen) == 1 and fake.layouts == 2
    assert _pages(tmp_path / "doc.docx") == ["7", "8", "9"]
    monkeypatch.setattr(pdf, "office_identity", lambda: "another LibreOffice")
    _start(_blocks(), tmp_path / "doc.docx")
    assert len(seen) == 2 and fake.layouts == 3
    assert _pages(tmp_path / "doc.docx") == ["7", "8", "9"]


def test_a_pdf_still_comes_from_the_layout(fake: Fake, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(2):
        _start(_blocks(), tmp_path / "doc.docx")
    written = _start(_blocks(), tmp_path / "out" / "doc.docx", tmp_path / "out" / "doc.pdf")
    assert written == [tmp_path / "out" / "doc.docx", tmp_path / "out" / "doc.pdf"]
    assert (tmp_path / "out" / "doc.pdf").read_bytes().startswith(b"%PDF-")
    assert fake.layouts == 1


def test_a_vanished_entry_is_written_again(fake: Fake, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(2):
        _start(_blocks(), tmp_path / "doc.docx")
    kept = list((tmp_path / "cache").rglob("layout/*.docx"))
    assert len(kept) == 1
    kept[0].unlink()
    seen = _count_docx_writes(monkeypatch)
    _start(_blocks(), tmp_path / "again.docx")
    assert len(seen) == 1
    assert _pages(tmp_path / "again.docx") == ["2", "3", "4"]
