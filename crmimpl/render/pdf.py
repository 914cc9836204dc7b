"""DOCX to PDF through LibreOffice, with the table of contents and fields updated.

``soffice --convert-to pdf`` does not update fields, so the TOC would stay a
placeholder. Instead a small UNO script, run by a Python that has the ``uno`` module
(Debian ``python3-uno`` for ``/usr/bin/python3``), starts a private headless
LibreOffice, opens the DOCX, updates every index and field and exports the PDF. Each
call uses its own LibreOffice profile, so conversions may run in parallel.
"""

from __future__ import annotations

import contextlib
import logging
import os
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

# Runs under the UNO-capable Python, not ours: standard library and uno only.
_UNO_SCRIPT = r'''
import subprocess, sys, time
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


def update(doc):
    # Twice: filling the TOC moves pages, which changes the page numbers in it.
    for _ in range(2):
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()
        doc.refresh()


def main(soffice, src, dst, profile, pipe):
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
        update(doc)
        doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", "writer_pdf_Export"),))
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


main(*sys.argv[1:6])
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


def docx_to_pdf(docx_path: Path | str, pdf_path: Path | str, *, timeout: float = 300) -> Path:
    """Convert a DOCX file to PDF with LibreOffice, updating the TOC and all fields.

    Args:
        docx_path: The DOCX to convert.
        pdf_path: Where to write the PDF (replaced atomically).
        timeout: Seconds to wait for LibreOffice.

    Returns:
        ``pdf_path`` as a :class:`~pathlib.Path`.

    Raises:
        CrmimplError: LibreOffice is missing or the conversion failed.
    """
    soffice = find_soffice()
    src = Path(docx_path).resolve()
    with tempfile.TemporaryDirectory(prefix="crmimpl_pdf_") as tmp:
        work = Path(tmp)
        produced = work / (src.stem + ".pdf")
        python = find_uno_python(soffice)
        if python is None:
            log.warning("no Python with the uno module: the PDF's table of contents is "
                        "not updated (install python3-uno)")
            cmd = _plain_command(soffice, src, work)
        else:
            cmd = _uno_command(python, soffice, src, produced, work)
        _run(cmd, src, timeout, work)
        if not produced.is_file():
            raise CrmimplError.single(str(src), "LibreOffice produced no PDF")
        return atomic_write_with(pdf_path, lambda out: shutil.copyfile(produced, out))


def write_pdf(
    blocks: list[Block], out_path: Path | str, *, meta: DocMeta,
    reference: Path | str | None = None,
) -> Path:
    """Write ``blocks`` as PDF: a DOCX by :func:`~crmimpl.render.docx.write_docx`, converted.

    Raises:
        CrmimplError: As :func:`docx_to_pdf` and :func:`~crmimpl.render.docx.write_docx`.
    """
    from crmimpl.render.docx import write_docx

    find_soffice()
    with tempfile.TemporaryDirectory(prefix="crmimpl_docx_") as tmp:
        docx_path = write_docx(blocks, Path(tmp) / (Path(out_path).stem + ".docx"),
                               meta=meta, reference=reference)
        return docx_to_pdf(docx_path, out_path)


def _profile_url(work: Path) -> str:
    return (work / "lo_profile").as_uri()


def _uno_command(python: str, soffice: str, src: Path, dst: Path, work: Path) -> list[str]:
    script = work / "convert.py"
    script.write_text(_UNO_SCRIPT, encoding="utf-8")
    pipe = f"crmimpl_{uuid.uuid4().hex}"
    return [python, str(script), soffice, str(src), str(dst), _profile_url(work), pipe]


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
