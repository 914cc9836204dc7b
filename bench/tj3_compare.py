"""Compare our scheduler with TaskJuggler (tj3) on a 1,000-task FS/SS network.

Usage: python bench/tj3_compare.py [--tasks N] [--keep DIR]

Writes the network (FS and SS links, non-negative lags, Russian calendar) as a .tjp
file, runs ``tj3`` (Debian package ``tj3``) and reports the time ratio and whether every
task's start and finish agree. Skips with a message when tj3 is not installed.

TaskJuggler has no global "working Saturday", so the network starts on 12 Jan 2026 and
the comparison stops with a note if the schedule reaches a worked weekend day.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_schedule import network
from crmimpl.plan.calendar import WorkCalendar
from crmimpl.plan.schedule import SchedTask, Schedule, schedule

START = date(2026, 1, 12)


def tjp_text(tasks: list[SchedTask], cal: WorkCalendar, start: date, end: date) -> str:
    """The network as a TaskJuggler project with the same working time and holidays."""
    lines = [
        f'project crm "CRM" {start.isoformat()} - {end.isoformat()} {{',
        '  timezone "UTC"',
        "  timingresolution 60min",
        "  dailyworkinghours 8",
        "  workinghours mon - fri 8:00 - 12:00, 13:00 - 17:00",
        "  workinghours sat, sun off",
        "}",
    ]
    days_off, _ = cal.moved_days(start, end)
    lines += [f'leaves holiday "Day off" {d.isoformat()}' for d in days_off]
    for t in tasks:
        lines.append(f'task {t.id} "{t.name}" {{')
        lines.append("  milestone" if t.duration_days == 0 else f"  length {t.duration_days:g}d")
        if not t.predecessors:
            lines.append(f"  start {start.isoformat()}-08:00")
        for link in t.predecessors:
            attrs = ["onstart"] if link.type == "SS" else []
            if link.lag_days:
                attrs.append(f"gaplength {link.lag_days}d")
            lines.append(f"  depends {link.pred_id}" + (f" {{ {' '.join(attrs)} }}" if attrs
                                                          else ""))
        lines.append("}")
    lines += [
        'taskreport dates "dates" {',
        "  formats csv",
        "  columns id, start, end",
        '  timeformat "%Y-%m-%d %H:%M"',
        "}",
    ]
    return "\n".join(lines) + "\n"


def tj_dates(path: Path) -> dict[str, tuple[datetime, datetime]]:
    with path.open(newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    out = {}
    for row in rows[1:]:
        tid = row[0].strip().split(".")[-1]
        out[tid] = (datetime.strptime(row[1].strip(), "%Y-%m-%d %H:%M"),
                    datetime.strptime(row[2].strip(), "%Y-%m-%d %H:%M"))
    return out


def _ours(s: Schedule) -> dict[str, tuple[datetime, datetime]]:
    out = {}
    for tid, t in s.tasks.items():
        a = datetime.combine(t.start, datetime.min.time()) + timedelta(
            hours=17 if t.start_at_day_end else 8)
        b = datetime.combine(t.finish, datetime.min.time()) + timedelta(
            hours=8 if t.finish_at_day_start else 17)
        out[tid] = (a, b)
    return out


def _working_time(
    dates: dict[str, tuple[datetime, datetime]], cal: WorkCalendar
) -> dict[str, tuple[int, int]]:
    """Instants as working days elapsed (08:00 of day i is i, 17:00 is i + 1)."""

    def work(x: datetime) -> int:
        return cal.index_of(x.date()) + int(x.hour >= 17)

    return {tid: (work(a), work(b)) for tid, (a, b) in dates.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="keep the .tjp and report here")
    args = parser.parse_args()
    tj3 = shutil.which("tj3")
    if tj3 is None:
        print("tj3 is not installed (apt-get install -y tj3): comparison skipped")
        return 0
    cal = WorkCalendar("RU", years=range(2026, 2030))
    tasks = network(args.tasks, 2 * args.tasks, kinds=("FS", "SS"), leads=False, phase_size=0)
    for t in tasks:  # TaskJuggler takes one link per pair of tasks
        seen: set[str] = set()
        t.predecessors = [lk for lk in t.predecessors
                          if not (lk.pred_id in seen or seen.add(lk.pred_id))]
    t0 = time.perf_counter()
    ours = schedule(tasks, cal, START)
    our_secs = time.perf_counter() - t0
    _, worked_weekends = cal.moved_days(START, ours.finish)
    if worked_weekends:
        print(f"note: worked weekend days {worked_weekends} fall in the schedule; "
              "TaskJuggler cannot model them, differences after them are expected")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tj3_"))
    folder.mkdir(parents=True, exist_ok=True)
    end = ours.finish + timedelta(days=90)
    (folder / "net.tjp").write_text(tjp_text(tasks, cal, START, end), encoding="utf-8")
    t0 = time.perf_counter()
    proc = subprocess.run([tj3, "--silent", "-o", str(folder), "net.tjp"], cwd=folder,
                          capture_output=True, text=True)
    tj_secs = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:])
        return 1
    # TaskJuggler starts a successor at 17:00 of its predecessor's last day; MS Project
    # and we at 08:00 of the next working day: compare instants of working time.
    theirs = _working_time(tj_dates(folder / "dates.csv"), cal)
    mine = _working_time(_ours(ours), cal)
    diffs = [(tid, ours[tid].start, ours[tid].finish, theirs.get(tid), mine[tid])
             for tid in mine if mine[tid] != theirs.get(tid)]
    print(f"ours: {our_secs * 1000:.1f} ms, tj3: {tj_secs * 1000:.0f} ms "
          f"(tj3 / ours = {tj_secs / our_secs:.0f}x), {len(mine)} tasks")
    if diffs:
        print(f"{len(diffs)} tasks differ, first: {diffs[:5]}")
        return 1
    print("all start and finish dates agree")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
