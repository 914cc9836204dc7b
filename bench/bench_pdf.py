"""Benchmark: builds with PDF, where LibreOffice lays out every document.

Target (issue 13): the largest example, every product, both languages, with PDF: ≤ 10 s
wall. One LibreOffice serves every document of a run, so the time should grow by about
one LibreOffice start (≈ 2 s) plus the layout of each document, not by a start per
document. Prints, for each build, the median and best of ``RUNS`` runs of
``python -m crmimpl build`` (a fresh process each time, as a user runs it) and how many
times LibreOffice was started in one in-process run of the same build.
Every build is cold: the bench's own cache folder, its layouts removed before each run
(``bench/bench_layout.py`` times warm builds too).
Run: python bench/bench_pdf.py [RUNS]   (default 3; needs LibreOffice and python3-uno)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILDS = {
    "optima, ru, DOCX+PDF": ("optima-distribution", ["-f", "docx,pdf"]),
    "largest example, ru+en, every product, DOCX+HTML+PDF (target ≤ 10 s)":
        (None, ["-f", "docx,html,pdf", "-l", "ru,en"]),
}


def largest_example() -> str:
    """The example with the largest project file."""
    return max((p.parent for p in (ROOT / "examples").glob("*/project.yaml")),
               key=lambda p: (p / "project.yaml").stat().st_size).name


def no_layouts() -> None:
    """Empty the layout cache of the bench's cache folder: every DOCX is laid out."""
    for folder in Path(os.environ["CRMIMPL_CACHE_DIR"]).glob("*/layout"):
        shutil.rmtree(folder)


def timed(example: str, args: list[str]) -> float:
    """Wall time of one ``crmimpl build`` into a fresh folder."""
    no_layouts()
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("CRMIMPL_NO_OFFICE", None)
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "crmimpl", "build",
                               str(ROOT / "examples" / example), "-o", out, *args],
                              capture_output=True, text=True, cwd=ROOT, env=env)
        wall = time.perf_counter() - started
    if proc.returncode != 0:
        print(proc.stderr[-2000:])
        raise SystemExit(proc.returncode)
    return wall


def office_starts(example: str, args: list[str]) -> tuple[int, int]:
    """LibreOffice starts and PDFs written by the same build run in this process."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project
    from crmimpl.render import office

    formats = tuple(args[args.index("-f") + 1].split(","))
    project = load_project(ROOT / "examples" / example)
    langs = tuple(args[args.index("-l") + 1].split(",")) if "-l" in args \
        else (project.project.language,)
    before = office.office_starts()
    no_layouts()
    with tempfile.TemporaryDirectory() as out:
        ctx = build(project, BuildOptions(out=Path(out), langs=langs, formats=formats))
        pdfs = sum(1 for p in ctx.written if p.suffix == ".pdf")
    return office.office_starts() - before, pdfs


def main() -> None:
    """Time each build; print median, best and the LibreOffice starts per run."""
    if not shutil.which("soffice"):
        raise SystemExit("LibreOffice is not installed")
    os.environ.pop("CRMIMPL_NO_OFFICE", None)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    cache = tempfile.TemporaryDirectory(prefix="crmimpl_bench_pdf_")
    os.environ["CRMIMPL_CACHE_DIR"] = cache.name
    for label, (example, args) in BUILDS.items():
        name = example or largest_example()
        times = [timed(name, args) for _ in range(runs)]
        starts, pdfs = office_starts(name, args)
        print(f"{label} [{name}]: median {statistics.median(times):5.1f} s, best "
              f"{min(times):5.1f} s of {runs}; {pdfs} PDF, LibreOffice started {starts}×")


if __name__ == "__main__":
    main()
