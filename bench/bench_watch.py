"""Benchmark: ``crmimpl build --watch`` after a one-line change of project.yaml.

Target (issue 13): at most 1 s from the save to the rewritten files. The largest example
(optima-distribution) is copied to a temporary folder and watched without PDF; the bench
saves project.yaml with one goal's text changed (alternately two wordings), waits for the
watcher's "built in" line and takes the time from the save to that line (the poll
interval, loading, planning and writing the changed documents). It also times a build
with nothing changed and the first, full build.

Run: python bench/bench_watch.py [ROUNDS] [--format docx,html|html]  (default 5, docx,html)
LibreOffice lays out each DOCX's table of contents when installed; CRMIMPL_NO_OFFICE=1
leaves it out (the DOCX's TOC then has no page numbers), which the bench also reports.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "optima-distribution"
LINE = "за счёт системной работы"
OTHER = "за счёт планомерной работы"


def _reader(stream: object, lines: queue.Queue[tuple[float, str]]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put((time.perf_counter(), line.rstrip("\n")))


def _until(lines: queue.Queue[tuple[float, str]], prefix: str, timeout: float = 300
           ) -> tuple[float, list[str]]:
    seen = []
    deadline = time.perf_counter() + timeout
    while True:
        at, line = lines.get(timeout=max(0.1, deadline - time.perf_counter()))
        seen.append(line)
        if line.startswith(prefix):
            return at, seen


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its waited-for children (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(v) for v in fields[11:15]) / ticks


def run(rounds: int, formats: str, office: bool
        ) -> tuple[float, list[float], list[int], list[float]]:
    """The first build's time, the rebuild times, the files each rebuild wrote and the
    CPU time of each rebuild (the watcher and its LibreOffice)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if not office:
        env["CRMIMPL_NO_OFFICE"] = "1"
    with tempfile.TemporaryDirectory(prefix="crmimpl-bench-watch-") as tmp:
        folder = Path(tmp) / "optima"
        shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("out", "fill"))
        project = folder / "project.yaml"
        text = project.read_text(encoding="utf-8")
        assert LINE in text, "the bench's goal line is not in the example any more"
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "crmimpl", "build", str(folder), "--watch",
             "--format", formats], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, env=env, cwd=ROOT)
        lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
        try:
            first = _until(lines, "built in")[0] - started
            times, counts, cpu = [], [], []
            for n in range(rounds):
                new = text.replace(LINE, OTHER) if n % 2 == 0 else text
                before = cpu_seconds(proc.pid)
                saved = time.perf_counter()
                project.write_text(new, encoding="utf-8")
                done, seen = _until(lines, "built in")
                times.append(done - saved)
                cpu.append(cpu_seconds(proc.pid) - before)
                counts.append(sum(line.startswith("wrote ") for line in seen))
                time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)
    return first, times, counts, cpu


def main() -> None:
    """Print the watch rebuild time (median) with and without LibreOffice; the last line
    is the figure of the default build (DOCX and HTML, LibreOffice when installed)."""
    args = sys.argv[1:]
    formats = "docx,html"
    if "--format" in args:
        formats = args[args.index("--format") + 1]
        del args[args.index("--format"):args.index("--format") + 2]
    rounds = int(args[0]) if args else 5
    office = shutil.which("soffice") is not None and "docx" in formats
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{os.cpu_count()} cores, load average {load:.1f} before the bench")
    medians = []
    for with_office in ([False, True] if office else [False]):
        first, times, counts, cpu = run(rounds, formats, with_office)
        label = "LibreOffice lays out the DOCX" if with_office else "no LibreOffice"
        medians.append(statistics.median(times))
        print(f"optima-distribution, {formats}, {label}: first build {first:.1f} s; after "
              f"a goal's text changed: {statistics.median(counts):.0f} files rewritten in "
              f"{statistics.median(times):.2f} s median from the save (min {min(times):.2f}, "
              f"max {max(times):.2f}), {statistics.median(cpu):.2f} s of CPU")
    print(f"watch rebuild after a one-line change (target ≤ 1 s): {medians[-1]:.2f} s")


if __name__ == "__main__":
    main()
