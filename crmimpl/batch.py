"""Build many projects at once: a portfolio on every core.

``crmimpl build A B C`` (or a folder holding project folders) builds each project in its
own worker process, as many at a time as the machine has cores. One failing project is
reported and does not stop the others; the command exits 1 at the end, naming it.

Each worker runs exactly the single-project build (:func:`crmimpl.build.build`), so a
project gives the same files alone or in a batch.
"""

from __future__ import annotations

import multiprocessing.util
import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from crmimpl.errors import CrmimplError, UsageError

if TYPE_CHECKING:
    from crmimpl.build import BuildOptions

PROJECT_FILE = "project.yaml"
SKIP_DIRS = {"out", ".crmimpl", ".git", "node_modules", "__pycache__"}


@dataclass
class Outcome:
    """What building one project gave."""

    path: Path
    project_id: str = ""
    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the project was built."""
        return not self.error


def find_projects(paths: list[Path]) -> list[Path]:
    """The project files named by ``paths``: a project.yaml, a project folder, or a folder
    of project folders (searched below, skipping ``out/`` and hidden folders).

    Raises:
        UsageError: a path that does not exist or holds no project.
    """
    found: list[Path] = []
    for given in paths:
        if given.is_file():
            found.append(given)
        elif (given / PROJECT_FILE).is_file():
            found.append(given / PROJECT_FILE)
        elif given.is_dir():
            below = sorted(_walk(given))
            if not below:
                raise UsageError.single(str(given), "no project.yaml in this folder or below",
                                        hint="name a project folder or its project.yaml")
            found += below
        else:
            raise UsageError.single(str(given), "does not exist")
    unique: dict[Path, Path] = {}
    for f in found:
        unique.setdefault(f.resolve(), f)
    return list(unique.values())


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        if PROJECT_FILE in files:
            yield Path(root) / PROJECT_FILE
            dirs[:] = []  # a project's own folders hold no other projects


def build_one(path: Path, options: BuildOptions, langs: tuple[str, ...] | None) -> Outcome:
    """Build one project in this process; every user error becomes the outcome's error."""
    from crmimpl.build import build as run_build
    from crmimpl.model.project import load_project

    started = time.perf_counter()
    outcome = Outcome(path)
    _BUSY[0] = True
    try:
        project = load_project(path)
        outcome.project_id = project.project.id
        opts = replace(options, langs=langs or (project.project.language,),
                       out=options.out / project.project.id if options.out != Path()
                       else project.folder / "out")
        ctx = run_build(project, opts)
        outcome.written, outcome.warnings = ctx.written, ctx.warnings
    except CrmimplError as exc:
        outcome.error = exc.render()
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        outcome.error = f"{where}{exc.strerror or exc}"
    except KeyboardInterrupt:  # the batch was stopped: this build cleaned up on its way out
        _end_sessions()  # the batch is stopping: no office or browser left behind
        outcome.error = "interrupted"
    finally:
        _BUSY[0] = False
    outcome.seconds = time.perf_counter() - started
    return outcome


_BUSY = [False]


def _worker_init() -> None:
    """Signals in a worker: Ctrl-C is the parent's to handle (it stops the workers);
    SIGTERM from the parent ends a running build like Ctrl-C (its ``finally`` blocks end
    LibreOffice and Chromium and remove temporary files) and an idle worker at once.

    The worker keeps one LibreOffice and one Chromium (a drawing server) for every
    project it builds (an office and a drawing session, ended when the pool ends the
    worker or the worker is stopped); each starts when a project first needs it."""
    from crmimpl.render.gantt_static import end_drawing_session, start_drawing_session
    from crmimpl.render.office import end_session, start_session

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminate)
    # a document laid out only for its page numbers exports its first page, not a PDF
    # kept for a later PDF build (a portfolio is rebuilt, rarely printed)
    start_session(pages_only=True)
    start_drawing_session()
    # run when the pool ends the worker (atexit handlers do not run in a pool's worker)
    multiprocessing.util.Finalize(None, end_session, exitpriority=10)
    multiprocessing.util.Finalize(None, end_drawing_session, exitpriority=10)


def _end_sessions() -> None:
    """End this process's LibreOffice and Chromium at once."""
    from crmimpl.render.gantt_static import end_drawing_session
    from crmimpl.render.office import end_session

    end_session(quick=True)
    end_drawing_session(quick=True)


def _worker_terminate(signum: int, frame: object) -> None:
    if _BUSY[0]:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _end_sessions()
    os._exit(128 + signum)


def build_many(paths: list[Path], options: BuildOptions, langs: tuple[str, ...] | None,
               report: Callable[[Outcome, int, int], None], workers: int | None = None
               ) -> list[Outcome]:
    """Build every project on a process pool; ``report`` hears of each as it ends.

    ``options.out`` is ``Path()`` for "each project's own out/", else the folder under
    which each project gets ``<project id>/``. Ctrl-C cancels what has not started; the
    workers' own cleanup ends their LibreOffice and Chromium children.
    """
    workers = max(1, min(workers or os.cpu_count() or 1, len(paths)))
    outcomes: list[Outcome] = []
    if workers == 1:
        from crmimpl.render.gantt_static import drawing_session
        from crmimpl.render.office import office_session

        # one LibreOffice and one Chromium for every project
        with office_session(), drawing_session():
            for path in paths:
                outcomes.append(build_one(path, options, langs))
                report(outcomes[-1], len(outcomes), len(paths))
        return outcomes
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
        of: dict[Future[Outcome], Path] = {pool.submit(build_one, p, options, langs): p
                                           for p in paths}
        pending = set(of)
        try:
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    outcomes.append(_result(future, of[future]))
                    report(outcomes[-1], len(outcomes), len(paths))
        except KeyboardInterrupt:
            for future in pending:
                future.cancel()
            # the executor keeps its processes private; ending them is the point here
            for process in list(getattr(pool, "_processes", {}).values()):
                if process.is_alive() and process.pid:
                    os.kill(process.pid, signal.SIGTERM)
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    order = {p: n for n, p in enumerate(paths)}
    return sorted(outcomes, key=lambda o: order[o.path])


def _result(future: Future[Outcome], path: Path) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # a worker that died (killed, out of memory)
        return Outcome(path, error=f"the worker building it stopped ({type(exc).__name__})")
