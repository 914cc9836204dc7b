"""One LibreOffice per run (issue 13): the office is started once for every document of a
build, started again when it dies, stopped on a timeout with a message, and leaves no
process and no profile behind. The protocol is checked first with a stand-in helper (no
LibreOffice needed), then with LibreOffice itself.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crmimpl.errors import CrmimplError
from crmimpl.render import office as office_module
from crmimpl.render import pdf, processes
from crmimpl.render.docx import write_docx
from crmimpl.render.markdown import parse_blocks
from crmimpl.render.office import Office, current_office, office_session, office_starts
from tests.conftest import EXAMPLES, ROOT
from tests.test_interrupts import build_env, build_processes, copy_example
from tests.test_render_pdf import pdftotext, sample_meta

# Speaks the helper's protocol without LibreOffice: the name of the document says what
# happens to it ("crash": the office dies; "slow": it never answers; "bad": an error).
FAKE_SERVER = r'''
import json, os, sys, time
reply = lambda **f: (sys.stdout.write(json.dumps(f) + "\n"), sys.stdout.flush())
print("a line that is not an answer", flush=True)
reply(ready=True, pid=os.getpid())
for line in sys.stdin:
    request = json.loads(line)
    name = os.path.basename(request["src"])
    if "crash" in name:
        os._exit(1)
    if "slow" in name:
        time.sleep(60)
    if "bad" in name:
        reply(error="cannot read " + name)
        continue
    with open(request["dst"], "w") as out:
        out.write("%PDF- " + name)
    reply(toc=["1 Heading\t3"])
'''


class Recorded(Office):
    """An office that remembers every folder and process group it had."""

    made: list[Recorded] = []  # noqa: RUF012

    def __init__(self, timeout: float = 300) -> None:
        super().__init__(timeout)
        self.folders: list[Path] = []
        self.groups: list[int] = []
        Recorded.made.append(self)

    def _start(self, deadline: float) -> None:
        try:
            super()._start(deadline)
        finally:
            if self.folder is not None:
                self.folders.append(self.folder)
            if self.group is not None:
                self.groups.append(self.group)

    def assert_gone(self) -> None:
        assert not self.running
        for folder in self.folders:
            assert not folder.exists(), f"profile left: {folder}"
        for group in self.groups:
            assert not processes.group_alive(group), f"process group {group} still running"


@pytest.fixture(autouse=True)
def _no_layout_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """LibreOffice really lays the documents out here: no layout comes from the cache."""
    from crmimpl.resources import cache_dir

    monkeypatch.setenv("CRMIMPL_CACHE_DIR", "")
    cache_dir.cache_clear()
    yield
    cache_dir.cache_clear()


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[Recorded]:
    Recorded.made = []
    monkeypatch.setattr(office_module, "Office", Recorded)
    return Recorded.made


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office_module, "SERVER_SCRIPT", FAKE_SERVER)
    monkeypatch.setattr(office_module, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(office_module, "find_uno_python", lambda soffice: sys.executable)


def _docx(folder: Path, name: str) -> Path:
    blocks = parse_blocks(f"<!-- toc -->\n# {name}\n\ntext\n")
    return write_docx(blocks, folder / f"{name}.docx", meta=sample_meta())


# ------------------------------------------------------------------ the protocol


def test_one_helper_serves_every_document(fake: None, tmp_path: Path) -> None:
    with Recorded() as office:
        for n in range(3):
            lines = office.lay_out(tmp_path / f"doc{n}.docx", tmp_path / f"doc{n}.pdf")
            assert lines == ["1 Heading\t3"]
            assert (tmp_path / f"doc{n}.pdf").read_text() == f"%PDF- doc{n}.docx"
        assert office.starts == 1 and office.documents == 3
        assert office.running
    office.assert_gone()


def test_an_office_that_dies_is_started_again(fake: None, tmp_path: Path) -> None:
    with Recorded() as office:
        office.lay_out(tmp_path / "a.docx", tmp_path / "a.pdf")
        os.killpg(office.group or 0, signal.SIGKILL)  # dies between two documents
        office.lay_out(tmp_path / "b.docx", tmp_path / "b.pdf")
        assert office.starts == 2
        # dies on this document, and again on the retry: a message, no traceback
        with pytest.raises(CrmimplError, match="LibreOffice stopped while laying out"):
            office.lay_out(tmp_path / "crash.docx", tmp_path / "crash.pdf")
        assert office.starts == 3
        # the next document starts a fresh office
        office.lay_out(tmp_path / "c.docx", tmp_path / "c.pdf")
        assert office.starts == 4 and office.documents == 3
    office.assert_gone()


def test_an_error_keeps_the_office(fake: None, tmp_path: Path) -> None:
    with Recorded() as office:
        with pytest.raises(CrmimplError, match=r"failed to make a PDF: cannot read bad\.docx"):
            office.lay_out(tmp_path / "bad.docx", tmp_path / "bad.pdf")
        office.lay_out(tmp_path / "good.docx", tmp_path / "good.pdf")
        assert office.starts == 1
    office.assert_gone()


def test_a_timeout_is_a_message_and_ends_the_office(fake: None, tmp_path: Path) -> None:
    with Recorded() as office:
        started = time.monotonic()
        with pytest.raises(CrmimplError, match="did not finish the document within 1 s"):
            office.lay_out(tmp_path / "slow.docx", tmp_path / "slow.pdf", timeout=1)
        assert time.monotonic() - started < 10
        office.assert_gone()  # the stuck office was ended at once
        office.lay_out(tmp_path / "next.docx", tmp_path / "next.pdf")
        assert office.starts == 2
    office.assert_gone()


def test_sessions_nest_and_close_on_an_interrupt(fake: None, recorded: list[Recorded],
                                                 tmp_path: Path) -> None:
    assert current_office() is None
    with pytest.raises(KeyboardInterrupt), office_session() as outer:
        with office_session() as inner:
            assert inner is outer is current_office()
            outer.lay_out(tmp_path / "a.docx", tmp_path / "a.pdf")
        assert outer.running  # the inner session did not end it
        raise KeyboardInterrupt
    assert current_office() is None
    assert len(recorded) == 1
    recorded[0].assert_gone()


def test_an_office_never_started_leaves_nothing(fake: None, recorded: list[Recorded]) -> None:
    with office_session() as office:
        pass
    assert office.starts == 0 and office.folder is None


# ------------------------------------------------------------------ with LibreOffice


@pytest.mark.office
def test_a_pdf_build_of_two_documents_starts_libreoffice_once(
        soffice: str, recorded: list[Recorded], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project

    monkeypatch.setenv("CRMIMPL_OFFICE_HELPERS", "1")  # two at once: tests/test_layout_cache

    before = office_starts()
    ctx = build(load_project(EXAMPLES / "kreativ-agency"), BuildOptions(
        out=tmp_path / "out", langs=("ru", "en"), formats=("pdf",), only=("survey",)))
    pdfs = sorted(p.name for p in ctx.written if p.suffix == ".pdf")
    assert pdfs == ["kreativ-crm-2026-survey_report-en.pdf",
                    "kreativ-crm-2026-survey_report-ru.pdf"]
    assert office_starts() - before == 1
    assert len(recorded) == 1 and recorded[0].documents == 2
    recorded[0].assert_gone()  # ended with the build: no soffice.bin, no profile
    for name in pdfs:
        assert (tmp_path / "out" / name).read_bytes()[:5] == b"%PDF-"


def _kill_soffice_bin(group: int) -> int:
    """Kill LibreOffice's ``soffice.bin`` of process group ``group`` (by pid); return
    how many were killed."""
    killed = 0
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc_dir / "stat").read_text().rsplit(")", 1)[1].split()
            name = (proc_dir / "comm").read_text().strip()
        except (OSError, IndexError):
            continue
        if stat[2] == str(group) and name == "soffice.bin":
            os.kill(int(proc_dir.name), signal.SIGKILL)
            killed += 1
    return killed


@pytest.mark.office
def test_libreoffice_killed_between_documents_is_started_again(
        soffice: str, recorded: list[Recorded], tmp_path: Path) -> None:
    first, second = _docx(tmp_path, "first"), _docx(tmp_path, "second")
    with office_session() as office:
        pdf.docx_to_pdf(first, tmp_path / "first.pdf")
        assert office.group is not None and _kill_soffice_bin(office.group) == 1
        # the helper finds LibreOffice gone on the next document: started again
        pdf.docx_to_pdf(second, tmp_path / "second.pdf")
        assert office.starts == 2 and office.documents == 2
    assert "second" in pdftotext(tmp_path / "second.pdf")
    recorded[0].assert_gone()


@pytest.mark.office
@pytest.mark.slow
def test_a_portfolio_build_ends_each_workers_office(soffice: str, tmp_path: Path) -> None:
    """Each worker keeps one LibreOffice for its projects and ends it when the pool
    ends: nothing of the build runs afterwards and its TMPDIR is empty."""
    root = tmp_path / "portfolio"
    for n in range(3):
        copy_example(root / f"p{n}")
    tmpdir, env = build_env()
    try:
        proc = subprocess.run([sys.executable, "-m", "crmimpl", "build", str(root),
                               "--only", "survey", "-f", "pdf"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        assert "3 projects built" in proc.stdout
        for n in range(3):
            assert list((root / f"p{n}" / "out").glob("*.pdf"))
        deadline = time.monotonic() + 5
        while build_processes(str(tmpdir)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert build_processes(str(tmpdir)) == []
        assert sorted(p.name for p in tmpdir.iterdir()) == []
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


