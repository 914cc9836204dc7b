"""The Gantt chart as PNG, SVG or PDF: kaleido drives a headless Chromium.

A static image is a slide, so it defaults to the delivery focus with only the critical
links drawn (see :func:`crmimpl.render.gantt.build_figure`). kaleido is imported inside the
functions: importing this module is cheap.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmimpl.errors import CrmimplError
from crmimpl.render.gantt import STATIC_MAX_ROWS, build_figure
from crmimpl.store import write_error

if TYPE_CHECKING:
    from crmimpl.plan.builder import Plan

STATIC_FORMATS = ("png", "svg", "pdf")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str:
    """The Chromium or Chrome kaleido will drive (``BROWSER_PATH`` wins).

    Raises:
        CrmimplError: when no browser is installed.
    """
    given = os.environ.get("BROWSER_PATH")
    if given:
        if Path(given).is_file():
            return given
        raise CrmimplError.single("BROWSER_PATH", f"no browser at {given}",
                                  hint="point BROWSER_PATH to chromium or unset it")
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise CrmimplError.single(
        "gantt", "PNG, SVG and PDF need Chromium or Chrome, and none was found",
        hint="install it (Debian: apt-get install chromium) or set BROWSER_PATH; "
        "HTML output needs no browser",
    )


_SESSIONS = [0]


@contextmanager
def static_export(*, private_tmp: bool = True) -> Iterator[None]:
    """Run kaleido's browser once for a batch of static images (nests freely).

    ``private_tmp=False``: this process's ``TMPDIR`` is already private (a
    :class:`DrawingServer`'s, removed by its parent); a folder inside it would make
    Chromium's socket paths too long for it to start.
    """
    import kaleido

    if _SESSIONS[0]:
        _SESSIONS[0] += 1
        try:
            yield
        finally:
            _SESSIONS[0] -= 1
        return
    # Chromium keeps its own files in TMPDIR; a private one is removed even when the
    # browser is killed by an interrupt before it could clean up.
    before = {name: os.environ.get(name) for name in ("BROWSER_PATH", "TMPDIR")}
    os.environ["BROWSER_PATH"] = find_browser()
    private = tempfile.mkdtemp(prefix="crmimpl_chromium_") if private_tmp else None
    if private is not None:
        os.environ["TMPDIR"] = private
    try:
        kaleido.start_sync_server(silence_warnings=True)
        _SESSIONS[0] = 1
        try:
            yield
        except KeyboardInterrupt:
            # The process ends: kaleido's thread fails as its browser goes; not a bug.
            threading.excepthook = _ignore_thread_error
            raise
        finally:
            _SESSIONS[0] = 0
            kaleido.stop_sync_server(silence_warnings=True)
    finally:
        if private is not None:
            shutil.rmtree(private, ignore_errors=True)
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _ignore_thread_error(args: Any) -> None:
    """A ``threading.excepthook`` that shows nothing."""


def write_gantt_static(plan: Plan, path: Path | str, fmt: str, *,
                       today: date | None = None, focus: str = "delivery",
                       links: str = "critical") -> Path:
    """Write one PNG, SVG or PDF (inside :func:`static_export` for batches)."""
    return write_gantt_images(plan, [(Path(path), fmt)], today=today, focus=focus,
                              links=links)[0]


def write_gantt_images(plan: Plan, targets: Iterable[tuple[Path, str]], *,
                       today: date | None = None, focus: str = "delivery",
                       links: str = "critical") -> list[Path]:
    """Write several static images of the plan with one browser session.

    A static image is a slide: by default it focuses on delivery (post-launch phases in
    one row at the right edge) and draws only the critical links; see :func:`build_figure`.
    """
    import kaleido

    targets = list(targets)
    for _, fmt in targets:
        if fmt not in STATIC_FORMATS:
            raise CrmimplError.single("--format", f"unknown image format '{fmt}'",
                                      hint="choose html, png, svg or pdf")
    fig = build_figure(plan, today=today, focus=focus, links=links, max_rows=STATIC_MAX_ROWS)
    layout = fig.layout
    opts = {"width": layout.width, "height": layout.height}
    out = []
    tmps = [path.with_name(f".{path.stem}.tmp.{fmt}") for path, fmt in targets]
    try:
        with static_export():
            for (path, fmt), tmp in zip(targets, tmps, strict=True):
                path.parent.mkdir(parents=True, exist_ok=True)
                kaleido.write_fig_sync(fig, path=str(tmp), opts={**opts, "format": fmt})
                os.replace(tmp, path)
                out.append(path)
    finally:  # after the browser stopped: an interrupted export leaves no temporary file
        for tmp in tmps:
            tmp.unlink(missing_ok=True)
    return out


class DrawingServer:
    """A child process that keeps kaleido's Chromium up and draws figures on request.

    Chromium takes seconds to start; a portfolio worker keeps one server for every
    project it builds (:func:`drawing_session`), a single build starts one for its image.
    The child runs in its own session with a private ``TMPDIR``; :meth:`close` ends it
    with its browser and removes that folder (and strays of Chromium that left the
    process group, known by that ``TMPDIR``).

    Protocol: one line per job on the child's stdin (the path of a JSON spec: figure,
    options, targets); one line back on its stdout, ``ok`` or ``error <message>``.
    """

    def __init__(self) -> None:
        import subprocess
        import sys

        import crmimpl

        browser = find_browser()
        self.private = Path(tempfile.mkdtemp(prefix="crmimpl_chromium_"))
        self.jobs = 0
        package_root = str(Path(crmimpl.__file__).resolve().parent.parent)
        env = {**os.environ, "BROWSER_PATH": browser, "TMPDIR": str(self.private),
               "PYTHONPATH": os.pathsep.join(
                   p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
        self.log = (self.private / "server.log").open("w+", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crmimpl.render.gantt_static", "--serve"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
            text=True, start_new_session=True, env=env)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def submit(self, spec: Path) -> None:
        """Send one job (the server draws jobs one after the other)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{spec}\n")
        self.proc.stdin.flush()
        self.jobs += 1

    def reply(self, timeout: float) -> str | None:
        """The server's answer to the job sent, or ``None`` after ``timeout`` seconds
        (or when the server died: then ``error ...``)."""
        import selectors

        assert self.proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                return None
        line = self.proc.stdout.readline().strip()
        return line or f"error {self.log_tail() or 'the drawing process ended'}"

    def log_tail(self) -> str:
        try:
            self.log.flush()
            text = (self.private / "server.log").read_text(encoding="utf-8",
                                                           errors="replace")
        except OSError:
            return ""
        return " / ".join(text.strip().splitlines()[-2:])

    def close(self, *, quick: bool = False) -> None:
        """End the server and its browser, remove its folder (idempotent)."""
        import subprocess

        from crmimpl.render.processes import end_process_group

        if self.proc.poll() is None:
            # first ask: the server stops kaleido, which closes Chromium with its helpers
            with contextlib.suppress(OSError, ValueError):
                if quick:
                    self.proc.send_signal(signal.SIGTERM)
                elif self.proc.stdin is not None:
                    self.proc.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=3 if quick else 10)
        end_process_group(self.proc)  # and whatever of its group is left
        for stream in (self.proc.stdin, self.proc.stdout, self.log):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()
        # Chromium's crash handler leaves the process group; it is known by the TMPDIR
        # it inherited or by its folder on its command line (some helpers start with a
        # cleaned environment), and ends before the folder goes (or it would write there
        # again); on a loaded machine (CI runs two test workers, each with its browsers)
        # the last helpers may take many seconds to go. A folder gone with no stray left
        # is checked once more a moment later: a helper caught between two looks may
        # still have written into it.
        deadline = time.monotonic() + 15
        settled = False
        while True:
            strays = _processes_using(self.private)
            for pid in strays:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            shutil.rmtree(self.private, ignore_errors=True)
            if not strays and not self.private.exists():
                if settled:
                    break
                settled = True
                time.sleep(0.3)
                continue
            settled = False
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)


_SERVER: list[DrawingServer | None] = []
"""The drawing session of this process: empty when none is open, else its server (None
until the first image is asked for)."""


def start_drawing_session() -> None:
    """Keep one drawing server for every image of this process (a portfolio worker);
    Chromium starts with the first image. :func:`end_drawing_session` ends it."""
    if not _SERVER:
        _SERVER.append(None)


def end_drawing_session(*, quick: bool = False) -> None:
    """End the drawing session, if any, with its server."""
    while _SERVER:
        server = _SERVER.pop()
        if server is not None:
            server.close(quick=quick)


@contextmanager
def drawing_session() -> Iterator[None]:
    """One drawing server for every image inside (nests)."""
    if _SERVER:
        yield
        return
    start_drawing_session()
    try:
        yield
    except BaseException:
        end_drawing_session(quick=True)
        raise
    end_drawing_session()


def _session_server() -> DrawingServer | None:
    """The session's server, started (or started again) when needed; None: no session."""
    if not _SERVER:
        return None
    if _SERVER[-1] is None or not _SERVER[-1].alive():
        if _SERVER[-1] is not None:
            _SERVER[-1].close(quick=True)
        _SERVER[-1] = None
        _SERVER[-1] = DrawingServer()
    return _SERVER[-1]


def _drop_session_server(server: DrawingServer) -> None:
    """A session's server that failed a job is ended; the next image starts another."""
    if _SERVER and _SERVER[-1] is server:
        _SERVER[-1] = None
    server.close(quick=True)


class ImageJob:
    """Static images of a plan drawn by a :class:`DrawingServer` while the build goes on.

    Chromium works in the server, on another core, while the documents are written; the
    server is the drawing session's (a portfolio worker's, kept for every project) or
    this job's own. :meth:`result` waits and moves the images into place; :meth:`cancel`
    (an interrupt, an error elsewhere) ends a server still drawing this job and removes
    every temporary file. The server runs in its own session, so a Ctrl-C reaches the
    build only, which then cancels it. With ``cache`` the images of a figure drawn
    before are copied from :class:`ImageCache` and no Chromium starts.
    """

    def __init__(self, plan: Plan, targets: Iterable[tuple[Path, str]], *,
                 today: date | None = None, focus: str = "delivery",
                 links: str = "critical", timeout: float = 300, cache: bool = False
                 ) -> None:
        import json

        self.targets = [(Path(path), fmt) for path, fmt in targets]
        for _, fmt in self.targets:
            if fmt not in STATIC_FORMATS:
                raise CrmimplError.single("--format", f"unknown image format '{fmt}'",
                                          hint="choose html, png, svg or pdf")
        find_browser()  # no browser: say so now, not after the documents
        fig = build_figure(plan, today=today, focus=focus, links=links,
                           max_rows=STATIC_MAX_ROWS)
        self.timeout = timeout
        self.done = False
        self.tmps = [path.with_name(f".{path.stem}.tmp.{fmt}") for path, fmt in self.targets]
        for path, _ in self.targets:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise write_error(path, exc) from None
        figure = fig.to_json()
        opts = {"width": fig.layout.width, "height": fig.layout.height}
        self.images = ImageCache.open() if cache else None
        self.keys = [ImageCache.key(figure, opts, fmt) for _, fmt in self.targets]
        self.kept: list[Path] | None = None
        self.server: DrawingServer | None = None
        self.own = False
        self.spec = Path(os.devnull)
        if self.images is not None and self._from_cache():
            return  # drawn before: no Chromium at all
        shared = _session_server()
        self.own = shared is None
        self.server = DrawingServer() if shared is None else shared
        self.spec = self.server.private / f"figure-{self.server.jobs}.json"
        try:
            self.spec.write_text(json.dumps({
                "figure": json.loads(figure),
                "opts": opts,
                "targets": [[str(tmp), fmt] for tmp, (_, fmt) in zip(self.tmps,
                                                                     self.targets,
                                                                     strict=True)],
            }), encoding="utf-8")
            self.server.submit(self.spec)
        except BaseException:
            self._end_server()
            raise

    def result(self) -> list[Path]:
        """Wait for the images and move them into place.

        Raises:
            CrmimplError: Chromium failed or took longer than the timeout (the
                temporary files are gone either way).
        """
        if self.kept is not None:
            return self.kept
        where = str(self.targets[0][0])
        assert self.server is not None
        try:
            answer = self.server.reply(self.timeout)
            if answer is None:
                raise CrmimplError.single(
                    where, f"Chromium did not draw the Gantt chart within {self.timeout:g} s",
                    hint="the HTML chart has the same content; try `crmimpl gantt -f png` "
                    "alone")
            self.done = True
            if answer != "ok" or not all(t.is_file() for t in self.tmps):
                detail = answer.removeprefix("error ").strip() or "no image written"
                self._end_server()
                raise CrmimplError.single(where, f"the Gantt image was not drawn ({detail})",
                                          hint="the HTML chart has the same content")
            for (path, fmt), tmp, key in zip(self.targets, self.tmps, self.keys,
                                             strict=True):
                if self.images is not None:
                    self.images.put(key, fmt, tmp)
                os.replace(tmp, path)
            return [path for path, _ in self.targets]
        finally:
            self.cancel()

    def _from_cache(self) -> bool:
        """Copy the images of this very figure drawn by an earlier build, if all kept."""
        assert self.images is not None
        found = [self.images.get(key, fmt) for key, (_, fmt) in zip(self.keys, self.targets,
                                                                    strict=True)]
        if any(f is None for f in found):
            return False
        try:
            for (path, _), tmp, kept in zip(self.targets, self.tmps, found, strict=True):
                assert kept is not None
                shutil.copyfile(kept, tmp)
                os.replace(tmp, path)
        except OSError:
            for tmp in self.tmps:
                tmp.unlink(missing_ok=True)
            return False
        self.kept = [path for path, _ in self.targets]
        self.done = True
        return True

    def cancel(self) -> None:
        """End the server if it is this job's own or still drawing this job; remove the
        temporary files (idempotent)."""
        if self.server is None:  # the images came from the cache
            return
        if self.own or not self.done:
            self._end_server()
        for tmp in self.tmps:
            tmp.unlink(missing_ok=True)
        self.spec.unlink(missing_ok=True)

    def _end_server(self) -> None:
        self.done = True
        if self.server is None:
            return
        if self.own:
            self.server.close(quick=True)
        else:
            _drop_session_server(self.server)


class ImageCache:
    """Static Gantt images kept by the content of the figure they draw, so a rebuild of
    an unchanged plan starts no Chromium (``<cache_dir>/gantt``; the oldest go beyond
    :attr:`LIMIT` bytes; ``CRMIMPL_CACHE_DIR=`` turns it off)."""

    LIMIT = 64 * 1024 * 1024

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def open(cls) -> ImageCache | None:
        from crmimpl.resources import cache_dir

        base = cache_dir()
        if base is None:
            return None
        folder = base / "gantt"
        try:
            folder.mkdir(exist_ok=True)
        except OSError:
            return None
        return cls(folder)

    @staticmethod
    def key(figure: str, opts: dict[str, Any], fmt: str) -> str:
        """The figure's JSON, the image size and format, and the drawing library's
        version."""
        import hashlib
        import json
        from importlib.metadata import version

        try:
            drawer = version("kaleido")
        except Exception:
            drawer = "?"
        digest = hashlib.blake2b(digest_size=20)
        for part in (figure, json.dumps(opts, sort_keys=True), fmt, drawer):
            digest.update(part.encode("utf-8") + b"\0")
        return digest.hexdigest()

    def get(self, key: str, fmt: str) -> Path | None:
        entry = self.folder / f"{key}.{fmt}"
        try:
            if entry.stat().st_size == 0:
                return None
            os.utime(entry)  # recently used: pruned last
        except OSError:
            return None
        return entry

    def put(self, key: str, fmt: str, image: Path) -> None:
        try:
            fd, name = tempfile.mkstemp(prefix=f".{key}.", dir=self.folder)
            os.close(fd)
            try:
                shutil.copyfile(image, name)
                os.replace(name, self.folder / f"{key}.{fmt}")
            finally:
                Path(name).unlink(missing_ok=True)
            self.prune()
        except OSError:
            pass

    def prune(self) -> None:
        items = [(p.stat().st_mtime, p.stat().st_size, p) for p in self.folder.iterdir()
                 if not p.name.startswith(".")]
        total = sum(size for _, size, _ in items)
        for _, size, path in sorted(items):
            if total <= self.LIMIT:
                break
            path.unlink(missing_ok=True)
            total -= size


def _processes_using(folder: Path) -> list[int]:
    """Live processes (zombies aside) with ``TMPDIR`` set to ``folder`` or a folder
    inside it, or with ``folder`` on their command line."""
    env_needle = b"\0TMPDIR=" + str(folder).encode()
    path = str(folder).encode()
    found = []
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            if int(proc_dir.name) == os.getpid():
                continue
            if (proc_dir / "stat").read_bytes().rsplit(b")", 1)[1].split()[0] == b"Z":
                continue
            if env_needle in b"\0" + (proc_dir / "environ").read_bytes() or \
                    path in (proc_dir / "cmdline").read_bytes():
                found.append(int(proc_dir.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def _serve() -> int:
    """The :class:`DrawingServer` child: draw each spec named on stdin with kaleido's
    browser, kept up between jobs; answer ``ok`` or ``error <message>`` on stdout."""
    import json
    import sys

    import kaleido

    def stop(signum: int, frame: object) -> None:  # the parent ends it: close the browser
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with static_export(private_tmp=False):
            for line in sys.stdin:
                try:
                    spec = json.loads(Path(line.strip()).read_text(encoding="utf-8"))
                    for tmp, fmt in spec["targets"]:
                        kaleido.write_fig_sync(spec["figure"], path=tmp,
                                               opts={**spec["opts"], "format": fmt})
                        if not Path(tmp).is_file():
                            raise RuntimeError(f"kaleido wrote no {fmt.upper()}")
                    answer = "ok"
                except CrmimplError as exc:
                    answer = "error " + " ".join(exc.render().split())
                except Exception as exc:
                    answer = "error " + " ".join(f"{type(exc).__name__}: {exc}".split())
                print(answer, flush=True)
    except CrmimplError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(_serve())
