"""One headless LibreOffice for a whole run, laying out every document.

Starting LibreOffice takes about two seconds, longer than laying out a document. So a
run (``crmimpl build``, each worker of a portfolio build) opens one :class:`Office`
with :func:`office_session`; the first document that needs LibreOffice starts it, and
every later one of the run, in any project, goes to the same process. The session ends
it at the end of the run, on Ctrl-C and on SIGTERM alike, and removes its temporary
profile.

The office is a small UNO helper (:data:`SERVER_SCRIPT`) run by a Python that has the
``uno`` module (Debian ``python3-uno`` for ``/usr/bin/python3``). It starts a private
``soffice`` with its own profile, then reads one JSON request a line on stdin (a DOCX to
lay out, where to export the PDF) and answers one JSON line on stdout (the lines of the
table of contents LibreOffice made, or an error). End of input ends LibreOffice and the
helper. The helper, LibreOffice's ``oosplash`` and ``soffice.bin`` form one process
group, which :meth:`Office.close` ends as a whole.

If LibreOffice dies while laying out a document, the office is started again and the
document is tried once more; if it dies again, that document fails with a message and
the next document starts a fresh office. A document that takes longer than the timeout
is a :class:`~crmimpl.errors.CrmimplError` (the stuck office is ended), never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Self

from crmimpl.errors import CrmimplError
from crmimpl.render.pdf import end_process_group, find_soffice, find_uno_python

log = logging.getLogger(__name__)

# Runs under the UNO-capable Python, not ours: standard library and uno only.
SERVER_SCRIPT = r'''
import json, os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

# Replies go to the original stdout; anything else printed goes to stderr.
REPLY = os.fdopen(os.dup(1), "w", encoding="utf-8")
os.dup2(2, 1)


def reply(**fields):
    REPLY.write(json.dumps(fields) + "\n")
    REPLY.flush()


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


def lay_out(desktop, src, dst):
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        raise RuntimeError("LibreOffice could not open " + src)
    try:
        return update_and_export(doc, dst)
    finally:
        try:
            doc.close(True)
        except Exception:
            pass


def alive(proc, desktop):
    if proc.poll() is not None:
        return False
    try:
        desktop.getComponents()
        return True
    except Exception:
        return False


def main(soffice, profile, pipe):
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe
    proc = subprocess.Popen(
        [soffice, "-env:UserInstallation=" + profile, "--headless", "--invisible",
         "--nologo", "--norestore", "--nodefault", "--nolockcheck",
         "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local)
            ctx = connect(resolver, url, proc)
            desktop = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", ctx)
        except Exception as exc:
            reply(error="LibreOffice did not start: %s" % (exc,), dead=True)
            return
        reply(ready=True, pid=proc.pid)
        for line in sys.stdin:
            if not line.strip():
                continue
            request = json.loads(line)
            try:
                lines = lay_out(desktop, request["src"], request["dst"])
            except Exception as exc:
                if alive(proc, desktop):
                    reply(error=str(exc) or type(exc).__name__)
                    continue
                reply(error="LibreOffice stopped: %s" % (str(exc) or type(exc).__name__),
                      dead=True)
                return
            reply(toc=lines)
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


main(*sys.argv[1:4])
'''


_STARTS = [0]


def office_starts() -> int:
    """How many times this process started LibreOffice for documents (a test reads it)."""
    return _STARTS[0]


class OfficeDied(Exception):
    """LibreOffice (or its helper) stopped while it had work."""


class Office:
    """One private headless LibreOffice, started on first use and reused.

    Use it through :func:`office_session` (one per run). ``starts`` counts how many
    times this office started LibreOffice (:func:`office_starts` for the process).
    """

    def __init__(self, timeout: float = 300) -> None:
        self.timeout = timeout
        self.starts = 0
        self.documents = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._dir: Path | None = None
        self._buffer = b""

    # ---------------------------------------------------------------- public

    @property
    def running(self) -> bool:
        """Whether the helper (and so LibreOffice) is running."""
        return self._proc is not None and self._proc.poll() is None

    @property
    def group(self) -> int | None:
        """The process group of the helper and LibreOffice (``None`` when not running)."""
        return self._proc.pid if self._proc is not None else None

    @property
    def folder(self) -> Path | None:
        """The office's temporary folder (profile, helper script, LibreOffice's TMPDIR)."""
        return self._dir

    def lay_out(self, src: Path, dst: Path, timeout: float | None = None) -> list[str]:
        """Open ``src`` (a DOCX), update its indexes and fields, export the PDF to
        ``dst`` and return the lines of the table of contents LibreOffice made.

        Raises:
            CrmimplError: the document could not be laid out, LibreOffice stopped twice
                while laying it out, or it took longer than the timeout.
        """
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        for attempt in (1, 2):
            try:
                if not self.running:
                    self._start(deadline)
                answer = self._ask({"src": str(src), "dst": str(dst)}, deadline)
            except TimeoutError:
                self.close(quick=True)
                raise CrmimplError.single(
                    str(src), f"LibreOffice did not finish the document within {limit:.0f} s",
                    hint="LibreOffice was stopped; build again (without PDF, "
                         "CRMIMPL_NO_OFFICE=1 builds without LibreOffice)") from None
            except OfficeDied as exc:
                self.close(quick=True)
                if attempt == 2:
                    raise CrmimplError.single(
                        str(src), f"LibreOffice stopped while laying out the document: {exc}"
                    ) from None
                log.warning("LibreOffice stopped (%s); starting it again for %s", exc,
                            src.name)
                continue
            if "error" in answer:
                raise CrmimplError.single(
                    str(src), "LibreOffice failed to make a PDF: " + str(answer["error"]))
            self.documents += 1
            return [str(line) for line in answer.get("toc", [])]
        raise AssertionError("unreachable")

    def close(self, *, quick: bool = False) -> None:
        """End LibreOffice and remove the temporary profile.

        Normally LibreOffice is asked to quit (a few seconds at most); ``quick`` (an
        interrupt, a timeout) kills the whole process group at once.
        """
        proc, self._proc = self._proc, None
        folder, self._dir = self._dir, None
        self._buffer = b""
        try:
            if proc is not None:
                if not quick and proc.poll() is None:
                    with contextlib.suppress(OSError):
                        assert proc.stdin is not None
                        proc.stdin.close()  # end of input: the helper ends LibreOffice
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=10)
                end_process_group(proc)  # whatever is left of the group
                for stream in (proc.stdin, proc.stdout):
                    with contextlib.suppress(OSError):
                        if stream is not None:
                            stream.close()
        finally:
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        self.close(quick=kind is not None)

    # ---------------------------------------------------------------- helper process

    def _start(self, deadline: float) -> None:
        soffice = find_soffice()
        python = find_uno_python(soffice)
        if python is None:
            raise CrmimplError.single(soffice, "no Python with the uno module for LibreOffice",
                                      hint="install python3-uno")
        self.close(quick=True)
        folder = Path(tempfile.mkdtemp(prefix="crmimpl_office_"))
        self._dir = folder
        script = folder / "office_server.py"
        script.write_text(SERVER_SCRIPT, encoding="utf-8")
        pipe = f"crmimpl_{uuid.uuid4().hex}"
        errors = (folder / "helper.log").open("wb")
        try:
            self._proc = subprocess.Popen(
                [python, str(script), soffice, (folder / "lo_profile").as_uri(), pipe],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                start_new_session=True, env={**os.environ, "TMPDIR": str(folder)})
        finally:
            errors.close()
        self.starts += 1
        _STARTS[0] += 1
        log.debug("LibreOffice started (helper %s, profile %s)", self._proc.pid, folder)
        answer = self._read(deadline)
        if not answer.get("ready"):
            raise OfficeDied(str(answer.get("error", "no answer")))

    def _ask(self, request: dict[str, Any], deadline: float) -> dict[str, Any]:
        proc = self._proc
        assert proc is not None and proc.stdin is not None
        try:
            proc.stdin.write((json.dumps(request) + "\n").encode())
            proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise OfficeDied(self._last_words() or str(exc)) from None
        answer = self._read(deadline)
        if answer.get("dead"):
            raise OfficeDied(str(answer.get("error", "")))
        return answer

    def _read(self, deadline: float) -> dict[str, Any]:
        """The helper's next JSON answer; lines that are not one are skipped."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        fd = proc.stdout.fileno()
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                with contextlib.suppress(ValueError):
                    answer = json.loads(line)
                    if isinstance(answer, dict):
                        return answer
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                proc.wait()
                raise OfficeDied(self._last_words() or f"exit code {proc.returncode}")
            self._buffer += chunk

    def _last_words(self) -> str:
        if self._dir is None:
            return ""
        try:
            text = (self._dir / "helper.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return " / ".join(text.strip().splitlines()[-3:])


_CURRENT: list[Office] = []


def current_office() -> Office | None:
    """The office of the run, when a session is open."""
    return _CURRENT[-1] if _CURRENT else None


@contextlib.contextmanager
def office_session(timeout: float = 300) -> Iterator[Office]:
    """One office for everything inside (nests: an inner session is the outer one).

    LibreOffice starts when the first document needs it, so a run without PDF or page
    numbers never starts it. It is ended when the outermost session ends, quickly when
    an exception (Ctrl-C, SIGTERM) leaves it.
    """
    if _CURRENT:
        yield _CURRENT[-1]
        return
    office = start_session(timeout)
    try:
        yield office
    except BaseException:
        end_session(quick=True)
        raise
    end_session()


def start_session(timeout: float = 300) -> Office:
    """Open this process's office session without a ``with`` (a portfolio worker keeps
    one for every project it builds); :func:`end_session` ends it."""
    if not _CURRENT:
        _CURRENT.append(Office(timeout))
    return _CURRENT[-1]


def end_session(*, quick: bool = False) -> None:
    """End the open office session, if any: LibreOffice ends (at once when ``quick``)
    and its profile is removed."""
    while _CURRENT:
        _CURRENT.pop().close(quick=quick)
