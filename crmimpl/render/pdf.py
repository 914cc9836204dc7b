"""DOCX to PDF through LibreOffice, with the table of contents and fields updated.

``soffice --convert-to pdf`` does not update fields, so the TOC would keep the page
numbers the DOCX was written with. Instead a small UNO script, run by a Python that has
the ``uno`` module (Debian ``python3-uno`` for ``/usr/bin/python3``), starts a private
headless LibreOffice, opens the DOCX, updates every index and field, reads the page
numbers of the table of contents and exports the PDF if asked. The page numbers go back
into the DOCX (:func:`write_laid_out`), so the document Word opens has a complete
table of contents too. Each call uses its own LibreOffice profile, so conversions may
run in parallel.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from functools import cache
from pathlib import Path

from crmimpl.errors import CrmimplError
from crmimpl.render.blocks import Block, DocMeta
from crmimpl.store import atomic_write_with

log = logging.getLogger(__name__)

UNO_PYTHON_ENV = "CRMIMPL_UNO_PYTHON"
NO_OFFICE_ENV = "CRMIMPL_NO_OFFICE"

# Runs under the UNO-capable Python, not ours: standard library and uno only.
_UNO_SCRIPT = r'''
import json, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(resolver, url, proc):
    deadline = time.time() + 90
    while True:
        try:
            return resolver.resolve(url)
        except Exception:
            if proc.poll() is not None or time.time() > deadline:
                raise
            time.sleep(0.2)


def update_indexes(doc):
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        indexes.getByIndex(i).update()


def export(doc, dst):
    doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "writer_pdf_Export"),))


def update_and_export(doc, dst):
    # The layout LibreOffice exports can differ from the one it had when it filled the
    # TOC (a heading kept with the next block moves to the next page), and filling the
    # TOC moves pages too. So: fill the TOC, export, fill it again from the exported
    # layout, and export again until the TOC no longer changes (at most four times).
    update_indexes(doc)
    for _ in range(4):
        before = toc_lines(doc)
        export(doc, dst)
        update_indexes(doc)
        if toc_lines(doc) == before:
            return before
    export(doc, dst)
    return toc_lines(doc)


def toc_lines(doc):
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if index.supportsService("com.sun.star.text.ContentIndex"):
            return index.getAnchor().getString().splitlines()
    return []


def main(soffice, src, dst, profile, pipe, toc, scratch):
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe
    proc = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        ctx = connect(resolver, url, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            sys.exit("LibreOffice could not open " + src)
        lines = update_and_export(doc, dst or scratch)
        with open(toc, "w", encoding="utf-8") as out:
            json.dump(lines, out)
        doc.close(True)
    finally:
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


main(*sys.argv[1:8])
'''


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
    with tempfile.TemporaryDirectory(prefix="crmimpl_pdf_") as tmp:
        work = Path(tmp)
        produced = work / (src.stem + ".pdf")
        toc = work / "toc.json"
        python = find_uno_python(soffice)
        if python is None:
            log.warning("no Python with the uno module: the table of contents gets no "
                        "page numbers (install python3-uno)")
            if pdf_path is None:
                return None
            cmd = _plain_command(soffice, src, work)
        else:
            cmd = _uno_command(python, soffice, src, produced if pdf_path else None, work, toc)
        _run(cmd, src, timeout, work)
        if pdf_path is not None:
            if not produced.is_file():
                raise CrmimplError.single(str(src), "LibreOffice produced no PDF")
            atomic_write_with(pdf_path, lambda out: shutil.copyfile(produced, out))
        if not toc.is_file():
            return None
        lines = json.loads(toc.read_text(encoding="utf-8"))
        return [str(line) for line in lines]


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


def _profile_url(work: Path) -> str:
    return (work / "lo_profile").as_uri()


def _uno_command(python: str, soffice: str, src: Path, dst: Path | None, work: Path,
                 toc: Path) -> list[str]:
    script = work / "convert.py"
    script.write_text(_UNO_SCRIPT, encoding="utf-8")
    pipe = f"crmimpl_{uuid.uuid4().hex}"
    return [python, str(script), soffice, str(src), str(dst or ""), _profile_url(work), pipe,
            str(toc), str(work / "scratch.pdf")]


def _plain_command(soffice: str, src: Path, work: Path) -> list[str]:
    return [soffice, f"-env:UserInstallation={_profile_url(work)}", "--headless",
            "--convert-to", "pdf", "--outdir", str(work), str(src)]


def _run(cmd: list[str], src: Path, timeout: float, work: Path) -> None:
    """Run the conversion in its own process group and end the whole group afterwards.

    LibreOffice is a tree (``soffice`` → ``oosplash`` → ``soffice.bin``) under the UNO
    script; killing only the direct child on a timeout or Ctrl-C would leave
    ``soffice.bin`` running. Its temporary files go to the conversion's own folder
    (``TMPDIR``), which is removed with it.
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


def end_process_group(proc: subprocess.Popen[str], wait: float = 10) -> None:
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
