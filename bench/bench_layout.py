"""Benchmark: the LibreOffice layout of the DOCX in a full build, cold and warm.

The largest example (volga-bank), every product, ru+en, is built into a fresh output
folder, the real command line in a fresh process (medians of ``--runs``):

- without LibreOffice (``CRMIMPL_NO_OFFICE=1``: the DOCX's table of contents has no page
  numbers), the floor for the rows below;
- cold: the layout cache (``<cache>/layout``) emptied before each run, so every DOCX is
  laid out, by one office and by two (``CRMIMPL_OFFICE_HELPERS``);
- warm: the layouts in the cache from an earlier build (another output folder), so no
  LibreOffice starts;
- the same with PDF.

Each row gives the wall time and the CPU time of the build with its LibreOffice (less
dependent on what else the machine does).

Run: ``python bench/bench_layout.py [--runs R] [--code DIR]``; ``--code /work/main``
times another checkout (the one before the cache) with the same rows. The bench's own
cache folder is used (``CRMIMPL_CACHE_DIR``), never the user's. Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "volga-bank"


CPU: list[float] = []  # CPU seconds of each build, LibreOffice included


def build(code: Path, out: Path, formats: str, env: dict[str, str]) -> float:
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "crmimpl", "build", str(EXAMPLE), "-o",
                           str(out), "-l", "ru,en", "-f", formats, "--force"], cwd=code,
                          env={**env, "PYTHONPATH": str(code)}, capture_output=True, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"build failed:\n{proc.stderr[-2000:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to time")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} cores, load average {load:.1f}; code {args.code}")
    with tempfile.TemporaryDirectory(prefix="crmimpl_bench_layout_") as name:
        tmp = Path(name)
        cache = tmp / "cache"
        base = {k: v for k, v in os.environ.items()
                if k not in ("CRMIMPL_NO_OFFICE", "CRMIMPL_OFFICE_HELPERS",
                             "PYTHONDONTWRITEBYTECODE")}
        base["CRMIMPL_CACHE_DIR"] = str(cache)

        def cold(formats: str, helpers: str) -> float:
            for folder in cache.glob("*/layout"):
                shutil.rmtree(folder)
            return build(args.code, tmp / "out", formats,
                         {**base, "CRMIMPL_OFFICE_HELPERS": helpers})

        def row(label: str, action: object) -> None:
            times, cpu = [], []
            for _ in range(args.runs):
                times.append(action())  # type: ignore[operator]
                cpu.append(CPU[-1])
            print(f"{label:<44} {statistics.median(times):6.2f} s wall, "
                  f"{statistics.median(cpu):5.2f} s CPU  (wall min {min(times):.2f}, "
                  f"max {max(times):.2f}; load {os.getloadavg()[0]:.1f})", flush=True)

        build(args.code, tmp / "warmup", "docx,html", {**base, "CRMIMPL_NO_OFFICE": "1"})
        row("docx,html, no LibreOffice",
            lambda: build(args.code, tmp / "out", "docx,html",
                          {**base, "CRMIMPL_NO_OFFICE": "1"}))
        row("docx,html, cold, one office", lambda: cold("docx,html", "1"))
        row("docx,html, cold, two offices", lambda: cold("docx,html", "2"))
        build(args.code, tmp / "seed", "docx,html,pdf", base)
        row("docx,html, warm (layouts in the cache)",
            lambda: build(args.code, tmp / "out", "docx,html", base))
        row("docx,html,pdf, cold, two offices", lambda: cold("docx,html,pdf", "2"))
        build(args.code, tmp / "seed", "docx,html,pdf", base)
        row("docx,html,pdf, warm",
            lambda: build(args.code, tmp / "out", "docx,html,pdf", base))


if __name__ == "__main__":
    main()
