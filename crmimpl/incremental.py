"""Incremental builds: a product whose inputs did not change is not written again.

``crmimpl build`` records, in ``.crmimpl/build-state.json`` beside ``project.yaml``, for
each product and output folder a hash of everything the product reads and the content
hash of every file it wrote. The next build skips the product ("unchanged") when

- the hash of its inputs is the recorded one, and
- every file it wrote is still there with the recorded content (a deleted or
  hand-edited output is written again).

The inputs of a product are:

- the tool: the crmimpl version and the content of its code, its built-in templates and
  questionnaires (so an upgrade, or an edit in a checkout, rebuilds everything);
- the build options: languages, formats, a ``--templates`` folder's and a
  ``--reference-docx`` file's content;
- the environment that changes what is written: whether LibreOffice and Chromium are
  installed (``CRMIMPL_NO_OFFICE``, ``BROWSER_PATH``);
- the validated project (``project.yaml`` as the tool reads it: a comment or a
  reformatting changes nothing), less the sections the product never reads
  (:attr:`crmimpl.build.Product.ignores`);
- the project's files the product reads (:attr:`crmimpl.build.Product.reads`):
  ``answers/``, ``audits/``, ``questionnaires/`` and ``.crmimpl/baseline.yaml``;
- the run date, for a product dated by it (the Gantt's today line).

``--force`` (``--no-cache``) builds everything and records the new state. The warnings
of a skipped product are the recorded ones, so the review note stays complete. A filled
questionnaire the build kept is recorded too: if its owner moves or changes it, the next
build runs the questionnaires again (and still never replaces a filled workbook).

The state file is local to a machine (absolute paths); keep it out of version control.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from crmimpl.errors import CrmimplError
from crmimpl.store import atomic_write_text


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends (main thread only).

    pydantic's serializer calls back into Python for some values (decimals); a
    ``KeyboardInterrupt`` raised inside such a callback is swallowed and printed as
    "Exception ignored", so the interrupt would be lost. Blocked, the signal waits and is
    raised as usual right after the block.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


STATE_PATH = ".crmimpl/build-state.json"
STATE_FORMAT = 1

# The project's own files a product may read, by group (paths relative to the folder
# of project.yaml; a folder is read recursively).
PROJECT_FILES = {
    "answers": "answers",
    "audits": "audits",
    "questionnaires": "questionnaires",
    "baseline": ".crmimpl/baseline.yaml",
    "translations": "project.en.yaml",  # the English overlay (crmimpl.overlay)
}


def is_input(name: str) -> bool:
    """Whether a file of a watched folder is an input: hidden files and an editor's swap
    and backup files are not (no loader reads them)."""
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp")))


def _hasher() -> Any:
    return hashlib.blake2b(digest_size=16)


def file_digest(path: Path) -> str | None:
    """The content hash of a file (None when it is missing or unreadable)."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, _hasher).hexdigest()
    except OSError:
        return None


def tree_digest(path: Path, suffixes: Iterable[str] | None = None) -> str:
    """The hash of a file, or of every file under a folder (names and content)."""
    h = _hasher()
    if path.is_file():
        h.update((file_digest(path) or "").encode())
        return h.hexdigest()
    if not path.is_dir():
        return "absent"
    wanted = tuple(suffixes) if suffixes else None
    for item in sorted(path.rglob("*")):
        if not item.is_file() or "__pycache__" in item.parts or not is_input(item.name):
            continue
        if wanted and not item.name.endswith(wanted):
            continue
        h.update(item.relative_to(path).as_posix().encode() + b"\0")
        h.update((file_digest(item) or "").encode() + b"\0")
    return h.hexdigest()


@cache
def tool_digest() -> str:
    """The crmimpl version, its code and its built-in templates and questionnaires."""
    from crmimpl import __version__
    from crmimpl.resources import questionnaires_dir, templates_dir

    package = Path(__file__).resolve().parent
    parts = [__version__, tree_digest(package, (".py",)),
             tree_digest(templates_dir()), tree_digest(questionnaires_dir())]
    return digest(parts)


def environment_digest() -> str:
    """What installed software changes in the output: LibreOffice (the DOCX's table of
    contents) and Chromium (the static Gantt)."""
    return digest([os.environ.get("CRMIMPL_NO_OFFICE", ""), os.environ.get("BROWSER_PATH", ""),
                   shutil.which("soffice") or shutil.which("libreoffice") or "",
                   [shutil.which(name) or "" for name in BROWSERS]])


# crmimpl.render.gantt_static.BROWSERS, not imported: that module loads plotly (a test
# checks the two are the same)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def digest(value: Any) -> str:
    """A stable hash of a JSON-able value."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    h = _hasher()
    h.update(text.encode("utf-8"))
    return h.hexdigest()


@dataclass
class Record:
    """What the last build of one product in one output folder read and wrote."""

    key: str
    files: dict[str, str]  # absolute path -> content hash
    warnings: list[str] = field(default_factory=list)

    def intact(self) -> bool:
        """Every file is there with the content the build wrote."""
        return all(file_digest(Path(p)) == sha for p, sha in self.files.items())


class BuildState:
    """The recorded state of a project's builds, read from and saved to
    ``.crmimpl/build-state.json``."""

    def __init__(self, folder: Path, records: dict[str, Record] | None = None) -> None:
        self.folder = folder
        self.records = records or {}
        self._groups: dict[str, str] = {}
        self.changed = False

    @property
    def path(self) -> Path:
        return self.folder / STATE_PATH

    @classmethod
    def open(cls, folder: Path) -> BuildState:
        """The project's recorded state (empty when there is none or it is unreadable)."""
        state = cls(folder)
        try:
            data = json.loads(state.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return state
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            return state
        for name, raw in (data.get("products") or {}).items():
            try:
                state.records[name] = Record(str(raw["key"]), dict(raw["files"]),
                                             list(raw.get("warnings", [])))
            except (KeyError, TypeError, ValueError):
                continue
        return state

    def group_digest(self, group: str) -> str:
        """The hash of one group of the project's files (computed once per build)."""
        if group not in self._groups:
            self._groups[group] = tree_digest(self.folder / PROJECT_FILES[group])
        return self._groups[group]

    def unchanged(self, slot: str, key: str) -> Record | None:
        """The record of ``slot`` when its inputs and its files are as recorded."""
        record = self.records.get(slot)
        if record is None or record.key != key or not record.intact():
            return None
        return record

    def record(self, slot: str, key: str, files: Iterable[Path], warnings: list[str]) -> None:
        """Remember what a product read and wrote."""
        hashes = {}
        for path in files:
            sha = file_digest(Path(path))
            if sha is not None:
                hashes[str(Path(path).resolve())] = sha
        self.records[slot] = Record(key, hashes, list(warnings))
        self.changed = True

    def rewritten(self, path: Path, before: str | None, after: str | None) -> None:
        """A file recorded with content ``before`` was rewritten to ``after`` by work
        that finished after its build (``build --watch``'s layouts): every record
        holding it as it was now holds it as it is."""
        name = str(Path(path).resolve())
        for record in self.records.values():
            if after is not None and record.files.get(name) == before:
                record.files[name] = after
                self.changed = True

    def forget_file(self, path: Path) -> None:
        """Drop every record holding ``path``: its products are built again next time
        (a DOCX whose layout was left unfinished when ``build --watch`` ended)."""
        name = str(Path(path).resolve())
        for slot in [slot for slot, r in self.records.items() if name in r.files]:
            self.forget(slot)

    def forget(self, slot: str) -> None:
        """Drop a product's record (its build failed or was interrupted)."""
        if self.records.pop(slot, None) is not None:
            self.changed = True

    def save(self) -> str | None:
        """Write the state file when something changed (atomically); the reason when it
        cannot be written (a read-only project folder): the build goes on without it."""
        if not self.changed:
            return None
        payload = {"format": STATE_FORMAT,
                   "products": {name: {"key": r.key, "files": r.files, "warnings": r.warnings}
                                for name, r in sorted(self.records.items())}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path,
                              json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:
            return f"{self.path}: {exc.strerror or exc}"
        except CrmimplError as exc:  # the atomic writer's report of the same
            return exc.problems[0].render().splitlines()[0] if exc.problems else str(exc)
        self.changed = False
        return None


def slot_name(product: str, out: Path) -> str:
    """The state's key of a product built into folder ``out``."""
    return f"{product}@{out.resolve()}"
