"""The workbooks of a build written on a second core while the documents are written.

A build writes its products one after another; on a machine with two or more cores the
workbook products (:data:`SIDE_PRODUCTS`: questionnaires, training workbook, selection
workbook) are written by a forked child process meanwhile. They need no LibreOffice and
no Chromium (the documents, the audit report and the plan, which do, stay in the build's
own process: the run's one LibreOffice and the Gantt's Chromium belong to it), and they
read the same derived state, computed before the fork. The child also writes the
training plan document (:data:`SIDE_DOCUMENTS`) when no LibreOffice lays it out or the
cache holds its layouts; one to be laid out is left to the build.

What the build sees is what a serial build gives: the same files; ``written``,
``warnings``, ``reused`` and ``unchanged`` in product order; the incremental state
records the child made (:mod:`crmimpl.incremental`) merged back. When a product fails in
the child, the child stops there and the build writes that product and the ones after it
itself, so the error is raised as a serial build raises it. The child runs in its own
session (a Ctrl-C at the terminal reaches the build only); an interrupt or an error of
the build ends it, and it removes its temporary files on the way out.

``CRMIMPL_JOBS=1`` turns it off; so does a single core, a build that runs inside a worker
of a multi-project build (which already has a core per project) and a build run by a
thread other than the main one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmimpl.build import BuildContext, Product

SIDE_PRODUCTS = frozenset({"questionnaires", "training-workbook", "selection"})
# and the largest document too, which evens the two cores' work: the child writes it
# when no LibreOffice lays it out (none here, CRMIMPL_NO_OFFICE) or when its layouts
# (and PDF) are in the cache (a rebuild); a layout to be made leaves it to the build
# (the run's one LibreOffice belongs to the build's process)
SIDE_DOCUMENTS = frozenset({"training"})
JOBS_ENV = "CRMIMPL_JOBS"


def side_products(formats: tuple[str, ...]) -> frozenset[str]:
    """The products the child writes in a build of ``formats`` (any: a document whose
    layout is to be made is left to the build, see :func:`_child`)."""
    del formats
    return SIDE_PRODUCTS | SIDE_DOCUMENTS


def side_enabled() -> bool:
    """Whether this build may write its workbooks in a child process."""
    if not hasattr(os, "fork") or threading.current_thread() is not threading.main_thread():
        return False  # the child sets its signal handlers, which only a main thread may do
    jobs = os.environ.get(JOBS_ENV, "").strip()
    if jobs.isdigit():
        return int(jobs) > 1
    return (os.cpu_count() or 1) > 1 and multiprocessing.parent_process() is None


@dataclass
class Outcome:
    """What building one product added to the build's context."""

    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reused: list[Path] = field(default_factory=list)
    unchanged: bool = False


def build_one(ctx: BuildContext, product: Product, cache: Any) -> Outcome:
    """Build ``product`` as the serial build does and return what it added to ``ctx``."""
    before = (len(ctx.written), len(ctx.warnings), len(ctx.reused), len(ctx.unchanged))
    if cache is None:
        ctx.written += product.builder(ctx)
    else:
        cache.build(product)
    return Outcome(ctx.written[before[0]:], ctx.warnings[before[1]:], ctx.reused[before[2]:],
                   len(ctx.unchanged) > before[3])


class SideWorker:
    """The child process writing the side products; see the module's description."""

    def __init__(self, ctx: BuildContext, products: list[Product], cache: Any) -> None:
        self.ctx, self.products, self.cache = ctx, products, cache
        self.names = {p.name for p in products}
        self.pid = 0
        self.read = -1
        self.tmp = ""  # the child's temporary files (openpyxl's), removed once it is gone

    def start(self) -> None:
        """Fork the child. Signals wait while it forks: the child sets its own handlers
        before any can reach it (one reaching it earlier would unwind the build's own
        frames in the child), and the build knows the child's id before an interrupt
        can stop it, so that :meth:`cancel` ends it."""
        read, write = os.pipe()
        self.tmp = tempfile.mkdtemp(prefix="crmimpl-side-")
        signals = {signal.SIGINT, signal.SIGTERM}
        held = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
        try:
            pid = os.fork()
            if pid == 0:  # the child: never returns
                os.close(read)
                tempfile.tempdir = self.tmp
                _child(self.ctx, self.products, self.cache, write, held)
            self.pid, self.read = pid, read
            os.close(write)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def result(self) -> tuple[dict[str, Outcome], list[Product]]:
        """Wait for the child: the outcome of each product it built, and the products
        it did not build (the one that failed and those after it), which the build
        then writes itself."""
        chunks = []
        with os.fdopen(self.read, "rb") as pipe:
            self.read = -1
            while chunk := pipe.read(1 << 16):
                chunks.append(chunk)
        self._reap(wait=None)
        try:
            outcomes, records = pickle.loads(b"".join(chunks))
        except Exception:  # the child died (killed, out of memory): build them here
            return {}, list(self.products)
        if self.cache is not None:
            state = self.cache.state
            for slot, record in records.items():
                if record is None:
                    state.records.pop(slot, None)
                else:
                    state.records[slot] = record
                state.changed = True
        left = [p for p in self.products if p.name not in outcomes]
        return outcomes, left

    def cancel(self) -> None:
        """End the child (an interrupt or an error of the build); idempotent."""
        if self.read != -1:
            with contextlib.suppress(OSError):
                os.close(self.read)
            self.read = -1
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
        self._reap(wait=5)

    def _reap(self, wait: float | None) -> None:
        try:
            self._wait(wait)
        finally:
            if self.tmp:  # what a killed child left half written
                shutil.rmtree(self.tmp, ignore_errors=True)
                self.tmp = ""

    def _wait(self, wait: float | None) -> None:
        if not self.pid:
            return
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            try:
                done, _ = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
            except ChildProcessError:
                break
            if done:
                break
            if deadline is not None and time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                deadline = None
                continue
            time.sleep(0.02)
        self.pid = 0


def _child(ctx: BuildContext, products: list[Product], cache: Any, write: int,
           mask: Any) -> None:
    """Build ``products`` in order until one fails; send the outcomes and the state
    records they changed; exit without running any of the parent's clean-up. Started
    with SIGINT and SIGTERM held; ``mask`` is the signal mask to go back to."""
    code = 1
    try:
        os.setsid()  # a Ctrl-C at the terminal reaches the build, which ends this child

        def stop(signum: int, frame: object) -> None:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            raise KeyboardInterrupt

        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, stop)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        before = dict(cache.state.records) if cache is not None else {}
        outcomes: dict[str, Outcome] = {}
        from crmimpl.render.pdf import LayoutNeeded, refuse_new_layouts

        refuse_new_layouts()
        for product in products:
            try:
                outcomes[product.name] = build_one(ctx, product, cache)
            except LayoutNeeded:  # not laid out before: the build writes it itself
                continue
            except Exception:  # the build writes it again itself and reports the error
                break
        records: dict[str, Any] = {}
        if cache is not None:
            after = cache.state.records
            records = {slot: rec for slot, rec in after.items() if before.get(slot) is not rec}
            records.update({slot: None for slot in before if slot not in after})
        data = pickle.dumps((outcomes, records))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        code = 1
    finally:
        os._exit(code)
