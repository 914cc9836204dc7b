"""Layouts of DOCX (issue 13): kept in a cache, done beside the build, finished after a
``build --watch`` round.

A stand-in for the LibreOffice helper (no LibreOffice needed) reads the table of contents
of the DOCX it is given and answers page numbers a test decides; it logs every document
it lays out, so a test counts layouts. The last tests use LibreOffice itself.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmimpl.render import office as office_module
from crmimpl.render import pdf
from crmimpl.render.docx import write_docx
from crmimpl.render.markdown import parse_blocks
from crmimpl.render.office import current_session, office_session, office_starts
from tests.conftest import EXAMPLES
from tests.test_office import Recorded
from tests.test_render_pdf import sample_meta

# The helper's protocol: page of entry n is 2 + n + the number in FAKE_DIR/shift; while
# FAKE_DIR/hold exists it waits; every document laid out is a line of FAKE_DIR/log.
FAKE_SERVER = r'''
import json, os, re, sys, time, zipfile
folder = os.environ["FAKE_DIR"]
reply = lambda **f: (sys.stdout.write(json.dumps(f) + "\n"), sys.stdout.flush())
reply(ready=True, pid=os.getpid())
for line in sys.stdin:
    request = json.loads(line)
    while os.path.exists(os.path.join(folder, "hold")):
        time.sleep(0.02)
    with open(os.path.join(folder, "log"), "a") as log:
        log.write(os.path.basename(request["src"]) + "\n")
    with open(os.path.join(folder, "whole"), "a") as log:
        log.write("%s\n" % request.get("whole", True))
    try:
        shift = int(open(os.path.join(folder, "shift")).read())
    except OSError:
        shift = 0
    xml = zipfile.ZipFile(request["src"]).read("word/document.xml").decode()
    lines = []
    for n, link in enumerate(re.findall(r'<w:hyperlink w:anchor="_Toc.*?</w:hyperlink>', xml)):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", link.split("<w:tab/>")[0]))
        lines.append("%s\t%d" % (text, 2 + n + shift))
    with open(request["dst"], "w") as out:
        out.write("%PDF- " + os.path.basename(request["src"]))
    reply(toc=lines)
'''


class Fake:
    """The stand-in's folder: how many layouts it made, the page shift, the hold."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def layouts(self) -> int:
        log = self.folder / "log"
        return len(log.read_text().splitlines()) if log.exists() else 0

    def shift(self, pages: int) -> None:
        (self.folder / "shift").write_text(str(pages))

    def hold(self) -> None:
        (self.folder / "hold").write_text("")

    def release(self) -> None:
        (self.folder / "hold").unlink()


@pytest.fixture
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """A cache folder of the test's own (``cache_dir`` is read once per process)."""
    from crmimpl.resources import cache_dir

    monkeypatch.setenv("CRMIMPL_CACHE_DIR", str(tmp_path / "cache"))
    cache_dir.cache_clear()
    yield tmp_path / "cache"
    cache_dir.cache_clear()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache: Path) -> Fake:
    folder = tmp_path / "fake"
    folder.mkdir()
    monkeypatch.setenv("FAKE_DIR", str(folder))
    monkeypatch.delenv("CRMIMPL_NO_OFFICE", raising=False)
    monkeypatch.setattr(office_module, "SERVER_SCRIPT", FAKE_SERVER)
    monkeypatch.setattr(office_module, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(office_module, "find_uno_python", lambda soffice: sys.executable)
    monkeypatch.setattr(pdf, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(pdf, "find_uno_python", lambda soffice: sys.executable)
    monkeypatch.setattr(pdf, "office_available", lambda: True)
    Recorded.made = []
    monkeypatch.setattr(office_module, "Office", Recorded)
    return Fake(folder)


def _blocks(extra: str = "") -> list:
    return parse_blocks(f"<!-- toc -->\n# Scope\n\ntext {extra}\n\n## Users\n\nmore\n\n"
                        "# Plan\n\nthe end\n")


def _pages(path: Path) -> list[str]:
    found = pdf.read_toc(path)
    assert found is not None
    return [page for _, page in found]


def _lay_out(blocks: list, docx: Path | None, pdf_path: Path | None = None) -> list[Path]:
    return pdf.write_laid_out(blocks, meta=sample_meta(), docx_path=docx, pdf_path=pdf_path)


# ------------------------------------------------------------------ the DOCX itself


def test_page_numbers_put_in_are_what_the_writer_writes(tmp_path: Path) -> None:
    blocks = _blocks()
    pages = ["3", "4", "12"]
    whole = write_docx(blocks, tmp_path / "whole.docx", meta=sample_meta(), toc_pages=pages)
    first = write_docx(blocks, tmp_path / "first.docx", meta=sample_meta())
    patched = pdf.set_toc_pages(first, tmp_path / "patched.docx", pages)
    with zipfile.ZipFile(whole) as a, zipfile.ZipFile(patched) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    assert pdf.read_toc(patched) == [("1 Scope", "3"), ("1.1 Users", "4"), ("2 Plan", "12")]
    assert _pages(first) == ["", "", ""]
    # numbers put into a DOCX that has some replace them
    again = pdf.set_toc_pages(patched, tmp_path / "again.docx", ["5", "6", "7"])
    assert _pages(again) == ["5", "6", "7"]


def test_the_content_hash_ignores_when_the_zip_was_written(tmp_path: Path) -> None:
    blocks = _blocks()
    a = write_docx(blocks, tmp_path / "a.docx", meta=sample_meta())
    b = tmp_path / "b.docx"
    with zipfile.ZipFile(a) as zin, zipfile.ZipFile(b, "w") as zout:
        for info in zin.infolist():
            info.date_time = (2001, 2, 3, 4, 5, 6)
            zout.writestr(info, zin.read(info.filename))
    assert a.read_bytes() != b.read_bytes()
    assert pdf.docx_digest(a) == pdf.docx_digest(b)
    c = write_docx(_blocks("changed"), tmp_path / "c.docx", meta=sample_meta())
    assert pdf.docx_digest(a) != pdf.docx_digest(c)


def test_guessed_pages_follow_the_last_layout() -> None:
    before = [("1 Scope", "3"), ("1.1 Users", "4"), ("2 Plan", "9")]
    assert pdf.guess_pages(["1 Scope", "1.1 Users", "2 Plan"], before) == ["3", "4", "9"]
    # a new heading takes the page of the one above it; the others keep theirs
    assert pdf.guess_pages(["1 Scope", "1.1 Users", "1.2 Roles", "2 Plan"], before) == \
        ["3", "4", "4", "9"]
    assert pdf.guess_pages(["1 Scope"], None) is None
    assert pdf.guess_pages(["1 Scope"], [("1 Scope", "")]) is None  # never laid out


# ------------------------------------------------------------------ the cache


def test_an_unchanged_document_is_never_laid_out_again(fake: Fake, tmp_path: Path) -> None:
    blocks = _blocks()
    _lay_out(blocks, tmp_path / "one" / "doc.docx", tmp_path / "one" / "doc.pdf")
    assert fake.layouts == 1
    assert _pages(tmp_path / "one" / "doc.docx") == ["2", "3", "4"]
    # another run (another session), another output folder: from the cache
    written = _lay_out(blocks, tmp_path / "two" / "doc.docx", tmp_path / "two" / "doc.pdf")
    assert fake.layouts == 1
    assert written == [tmp_path / "two" / "doc.docx", tmp_path / "two" / "doc.pdf"]
    assert _pages(tmp_path / "two" / "doc.docx") == ["2", "3", "4"]
    assert (tmp_path / "two" / "doc.pdf").read_bytes() == \
        (tmp_path / "one" / "doc.pdf").read_bytes()
    assert Recorded.made[-1].starts == 0  # no LibreOffice started at all


def test_a_changed_document_is_laid_out_again(fake: Fake, tmp_path: Path) -> None:
    _lay_out(_blocks(), tmp_path / "doc.docx")
    fake.shift(5)
    _lay_out(_blocks("a paragraph longer"), tmp_path / "doc.docx")
    assert fake.layouts == 2
    assert _pages(tmp_path / "doc.docx") == ["7", "8", "9"]


def test_a_docx_only_layout_serves_a_later_pdf(fake: Fake, tmp_path: Path) -> None:
    _lay_out(_blocks(), tmp_path / "doc.docx")
    _lay_out(_blocks(), None, tmp_path / "doc.pdf")
    assert fake.layouts == 1
    assert (tmp_path / "doc.pdf").read_bytes().startswith(b"%PDF-")


def test_a_portfolio_worker_exports_only_the_first_page_and_keeps_no_pdf(
        fake: Fake, tmp_path: Path, cache: Path) -> None:
    """A pages-only session (a portfolio worker's) asks for the first page only when no
    PDF is wanted; that PDF is never kept, so a later PDF build lays out again; a PDF
    build in such a session still exports the whole document."""
    from crmimpl.render.office import end_session, start_session

    start_session(pages_only=True)
    try:
        _lay_out(_blocks(), tmp_path / "one" / "doc.docx")
        assert _pages(tmp_path / "one" / "doc.docx") == ["2", "3", "4"]
        assert (fake.folder / "whole").read_text().split() == ["False"]
        assert not list(cache.rglob("layout/*.pdf"))
        assert list(cache.rglob("layout/*.json"))
        _lay_out(_blocks(), None, tmp_path / "doc.pdf")
        assert fake.layouts == 2
        assert (fake.folder / "whole").read_text().split() == ["False", "True"]
        assert len(list(cache.rglob("layout/*.pdf"))) == 1
    finally:
        end_session()
    # an ordinary session exports the whole PDF and keeps it for a later PDF build
    _lay_out(_blocks("other"), tmp_path / "two" / "doc.docx")
    assert (fake.folder / "whole").read_text().split() == ["False", "True", "True"]
    assert len(list(cache.rglob("layout/*.pdf"))) == 2


def test_another_libreoffice_or_fonts_is_another_layout(
        fake: Fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _lay_out(_blocks(), tmp_path / "doc.docx")
    monkeypatch.setattr(pdf, "office_identity", lambda: "another LibreOffice")
    _lay_out(_blocks(), tmp_path / "doc.docx")
    assert fake.layouts == 2


def test_without_a_cache_every_run_lays_out(fake: Fake, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from crmimpl.resources import cache_dir

    monkeypatch.setenv("CRMIMPL_CACHE_DIR", "")
    cache_dir.cache_clear()
    _lay_out(_blocks(), tmp_path / "doc.docx")
    _lay_out(_blocks(), tmp_path / "doc.docx")
    assert fake.layouts == 2
    assert _pages(tmp_path / "doc.docx") == ["2", "3", "4"]


def test_a_broken_cache_entry_is_laid_out_again(fake: Fake, tmp_path: Path) -> None:
    _lay_out(_blocks(), tmp_path / "doc.docx")
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{not json")
    _lay_out(_blocks(), tmp_path / "doc.docx")
    assert fake.layouts == 2
    assert _pages(tmp_path / "doc.docx") == ["2", "3", "4"]


def test_the_cache_drops_the_oldest_layouts_beyond_its_limit(
        fake: Fake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = pdf.LayoutCache.open()
    assert store is not None
    monkeypatch.setattr(pdf.LayoutCache, "LIMIT", 3000)
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-" + b"x" * 1000)
    for n in range(5):
        store.put(f"key{n}", ["1 Scope\t2"], big)
    kept = sorted(p.name for p in store.folder.glob("*.json"))
    assert len(kept) < 5 and "key4.json" in kept
    assert store.get("key4", want_pdf=True) is not None
    assert store.get("key0", want_pdf=False) is None


# ------------------------------------------------------------------ beside the build


def test_the_layout_runs_beside_the_caller(fake: Fake, tmp_path: Path) -> None:
    """The DOCX is written and the caller goes on while LibreOffice still works; the
    page numbers come when the job is awaited."""
    fake.hold()
    docx = tmp_path / "doc.docx"
    with office_session():
        written, job = pdf.start_laid_out(_blocks(), meta=sample_meta(), docx_path=docx,
                                          pdf_path=tmp_path / "doc.pdf")
        assert job is not None and written == [docx]
        assert _pages(docx) == ["", "", ""]  # written at once, not laid out yet
        assert not job.done()
        fake.release()
        assert job.result() == [tmp_path / "doc.pdf"]
        assert job.rewritten
    assert _pages(docx) == ["2", "3", "4"]


def test_two_offices_when_documents_wait(fake: Fake, tmp_path: Path) -> None:
    fake.hold()
    with office_session(helpers=2):
        session = current_session()
        assert session is not None
        jobs = [pdf.start_laid_out(_blocks(str(n)), meta=sample_meta(),
                                   docx_path=tmp_path / f"doc{n}.docx")[1]
                for n in range(3)]
        threading.Timer(0.5, fake.release).start()
        for job in jobs:
            assert job is not None
            job.result()
        assert len(session.offices) == 2
        assert [o.starts for o in Recorded.made] == [1, 1]
        assert sum(o.documents for o in Recorded.made) == 3
        scratch = session.scratch
    for office in Recorded.made:
        office.assert_gone()  # both ended, each with its own profile removed
    assert not scratch.exists()


def test_one_office_when_one_is_asked_for(fake: Fake, tmp_path: Path) -> None:
    fake.hold()
    with office_session(helpers=1):
        jobs = [pdf.start_laid_out(_blocks(str(n)), meta=sample_meta(),
                                   docx_path=tmp_path / f"doc{n}.docx")[1]
                for n in range(3)]
        fake.release()
        for job in jobs:
            assert job is not None
            job.result()
    assert len(Recorded.made) == 1 and Recorded.made[0].documents == 3


def test_an_interrupt_ends_every_office_and_removes_the_scratch(
        fake: Fake, tmp_path: Path) -> None:
    fake.hold()
    with pytest.raises(KeyboardInterrupt), office_session(helpers=2):
        session = current_session()
        assert session is not None
        jobs = [pdf.start_laid_out(_blocks(str(n)), meta=sample_meta(),
                                   docx_path=tmp_path / f"doc{n}.docx")[1]
                for n in range(3)]
        while sum(o.starts for o in Recorded.made) < 2:
            threading.Event().wait(0.05)
        scratch = session.scratch
        raise KeyboardInterrupt
    assert current_session() is None
    for office in Recorded.made:
        office.assert_gone()
    assert not scratch.exists()
    assert all(job is not None and job.done() for job in jobs)
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()]  # no temporary file


# ------------------------------------------------------------------ build and watch


def _example(tmp_path: Path) -> Path:
    target = tmp_path / "kreativ"
    shutil.copytree(EXAMPLES / "kreativ-agency", target,
                    ignore=shutil.ignore_patterns("out", "fill", ".crmimpl"))
    return target


def test_a_build_lays_each_document_out_once(fake: Fake, tmp_path: Path) -> None:
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    project = load_project(_example(tmp_path))
    options = BuildOptions(out=tmp_path / "out", langs=("ru", "en"), only=("survey",),
                           incremental=True)
    ctx = build(project, options)
    assert fake.layouts == 2
    docx = sorted(p for p in ctx.written if p.suffix == ".docx")
    assert len(docx) == 2 and all(_pages(p)[0] == "2" for p in docx)
    # the files as the layouts left them are recorded: the next build has nothing to do
    again = build(project, options)
    assert again.written == [] and again.unchanged == ["survey"]
    # another output folder: written again, but not laid out again
    other = build(project, BuildOptions(out=tmp_path / "other", langs=("ru", "en"),
                                        only=("survey",), incremental=True))
    assert fake.layouts == 2
    assert sorted(p.name for p in other.written if p.suffix == ".docx") == \
        [p.name for p in docx]
    for path in docx:
        assert pdf.docx_digest(tmp_path / "other" / path.name) == pdf.docx_digest(path)


def test_watch_writes_the_last_pages_and_rewrites_only_when_they_change(
        fake: Fake, tmp_path: Path) -> None:
    from crmimpl.incremental import BuildState, file_digest
    from crmimpl.watch import finish_layouts

    docx = tmp_path / "out" / "doc.docx"
    said: list[str] = []
    with office_session():
        session = current_session()
        assert session is not None
        session.provisional = True

        def round_(extra: str) -> pdf.LayoutJob:
            _, job = pdf.start_laid_out(_blocks(extra), meta=sample_meta(), docx_path=docx)
            assert job is not None and job.later
            job.detach()
            assert job in session.detached
            return job

        def finish(job: pdf.LayoutJob) -> None:
            job.future.result()
            finish_layouts(session.detached, tmp_path, lambda text, err=False: said.append(text))

        finish(round_("first"))
        assert _pages(docx) == ["2", "3", "4"]
        assert said == [f"page numbers added: {docx}"]
        fake.shift(1)
        fake.hold()
        job = round_("second")
        assert _pages(docx) == ["2", "3", "4"]  # at once, the pages of the last layout
        # the build records the DOCX as written; a rewrite by its layout updates that
        state = BuildState(tmp_path)
        state.record("text", "key", [docx], [])
        state.save()
        fake.release()
        finish(job)
        assert _pages(docx) == ["3", "4", "5"]
        assert said[-1] == f"page numbers updated: {docx}"
        assert BuildState.open(tmp_path).unchanged("text", "key") is not None
        assert file_digest(docx) == BuildState.open(tmp_path).records["text"].files[
            str(docx.resolve())]

        finish(round_("third"))  # the same pages: the DOCX is left as it was written
        assert len(said) == 2

        # a layout of a DOCX written again meanwhile is dropped
        fake.hold()
        stale = round_("fourth")
        fake.shift(7)
        newer = round_("fifth")
        fake.release()
        newer.future.result()
        if not stale.future.cancelled():
            stale.future.result()
        finish(newer)
        assert _pages(docx) == ["9", "10", "11"]
        assert not session.detached


# ------------------------------------------------------------------ with LibreOffice


@pytest.mark.office
def test_a_second_build_starts_no_libreoffice(soffice: str, tmp_path: Path, cache: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    monkeypatch.delenv("CRMIMPL_NO_OFFICE", raising=False)
    monkeypatch.setenv("CRMIMPL_OFFICE_HELPERS", "1")
    project = load_project(_example(tmp_path))
    before = office_starts()
    build(project, BuildOptions(out=tmp_path / "one", langs=("ru",), only=("survey",)))
    assert office_starts() - before == 1
    build(project, BuildOptions(out=tmp_path / "two", langs=("ru",), only=("survey",),
                                formats=("docx", "pdf")))
    assert office_starts() - before == 1  # the layout and its PDF came from the cache
    [one] = (tmp_path / "one").glob("*.docx")
    two = tmp_path / "two" / one.name
    pages = _pages(one)
    assert pages and all(p.isdigit() for p in pages)
    assert _pages(two) == pages
    assert (tmp_path / "two" / one.with_suffix(".pdf").name).read_bytes()[:5] == b"%PDF-"
    cached = list((tmp_path / "cache").rglob("layout/*.json"))
    assert len(cached) == 1 and json.loads(cached[0].read_text())["toc"]


@pytest.mark.office
def test_first_page_export_gives_the_page_numbers_of_the_whole_export(
        soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice itself: a document laid out in a pages-only session (first page
    exported) gets the same table of contents page numbers as with the whole export."""
    from crmimpl.render.office import end_session, start_session

    monkeypatch.delenv("CRMIMPL_NO_OFFICE", raising=False)
    monkeypatch.setenv("CRMIMPL_CACHE_DIR", "")
    from crmimpl.resources import cache_dir

    cache_dir.cache_clear()
    text = "<!-- toc -->\n" + "".join(
        f"# Part {n}\n\n" + ("A paragraph that takes a line or two of the page. " * 12
                               + "\n\n") * (n % 4 + 2) + f"## Detail {n}\n\nend\n\n"
        for n in range(1, 13))
    blocks = parse_blocks(text)
    pages = {}
    for pages_only in (False, True):
        start_session(pages_only=pages_only)
        try:
            docx = tmp_path / f"{pages_only}.docx"
            _lay_out(blocks, docx)
        finally:
            end_session()
        pages[pages_only] = _pages(docx)
    cache_dir.cache_clear()
    assert all(p.isdigit() for p in pages[False]) and int(pages[False][-1]) > 3
    assert pages[True] == pages[False]


def test_a_watch_round_leaves_its_layouts_to_finish_and_records_them(
        fake: Fake, tmp_path: Path) -> None:
    """A round of ``build --watch`` returns before LibreOffice is done; the watcher then
    puts the page numbers in and records the DOCX again, so the next round finds every
    file as recorded and writes nothing."""
    from crmimpl.build import BuildOptions
    from crmimpl.watch import finish_layouts, project_file, rebuild

    folder = _example(tmp_path)
    said: list[str] = []

    def say(text: str, err: bool = False) -> None:
        said.append(text)

    options = BuildOptions(out=Path(), langs=(), only=("survey",), incremental=True)
    with office_session():
        session = current_session()
        assert session is not None
        session.provisional = True
        fake.hold()
        ctx = rebuild(project_file(folder), options, None, (), say)
        assert ctx is not None and len(session.detached) == 1  # the survey report (ru)
        [docx] = [p for p in ctx.written if p.suffix == ".docx"]
        assert _pages(docx)[0] == ""  # written at once; never laid out before
        fake.release()
        session.detached[0].future.result()
        finish_layouts(session.detached, folder, say)
        assert said[-1] == f"page numbers added: {docx}"
        assert _pages(docx)[0] == "2"
        said.clear()
        again = rebuild(project_file(folder), options, None, (), say)
        assert again is not None and again.written == [] and again.unchanged == ["survey"]
        assert not session.detached


def test_a_layout_unfinished_when_the_watcher_ends_is_built_again(
        fake: Fake, tmp_path: Path) -> None:
    """Ctrl-C while LibreOffice still lays out a DOCX of the last round: the build state
    forgets that DOCX, so the next build writes it again with its page numbers."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project
    from crmimpl.watch import project_file, rebuild, unfinished_layouts

    folder = _example(tmp_path)
    options = BuildOptions(out=Path(), langs=(), only=("survey",), incremental=True)
    fake.hold()
    with office_session(helpers=1):
        session = current_session()
        assert session is not None
        session.provisional = True
        ctx = rebuild(project_file(folder), options, None, (), lambda *a, **k: None)
        assert ctx is not None and session.detached
        unfinished_layouts(session.detached, folder)
        assert not session.detached
        fake.release()
    [docx] = [p for p in ctx.written if p.suffix == ".docx"]
    assert _pages(docx)[0] == ""
    again = build(load_project(folder), BuildOptions(
        out=folder / "out", langs=("ru",), only=("survey",), incremental=True))
    assert docx in again.written and _pages(docx)[0] == "2"
