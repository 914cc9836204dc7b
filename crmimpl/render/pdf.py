"""DOCX to PDF through LibreOffice, with the table of contents and fields updated.

``soffice --convert-to pdf`` does not update fields, so the TOC would keep the page
numbers the DOCX was written with. Instead the run's LibreOffice
(:class:`crmimpl.render.office.Office`, driven through UNO by a Python that has the
``uno`` module, Debian ``python3-uno`` for ``/usr/bin/python3``) opens the DOCX, updates
every index and field, reads the page numbers of the table of contents and exports the
PDF. The page numbers go back into the DOCX (:func:`write_laid_out`), so the document
Word opens has a complete table of contents too. One LibreOffice serves every document
of a run (:func:`crmimpl.render.office.office_session`); a call outside a session starts
and ends its own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import Any

from crmimpl.errors import CrmimplError
from crmimpl.render.blocks import Block, DocMeta
from crmimpl.store import atomic_write_with

log = logging.getLogger(__name__)

UNO_PYTHON_ENV = "CRMIMPL_UNO_PYTHON"
NO_OFFICE_ENV = "CRMIMPL_NO_OFFICE"

def find_soffice() -> str:
    """Path of LibreOffice's ``soffice``.

    Raises:
        CrmimplError: LibreOffice is not installed.
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise CrmimplError.single(
            "soffice", "LibreOffice is not installed, so no PDF can be made",
            hint="install LibreOffice Writer (Debian: apt-get install libreoffice-writer "
                 "python3-uno) or generate DOCX/HTML instead",
        )
    return found


@cache
def find_uno_python(soffice: str) -> str | None:
    """A Python interpreter that can ``import uno``, or ``None``."""
    candidates = [os.environ.get(UNO_PYTHON_ENV, ""), "/usr/bin/python3",
                  str(Path(soffice).resolve().parent / "python")]
    for python in filter(None, candidates):
        if not Path(python).is_file():
            continue
        probe = subprocess.run([python, "-c", "import uno"], capture_output=True, timeout=60)
        if probe.returncode == 0:
            return python
    return None


def office_available() -> bool:
    """Whether LibreOffice and a Python with ``uno`` are here to lay out documents.

    ``CRMIMPL_NO_OFFICE=1`` says no (DOCX then carry a TOC without page numbers; a PDF
    still needs LibreOffice).
    """
    if os.environ.get(NO_OFFICE_ENV, "") not in ("", "0"):
        return False
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    return bool(soffice) and find_uno_python(soffice) is not None


def refresh_docx(docx_path: Path | str, pdf_path: Path | str | None = None, *,
                 timeout: float = 300) -> list[str] | None:
    """Lay out a DOCX with LibreOffice: update the TOC and all fields, optionally export
    the PDF, and return the lines of the table of contents LibreOffice made
    (``"1.2 Heading\\t7"``); ``None`` when they cannot be read (no ``uno`` module: the
    PDF is then a plain conversion).

    Raises:
        CrmimplError: LibreOffice is missing or the conversion failed.
    """
    soffice = find_soffice()
    src = Path(docx_path).resolve()
    if find_uno_python(soffice) is None:
        log.warning("no Python with the uno module: the table of contents gets no "
                    "page numbers (install python3-uno)")
        if pdf_path is not None:
            _plain_pdf(soffice, src, Path(pdf_path), timeout)
        return None
    from crmimpl.render.office import office_session

    with tempfile.TemporaryDirectory(prefix="crmimpl_pdf_") as tmp:
        produced = Path(tmp) / (src.stem + ".pdf")
        with office_session(timeout) as office:
            lines = office.lay_out(src, produced, timeout)
        if pdf_path is not None:
            if not produced.is_file():
                raise CrmimplError.single(str(src), "LibreOffice produced no PDF")
            atomic_write_with(pdf_path, lambda out: shutil.copyfile(produced, out))
        return lines


def docx_to_pdf(docx_path: Path | str, pdf_path: Path | str, *, timeout: float = 300) -> Path:
    """Convert a DOCX file to PDF with LibreOffice, updating the TOC and all fields.

    Raises:
        CrmimplError: LibreOffice is missing or the conversion failed.
    """
    refresh_docx(docx_path, pdf_path, timeout=timeout)
    return Path(pdf_path)


_TOC_LINE = re.compile(r"^(?P<text>.*?)[\t .]*\t(?P<page>\d+)\s*$")


def toc_pages(entries: list[str], lines: list[str] | None) -> list[str] | None:
    """The page number of each TOC entry (``1.2 Heading``) in LibreOffice's TOC lines;
    ``None`` when the lines do not match the entries (then none is trusted)."""
    if not lines:
        return None
    found = [m for m in map(_TOC_LINE.match, lines) if m]

    def norm(text: str) -> str:
        return " ".join(text.split())

    if len(found) == len(entries) and all(
            norm(m["text"]).endswith(norm(e).split(" ", 1)[-1]) for m, e in
            zip(found, entries, strict=True)):
        return [m["page"] for m in found]
    return None


def write_laid_out(
    blocks: list[Block], *, meta: DocMeta, docx_path: Path | None = None,
    pdf_path: Path | None = None, reference: Path | str | None = None,
) -> list[Path]:
    """Write the DOCX and/or the PDF of ``blocks`` with one LibreOffice run.

    LibreOffice lays the DOCX out and makes the PDF; the page numbers of its table of
    contents are written into the DOCX, so the DOCX's TOC is complete without Word
    updating fields. Without LibreOffice (or with ``CRMIMPL_NO_OFFICE``) only the DOCX is
    written, its TOC without page numbers.

    Raises:
        CrmimplError: As :func:`refresh_docx` (a PDF was asked for) and
            :func:`~crmimpl.render.docx.write_docx`.
    """
    from crmimpl.render.docx import toc_entries, write_docx

    if pdf_path is not None:
        find_soffice()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="crmimpl_docx_") as tmp:
        target = docx_path or Path(tmp) / ((pdf_path or Path("doc")).stem + ".docx")
        first = write_docx(blocks, target, meta=meta, reference=reference)
        if docx_path is not None:
            written.append(first)
        if pdf_path is None and not office_available():
            return written
        lines = refresh_docx(first, pdf_path)
        if pdf_path is not None:
            written.append(Path(pdf_path))
        pages = toc_pages(toc_entries(blocks), lines)
        if docx_path is not None and pages:
            write_docx(blocks, docx_path, meta=meta, reference=reference, toc_pages=pages)
        elif docx_path is not None and lines is not None and toc_entries(blocks):
            log.warning("%s: the table of contents LibreOffice made does not match the "
                        "document's headings; its page numbers are left out", docx_path.name)
    return written


def write_pdf(
    blocks: list[Block], out_path: Path | str, *, meta: DocMeta,
    reference: Path | str | None = None,
) -> Path:
    """Write ``blocks`` as PDF: a DOCX by :func:`~crmimpl.render.docx.write_docx`, laid
    out and converted by LibreOffice.

    Raises:
        CrmimplError: As :func:`refresh_docx` and :func:`~crmimpl.render.docx.write_docx`.
    """
    write_laid_out(blocks, meta=meta, pdf_path=Path(out_path), reference=reference)
    return Path(out_path)


def _plain_pdf(soffice: str, src: Path, pdf_path: Path, timeout: float) -> None:
    """A plain ``soffice --convert-to pdf`` of one document (no ``uno``: no TOC update),
    with its own profile."""
    with tempfile.TemporaryDirectory(prefix="crmimpl_pdf_") as tmp:
        work = Path(tmp)
        cmd = [soffice, f"-env:UserInstallation={(work / 'lo_profile').as_uri()}",
               "--headless", "--convert-to", "pdf", "--outdir", str(work), str(src)]
        _run(cmd, src, timeout, work)
        produced = work / (src.stem + ".pdf")
        if not produced.is_file():
            raise CrmimplError.single(str(src), "LibreOffice produced no PDF")
        atomic_write_with(pdf_path, lambda out: shutil.copyfile(produced, out))


def _run(cmd: list[str], src: Path, timeout: float, work: Path) -> None:
    """Run the conversion in its own process group and end the whole group afterwards.

    LibreOffice is a tree (``soffice`` → ``oosplash`` → ``soffice.bin``); killing only
    the direct child on a timeout or Ctrl-C would leave ``soffice.bin`` running. Its
    temporary files go to the conversion's own folder (``TMPDIR``), which is removed
    with it.
    """
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "TMPDIR": str(work)})
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise CrmimplError.single(
            str(src), f"LibreOffice did not finish the PDF within {timeout:.0f} s") from None
    finally:
        end_process_group(proc)
    if proc.returncode != 0:
        detail = (err or out).strip().splitlines()[-3:]
        raise CrmimplError.single(
            str(src), "LibreOffice failed to make a PDF: " + " / ".join(detail))


def end_process_group(proc: subprocess.Popen[Any], wait: float = 10) -> None:
    """Kill every process of ``proc``'s group (started with ``start_new_session``) and
    wait until none is left running, at most ``wait`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and _group_alive(proc.pid):
        time.sleep(0.05)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return any(_running_in_group(p, pgid) for p in Path("/proc").glob("[0-9]*"))


def _running_in_group(proc_dir: Path, pgid: int) -> bool:
    """A process of group ``pgid`` that is not a zombie (an unreaped zombie is dead)."""
    try:
        fields = (proc_dir / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] != "Z" and fields[2] == str(pgid)
