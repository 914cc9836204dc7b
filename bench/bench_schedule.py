"""Benchmark the scheduling engine on generated networks (not a test).

Usage: python bench/bench_schedule.py [--levelling]

Schedules networks of 1,000 tasks / 2,000 links and 10,000 tasks / 20,000 links (all
link types, lags and leads, a summary per 50 tasks) on the Russian calendar and prints
the best of a few runs. The 10,000-task case must stay under one second.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from crmimpl.plan.calendar import Person, WorkCalendar
from crmimpl.plan.schedule import LINK_TYPES, Link, SchedTask, schedule

START = date(2025, 9, 1)


def network(
    n: int, links: int, *, seed: int = 1, kinds: tuple[str, ...] = LINK_TYPES,
    leads: bool = True, phase_size: int = 50, people: int = 0,
) -> list[SchedTask]:
    """``n`` tasks with exactly ``links`` links to one of the previous 100 tasks."""
    rng = random.Random(seed)
    tasks: list[SchedTask] = []
    for p in range(0, n, phase_size) if phase_size else ():
        tasks.append(SchedTask(f"P{p // phase_size}", f"Phase {p // phase_size}"))
    leaves = [
        SchedTask(f"t{i}", f"Task {i}", duration_days=rng.choice([0, 1, 2, 3, 5, 8, 10]),
                  parent=f"P{i // phase_size}" if phase_size else None)
        for i in range(n)
    ]
    for _ in range(links):
        j = rng.randrange(1, n)
        i = rng.randrange(max(0, j - 100), j)
        lag = rng.randint(-2 if leads else 0, 3) if rng.random() < 0.4 else 0
        leaves[j].predecessors.append(Link(f"t{i}", rng.choice(kinds), lag))  # type: ignore[arg-type]
    if people:
        for t in leaves:
            t.assignees = [f"r{rng.randrange(people)}"]
    return tasks + leaves


def best_of(runs: int, fn: object) -> float:
    assert callable(fn)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levelling", action="store_true", help="also time levelling")
    args = parser.parse_args()
    cal = WorkCalendar("RU", years=range(2025, 2032))
    ok = True
    for n, links in ((1_000, 2_000), (10_000, 20_000)):
        tasks = network(n, links)
        secs = best_of(3, lambda tasks=tasks: schedule(tasks, cal, START))
        s = schedule(tasks, cal, START)
        print(f"{n:>6} tasks {links:>6} links: {secs * 1000:7.1f} ms  "
              f"(finish {s.finish}, {len(s.critical_path)} critical)")
        if n == 10_000 and secs >= 1.0:
            ok = False
    if args.levelling:
        staff = [Person(f"r{k}") for k in range(20)]
        tasks = network(1_000, 2_000, people=20)
        secs = best_of(1, lambda: schedule(tasks, cal, START, people=staff, leveling=True))
        print(f"  1000 tasks, 20 people, levelling: {secs * 1000:7.1f} ms")
    if not ok:
        print("FAIL: 10,000 tasks took a second or more")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
