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
def static_export() -> Iterator[None]:
    """Run kaleido's browser once for a batch of static images (nests freely)."""
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
    private = tempfile.mkdtemp(prefix="crmimpl_chromium_")
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


class ImageJob:
    """Static images of a plan drawn by a child process while the build goes on.

    Chromium takes seconds to start and draw; in a child process it works on another
    core while the documents are written. :meth:`result` waits and moves the images into
    place; :meth:`cancel` (an interrupt, an error elsewhere) ends the child with its
    browser and removes every temporary file. The child runs in its own session, so a
    Ctrl-C reaches the build only, which then cancels it.
    """

    def __init__(self, plan: Plan, targets: Iterable[tuple[Path, str]], *,
                 today: date | None = None, focus: str = "delivery",
                 links: str = "critical", timeout: float = 300) -> None:
        import json
        import subprocess
        import sys

        import crmimpl

        self.targets = [(Path(path), fmt) for path, fmt in targets]
        for _, fmt in self.targets:
            if fmt not in STATIC_FORMATS:
                raise CrmimplError.single("--format", f"unknown image format '{fmt}'",
                                          hint="choose html, png, svg or pdf")
        browser = find_browser()  # no browser: say so now, not after the documents
        fig = build_figure(plan, today=today, focus=focus, links=links,
                           max_rows=STATIC_MAX_ROWS)
        self.timeout = timeout
        self.tmps = [path.with_name(f".{path.stem}.tmp.{fmt}") for path, fmt in self.targets]
        self.private = Path(tempfile.mkdtemp(prefix="crmimpl_chromium_"))
        spec = self.private / "figure.json"
        spec.write_text(json.dumps({
            "figure": json.loads(fig.to_json()),
            "opts": {"width": fig.layout.width, "height": fig.layout.height},
            "targets": [[str(tmp), fmt] for tmp, (_, fmt) in zip(self.tmps, self.targets,
                                                                 strict=True)],
        }), encoding="utf-8")
        for path, _ in self.targets:
            path.parent.mkdir(parents=True, exist_ok=True)
        package_root = str(Path(crmimpl.__file__).resolve().parent.parent)
        env = {**os.environ, "BROWSER_PATH": browser, "TMPDIR": str(self.private),
               "PYTHONPATH": os.pathsep.join(
                   p for p in (package_root, os.environ.get("PYTHONPATH")) if p)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crmimpl.render.gantt_static", str(spec)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, start_new_session=True, env=env)

    def result(self) -> list[Path]:
        """Wait for the images and move them into place.

        Raises:
            CrmimplError: Chromium failed or took longer than the timeout (the
                temporary files are gone either way).
        """
        import subprocess

        where = str(self.targets[0][0])
        try:
            try:
                _, err = self.proc.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                raise CrmimplError.single(
                    where, f"Chromium did not draw the Gantt chart within {self.timeout:g} s",
                    hint="the HTML chart has the same content; try `crmimpl gantt -f png` "
                    "alone") from None
            if self.proc.returncode != 0 or not all(t.is_file() for t in self.tmps):
                detail = " / ".join((err or "").strip().splitlines()[-2:]) or \
                    f"exit code {self.proc.returncode}"
                raise CrmimplError.single(where, f"the Gantt image was not drawn ({detail})",
                                          hint="the HTML chart has the same content")
            for (path, _), tmp in zip(self.targets, self.tmps, strict=True):
                os.replace(tmp, path)
            return [path for path, _ in self.targets]
        finally:
            self.cancel()

    def cancel(self) -> None:
        """End the child and its browser; remove the temporary files (idempotent)."""
        import subprocess

        from crmimpl.render.pdf import end_process_group

        if self.proc.poll() is None:
            # first ask: the child stops kaleido, which closes Chromium with its helpers
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=3)
        end_process_group(self.proc)  # and whatever of its group is left
        if self.proc.stderr is not None:
            self.proc.stderr.close()
        for tmp in self.tmps:
            tmp.unlink(missing_ok=True)
        # Chromium's crash handler leaves the process group; it is known by the TMPDIR
        # it inherited, and ends before the folder goes (or it would write there again)
        for _ in range(20):
            strays = _processes_with(f"TMPDIR={self.private}")  # or a folder inside it
            for pid in strays:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            shutil.rmtree(self.private, ignore_errors=True)
            if not strays and not self.private.exists():
                break
            time.sleep(0.05)


def _processes_with(entry: str) -> list[int]:
    """Live processes whose environment has an entry starting with ``entry``."""
    needle = b"\0" + entry.encode()
    found = []
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            if int(proc_dir.name) != os.getpid() and \
                    needle in b"\0" + (proc_dir / "environ").read_bytes():
                found.append(int(proc_dir.name))
        except (OSError, ValueError):
            continue
    return found


def _draw(spec_path: str) -> int:
    """The child of :class:`ImageJob`: draw the figure of ``spec_path`` with kaleido."""
    import json
    import sys

    import kaleido

    def stop(signum: int, frame: object) -> None:  # the parent cancels: close the browser
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    try:
        with static_export():
            for tmp, fmt in spec["targets"]:
                kaleido.write_fig_sync(spec["figure"], path=tmp,
                                       opts={**spec["opts"], "format": fmt})
                if not Path(tmp).is_file():
                    print(f"kaleido wrote no {fmt.upper()}", file=sys.stderr)
                    return 1
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

    sys.exit(_draw(sys.argv[1]))
