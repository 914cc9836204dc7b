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

Laying a document out takes LibreOffice about a second, so a build does it beside the
rest (:func:`start_laid_out`) and only once per document: the lines of the table of
contents and the PDF are kept in a cache (:class:`LayoutCache`, in
:func:`crmimpl.resources.cache_dir`), keyed by the content of the DOCX written before the
layout and by the installed LibreOffice and fonts. A document that comes out the same
is never laid out again, in any output folder or run. The DOCX with its page numbers is
the first one with the numbers put into its table of contents (:func:`set_toc_pages`),
not a second rendering.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import Future
from functools import cache
from pathlib import Path
from typing import Any

from crmimpl.errors import CrmimplError
from crmimpl.render.blocks import Block, DocMeta
from crmimpl.render.processes import (
    end_process_group,
    find_soffice,
    find_uno_python,
    office_available,
)
from crmimpl.store import atomic_write_with

log = logging.getLogger(__name__)

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
    from crmimpl.render.office import current_session, office_session

    with tempfile.TemporaryDirectory(prefix="crmimpl_pdf_") as tmp:
        produced = Path(tmp) / (src.stem + ".pdf")
        with office_session(timeout):
            session = current_session()
            assert session is not None
            lines = session.lay_out(src, produced)
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
    written, its TOC without page numbers. Waits for the layout (a build starts it with
    :func:`start_laid_out` and goes on).

    Raises:
        CrmimplError: As :func:`refresh_docx` (a PDF was asked for) and
            :func:`~crmimpl.render.docx.write_docx`.
    """
    from crmimpl.render.office import office_session

    with office_session():
        written, job = start_laid_out(blocks, meta=meta, docx_path=docx_path,
                                      pdf_path=pdf_path, reference=reference)
        if job is not None:
            written += job.result()
    return written


class LayoutNeeded(Exception):
    """A document whose layout is not in the cache, in a process that may not lay one
    out (:func:`refuse_new_layouts`)."""


_REFUSE: list[bool] = []


def refuse_new_layouts() -> None:
    """From now on, in this process (the build's forked child, which has no LibreOffice
    of its own), :func:`start_laid_out` writes a document only when the cache holds its
    layout, and raises :class:`LayoutNeeded` otherwise."""
    _REFUSE.append(True)


def start_laid_out(
    blocks: list[Block], *, meta: DocMeta, docx_path: Path | None = None,
    pdf_path: Path | None = None, reference: Path | str | None = None,
) -> tuple[list[Path], LayoutJob | None]:
    """Write the DOCX of ``blocks`` now and have it laid out beside the caller.

    Returns the files written now and the layout still to come (``None`` when there is
    none: no LibreOffice, or the cache held the layout, whose page numbers and PDF are
    then written at once). Without an open office session the layout is done before
    this returns. The DOCX written now has no page numbers in its table of contents, or,
    in a session that asks for them (``build --watch``), those of its last layout; the
    job puts the right ones in when they differ (:meth:`LayoutJob.result`).

    Raises:
        CrmimplError: As :func:`write_laid_out`.
    """
    from crmimpl.render.docx import toc_entries, write_docx
    from crmimpl.render.office import current_session

    if pdf_path is not None:
        soffice = find_soffice()
    elif not office_available():
        if docx_path is None:
            return [], None
        return [write_docx(blocks, docx_path, meta=meta, reference=reference)], None
    else:
        soffice = find_soffice()
    session = current_session()
    if _REFUSE and (session is None or (pdf_path is not None
                                        and find_uno_python(soffice) is None)):
        raise LayoutNeeded(str(docx_path or pdf_path))  # LibreOffice would run here
    if session is None:
        return write_laid_out(blocks, meta=meta, docx_path=docx_path, pdf_path=pdf_path,
                              reference=reference), None
    if find_uno_python(soffice) is None:  # no TOC update: a plain conversion
        plain: list[Path] = []
        target = docx_path or session.scratch / (Path(pdf_path or "doc").stem + ".docx")
        first = write_docx(blocks, target, meta=meta, reference=reference)
        if docx_path is not None:
            plain.append(first)
        if pdf_path is not None:
            refresh_docx(first, pdf_path)
            plain.append(Path(pdf_path))
        return plain, None
    store = LayoutCache.open()
    source = None
    if store is not None and docx_path is not None and pdf_path is None:
        # the laid-out DOCX of these very blocks, kept by an earlier build
        source = source_key(blocks, meta, reference)
        if store.copy_docx(source, docx_path):
            return [docx_path], None
    name = (docx_path or pdf_path or Path("doc")).stem
    work = Path(tempfile.mkdtemp(prefix=f"{name}_", dir=session.scratch))
    pre = write_docx(blocks, work / f"{name}.docx", meta=meta, reference=reference)
    entries = toc_entries(blocks)
    key = layout_key(pre)
    hit = store.get(key, want_pdf=pdf_path is not None) if store else None
    if hit is None and _REFUSE:
        shutil.rmtree(work, ignore_errors=True)
        raise LayoutNeeded(str(docx_path or pdf_path))
    written: list[Path] = []
    if hit is not None:
        lines, cached_pdf = hit
        if docx_path is not None:
            written.append(_final_docx(pre, docx_path, _checked_pages(entries, lines,
                                                                       docx_path)))
            if source is not None and store is not None:
                store.keep_docx(source, docx_path)
        if pdf_path is not None and cached_pdf is not None:
            written.append(atomic_write_with(
                pdf_path, lambda out: shutil.copyfile(cached_pdf, out)))
        shutil.rmtree(work, ignore_errors=True)
        return written, None
    guess: list[str] | None = None
    if docx_path is not None:
        for stale in session.detached:  # an earlier round's layout of it, not started
            if stale.docx_path == docx_path:
                stale.cancel()
        if session.provisional:
            guess = guess_pages(entries, read_toc(docx_path))
        written.append(_final_docx(pre, docx_path, guess))
    produced = work / f"{name}.pdf"
    # a portfolio worker's session without a PDF to write has LibreOffice export the
    # first page only (the page numbers are those of the whole export); that PDF is
    # never kept
    whole = pdf_path is not None or not session.pages_only

    def keep(lines: list[str]) -> None:  # in the layout thread: the cache has it at once
        if store is not None:
            store.put(key, lines, produced if whole else None)

    job = LayoutJob(session.submit(pre, produced, keep, whole=whole), work, pre, produced,
                    entries, docx_path, pdf_path, guess)
    job.later = session.provisional and pdf_path is None
    return written, job


class LayoutJob:
    """A document being laid out beside the build (:func:`start_laid_out`).

    ``result()`` waits for the layout, then writes the PDF and, when its page numbers
    differ from those the DOCX was written with, the DOCX again; it returns the files it
    wrote (``rewritten`` says whether the DOCX was one). ``targets`` are the files the job
    stands for, for the incremental build state. ``after`` are called once the files are
    final. A ``later`` job (``build --watch``) is not waited for by the build: the
    watcher finishes it when LibreOffice is done (:meth:`finish_later`).
    """

    def __init__(self, future: Future[list[str]], work: Path, pre: Path, produced: Path,
                 entries: list[str], docx_path: Path | None, pdf_path: Path | None,
                 guess: list[str] | None) -> None:
        self.future = future
        self.work, self.pre, self.produced = work, pre, produced
        self.entries = entries
        self.docx_path, self.pdf_path = docx_path, pdf_path
        self.guess = guess
        self.targets: list[tuple[Path, str]] = [
            (p, p.suffix.lstrip(".")) for p in (docx_path, pdf_path) if p is not None]
        self.after: list[Callable[[], None]] = []
        self.later = False
        self.rewritten = False
        self.failure = "the layout of a document failed"
        # the DOCX as written now: a later round that rewrote it supersedes this job
        self.first = _digest(docx_path) if docx_path is not None else None

    def done(self) -> bool:
        """Whether LibreOffice has finished (or failed)."""
        return self.future.done()

    def result(self) -> list[Path]:
        """Wait for the layout and write its files (see the class).

        Raises:
            CrmimplError: LibreOffice failed on the document.
        """
        try:
            lines = self.future.result()
            written: list[Path] = []
            if self.docx_path is not None:
                pages = _checked_pages(self.entries, lines, self.docx_path)
                if pages != self.guess:
                    _final_docx(self.pre, self.docx_path, pages)
                    self.rewritten = True
            if self.pdf_path is not None:
                if not self.produced.is_file():
                    raise CrmimplError.single(str(self.pdf_path), "LibreOffice produced no PDF")
                produced = self.produced
                written.append(atomic_write_with(
                    self.pdf_path, lambda out: shutil.copyfile(produced, out)))
            for call in self.after:
                call()
            return written
        finally:
            self.after = []
            shutil.rmtree(self.work, ignore_errors=True)

    def finish_later(self) -> tuple[Path, str | None, str | None] | None:
        """For a ``later`` job that is done: put the layout's page numbers into the DOCX
        when they differ and it is still the one this job wrote. Returns the DOCX with
        its content hash before and after when it was rewritten, else ``None``.

        Raises:
            CrmimplError: LibreOffice failed on the document.
        """
        if self.docx_path is None or self.future.cancelled() \
                or _digest(self.docx_path) != self.first:
            self.after = []
            self.cancel()
            shutil.rmtree(self.work, ignore_errors=True)
            return None  # written again since (or removed): this layout is stale
        self.result()
        if not self.rewritten:
            return None
        return self.docx_path, self.first, _digest(self.docx_path)

    def detach(self) -> None:
        """Leave the job to finish after the build, in the session's ``detached`` list:
        the files are recorded as they are now (the watcher records the DOCX again if
        the layout rewrites it)."""
        from crmimpl.render.office import current_session

        for call in self.after:
            call()
        self.after = []
        session = current_session()
        if session is not None and self not in session.detached:
            session.detached.append(self)

    def cancel(self) -> None:
        """Drop the layout if LibreOffice has not started it."""
        self.future.cancel()


def _digest(path: Path) -> str | None:
    from crmimpl.incremental import file_digest

    return file_digest(path)


def _checked_pages(entries: list[str], lines: list[str] | None, docx_path: Path
                   ) -> list[str] | None:
    pages = toc_pages(entries, lines)
    if pages is None and lines is not None and entries:
        log.warning("%s: the table of contents LibreOffice made does not match the "
                    "document's headings; its page numbers are left out", docx_path.name)
    return pages


def _final_docx(pre: Path, docx_path: Path, pages: list[str] | None) -> Path:
    """``docx_path`` as ``pre`` with ``pages`` in its table of contents (a copy when
    there are none)."""
    if pages:
        return set_toc_pages(pre, docx_path, pages)
    return atomic_write_with(docx_path, lambda out: shutil.copyfile(pre, out))


# ------------------------------------------------------------------ the TOC in the DOCX

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCUMENT = "word/document.xml"


def _toc_links(root: Any) -> list[Any]:
    """The hyperlinks of the table of contents :func:`crmimpl.render.docx.write_docx`
    writes (anchored at its ``_Toc`` bookmarks), in order."""
    return [link for link in root.iter(f"{{{_W}}}hyperlink")
            if (link.get(f"{{{_W}}}anchor") or "").startswith("_Toc")]


def set_toc_pages(src: Path, dst: Path, pages: list[str]) -> Path:
    """Write ``dst`` as the DOCX ``src`` with ``pages`` as the page numbers of its table
    of contents (one per entry; the same document :func:`~crmimpl.render.docx.write_docx`
    writes when given them), every other part copied as it is."""
    from lxml import etree

    with zipfile.ZipFile(src) as zin:
        root = etree.fromstring(zin.read(_DOCUMENT))
        for link, page in zip(_toc_links(root), pages, strict=False):
            run = link.find(f"{{{_W}}}r")
            if run is None:
                continue
            tabs = run.findall(f"{{{_W}}}tab")
            if not tabs:
                continue
            for extra in list(tabs[-1].itersiblings()):  # the page of an earlier layout
                run.remove(extra)
            if page:
                text = etree.SubElement(run, f"{{{_W}}}t")
                text.text = page
        body = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                              standalone=True)

        def write(out: Path) -> None:
            with zipfile.ZipFile(out, "w") as zout:
                for info in zin.infolist():
                    data = body if info.filename == _DOCUMENT else zin.read(info.filename)
                    zout.writestr(info, data, compress_type=info.compress_type)

        return atomic_write_with(dst, write)


def read_toc(path: Path) -> list[tuple[str, str]] | None:
    """The entries of the table of contents of a DOCX this tool wrote, each with its
    page number (empty when it has none); ``None`` when there is no such file."""
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as z:
            root = etree.fromstring(z.read(_DOCUMENT))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    found = []
    for link in _toc_links(root):
        text: list[str] = []
        page: list[str] = []
        after_tab = False
        for child in link.iter(f"{{{_W}}}t", f"{{{_W}}}tab"):
            if child.tag == f"{{{_W}}}tab":
                after_tab = True
            else:
                (page if after_tab else text).append(child.text or "")
        found.append(("".join(text), "".join(page)))
    return found


def guess_pages(entries: list[str], before: list[tuple[str, str]] | None
                ) -> list[str] | None:
    """The page numbers of ``entries`` as the last layout of the document had them
    (``before``, :func:`read_toc`): the same entry keeps its page, a new one takes the
    page of the entry above it. ``None`` when there was no layout."""
    if not before or not all(page.isdigit() for _, page in before):
        return None
    if [text for text, _ in before] == entries:
        return [page for _, page in before]
    known = dict(before)
    pages: list[str] = []
    for entry in entries:
        pages.append(known.get(entry) or (pages[-1] if pages else before[0][1]))
    return pages


# ------------------------------------------------------------------ the layout cache

LAYOUT_FORMAT = 1


def docx_digest(path: Path) -> str:
    """The content hash of a DOCX: its parts' names and bytes (a ZIP's own time stamps,
    which change from one writing to the next, left out)."""
    h = hashlib.blake2b(digest_size=20)
    with zipfile.ZipFile(path) as z:
        for info in sorted(z.infolist(), key=lambda i: i.filename):
            h.update(info.filename.encode() + b"\0")
            h.update(hashlib.blake2b(z.read(info.filename), digest_size=20).digest())
    return h.hexdigest()


@cache
def office_identity() -> str:
    """What besides the DOCX decides its layout: the installed LibreOffice (its version
    file and program, by size and time) and the installed fonts (fontconfig's caches)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice") or ""
    program = Path(soffice).resolve().parent if soffice else Path()
    parts: list[Any] = [LAYOUT_FORMAT, str(program)]
    for name in ("versionrc", "soffice.bin", "libmergedlo.so", "libswlo.so"):
        with contextlib.suppress(OSError):
            st = (program / name).stat()
            parts.append([name, st.st_size, st.st_mtime_ns])
    with contextlib.suppress(OSError):
        parts.append((program / "versionrc").read_text(errors="replace"))
    for fonts in ("/var/cache/fontconfig", os.path.expanduser("~/.cache/fontconfig"),
                  "/etc/fonts/conf.d"):
        with contextlib.suppress(OSError):
            parts.append([fonts, os.stat(fonts).st_mtime_ns])
    return hashlib.blake2b(json.dumps(parts).encode(), digest_size=20).hexdigest()


def layout_key(docx: Path) -> str:
    """The cache key of the layout of ``docx`` (:class:`LayoutCache`)."""
    return hashlib.blake2b(f"{office_identity()}:{docx_digest(docx)}".encode(),
                           digest_size=20).hexdigest()


def source_key(blocks: list[Block], meta: DocMeta, reference: Path | str | None) -> str:
    """The key of the laid-out DOCX of ``blocks`` (:meth:`LayoutCache.copy_docx`): the
    blocks and metadata, the reference document's content, the tool (its code and
    templates), python-docx's version and what decides the layout
    (:func:`office_identity`). The same key gives the same DOCX bytes: the DOCX before
    layout is a function of the first four, its layout of that DOCX and the last."""
    from importlib.metadata import version

    from crmimpl.incremental import file_digest, tool_digest

    h = hashlib.blake2b(b"crmimpl-laid-out-docx-1", digest_size=20)
    for part in (office_identity(), tool_digest(), version("python-docx"),
                 None if reference is None else file_digest(Path(reference)),
                 repr(meta), repr(blocks)):
        h.update(b"\0" + str(part).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class LayoutCache:
    """Layouts already made: per key (:func:`layout_key`) the lines of the table of
    contents LibreOffice made (``<key>.json``) and the PDF it exported (``<key>.pdf``).

    Kept in ``<cache_dir>/layout``; writes are atomic, so portfolio workers share it.
    The oldest entries go when it holds more than :attr:`LIMIT` bytes.
    """

    LIMIT = 256 * 1024 * 1024

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls) -> LayoutCache | None:
        """The cache, or ``None`` when caching is off (``CRMIMPL_CACHE_DIR=``)."""
        from crmimpl.resources import cache_dir

        base = cache_dir()
        if base is None:
            return None
        folder = base / "layout"
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return None
        return cls(folder)

    def get(self, key: str, *, want_pdf: bool) -> tuple[list[str], Path | None] | None:
        """The TOC lines and the PDF of ``key``; ``None`` when not kept (or the PDF is
        wanted and not kept)."""
        entry, pdf = self.folder / f"{key}.json", self.folder / f"{key}.pdf"
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            lines = [str(line) for line in data["toc"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if want_pdf and not pdf.is_file():
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used: pruned last
        return lines, (pdf if pdf.is_file() else None)

    def put(self, key: str, lines: list[str], pdf: Path | None) -> None:
        """Keep a layout (the PDF first, so an entry never lacks the PDF it names)."""
        try:
            if pdf is not None and pdf.is_file():
                self._atomic(self.folder / f"{key}.pdf",
                             lambda out: shutil.copyfile(pdf, out))
            text = json.dumps({"toc": lines}, ensure_ascii=False)
            self._atomic(self.folder / f"{key}.json",
                         lambda out: out.write_text(text, encoding="utf-8"))
            self.prune()
        except OSError as exc:
            log.debug("layout cache not written: %s", exc)

    def copy_docx(self, source: str, target: Path) -> bool:
        """Write ``target`` from the laid-out DOCX kept for ``source``
        (:func:`source_key`); False when none is kept."""
        entry = self.folder / f"{source}.docx"
        if not entry.is_file():
            return False
        try:
            atomic_write_with(target, lambda out: shutil.copyfile(entry, out))
        except CrmimplError:
            return False
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used
        return True

    def keep_docx(self, source: str, docx: Path) -> None:
        """Keep the laid-out DOCX of ``source`` (:func:`source_key`)."""
        try:
            self._atomic(self.folder / f"{source}.docx",
                         lambda out: shutil.copyfile(docx, out))
        except OSError as exc:
            log.debug("laid-out DOCX not kept: %s", exc)

    def _atomic(self, path: Path, write: Callable[[Path], object]) -> None:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=self.folder)
        os.close(fd)
        try:
            write(Path(name))
            os.replace(name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise

    def prune(self) -> None:
        """Remove the least recently used layouts beyond :attr:`LIMIT` bytes."""
        entries: dict[str, list[Any]] = {}
        total = 0
        with os.scandir(self.folder) as it:
            for item in it:
                if item.name.startswith("."):
                    continue
                st = item.stat()
                total += st.st_size
                stem = item.name.rsplit(".", 1)[0]
                slot = entries.setdefault(stem, [0.0, 0, []])
                if item.name.endswith((".json", ".docx")):  # a laid-out DOCX: its own
                    slot[0] = st.st_mtime
                slot[1] += st.st_size
                slot[2].append(item.path)
        if total <= self.LIMIT:
            return
        for _, size, paths in sorted(entries.values(), key=lambda e: e[0]):
            for path in paths:
                with contextlib.suppress(OSError):
                    os.unlink(path)
            total -= size
            if total <= self.LIMIT * 0.8:
                break


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
