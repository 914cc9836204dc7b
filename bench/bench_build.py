"""Benchmark: every text document of the largest example, DOCX and HTML, without PDF.

Target (issue: documents): under 1 s on a 2-core machine. Prints the time per step.
Run: python bench/bench_build.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def largest_example() -> Path:
    """The example with the largest project file."""
    return max((p.parent for p in (ROOT / "examples").glob("*/project.yaml")),
               key=lambda p: (p / "project.yaml").stat().st_size)


def main() -> None:
    """Time loading, planning and every text document, best and median of 5 runs."""
    from crmimpl.build import BuildOptions, build
    from crmimpl.model.project import load_project
    from crmimpl.plan.builder import build_plan

    folder = largest_example()
    rows: dict[str, list[float]] = {"load + validate": [], "plan": [], "documents": []}
    for _ in range(5):
        start = time.perf_counter()
        project = load_project(folder)
        rows["load + validate"].append(time.perf_counter() - start)
        start = time.perf_counter()
        build_plan(project)
        rows["plan"].append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as out:
            options = BuildOptions(out=Path(out), langs=("ru", "en"),
                                   only=("survey", "spec", "training"))
            start = time.perf_counter()
            build(project, options)
            rows["documents"].append(time.perf_counter() - start)
    print(f"example: {folder.name}; survey report, specification, training plan; ru and en; "
          "DOCX and HTML")
    for name, times in rows.items():
        print(f"{name:<16} best {min(times):6.3f} s   median {statistics.median(times):6.3f} s")
    per_language = min(rows["documents"]) / 2
    print(f"documents per language: {per_language:.3f} s (target < 1 s)")


if __name__ == "__main__":
    main()
