"""Benchmark: a portfolio of projects built at once (every product without PDF).

Targets (issue 13): 200 projects in at most 2 minutes on 2 cores, both cores busy; each
Gantt HTML at most 1.5 MB. The portfolio is the bundled examples copied round-robin (each
copy its own project id) into a temporary folder, then ``crmimpl build FOLDER``.
Run: python bench/bench_portfolio.py [COUNT]   (default 200)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def make_portfolio(folder: Path, count: int) -> None:
    """``count`` project folders, copies of the examples with distinct ids."""
    examples = sorted(p.parent for p in (ROOT / "examples").glob("*/project.yaml"))
    for n in range(count):
        source = examples[n % len(examples)]
        target = folder / f"{source.name}-{n:03d}"
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("out", "fill"))
        text = (target / "project.yaml").read_text(encoding="utf-8")
        text = re.sub(r"^(  id: )(\S+)", rf"\g<1>\g<2>-{n:03d}", text, count=1, flags=re.M)
        (target / "project.yaml").write_text(text, encoding="utf-8")


def build_portfolio(folder: Path) -> tuple[float, float, list[int], int, dict[str, float]]:
    """``crmimpl build FOLDER`` once: wall seconds, CPU seconds of the build and every
    process below it (read from /proc while it runs: os.times misses Chromium's
    renderers, which their browser never waits for), the Gantt HTML sizes and the bytes
    written."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "crmimpl", "build", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    ticks: dict[int, int] = {}
    names: dict[int, str] = {}
    reader = threading.Thread(target=lambda: ticks.update(watch_cpu(proc.pid, proc, names)))
    reader.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    reader.join()
    hz = os.sysconf("SC_CLK_TCK")
    cpu = sum(ticks.values()) / hz
    kinds: dict[str, float] = {}
    for pid, t in ticks.items():
        kind = process_kind(names.get(pid, "?"))
        kinds[kind] = kinds.get(kind, 0.0) + t / hz
    if proc.returncode != 0:
        print(err[-2000:])
        raise SystemExit(proc.returncode)
    sizes = [p.stat().st_size for p in folder.glob("*/out/*-gantt.html")]
    written = sum(p.stat().st_size for p in folder.glob("*/out/**/*") if p.is_file())
    return wall, cpu, sizes, written, kinds


def process_kind(name: str) -> str:
    """The kind of a process by its command name: Python, LibreOffice, Chromium, other."""
    low = name.lower()
    if low.startswith("python"):
        return "Python"
    if low.startswith("soffice") or low.startswith("oosplash"):
        return "LibreOffice"
    if "chrom" in low or "kaleido" in low or "headless" in low:
        return "Chromium"
    return f"other ({name})"


def watch_cpu(root: int, proc: subprocess.Popen[Any],
              names: dict[int, str] | None = None) -> dict[int, int]:
    """CPU ticks of ``root`` and every process below it, sampled until ``proc`` ends;
    ``names`` is given each one's command name."""
    seen: dict[int, int] = {}
    while proc.poll() is None:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                head, tail = stat.read_text().rsplit(")", 1)
            except (OSError, ValueError):
                continue
            fields = tail.split()
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == root or ppid == root or ppid in seen:
                seen[pid] = int(fields[11]) + int(fields[12])  # utime + stime
                if names is not None:
                    names[pid] = head.split("(", 1)[1]
        time.sleep(0.2)
    return seen


def main() -> None:
    """Build the portfolio once and print wall time, CPU use and the largest Gantt HTML."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_portfolio(folder, count)
        wall, cpu, sizes, written, kinds = build_portfolio(folder)
    cores = os.cpu_count() or 1
    print(f"{count} projects on {cores} cores: {wall:.1f} s wall (target: 120 s for 200, "
          f"{120 * count / 200:.0f} s for {count}); {cpu:.1f} s of CPU in the workers = "
          f"{cpu / wall:.2f} cores busy")
    print(f"largest Gantt HTML {max(sizes) / 1e6:.2f} MB (target ≤ 1.5 MB); "
          f"{written / 1e6:.0f} MB written in all")
    print("CPU by process kind: " + ", ".join(
        f"{kind} {sec:.1f} s ({sec / count:.2f} s/project)"
        for kind, sec in sorted(kinds.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()
