"""``crmimpl build --watch``: rebuild what changed each time the project is saved.

The watcher polls the modification times of ``project.yaml``, ``answers/``, ``audits/``,
the project's ``questionnaires/`` and ``.crmimpl/baseline.yaml`` (standard library only,
every :data:`POLL_SECONDS`). On a change it loads the project again and runs an
incremental build (:mod:`crmimpl.incremental`), so only the products whose inputs changed
are written; it prints each file written. A save that does not validate prints the
problems and the watcher goes on. LibreOffice (started when a DOCX's table of contents or
a PDF first needs it) serves every round: a rewritten DOCX is written at once with the
page numbers of its last layout and printed, then laid out beside the watcher, which
rewrites it (and says so) only when its page numbers changed. Ctrl-C ends it: exit 0
while it waits, 130 when a build was running (the writers remove their temporary files
and LibreOffice ends either way).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError
from crmimpl.incremental import PROJECT_FILES, is_input

if TYPE_CHECKING:
    from crmimpl.build import BuildContext, BuildOptions
    from crmimpl.documents.workspace import Workspace

POLL_SECONDS = 0.3
SETTLE_SECONDS = 0.05  # an editor's save in several writes settles within this

Stamp = dict[str, tuple[int, int]]


def project_file(path: Path) -> Path:
    """The project.yaml a path names (the file itself, or the one in the folder)."""
    return path / "project.yaml" if path.is_dir() else path


def stamp(project: Path) -> Stamp:
    """Modification time and size of every watched file of the project."""
    found: Stamp = {}
    folder = project.parent
    for path in [project, *(folder / rel for rel in PROJECT_FILES.values())]:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in filter(is_input, files):
                    _stat_into(found, Path(root) / name)
        else:
            _stat_into(found, path)
    return found


def _stat_into(found: Stamp, path: Path) -> None:
    try:
        st = path.stat()
    except OSError:
        return
    found[str(path)] = (st.st_mtime_ns, st.st_size)


def wait_for_change(project: Path, before: Stamp, poll: float = POLL_SECONDS,
                    tick: Callable[[], None] | None = None) -> Stamp:
    """Sleep until a watched file changes; the new stamp once it stops changing.
    ``tick`` is called at every look (to finish the layouts done meanwhile)."""
    while True:
        time.sleep(poll)
        if tick is not None:
            tick()
        now = stamp(project)
        if now != before:
            while True:  # let a save in several writes finish
                time.sleep(SETTLE_SECONDS)
                settled = stamp(project)
                if settled == now:
                    return now
                now = settled


def watch_project(path: Path, options: BuildOptions, output: Path | None,
                  langs: tuple[str, ...], *, poll: float = POLL_SECONDS,
                  echo: Callable[..., None] | None = None) -> int:
    """Build ``path`` incrementally now and after every save; the exit code at Ctrl-C.

    Args:
        path: project.yaml or its folder.
        options: the build options (``out`` and ``langs`` are filled from the project
            unless ``output`` and ``langs`` were given).
        output: the ``--output`` folder, if given.
        langs: the ``--lang`` languages, if given.
        poll: seconds between two looks at the files.
        echo: ``echo(text, err=False)`` (default: :func:`typer.echo`).
    """
    import typer

    say = echo or typer.echo
    project = project_file(path)
    say(f"watching {project.parent} (project.yaml, answers/, audits/); Ctrl-C ends")
    from crmimpl.render.office import current_session, office_session

    building = False
    memo = Memo()
    # one LibreOffice for every round (started when a DOCX or PDF first needs it), ended
    # with the watcher; a round leaves the layouts of the DOCX it wrote to finish beside
    with office_session():
        session = current_session()
        assert session is not None
        session.provisional = True

        def tick() -> None:
            finish_layouts(session.detached, project.parent, say)

        try:
            seen = stamp(project)
            while True:
                building = True
                tick()
                rebuild(project, options, output, langs, say, memo)
                options = replace(options, force=False)  # --force: the first build only
                building = False
                seen = wait_for_change(project, seen, poll, tick)
        except KeyboardInterrupt:
            if building:
                raise  # the CLI says "interrupted" and exits 130
            say("stopped watching")
        finally:
            finish_layouts(session.detached, project.parent, say)
            unfinished_layouts(session.detached, project.parent)
    return 0


def finish_layouts(pending: list[Any], folder: Path, say: Callable[..., None]) -> None:
    """Finish the layouts LibreOffice is done with (:meth:`LayoutJob.finish_later`):
    a DOCX whose page numbers changed is rewritten, printed and recorded again in the
    build state; a layout of a DOCX written again since is dropped."""
    from crmimpl.incremental import BuildState

    for job in [job for job in pending if job.done()]:
        pending.remove(job)
        try:
            found = job.finish_later()
        except CrmimplError as exc:
            say(exc.render(), err=True)
            continue
        if found is None:
            continue
        path, before, after = found
        state = BuildState.open(folder)
        state.rewritten(path, before, after)
        state.save()
        say(f"page numbers {'added' if job.guess is None else 'updated'}: {path}")


def unfinished_layouts(pending: list[Any], folder: Path) -> None:
    """The layouts still running when the watcher ends: the DOCX they would have given
    page numbers are forgotten by the build state, so the next build writes them again
    (from the layout cache, or laid out then)."""
    from crmimpl.incremental import BuildState

    if not pending:
        return
    state = BuildState.open(folder)
    for job in pending:
        if job.docx_path is not None:
            state.forget_file(job.docx_path)
        job.cancel()
    pending.clear()
    state.save()


@dataclass
class Memo:
    """What one round of the watcher hands to the next: the plan, the answers and the
    audits, each with the hash of what it was computed from. A save that leaves those
    inputs as they were (a goal's text, a risk, the document register; project.yaml
    but not answers/) reuses them instead of planning and reading the answers again."""

    values: dict[str, tuple[str, Any]] = field(default_factory=dict)
    warnings: set[str] = field(default_factory=set)  # printed by the last round

    @staticmethod
    def keys(ws: Workspace) -> dict[str, str]:
        """The hash of the inputs of the plan, the answers and the audits."""
        from crmimpl.build import PLAN_IGNORES
        from crmimpl.incremental import digest, tool_digest, tree_digest

        folder = ws.folder
        return {
            "plan": digest([tool_digest(), tree_digest(folder / ".crmimpl/baseline.yaml"),
                            ws.project.model_dump(mode="json", exclude=set(PLAN_IGNORES))]),
            "answers": digest([tool_digest(), tree_digest(folder / "answers"),
                               tree_digest(folder / "questionnaires")]),
            "audits": digest([tool_digest(), tree_digest(folder / "audits")]),
        }

    def seed(self, ws: Workspace) -> dict[str, str]:
        """Give ``ws`` what the last round computed from the same inputs."""
        keys = self.keys(ws)
        for name, key in keys.items():
            if name in self.values and self.values[name][0] == key:
                value = self.values[name][1]
                if name == "plan":  # the same plan, for the project as just loaded
                    value = replace(value, project=ws.project)
                ws.__dict__[name] = value  # the workspace's cached_property
        return keys

    def keep(self, ws: Workspace, keys: dict[str, str]) -> None:
        """Remember what this round computed."""
        for name, key in keys.items():
            if name in ws.__dict__:
                self.values[name] = (key, ws.__dict__[name])


def rebuild(project: Path, options: BuildOptions, output: Path | None,
            langs: tuple[str, ...], say: Callable[..., None],
            memo: Memo | None = None) -> BuildContext | None:
    """One incremental build; its problems are printed, never raised."""
    from crmimpl.build import build
    from crmimpl.documents.workspace import Workspace
    from crmimpl.model.project import load_project

    started = time.perf_counter()
    try:
        loaded = load_project(project)
        ws = Workspace(loaded)
        keys = memo.seed(ws) if memo is not None else {}
        ctx = build(ws, replace(options, out=output or loaded.folder / "out",
                                langs=langs or (loaded.project.language,)))
        if memo is not None:
            memo.keep(ws, keys)
    except CrmimplError as exc:
        say(exc.render(), err=True)
        say("not built; fix the file and save again", err=True)
        return None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"{where}{exc.strerror or exc}", err=True)
        return None
    shown = memo.warnings if memo is not None else set()
    for warning in dict.fromkeys(ctx.warnings):
        if warning not in shown:  # each round tells what is new; the note keeps them all
            say(f"warning: {warning}", err=True)
    if memo is not None:
        memo.warnings = set(ctx.warnings)
    for written in ctx.written:
        say(f"wrote {written}")
    if ctx.unchanged:
        say(f"unchanged: {', '.join(ctx.unchanged)}")
    say(f"built in {time.perf_counter() - started:.2f} s; waiting for changes")
    return ctx
