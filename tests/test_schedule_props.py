"""Property tests on random networks: every link holds, dates are working days, critical
tasks have no float, and levelling never over-books anyone.

:func:`random_network` is also used by the MPXJ cross-check in ``test_mspdi.py``.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmimpl.plan.calendar import Person, WorkCalendar
from crmimpl.plan.schedule import LINK_TYPES, Link, SchedTask, Schedule, schedule

RU = WorkCalendar("RU", years=[2025, 2026, 2027])
START = date(2025, 12, 22)  # a week before the long New Year holidays


def random_network(
    seed: int,
    n: int,
    *,
    links: float = 2.0,
    kinds: tuple[str, ...] = LINK_TYPES,
    leads: bool = True,
    phases: int = 0,
    milestones: float = 0.1,
    people: int = 0,
) -> list[SchedTask]:
    """A random DAG: tasks link only to earlier tasks; phases are contiguous blocks.

    Summary tasks take FS/SS links only from tasks before their block and give links
    only to tasks after it, so the graph stays acyclic.
    """
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, n), phases)) if phases and n > phases else []
    bounds = list(zip([0, *cuts], [*cuts, n], strict=True)) if cuts else []
    tasks: list[SchedTask] = []
    block_of: dict[int, int] = {}
    for k, (lo, hi) in enumerate(bounds):
        for i in range(lo, hi):
            block_of[i] = k
    for i in range(n):
        t = SchedTask(f"t{i}", f"Task {i}",
                      duration_days=0 if rng.random() < milestones else rng.randint(1, 8))
        if i in block_of and rng.random() < 0.8:
            t.parent = f"P{block_of[i]}"
        t.predecessors = _random_links(rng, i, links, kinds, leads)
        if rng.random() < 0.05:
            t.not_earlier_than = rng.choice([START, date(2026, 1, 3), date(2026, 2, 20)])
        if people:
            staff = [f"r{k}" for k in range(people)]
            t.assignees = rng.sample(staff, rng.randint(1, min(2, people)))
        tasks.append(t)
    tasks.extend(_phases(rng, bounds, n, tasks))
    return tasks


def _random_links(
    rng: random.Random, i: int, links: float, kinds: tuple[str, ...], leads: bool
) -> list[Link]:
    if i == 0:
        return []
    count = min(i, int(rng.expovariate(1 / links)) if links else 0)
    preds = rng.sample(range(max(0, i - 60), i), min(count, i - max(0, i - 60)))
    return [
        Link(f"t{p}", rng.choice(kinds),  # type: ignore[arg-type]
             rng.randint(-2 if leads else 0, 3) if rng.random() < 0.5 else 0)
        for p in sorted(preds)
    ]


def _phases(
    rng: random.Random, bounds: list[tuple[int, int]], n: int, tasks: list[SchedTask]
) -> list[SchedTask]:
    out = []
    for k, (lo, hi) in enumerate(bounds):
        preds = []
        if lo > 0 and rng.random() < 0.7:
            preds.append(Link(f"t{rng.randrange(0, lo)}", rng.choice(["FS", "SS"])))  # type: ignore[arg-type]
        out.append(SchedTask(f"P{k}", f"Phase {k}", predecessors=preds))
        if hi < n and rng.random() < 0.7:
            j = rng.randrange(hi, n)
            tasks[j].predecessors.append(Link(f"P{k}", rng.choice(LINK_TYPES)))  # type: ignore[arg-type]
    return out


# -- checks ---------------------------------------------------------------------------


def ticks(s: Schedule) -> dict[str, tuple[int, int]]:
    """Start and finish of each task in ticks (2*day index = start, 2*day + 1 = end)."""
    cal = s.calendar
    out: dict[str, tuple[int, int]] = {}
    for tid, t in s.tasks.items():
        if t.summary:
            continue
        a, b = 2 * cal.index_of(t.start), 2 * cal.index_of(t.finish) + 1
        if t.milestone:
            a = b = a + int(t.start_at_day_end)
        out[tid] = (a, b)
    children: dict[str, list[str]] = defaultdict(list)
    for tid, t in s.tasks.items():
        if t.task.parent:
            children[t.task.parent].append(tid)

    def span(tid: str) -> tuple[int, int]:
        if tid not in out:
            spans = [span(c) for c in children[tid]]
            out[tid] = (min(a for a, _ in spans), max(b for _, b in spans))
        return out[tid]

    for tid in s.tasks:
        span(tid)
    return out


def leaves_under(s: Schedule, tid: str) -> list[str]:
    kids = [k for k, t in s.tasks.items() if t.task.parent == tid]
    if not kids:
        return [tid]
    return [leaf for k in kids for leaf in leaves_under(s, k)]


def assert_links_hold(s: Schedule) -> None:
    tk = ticks(s)
    for tid, t in s.tasks.items():
        for link in t.task.predecessors:
            ps, pf = tk[link.pred_id]
            src = pf if link.type in ("FS", "FF") else ps
            for leaf in leaves_under(s, tid):
                ss, sf = tk[leaf]
                dst = ss if link.type in ("FS", "SS") else sf
                # In working time the end of day i and the start of day i+1 coincide.
                assert (dst + 1) // 2 >= (src + 1) // 2 + link.lag_days, (tid, leaf, link)


def assert_working_days(s: Schedule) -> None:
    for tid, t in s.tasks.items():
        assert s.calendar.is_working(t.start), (tid, t.start)
        assert s.calendar.is_working(t.finish), (tid, t.finish)
        assert t.start <= t.finish
        assert t.start >= s.start


def assert_float(s: Schedule) -> None:
    for tid, t in s.tasks.items():
        if t.summary:
            continue
        assert t.late_start >= t.early_start or t.total_float < 0, tid
        assert t.critical == (t.total_float <= 0), tid
    assert s.critical_path, "a network always has a critical path"
    _assert_late_links_hold(s)
    last = max(s.tasks.values(), key=lambda t: t.finish).finish
    assert any(s[c].finish == last for c in s.critical_path)


def _assert_late_links_hold(s: Schedule) -> None:
    """The late schedule keeps every link between ordinary tasks, and ends in time."""
    cal = s.calendar

    def work(d: date, end: bool) -> int:  # working time at a day's start or end
        return cal.index_of(d) + int(end)

    plain = {k: t for k, t in s.tasks.items() if not (t.summary or t.milestone)}
    for tid, t in plain.items():
        assert t.late_finish <= s.finish, tid
        for link in t.task.predecessors:
            p = plain.get(link.pred_id)
            if p is None:
                continue
            src = work(p.late_finish, True) if link.type in ("FS", "FF") else work(
                p.late_start, False)
            dst = work(t.late_start, False) if link.type in ("FS", "SS") else work(
                t.late_finish, True)
            assert dst >= src + link.lag_days, (tid, link)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**31), st.integers(1, 60), st.integers(0, 4))
def test_random_networks_keep_every_link(seed: int, n: int, phases: int) -> None:
    tasks = random_network(seed, n, phases=min(phases, n - 1))
    s = schedule(tasks, RU, START)
    assert_working_days(s)
    assert_links_hold(s)
    assert_float(s)
    # Critical tasks have zero float, and no task could start earlier: the schedule is
    # tight (each task starts at the project start, a pin, or a binding link).
    for tid, t in s.tasks.items():
        if t.critical and not t.summary:
            assert t.total_float == 0, tid


def _bookings(s: Schedule, people: dict[str, Person]) -> dict[tuple[str, date], float]:
    booked: dict[tuple[str, date], float] = defaultdict(float)
    for t in s.tasks.values():
        if t.summary or t.milestone:
            continue
        for d in s.calendar.working_days(t.start, t.finish):
            for p in t.task.assignees:
                booked[(p, d)] += s.calendar.hours_per_day * people[p].availability
    return booked


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**31), st.integers(2, 40), st.integers(1, 4))
def test_leveling_never_overbooks(seed: int, n: int, people: int) -> None:
    rng = random.Random(seed)
    staff = {f"r{k}": Person(f"r{k}", availability=rng.choice([0.5, 1.0])) for k in range(people)}
    tasks = random_network(seed, n, people=people, milestones=0.0)
    s = schedule(tasks, RU, START, people=staff.values(), leveling=True)
    assert_working_days(s)
    assert_links_hold(s)
    for (p, d), hours in _bookings(s, staff).items():
        cap = RU.hours_per_day * staff[p].availability
        assert hours <= cap + 1e-9, (p, d, hours)
    moved = {m.task_id for m in s.moved}
    plain = schedule(tasks, RU, START, people=staff.values())
    for tid, t in s.tasks.items():
        if not t.summary:
            assert (t.start != plain[tid].start) == (tid in moved), tid
            assert t.start >= plain[tid].start, tid
