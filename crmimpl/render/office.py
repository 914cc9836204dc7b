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

Documents are laid out beside the build (:meth:`Session.submit`): each office is driven
by a thread of its own, so Python goes on writing the next products while LibreOffice
works. A session has up to ``helpers`` offices, each with its own profile: the second
starts only when a document waits while the first is busy (a cold build on a machine of
two cores or more), so a build whose layouts all come from the cache starts none.
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
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Self

from crmimpl.errors import CrmimplError
from crmimpl.render.processes import end_process_group, find_soffice, find_uno_python

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


def export(doc, dst, whole):
    # Without a PDF to keep (whole false) only the first page is written: the export
    # still lays out the whole document as the full export does (same page numbers),
    # without writing every page, its fonts and images (a quarter of the CPU).
    options = (prop("FilterName", "writer_pdf_Export"),)
    if not whole:
        first = uno.Any("[]com.sun.star.beans.PropertyValue", (prop("PageRange", "1"),))
        options += (prop("FilterData", first),)
    doc.storeToURL(uno.systemPathToFileUrl(dst), options)


def update_and_export(doc, dst, whole=True):
    # The layout LibreOffice exports can differ from the one it had when it filled the
    # TOC (a heading kept with the next block moves to the next page), and filling the
    # TOC moves pages too. So: fill the TOC, export, fill it again from the exported
    # layout, and export again until the TOC no longer changes (at most four times).
    update_indexes(doc)
    for _ in range(4):
        before = toc_lines(doc)
        export(doc, dst, whole)
        update_indexes(doc)
        if toc_lines(doc) == before:
            return before
    export(doc, dst, whole)
    return toc_lines(doc)


def toc_lines(doc):
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if index.supportsService("com.sun.star.text.ContentIndex"):
            return index.getAnchor().getString().splitlines()
    return []


def lay_out(desktop, src, dst, whole=True):
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        raise RuntimeError("LibreOffice could not open " + src)
    try:
        return update_and_export(doc, dst, whole)
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
                lines = lay_out(desktop, request["src"], request["dst"],
                                request.get("whole", True))
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
        # start and close may come from two threads (a layout thread starting the
        # office, the session ending it on Ctrl-C): never a LibreOffice after stop()
        self._lock = threading.Lock()
        self._stopped = False

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

    def lay_out(self, src: Path, dst: Path, timeout: float | None = None, *,
                whole: bool = True) -> list[str]:
        """Open ``src`` (a DOCX), update its indexes and fields, export the PDF to
        ``dst`` and return the lines of the table of contents LibreOffice made.
        Without ``whole`` the PDF has only the first page (laid out as in the whole
        export): for a build that only needs the page numbers.

        Raises:
            CrmimplError: the document could not be laid out, LibreOffice stopped twice
                while laying it out, or it took longer than the timeout.
        """
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        for attempt in (1, 2):
            if self._stopped:
                raise CrmimplError.single(str(src), "LibreOffice was stopped")
            try:
                if not self.running:
                    self._start(deadline)
                answer = self._ask({"src": str(src), "dst": str(dst), "whole": whole},
                                   deadline)
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

    def ask_to_quit(self) -> None:
        """Close the helper's input: it ends LibreOffice (:meth:`close` then waits), so
        several offices quit at the same time."""
        proc = self._proc
        if proc is not None and proc.stdin is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()

    def stop(self) -> None:
        """End LibreOffice at once and for good: a document being laid out fails and no
        later one starts it again (the session is ending)."""
        with self._lock:
            self._stopped = True
        self.close(quick=True)

    def close(self, *, quick: bool = False, grace: float = 10) -> None:
        """End LibreOffice and remove the temporary profile.

        Normally LibreOffice is asked to quit and given ``grace`` seconds before its
        process group is killed; ``quick`` (an interrupt, a timeout) kills the whole
        process group at once.
        """
        with self._lock:
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
                        proc.wait(timeout=grace)
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
        with self._lock:
            if self._stopped:
                raise OfficeDied("stopped")
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


HELPERS_ENV = "CRMIMPL_OFFICE_HELPERS"


def default_helpers() -> int:
    """How many offices a build may run at once: ``CRMIMPL_OFFICE_HELPERS``, else one
    per core, at most two (a third LibreOffice only takes memory from the build)."""
    given = os.environ.get(HELPERS_ENV, "").strip()
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, min(2, os.cpu_count() or 1))


class Session:
    """The offices of one run and the threads that drive them.

    ``submit`` queues a document; a thread per office takes the next one, so up to
    ``helpers`` documents are laid out at once while the caller goes on. The first office
    is :attr:`primary` (what :func:`office_session` yields); another is started only when
    a document waits while every office is busy. ``scratch`` is a temporary folder for
    the documents being laid out, removed with the session. ``provisional`` (set by
    ``build --watch``) asks the writers to give a rewritten DOCX the page numbers of its
    last layout at once and to leave its layout to finish after the build
    (:mod:`crmimpl.render.pdf`). ``pages_only`` (a portfolio worker's session) has a
    document laid out for its page numbers export only its first page to PDF, so no PDF
    of it is kept in the layout cache for a later PDF build (a quarter less CPU).
    """

    def __init__(self, timeout: float = 300, helpers: int | None = None, *,
                 pages_only: bool = False) -> None:
        self.timeout = timeout
        self.pages_only = pages_only
        self.helpers = helpers or default_helpers()
        self.primary = Office(timeout)
        self.offices: list[Office] = []
        self.provisional = False
        self.detached: list[Any] = []  # layouts the build left to finish (watch)
        self._threads: list[threading.Thread] = []
        self._queue: list[tuple[Future[list[str]], Path, Path,
                                Callable[[list[str]], None] | None, bool]] = []
        self._cond = threading.Condition()
        self._idle = 0
        self._closed = False
        self._scratch: Path | None = None

    @property
    def scratch(self) -> Path:
        """The session's temporary folder (made on first use)."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="crmimpl_layout_"))
        return self._scratch

    def submit(self, src: Path, dst: Path,
               done: Callable[[list[str]], None] | None = None, *,
               whole: bool = True) -> Future[list[str]]:
        """Lay ``src`` out beside the caller, exporting the PDF to ``dst`` (only its
        first page without ``whole``); the future holds the lines of its table of
        contents (:meth:`Office.lay_out`). ``done`` is called with them in the layout
        thread (to keep the result in a cache)."""
        future: Future[list[str]] = Future()
        with self._cond:
            if self._closed:
                raise CrmimplError.single(str(src), "LibreOffice was stopped")
            self._queue.append((future, src, dst, done, whole))
            if len(self._threads) < self.helpers and len(self._queue) > self._idle:
                office = self.primary if not self._threads else Office(self.timeout)
                self.offices.append(office)
                thread = threading.Thread(target=self._work, args=(office,),
                                          name=f"crmimpl-office-{len(self._threads) + 1}",
                                          daemon=True)
                self._threads.append(thread)
                thread.start()
            self._cond.notify()
        return future

    def lay_out(self, src: Path, dst: Path) -> list[str]:
        """Lay ``src`` out and wait for it (see :meth:`submit`)."""
        return self.submit(src, dst).result()

    def _work(self, office: Office) -> None:
        while True:
            with self._cond:
                self._idle += 1
                while not self._queue and not self._closed:
                    self._cond.wait()
                self._idle -= 1
                if not self._queue:
                    return  # closed, nothing left
                future, src, dst, done, whole = self._queue.pop(0)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                lines = office.lay_out(src, dst, whole=whole)
                if done is not None:
                    with contextlib.suppress(Exception):
                        done(lines)
            except BaseException as exc:  # the session is ending, or the document failed
                future.set_exception(exc)
            else:
                future.set_result(lines)

    def close(self, *, quick: bool = False) -> None:
        """End every office and the threads, remove the scratch folder. Documents not
        yet started are cancelled; ``quick`` (an interrupt) also ends the ones being
        laid out at once, else they are finished first."""
        with self._cond:
            self._closed = True
            queued, self._queue = self._queue, []
            self._cond.notify_all()
        for future, *_ in queued:
            future.cancel()
        offices = [self.primary, *(o for o in self.offices if o is not self.primary)]
        try:
            if quick:
                for office in offices:
                    office.stop()
            for thread in self._threads:
                thread.join(timeout=None if not quick else 15)
            for office in offices:  # ask every LibreOffice to quit, then wait for them
                if office.running and not quick:
                    office.ask_to_quit()
            for office in offices:
                # every document is done and the profile goes: no need to wait for
                # LibreOffice's own shutdown (about a second) before ending it
                office.close(quick=quick, grace=0.1)
        except BaseException:  # interrupted while waiting: end them at once
            for office in offices:
                office.stop()
            raise
        finally:
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)
                self._scratch = None


_CURRENT: list[Session] = []


def current_session() -> Session | None:
    """The office session of the run, when one is open."""
    return _CURRENT[-1] if _CURRENT else None


def current_office() -> Office | None:
    """The office of the run, when a session is open."""
    return _CURRENT[-1].primary if _CURRENT else None


@contextlib.contextmanager
def office_session(timeout: float = 300, helpers: int | None = None) -> Iterator[Office]:
    """One office (or a few, see :class:`Session`) for everything inside (nests: an inner
    session is the outer one).

    LibreOffice starts when the first document needs it, so a run without PDF or page
    numbers never starts it. It is ended when the outermost session ends, quickly when
    an exception (Ctrl-C, SIGTERM) leaves it.
    """
    if _CURRENT:
        yield _CURRENT[-1].primary
        return
    office = start_session(timeout, helpers)
    try:
        yield office
    except BaseException:
        end_session(quick=True)
        raise
    end_session()


def start_session(timeout: float = 300, helpers: int | None = 1, *,
                  pages_only: bool = False) -> Office:
    """Open this process's office session without a ``with`` (a portfolio worker keeps
    one for every project it builds, one office: the other workers have the other
    cores); :func:`end_session` ends it. ``pages_only``: see :class:`Session`."""
    if not _CURRENT:
        _CURRENT.append(Session(timeout, helpers, pages_only=pages_only))
    return _CURRENT[-1].primary


def end_session(*, quick: bool = False) -> None:
    """End the open office session, if any: LibreOffice ends (at once when ``quick``)
    and its profile is removed."""
    while _CURRENT:
        _CURRENT.pop().close(quick=quick)
