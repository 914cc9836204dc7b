"""The levelling checks written out for speed (the fit of a start, the first day someone
of the task works) give the schedule their plain definitions give, on random
effort-driven networks of one- and two-person tasks, some of which may go to another
person (the search for each candidate's start stops past the best one's)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from crmimpl.plan import schedule as sched_mod
from crmimpl.plan.calendar import Person
from tests.test_schedule_props import RU, START, random_network

_EPS = sched_mod._EPS


def _fits_by_definition(self: sched_mod._Engine, i: int, s_day: int) -> bool:
    t = self.tasks[i]
    if t.effort_driven:
        for d, caps, part in self._effort_days(i, s_day):
            for p, c in caps:
                hours = c * part
                if hours > _EPS and self.used[p].get(d, 0.0) + hours > c + _EPS:
                    return False
        return True
    for p, d, hours in self._iter_loads(i, s_day):
        if hours > _EPS and self.used[p][d] + hours > self._capacity(p, d) + _EPS:
            return False
    return True


def _first_capacity_by_definition(self: sched_mod._Engine, i: int, s: int) -> int:
    if not self.who[i]:
        return s
    present = all if self.tasks[i].meeting else any
    for _ in range(100_000):
        if present(self._capacity(p, s // 2) > _EPS for p in self.who[i]):
            return s
        s += 2
    return s


def _choose_people_by_definition(self: sched_mod._Engine, i: int, s: int) -> None:
    t = self.tasks[i]
    for k, default in enumerate(t.assignees):
        options = [default, *t.alternatives.get(default, [])]
        best = None
        chosen = self.who[i][k]
        for n, person in enumerate(options):
            if person in self.who[i] and person != self.who[i][k]:
                continue
            self.who[i][k] = person
            start = self._first_fit(i, self._first_capacity(i, s))
            key = (start, sum(self.used[person].values()), n)
            if best is None or key < best:
                best, chosen = key, person
        self.who[i][k] = chosen


@pytest.mark.parametrize("seed", range(12))
def test_fast_fit_check_gives_the_same_schedule(seed: int,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(seed)
    staff = [Person(f"r{k}", availability=rng.choice([0.5, 0.75, 1.0]),
                    vacations=((START.replace(month=1, day=12 + k, year=2026),
                                START.replace(month=1, day=20 + k, year=2026)),))
             for k in range(3)]
    tasks = [replace(t, effort_driven=bool(t.assignees) and rng.random() < 0.8,
                     effort_hours=rng.choice([3.0, 8.0, 13.5, 40.0]) if t.assignees else None,
                     assignees=t.assignees + (["r2"] if t.assignees and rng.random() < 0.3
                                              and "r2" not in t.assignees else []),
                     alternatives={"r0": ["r1", "r2"], "r1": ["r0"]}
                     if rng.random() < 0.5 else {})
             for t in random_network(seed, 40, people=3, milestones=0.0)]
    fast = sched_mod.schedule(tasks, RU, START, people=staff, leveling=True)
    monkeypatch.setattr(sched_mod._Engine, "_fits", _fits_by_definition)
    monkeypatch.setattr(sched_mod._Engine, "_first_capacity", _first_capacity_by_definition)
    monkeypatch.setattr(sched_mod._Engine, "_choose_people", _choose_people_by_definition)
    slow = sched_mod.schedule(tasks, RU, START, people=staff, leveling=True)
    assert {k: (t.start, t.finish, t.assignees) for k, t in fast.tasks.items()} == \
        {k: (t.start, t.finish, t.assignees) for k, t in slow.tasks.items()}
    assert any(t.effort_driven and len(t.assignees) == 1 for t in tasks)
    assert any(t.effort_driven and len(t.assignees) > 1 for t in tasks)
