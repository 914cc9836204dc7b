"""Benchmark: the Python part of a full build of the largest example, product by product.

Every product, ru and en, DOCX and HTML, without LibreOffice's layouts
(``CRMIMPL_NO_OFFICE=1``; they are timed by bench_pdf/targets). Prints, best of R runs:
the CPU seconds of each product in one process (the Gantt PNG is drawn by Chromium in a
child and not counted), then the wall time of the real command line with the workbooks
written on a second core (the default) and in series (``CRMIMPL_JOBS=1``).

Run: ``python bench/bench_products.py [--runs R] [--profile FILE]`` (``--profile`` writes
a cProfile of one in-process build). Not a test: speed is never asserted.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def largest_example() -> Path:
    return max((p.parent for p in (ROOT / "examples").glob("*/project.yaml")),
               key=lambda p: (p / "project.yaml").stat().st_size)


def products_cpu(folder: Path, out: Path) -> dict[str, float]:
    """CPU seconds per product of one build in this process (in series)."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.documents.workspace import Workspace

    marks: list[tuple[str, float]] = []
    start = time.process_time()
    ws = Workspace.open(folder)
    _ = ws.plan
    marks.append(("load, validate and plan", start))
    os.environ["CRMIMPL_JOBS"] = "1"  # every product in this process, to time it
    build(ws, BuildOptions(out=out, langs=("ru", "en"), force=True),
          lambda name, _n, _total: marks.append((name, time.process_time())))
    marks.append(("", time.process_time()))
    return {name: after - before
            for (name, before), (_, after) in itertools.pairwise(marks)}


def cli_run(folder: Path, out: Path, jobs: str | None) -> tuple[float, float]:
    """Wall and CPU seconds (every process of the build, Chromium's included) of one
    ``crmimpl build`` of every product into an empty folder."""
    env = {**os.environ, "CRMIMPL_NO_OFFICE": "1", "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("CRMIMPL_JOBS", None)
    if jobs:
        env["CRMIMPL_JOBS"] = jobs
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "crmimpl", "build", str(folder), "-o", str(out),
                    "-l", "ru,en", "--force"], env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    os.environ["CRMIMPL_NO_OFFICE"] = "1"
    folder = largest_example()
    tmp = Path(tempfile.mkdtemp(prefix="crmimpl-bench-"))
    try:
        best: dict[str, float] = {}
        for _ in range(args.runs):
            for name, took in products_cpu(folder, tmp / "in-process").items():
                best[name] = min(best.get(name, took), took)
        print(f"{folder.name}: every product, ru+en, DOCX+HTML, no LibreOffice "
              f"(best of {args.runs})")
        for name, took in best.items():
            print(f"  {took:6.2f} s CPU  {name}")
        print(f"  {sum(best.values()):6.2f} s CPU  in all (imports not counted)")
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.runcall(products_cpu, folder, tmp / "profiled")
            profiler.dump_stats(str(args.profile))
            print(f"profile written to {args.profile}")
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        for label, jobs in (("workbooks on a second core", None), ("in series", "1")):
            runs = sorted(cli_run(folder, tmp / "cli", jobs) for _ in range(args.runs))
            print(f"command line, {label}: best {runs[0][0]:.2f} s wall, "
                  f"median {runs[len(runs) // 2][0]:.2f} s; "
                  f"CPU {min(cpu for _, cpu in runs):.2f} s")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
