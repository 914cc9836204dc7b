"""Every speed target of the project, measured the way a user meets it, with its verdict.

Run: ``python bench/targets.py [--portfolio N] [--runs R] [--only large,portfolio]``
(about 10 minutes with the default 200 projects; ``--portfolio 20`` for a quick look,
extrapolated to 200). The README quotes its output. Times are medians of ``R`` runs of
the real command line in a fresh process, on whatever this machine is doing: run it on a
quiet machine. Set ``PYTHONDONTWRITEBYTECODE`` off (an installed package has compiled
bytecode).
Not a test: speed is never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

ROWS: list[tuple[str, str, str, bool | None]] = []


def report(target: str, figure: str, goal: str, met: bool | None) -> None:
    ROWS.append((target, figure, goal, met))
    verdict = "—" if met is None else ("met" if met else "NOT met")
    print(f"{target:<58} {figure:>16}  {goal:<14} {verdict}", flush=True)


def crmimpl(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> float:
    """Wall seconds of one ``crmimpl`` run (it must succeed)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "crmimpl", *args], cwd=cwd,
                          capture_output=True, text=True, env=env)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"crmimpl {' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    return took


def median(runs: int, action: Callable[[], float]) -> float:
    return statistics.median(action() for _ in range(runs))


def largest_example() -> Path:
    return max((p.parent for p in (ROOT / "examples").glob("*/project.yaml")),
               key=lambda p: (p / "project.yaml").stat().st_size)


def full_build(runs: int, tmp: Path) -> None:
    """A fresh output folder each run; "cold": no layout of the DOCX in the cache (every
    DOCX laid out by LibreOffice), "warm": the layouts kept from an earlier build."""
    example = largest_example()
    cache = tmp / "cache"
    env = {**os.environ, "CRMIMPL_CACHE_DIR": str(cache)}

    def once(formats: str, cold: bool) -> float:
        out = tmp / "out"
        shutil.rmtree(out, ignore_errors=True)
        if cold:
            for layouts in cache.glob("*/layout"):
                shutil.rmtree(layouts)
        return crmimpl("build", str(example), "-o", str(out), "-l", "ru,en", "-f", formats,
                       env=env)

    for formats, what, goal in (("docx,html", "no PDF", 2), ("docx,html,pdf", "with PDF", 10)):
        for cold in (True, False):
            if not cold:
                once(formats, False)  # the layouts of this very build in the cache
            took = median(runs, lambda formats=formats, cold=cold: once(formats, cold))
            report(f"{example.name}: every product, ru+en, {what}, "
                   f"{'cold' if cold else 'warm'}", f"{took:.2f} s", f"≤ {goal} s",
                   took <= goal)


def watch(tmp: Path) -> None:
    script = ROOT / "bench" / "bench_watch.py"
    if not script.exists():
        report("watch rebuild after a one-line change", "not built", "≤ 1 s", None)
        return
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True,
                          text=True)
    found = re.findall(r"([0-9.]+) s", proc.stdout)
    if proc.returncode != 0 or not found:
        report("watch rebuild after a one-line change", "failed", "≤ 1 s", False)
        return
    took = float(found[-1])
    report("watch rebuild after a one-line change", f"{took:.2f} s", "≤ 1 s", took <= 1)


def portfolio(count: int, tmp: Path) -> None:
    from bench_portfolio import build_portfolio, make_portfolio

    folder = tmp / "portfolio"
    make_portfolio(folder, count)
    wall, cpu, sizes, _, _ = build_portfolio(folder)
    per_200 = wall * 200 / count
    note = "" if count == 200 else f" (×{200 / count:g})"
    report(f"200 projects, no PDF{note}", f"{per_200:.0f} s", "≤ 120 s", per_200 <= 120)
    cores = os.cpu_count() or 1
    report(f"  cores busy (of {cores})", f"{cpu / wall:.2f}", f"≈ {cores}", None)
    report("  largest Gantt HTML", f"{max(sizes) / 1e6:.2f} MB", "≤ 1.5 MB",
           max(sizes) <= 1.5e6)
    shutil.rmtree(folder, ignore_errors=True)


def large_plan(runs: int, tmp: Path) -> None:
    from tests.test_large_plan import large_project

    project = large_project(tmp)
    took = median(runs, lambda: crmimpl("plan", "show", str(project)))
    report("2 000-task plan: plan show", f"{took:.2f} s", "≤ 2 s", took <= 2)
    out = tmp / "large-out"
    crmimpl("build", str(project), "--only", "plan", "-o", str(out))
    png = next(out.glob("*-gantt.png"), None)
    report("2 000-task plan: Gantt PNG written", "yes" if png else "no", "yes",
           png is not None)
    from bench_portfolio import watch_cpu

    html = next(out.glob("*-gantt.html"))
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        report("2 000-task plan: Gantt HTML drawn by Chromium", "no Chromium", "≤ 5 s", None)
        return

    pages = html.read_text(encoding="utf-8").count("<option ")
    cpu: list[float] = []

    def draw(address: str) -> float:
        """Wall seconds until headless Chromium dumps the page's DOM (after its load
        event, so after the chart's page is drawn); the CPU of the browser's processes,
        renderers included, from /proc while it runs (os.times misses the renderers,
        which the browser does not wait for)."""
        start = time.perf_counter()
        proc = subprocess.Popen(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             f"--user-data-dir={tmp / 'chromium'}", "--dump-dom", address],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        ticks: dict[int, int] = {}
        reader = threading.Thread(target=lambda: ticks.update(watch_cpu(proc.pid, proc)))
        reader.start()
        dom = proc.communicate(timeout=600)[0].decode()
        took = time.perf_counter() - start
        reader.join()
        cpu.append(sum(ticks.values()) / os.sysconf("SC_CLK_TCK"))
        if proc.returncode != 0 or dom.count('<g class="point"><path d="M') < 100:
            raise SystemExit(f"the Gantt HTML of the 2 000-task plan drew no bars ({address})")
        return took

    # a paged chart (more than PAGED_ROWS rows) opens on its first page; #page-N opens
    # page N: the figure is the slower of the first and a middle page (both full)
    first = median(runs, lambda: draw(html.as_uri()))
    middle = median(runs, lambda: draw(html.as_uri() + f"#page-{pages // 2 + 1}")) \
        if pages else first
    took = max(first, middle)
    note = f" ({pages} pages)" if pages else ""
    report(f"2 000-task plan: Gantt HTML drawn by Chromium{note}", f"{took:.2f} s", "≤ 5 s",
           took <= 5)
    report("  of which Chromium's CPU", f"{statistics.median(cpu):.2f} s", "", None)


def help_ratio(runs: int) -> None:
    from bench_cli import MINIMAL_APP

    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "minimal_app.py"
        app.write_text(MINIMAL_APP, encoding="utf-8")

        def timed(cmd: list[str]) -> float:
            start = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
            return time.perf_counter() - start

        theirs = median(runs * 3, lambda: timed([sys.executable, str(app), "--help"]))
        ours = median(runs * 3, lambda: timed([sys.executable, "-m", "crmimpl", "--help"]))
    ratio = ours / theirs
    report("crmimpl --help vs a minimal two-command typer app", f"{ratio:.2f}×", "≤ 1.2×",
           ratio <= 1.2)


def scheduling() -> None:
    from bench_schedule import START, best_of, network

    from crmimpl.plan.calendar import WorkCalendar
    from crmimpl.plan.schedule import schedule

    cal = WorkCalendar("RU", years=range(2025, 2032))
    tasks = network(10_000, 20_000)
    took = best_of(3, lambda: schedule(tasks, cal, START))
    report("10 000 tasks scheduled", f"{took:.2f} s", "< 1 s", took < 1)


def docx_vs_pandoc() -> None:
    if shutil.which("pandoc") is None:
        report("DOCX writer vs pandoc with a reference doc", "no pandoc", "≤ 1.2×", None)
        return
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "bench_docx.py")], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    ratio = float(re.findall(r"ratio crmimpl / pandoc:\s*([0-9.]+)", proc.stdout)[-1])
    report("DOCX writer vs pandoc with a reference doc", f"{ratio:.2f}×", "≤ 1.2×",
           ratio <= 1.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portfolio", type=int, default=200, help="projects (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    groups = ("help", "schedule", "docx", "build", "watch", "large", "portfolio")
    parser.add_argument("--only", default=",".join(groups),
                        help="comma-separated: " + ", ".join(groups))
    args = parser.parse_args()
    only = set(args.only.split(","))
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="crmimpl_bench_") as name:
        tmp = Path(name)
        steps: list[tuple[str, Callable[[], None]]] = [
            ("help", lambda: help_ratio(args.runs)), ("schedule", scheduling),
            ("docx", docx_vs_pandoc), ("build", lambda: full_build(args.runs, tmp)),
            ("watch", lambda: watch(tmp)), ("large", lambda: large_plan(args.runs, tmp)),
            ("portfolio", lambda: portfolio(args.portfolio, tmp))]
        for group, step in steps:
            if group in only:
                step()
    missed = [r[0].strip() for r in ROWS if r[3] is False]
    print("all targets met" if not missed else "not met: " + "; ".join(missed))


if __name__ == "__main__":
    main()
