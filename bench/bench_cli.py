"""Benchmark: CLI start-up and validation of the examples.

Prints times and their ratio to `python -c "import typer"` (the floor for any typer CLI).
Not a test: run `python bench/bench_cli.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def best_of(cmd: list[str]) -> float:
    """Median wall time of ``RUNS`` runs of a command, in seconds."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print the start-up and validation timings."""
    py = sys.executable
    floor = best_of([py, "-c", "import typer"])
    rows = [("python -c 'import typer'", floor)]
    rows.append(("crmimpl --help", best_of([py, "-m", "crmimpl", "--help"])))
    rows.append(("crmimpl --version", best_of([py, "-m", "crmimpl", "--version"])))
    for example in sorted((ROOT / "examples").glob("*/project.yaml")):
        name = f"crmimpl validate {example.parent.name}"
        rows.append((name, best_of([py, "-m", "crmimpl", "validate", str(example)])))
    width = max(len(r[0]) for r in rows)
    print(f"{'command':<{width}}  {'median s':>9}  {'× typer':>8}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:9.3f}  {seconds / floor:8.2f}")


if __name__ == "__main__":
    main()
