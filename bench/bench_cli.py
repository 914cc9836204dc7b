"""Benchmark: CLI start-up and validation of the examples.

Prints times and their ratio to `python -c "import typer"` (the floor for any typer CLI),
and the target of issue 13: `crmimpl --help` at most 1.2× the `--help` of a minimal
two-command typer app. Not a test: run `python bench/bench_cli.py`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
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


MINIMAL_APP = """
import typer
app = typer.Typer()
@app.command()
def one(name: str = "x") -> None:
    \"\"\"First command.\"\"\"
@app.command()
def two(name: str = "x") -> None:
    \"\"\"Second command.\"\"\"
app()
"""


def main() -> None:
    """Print the start-up and validation timings."""
    py = sys.executable
    floor = best_of([py, "-c", "import typer"])
    rows = [("python -c 'import typer'", floor)]
    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "minimal_app.py"
        minimal.write_text(MINIMAL_APP, encoding="utf-8")
        minimal_help = best_of([py, str(minimal), "--help"])
    rows.append(("minimal two-command typer app --help", minimal_help))
    ours = best_of([py, "-m", "crmimpl", "--help"])
    rows.append(("crmimpl --help", ours))
    rows.append(("crmimpl --version", best_of([py, "-m", "crmimpl", "--version"])))
    for example in sorted((ROOT / "examples").glob("*/project.yaml")):
        name = f"crmimpl validate {example.parent.name}"
        rows.append((name, best_of([py, "-m", "crmimpl", "validate", str(example)])))
    width = max(len(r[0]) for r in rows)
    print(f"{'command':<{width}}  {'median s':>9}  {'× typer':>8}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:9.3f}  {seconds / floor:8.2f}")
    ratio = ours / minimal_help
    print(f"target: crmimpl --help <= 1.2x a minimal typer app's --help: {ratio:.2f}x "
          f"({'met' if ratio <= 1.2 else 'NOT met'})")


if __name__ == "__main__":
    main()
